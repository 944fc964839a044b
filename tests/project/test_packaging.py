"""The wheel installs one import package, `qirtas`, and lives beside distributions that install the generic
names our repository folders have (`i18n`, `archive`): neither overwrites the other, uninstalling one leaves
the other whole."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

FOLDERS = {"archive": "qirtas.archive", "cli": "qirtas.cli", "desktop": "qirtas.desktop"}
FOLDERS |= {"i18n": "qirtas.i18n", "importers": "qirtas.importers", "seeds": "qirtas.seeds"}


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _lookalike_wheel(folder: Path) -> Path:
    """A distribution shaped like python-i18n (a top-level `i18n` package) that also installs `archive`."""
    files = {
        "i18n/__init__.py": b"WHO = 'lookalike i18n'\n",
        "archive/__init__.py": b"WHO = 'lookalike archive'\n",
        "lookalike-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: lookalike\nVersion: 1.0\n",
        "lookalike-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "lookalike-1.0.dist-info/top_level.txt": b"archive\ni18n\n",
    }
    record = [_record_line(name, data) for name, data in files.items()]
    record.append("lookalike-1.0.dist-info/RECORD,,")
    wheel = folder / "lookalike-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("lookalike-1.0.dist-info/RECORD", "\n".join(record) + "\n")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("qirtas-*.whl")
    return built


def test_the_wheel_holds_one_top_level_package_with_every_module_of_the_repository(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"qirtas"}
    for folder, package in FOLDERS.items():
        for module in (REPO / folder).rglob("*.py"):
            inside = module.relative_to(REPO / folder).as_posix()
            assert f"{package.replace('.', '/')}/{inside}" in names, (
                f"{folder}/{inside} is missing from the wheel"
            )
    assert "qirtas/seeds/metadata.json" in names
    assert "qirtas/i18n/locale/ar/LC_MESSAGES/qirtas.po" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") or name.endswith("/LICENSE") for name in names)


def test_qirtas_and_a_distribution_installing_i18n_and_archive_live_side_by_side(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # Qirtas's dependencies come from the test environment's site-packages (its .pth files are not run,
    # so the editable install of this repository stays invisible).
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")

    def pip(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(python), *args], check=True, capture_output=True
        )

    def run(code: str) -> str:
        return subprocess.run(
            [python, "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path
        ).stdout

    pip("install", "--quiet", "--no-deps", str(wheel))
    pip("install", "--quiet", "--no-deps", str(_lookalike_wheel(tmp_path)))
    both = run(
        "import i18n, archive, qirtas.i18n.catalog as c, qirtas.archive.archive as a, qirtas;"
        "print(i18n.WHO, archive.WHO, c.setup_i18n('ar'), a.Archive.__name__, qirtas.__version__)"
    )
    assert both.split()[:4] == ["lookalike", "i18n", "lookalike", "archive"]
    assert "ar" in both and "Archive" in both

    pip("uninstall", "--quiet", "--yes", "lookalike")
    alone = subprocess.run(
        [venv / "bin" / "qirtas", "--archive", str(tmp_path / "demo"), "demo", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert alone.returncode == 0, alone.stderr
    assert (tmp_path / "demo" / "qirtas.sqlite3").exists()
    assert run("import importlib.util as u; print(u.find_spec('i18n'))").strip() == "None"
