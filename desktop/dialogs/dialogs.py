"""Help › Search syntax (Help › About is in about.py)."""

from __future__ import annotations

from qirtas.desktop.labels import isolated
from qirtas.desktop.qt import QMessageBox, QWidget
from qirtas.i18n import N_, _, current_language

# Filter names as written in each interface language: the query parser takes both (archive/query.py).
FILTER_NAMES = {
    "en": {"event": "event:", "region": "region:", "theme": "theme:", "lang": "lang:", "date": "date:"},
    "ar": {"event": "حدث:", "region": "منطقة:", "theme": "موضوع:", "lang": "لغة:", "date": "تاريخ:"},
}

# (example in the English UI, example in the Arabic UI, meaning)
SEARCH_SYNTAX = [
    ("water rights", "حقوق المياه", N_("every word must appear")),
    ('"security council"', '"مجلس الأمن"', N_("the exact phrase")),
    ("terror*", "terror*", N_("words starting with terror")),
    ("internet -spam", "internet -spam", N_("without the word spam")),
    ("region:Tajikistan", "منطقة:طاجيكستان", N_("tagged with a region (also {event}, {theme})")),
    ("lang:ar", "لغة:ar", N_("documents in Arabic (a code or a name: en, fr, es, ru, zh, fa, ur, mixed…)")),
    ("date:2018..2020", "تاريخ:2018..2020", N_("dated between 2018 and 2020")),
]


def filter_names() -> dict[str, str]:
    """The filter names the interface language writes (`منطقة:` in Arabic, `region:` in English)."""
    return FILTER_NAMES["ar" if current_language() == "ar" else "en"]


def search_syntax_rows() -> list[str]:
    """One line per example; the example is isolated, so `terror*` stays `terror*` in an Arabic line and
    `منطقة:طاجيكستان` reads right to left in it."""
    arabic = current_language() == "ar"
    names = filter_names()
    return [
        _("{example} — {meaning}").format(
            example=isolated(arabic_example if arabic else example),
            meaning=_(meaning).format(event=isolated(names["event"]), theme=isolated(names["theme"])),
        )
        for example, arabic_example, meaning in SEARCH_SYNTAX
    ]


def search_syntax_text() -> str:
    return "\n".join([_("Search syntax:"), *search_syntax_rows()])


def search_placeholder() -> str:
    """The search field's hint, with the filter names of the interface language."""
    names = filter_names()
    return _(
        'Search — words, "a phrase", prefix*, -exclude, {region}, {theme}, {event}, {lang}, {date}'
    ).format(
        region=names["region"],
        theme=names["theme"],
        event=names["event"],
        lang=isolated(names["lang"] + "ar"),
        date=isolated(names["date"] + "2018..2020"),
    )


def show_search_syntax(parent: QWidget | None) -> None:
    QMessageBox.information(parent, _("Search syntax"), search_syntax_text())
