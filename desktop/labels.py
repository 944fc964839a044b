"""How archive values read in the UI: tag labels, language and status names, dates, counts."""

from __future__ import annotations

import datetime as dt

from qirtas.i18n import N_, _, current_language
from qirtas.i18n.bidi import isolate, isolate_ltr
from qirtas.i18n.formatting import format_count, format_date, format_percent, language_name
from qirtas.i18n.script import Direction, paragraph_direction
from qirtas.importers.notices import warning_code, warning_text

FACET_TITLES = {"event": N_("Events"), "region": N_("Regions"), "theme": N_("Themes")}
FACET_NAMES = {"event": N_("Event"), "region": N_("Region"), "theme": N_("Theme")}
STATUS_NAMES = {
    "ok": N_("Text extracted"),
    "needs_ocr": N_("Needs OCR"),
    "ocr": N_("OCR"),
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
    """A date for a table cell: "9 Dec 2020", "9 ديسمبر 2020" (CLDR's medium Arabic date is 09/12/2020)."""
    return format_date(date, format="d MMM y") if date else ""


def long_date_text(date: dt.date | None) -> str:
    return format_date(date, format="long") if date else ""


def count_text(count: int) -> str:
    return format_count(count)


def percent_text(done: int, total: int) -> str:
    """A progress bar's text: "23.1%" through Babel ("٢٣٫١٪" with Arabic-Indic digits), not Qt's "%p%"."""
    return format_percent(done / total if total > 0 else 0.0)


def ui_direction() -> Direction:
    return Direction.RTL if current_language() == "ar" else Direction.LTR


def in_own_direction(text: str) -> str:
    """`text` wrapped so it keeps its own base direction when shown in a view of the other one."""
    direction = paragraph_direction(text, ui_direction())
    if direction == ui_direction():
        return text
    start, end = _EMBED[direction]
    return f"{start}{text}{end}"


def isolated(text: object) -> str:
    """A title, a name, a file name or a reason to put inside a message: isolated (FSI … PDI), it keeps its
    own direction and the message keeps the one of its own words — “مؤتمر” has no linked translation. stays
    a left-to-right sentence in the English UI, and a Latin title a right-to-left one in the Arabic UI.
    Use it for every value formatted into a translated sentence: `_("“{title}” …").format(title=isolated(t))`."""
    return isolate(text)


def isolated_code(text: object) -> str:
    """Query syntax, a command, a path or a code inside a message: always left to right (LRI … PDI), so
    `terror*` does not become `*terror` in an Arabic sentence."""
    return isolate_ltr(text)


def joined(names) -> str:
    """Names listed in the interface language's way: "a, b" in English, "a، b" in Arabic."""
    return ("، " if current_language() == "ar" else ", ").join(names)


def warning_sentence(entry) -> str:
    """An import warning in the interface language, from its code and parameters (titles and reasons
    inside isolated); a sentence stored before warnings had codes (English) shown as it is, isolated."""
    if warning_code(entry) is None:
        return isolated(warning_text(entry))
    return warning_text(entry, wrap=isolated)


def warning_lines(warnings) -> list[str]:
    """The reader's "Warning: …" lines of a document."""
    return [_("Warning: {text}").format(text=warning_sentence(entry)) for entry in warnings or []]
