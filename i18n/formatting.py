"""Dates, numbers, counts, sizes and language names for the active UI language, through Babel (CLDR)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent
from babel.units import format_unit
from qirtas.i18n.catalog import current_language, ngettext

Digits = Literal["latn", "arab"]

# Babel prints Latin digits for every locale (even with numbering_system="arab", only the separators
# change), so Arabic-Indic digits are mapped after formatting.
_TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# CLDR puts RLM/LRM/ALM inside Arabic short and medium dates ("29\u200f/06\u200f/2018"). They are invisible
# but break copying, comparing, CSV export and width measurement; the widgets decide direction themselves.
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")

_digits: Digits = "latn"


def set_digits(digits: Digits) -> None:
    """Choose Latin (0123) or Arabic-Indic (٠١٢٣) digits for numbers and dates shown in Arabic."""
    global _digits
    if digits not in ("latn", "arab"):
        raise ValueError(f"digits must be 'latn' or 'arab', not {digits!r}")
    _digits = digits


def digits_setting() -> Digits:
    """The current digit setting (applies when formatting for Arabic only)."""
    return _digits


def to_arabic_indic(text: str) -> str:
    """`text` with ASCII digits replaced by Arabic-Indic ones (٠١٢٣٤٥٦٧٨٩)."""
    return text.translate(_TO_ARABIC_INDIC)


def _language(locale: str | None) -> str:
    return (locale or current_language() or "en").replace("-", "_")


def _arabic_digits(locale: str, digits: Digits | None) -> bool:
    return (digits or _digits) == "arab" and locale.split("_")[0] == "ar"


def _finish(text: str, locale: str, digits: Digits | None, bidi_marks: bool) -> str:
    if not bidi_marks:
        text = _BIDI_MARKS.sub("", text)
    return to_arabic_indic(text) if _arabic_digits(locale, digits) else text


def format_date(
    date: dt.date | dt.datetime | None,
    locale: str | None = None,
    format: str = "long",
    digits: Digits | None = None,
    bidi_marks: bool = False,
) -> str:
    """A date for people: "29 June 2018" / "29 يونيو 2018" ("" for no date).

    `locale` defaults to the UI language; `format` is a Babel width ("short", "medium", "long",
    "full") or a CLDR pattern. British day-month order is used for English, as archivists in the
    region write it. Pass `bidi_marks=True` to keep CLDR's direction marks (only for text that is laid
    out without a paragraph direction of its own).
    """
    if date is None:
        return ""
    if isinstance(date, dt.datetime):
        date = date.date()
    language = _language(locale)
    babel_locale = "en_GB" if language == "en" else language
    return _finish(_babel_date(date, format, locale=babel_locale), language, digits, bidi_marks)


def format_datetime(
    moment: dt.datetime | None,
    locale: str | None = None,
    format: str = "medium",
    digits: Digits | None = None,
    bidi_marks: bool = False,
) -> str:
    """A date and time (e.g. an import time) for the UI language ("" for none)."""
    if moment is None:
        return ""
    language = _language(locale)
    babel_locale = "en_GB" if language == "en" else language
    text = _babel_datetime(moment, format, locale=babel_locale).replace("\u202f", " ")
    return _finish(text, language, digits, bidi_marks)


def format_number(
    number: float | int,
    locale: str | None = None,
    digits: Digits | None = None,
    decimals: int | None = None,
) -> str:
    """A number with the locale's grouping and decimal signs ("1,234.5"; Arabic-Indic "١٬٢٣٤٫٥")."""
    language = _language(locale)
    arabic = _arabic_digits(language, digits)
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(
        number, format=pattern, locale=language, numbering_system="arab" if arabic else "latn"
    )
    return _finish(text, language, digits, bidi_marks=False)


def format_count(count: int, locale: str | None = None, digits: Digits | None = None) -> str:
    """A count for labels and badges ("1,204"), to put in `ngettext` messages as %(count)s."""
    return format_number(int(count), locale, digits)


def document_count(count: int, locale: str | None = None, digits: Digits | None = None) -> str:
    """ "12 documents" / "١٢ وثيقة" — the count of documents with the right plural form."""
    return ngettext("%(count)s document", "%(count)s documents", count) % {
        "count": format_count(count, locale, digits)
    }


def format_percent(
    fraction: float, locale: str | None = None, digits: Digits | None = None, decimals: int = 1
) -> str:
    """A share as a percentage in the locale's way ("23.1%"; Arabic-Indic "٢٣٫١٪"); `fraction` 0.231."""
    language = _language(locale)
    arabic = _arabic_digits(language, digits)
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "") + "%"
    text = _babel_percent(fraction, pattern, locale=language, numbering_system="arab" if arabic else "latn")
    if arabic:
        text = text.replace("%", "\u066a")  # CLDR's Arabic percent sign for Arabic-Indic digits
    return _finish(text, language, digits, bidi_marks=False)


def format_file_size(size: int, locale: str | None = None, digits: Digits | None = None) -> str:
    """A file size in SI units ("1 byte", "475 bytes", "12.3 kB", "3.2 MB"), plural forms from CLDR."""
    language = _language(locale)
    value: float = size
    unit = "digital-byte"
    for step in ("digital-kilobyte", "digital-megabyte", "digital-gigabyte"):
        if value < 1000:
            break
        value, unit = value / 1000, step
    numbering = "arab" if _arabic_digits(language, digits) else "latn"
    # Bytes are counted in words ("475 bytes", "475 بايت"): CLDR's short form has no plural ("475 byte")
    length: Literal["short", "long"] = "long" if unit == "digital-byte" else "short"
    text = format_unit(value, unit, length, "#,##0.#", locale=language, numbering_system=numbering)
    return _finish(text, language, digits, bidi_marks=False)


def language_name(code: str, locale: str | None = None) -> str:
    """The name of a document or UI language ("ar" → "Arabic" / "العربية"), from CLDR.

    `mixed` (a document in several languages) and `und` (no letters) are named too; pass the code
    itself as `locale` for a language's own name ("العربية" for the View › Language menu).
    """
    language = _language(locale)
    cldr_code = {"mixed": "mul", "": "und"}.get(code, code)
    names = Locale.parse(language).languages
    name = names.get(cldr_code) or names.get(cldr_code.split("_")[0])
    return name[:1].upper() + name[1:] if name else code


def text_direction(locale: str | None = None) -> Literal["ltr", "rtl"]:
    """The writing direction of a UI language ("rtl" for Arabic), from CLDR's character order."""
    order = Locale.parse(_language(locale)).character_order
    return "rtl" if order == "right-to-left" else "ltr"


__all__ = [
    "digits_setting",
    "document_count",
    "format_count",
    "format_date",
    "format_datetime",
    "format_file_size",
    "format_number",
    "format_percent",
    "language_name",
    "set_digits",
    "text_direction",
    "to_arabic_indic",
]
