"""Help › About and the search syntax."""

from __future__ import annotations

import platform
import sqlite3  # only for its version number
from importlib import metadata

from qirtas.desktop.qt import QMessageBox, QWidget, qVersion
from qirtas.i18n import N_, _

SEARCH_SYNTAX = [
    ("water rights", N_("every word must appear")),
    ('"security council"', N_("the exact phrase")),
    ("terror*", N_("words starting with terror")),
    ("internet -spam", N_("without the word spam")),
    ("region:Tajikistan", N_("tagged with a region (also event:, theme:)")),
    ("lang:ar", N_("documents in Arabic (en, ar, mixed)")),
    ("date:2018..2020", N_("dated between 2018 and 2020")),
]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def versions() -> dict[str, str]:
    return {
        "Qirtas": _version("qirtas"),
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PySide6": _version("PySide6-Essentials"),
        "SQLite": sqlite3.sqlite_version,
        "peewee": _version("peewee"),
        "Babel": _version("babel"),
        "pdfminer.six": _version("pdfminer.six"),
    }


def about_text() -> str:
    lines = [
        _("Qirtas keeps English and Arabic documents offline: import, read, tag and search them."),
        "",
    ]
    lines += [f"{name} {version}" for name, version in versions().items()]
    return "\n".join(lines)


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, _("About Qirtas"), about_text())


def search_syntax_text() -> str:
    rows = [
        _("{example} — {meaning}").format(example=example, meaning=_(meaning))
        for example, meaning in SEARCH_SYNTAX
    ]
    return "\n".join([_("Search syntax:"), *rows])


def show_search_syntax(parent: QWidget | None) -> None:
    QMessageBox.information(parent, _("Search syntax"), search_syntax_text())
