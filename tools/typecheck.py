"""mypy on the headless packages (archive, importers, i18n, cli and qirtas/*.py), as ``make typecheck`` runs it.

    python tools/typecheck.py [extra mypy arguments]

The repository's folders install as ``qirtas.archive``, … through setuptools' package-dir mapping, and the
editable install finds them with an import hook that mypy does not run; so mypy is run in a temporary
folder whose ``qirtas/`` holds symlinks to qirtas/*.py and to each mapped folder. The configuration is
pyproject.toml's [tool.mypy]; paths in the output are written back as repository paths (archive/x.py).
Exits with mypy's status.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# desktop/ is left out on purpose (issue 17 asks for the core and the command line); it is still linked,
# because the command line imports it lazily for `gui`, and pyproject.toml silences its errors.
CHECKED = ("archive", "importers", "i18n", "cli")


def package_folders() -> dict[str, str]:
    """Subpackage name (``archive``) → repository folder, from [tool.setuptools.package-dir]."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {
        name.removeprefix("qirtas."): folder for name, folder in mapping.items() if name.startswith("qirtas.")
    }


def build_tree(root: Path, folders: dict[str, str]) -> None:
    """``root/qirtas/`` as the installed package looks: qirtas/*.py and one symlink per mapped folder."""
    package = root / "qirtas"
    package.mkdir()
    for module in sorted((REPO / "qirtas").glob("*.py")):
        (package / module.name).symlink_to(module)
    for name, folder in folders.items():
        (package / name).symlink_to(REPO / folder, target_is_directory=True)


def repository_paths(output: str, folders: dict[str, str]) -> str:
    """mypy's ``qirtas/archive/x.py:3: error …`` written as ``archive/x.py:3: error …``."""
    pattern = re.compile(r"^qirtas/(" + "|".join(map(re.escape, folders)) + r")/", re.MULTILINE)
    return pattern.sub(lambda match: folders[match.group(1)] + "/", output)


def main(argv: list[str]) -> int:
    folders = package_folders()
    with tempfile.TemporaryDirectory(prefix="qirtas-mypy-") as folder:
        root = Path(folder)
        build_tree(root, folders)
        modules = [
            "qirtas" if path.stem == "__init__" else f"qirtas.{path.stem}"
            for path in sorted((REPO / "qirtas").glob("*.py"))
        ]
        targets = [f"-m{module}" for module in modules] + [f"-pqirtas.{name}" for name in CHECKED]
        completed = subprocess.run(
            [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), *targets, *argv],
            cwd=root,
            capture_output=True,
            text=True,
        )
    sys.stdout.write(repository_paths(completed.stdout, folders))
    sys.stderr.write(repository_paths(completed.stderr, folders))
    return completed.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
