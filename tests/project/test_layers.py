"""The layers' contract, enforced: each room imports only the rooms below it, Qt only through
desktop/qt.py, and nothing of ours imports tests or benchmarks. Imports inside functions count too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

ROOMS = ("archive", "cli", "desktop", "i18n", "importers", "seeds", "qirtas")
# room → the rooms of ours it may import (besides itself and the `qirtas` package's own modules)
ALLOWED = {
    "i18n": set(),
    "importers": {"i18n"},
    "archive": {"importers", "i18n", "seeds"},  # seeds: the demo archive's documents
    "desktop": {"archive", "importers", "i18n"},
    "cli": {"archive", "importers", "i18n", "desktop"},  # desktop: only for `qirtas gui` (checked below)
    "seeds": set(),
    "qirtas": {"cli"},  # qirtas/__main__.py starts the command line
}
# The review report's PDF is laid out by Qt: `qirtas review ID --pdf` renders it offscreen.
CLI_MAY_USE_FROM_DESKTOP = {
    "qirtas.desktop.app",
    "qirtas.desktop.platform_check",
    "qirtas.desktop.review_report_pdf",
}
NO_DATABASE = {"i18n", "importers"}  # pure: never peewee or sqlite3
QT = ("PySide6", "shiboken6")


def modules() -> list[tuple[str, Path]]:
    found = []
    for room in ROOMS:
        for path in sorted((REPO / room).rglob("*.py")):
            found.append((room, path))
    return found


def imported_names(path: Path) -> list[tuple[int, str]]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.lineno, node.module))
            names.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return names


def violations(room: str, path: Path) -> list[str]:
    where = path.relative_to(REPO).as_posix()
    found = []
    for line, name in imported_names(path):
        top = name.split(".")[0]
        if top in ("tests", "benchmarks", "tools"):
            found.append(f"{where}:{line} imports {name}: the product never imports tests or scripts")
        if top in ROOMS and top != "qirtas":
            found.append(f"{where}:{line} imports {name}: write qirtas.{name}")
        if top in QT and not (room == "desktop" and path.name in ("qt.py", "refcounts.py")):
            found.append(f"{where}:{line} imports {name}: Qt only through qirtas.desktop.qt")
        if room in NO_DATABASE and top in ("peewee", "playhouse", "sqlite3"):
            found.append(f"{where}:{line} imports {name}: {room}/ is pure, no database")
        if top != "qirtas" or name == "qirtas":
            continue
        parts = name.split(".")
        target = parts[1] if len(parts) > 1 else ""
        if target in ("__version__", "logs", "jobs", "__main__") or target == room:
            continue
        if target in ROOMS and target not in ALLOWED[room]:
            found.append(f"{where}:{line} imports {name}: {room}/ may import only {sorted(ALLOWED[room])}")
        if room == "cli" and target == "desktop" and ".".join(parts[:3]) not in CLI_MAY_USE_FROM_DESKTOP:
            found.append(
                f"{where}:{line} imports {name}: the command line uses only the gui entry of desktop/"
            )
    return found


def test_every_module_keeps_to_its_layer():
    assert len(modules()) > 80  # the walk found the code
    problems = [problem for room, path in modules() for problem in violations(room, path)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("room", "source", "complaint"),
    [
        ("archive", "from qirtas.desktop.qt import QObject\n", "archive/ may import only"),
        ("archive", "def f():\n    import PySide6.QtCore\n", "Qt only through"),
        ("importers", "from peewee import Model\n", "pure, no database"),
        ("i18n", "from qirtas.importers import Extracted\n", "i18n/ may import only"),
        ("desktop", "from PySide6.QtWidgets import QWidget\n", "Qt only through"),
        ("desktop", "from archive.archive import Archive\n", "write qirtas.archive"),
        ("cli", "from qirtas.desktop.views.window import MainWindow\n", "only the gui entry"),
        ("archive", "from benchmarks.corpus import make\n", "never imports tests"),
    ],
)
def test_the_contract_catches_each_kind_of_wrong_import(tmp_path, room, source, complaint):
    module = tmp_path / "module.py"
    module.write_text(source, encoding="utf-8")
    found = violations(room, module.rename(REPO / room / "_contract_probe.py"))
    (REPO / room / "_contract_probe.py").unlink()
    assert any(complaint in problem for problem in found), found


def test_tests_share_their_helpers_from_tests_not_from_the_benchmarks():
    borrowed = [
        f"{path.relative_to(REPO).as_posix()}:{line} imports {name}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        if path.name != "test_layers.py"
        for line, name in imported_names(path)
        if name.split(".")[0] == "benchmarks"
    ]
    assert borrowed == [], "\n".join(borrowed)


def test_no_module_is_over_600_lines_and_none_of_search_over_400():
    """Issue 17: a module a person can hold in mind; search, the most changed, in smaller rooms."""
    too_long = []
    for room in ROOMS:
        for path in sorted((REPO / room).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            limit = 400 if path.parent.name == "search" and path.parent.parent.name == "archive" else 600
            if lines > limit:
                too_long.append(f"{path.relative_to(REPO)}: {lines} lines (at most {limit})")
    assert not too_long, "\n".join(too_long)
