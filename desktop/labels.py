"""How archive values read in the UI: tag labels, language and status names, dates, counts."""

from __future__ import annotations

import datetime as dt

from qirtas.i18n import N_, _, current_language
from qirtas.i18n.formatting import format_count, format_date, language_name
from qirtas.i18n.script import Direction, paragraph_direction

FACET_TITLES = {"event": N_("Events"), "region": N_("Regions"), "theme": N_("Themes")}
FACET_NAMES = {"event": N_("Event"), "region": N_("Region"), "theme": N_("Theme")}
STATUS_NAMES = {
    "ok": N_("Text extracted"),
    "needs_ocr": N_("Needs OCR"),
    "encrypted": N_("Encrypted"),
}

# Embedding marks that give a cell's text its own base direction inside a view of the other direction.
_EMBED = {Direction.RTL: ("\u202b", "\u202c"), Direction.LTR: ("\u202a", "\u202c")}


def facet_title(facet: str) -> str:
    return _(FACET_TITLES[facet])


def facet_name(facet: str) -> str:
    return _(FACET_NAMES[facet])


def tag_label(tag) -> str:
    """A tag's name in the UI language, falling back to the other language."""
    return tag.label(current_language())


def tag_both_names(tag) -> str:
    """ "English — العربية" (either alone when the other is missing): what completion matches against."""
    names = [name for name in (tag.name_en, tag.name_ar) if name]
    return " — ".join(names)


def status_name(status: str) -> str:
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def document_language_name(code: str) -> str:
    # CLDR's "Multiple languages" and "Unknown language" would be the widest cells of the table
    short = {"mixed": N_("Mixed"), "und": N_("Unknown"), "": N_("Unknown")}
    return _(short[code]) if code in short else language_name(code)


def date_text(date: dt.date | None) -> str:
    return format_date(date, format="medium") if date else ""


def long_date_text(date: dt.date | None) -> str:
    return format_date(date, format="long") if date else ""


def count_text(count: int) -> str:
    return format_count(count)


def ui_direction() -> Direction:
    return Direction.RTL if current_language() == "ar" else Direction.LTR


def in_own_direction(text: str) -> str:
    """`text` wrapped so it keeps its own base direction when shown in a view of the other one."""
    direction = paragraph_direction(text, ui_direction())
    if direction == ui_direction():
        return text
    start, end = _EMBED[direction]
    return f"{start}{text}{end}"


def joined(names) -> str:
    """Names listed in the interface language's way: "a, b" in English, "a، b" in Arabic."""
    return ("، " if current_language() == "ar" else ", ").join(names)
