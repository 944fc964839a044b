"""Help › Search syntax (Help › About is in about.py)."""

from __future__ import annotations

from qirtas.desktop.qt import QMessageBox, QWidget
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


def search_syntax_text() -> str:
    rows = [
        _("{example} — {meaning}").format(example=example, meaning=_(meaning))
        for example, meaning in SEARCH_SYNTAX
    ]
    return "\n".join([_("Search syntax:"), *rows])


def show_search_syntax(parent: QWidget | None) -> None:
    QMessageBox.information(parent, _("Search syntax"), search_syntax_text())
