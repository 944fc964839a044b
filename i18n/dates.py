"""Dates stated in English or Arabic text: 2018-06-29, 9 December 2020, December 9, 2020, 11 مايو 2016, and
the two month names UN Arabic documents write, 14 آذار/مارس 2023."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_month_names

_ARABIC_DIGIT_CHARACTERS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = str.maketrans(_ARABIC_DIGIT_CHARACTERS, "01234567890123456789")
_ASCII_DIGITS = "0123456789"
_FOUR_DIGITS = re.compile(r"\d\d\d\d")  # every date pattern holds a year (faster than \d{4} here)


def _month_table() -> dict[str, int]:
    months: dict[str, int] = {}
    for locale in ("en", "ar", "ar_SA", "ar_LB", "ar_IQ", "ar_MA", "ar_DZ", "ar_TN"):
        for context in ("wide",):
            for number, name in get_month_names(context, locale=locale).items():
                months[name.lower()] = number
    for number, name in get_month_names("abbreviated", locale="en").items():
        months[name.lower()] = number
    months["sept"] = 9
    months["إبريل"] = 4  # a common Egyptian spelling (seed 002)
    months["ابريل"] = 4
    months["اغسطس"] = 8
    return months


MONTHS = _month_table()
_MONTH_ALT = "|".join(sorted((re.escape(name) for name in MONTHS), key=len, reverse=True))
_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
    (
        re.compile(
            rf"(?<!\w)(\d{{1,2}})\s+({_MONTH_ALT})(?:\s*/\s*(?:{_MONTH_ALT}))?\.?,?\s+(\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
        ("d", "M", "y"),
    ),
    # "December 9, 2020": any word before the day, checked against MONTHS afterwards (a pattern that
    # starts with the month alternation is tried at every position and cost most of the import's time here).
    (re.compile(r"(?<!\w)([^\W\d_]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})(?!\d)"), ("M", "d", "y")),
)


# What any match of `_PATTERNS` must contain, found in one pass: an ISO date; a day, whitespace and a year
# ("9, 2020"); or a digit, whitespace, at most two month names and their punctuation, whitespace and a
# year ("9 December 2020", "14 آذار/مارس 2023"). A text without it (a title with a number in it) skips the three patterns.
_LONGEST_MONTH = 2 * max(map(len, MONTHS)) + 4  # two names and a slash: تشرين الأول/أكتوبر
_DATE_SHAPE = re.compile(
    rf"\d(?:\d{{3}}-\d{{2}}-\d{{2}}|,?\s+\d{{4}}(?!\d)|\s+\D{{1,{_LONGEST_MONTH}}}?\s+\d{{4}}(?!\d))"
)


def find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every valid date stated in `text`, as (date, start, end) in order of appearance."""
    if text.isascii():
        if not any(digit in text for digit in _ASCII_DIGITS):  # one fast scan per digit, no regex
            return []
    elif any(digit in text for digit in _ARABIC_DIGIT_CHARACTERS):
        text = text.translate(_ARABIC_DIGITS)  # same length, so offsets stay valid
    if not _FOUR_DIGITS.search(text) or not _DATE_SHAPE.search(text):
        return []
    return _dates_in(text)


def _slow_find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """`find_dates` without its pre-checks (what they must never change)."""
    return _dates_in(text.translate(_ARABIC_DIGITS))


def _dates_in(text: str) -> list[tuple[dt.date, int, int]]:
    found = []
    for pattern, order in _PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            if "M" in parts and parts["M"].lower() not in MONTHS:
                continue
            month = MONTHS[parts["M"].lower()] if "M" in parts else int(parts["m"])
            try:
                date = dt.date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
            if 1800 <= date.year <= 2100:
                found.append((date, match.start(), match.end()))
    found.sort(key=lambda item: item[1])
    return found


def find_date(text: str) -> dt.date | None:
    """The first date stated in `text`, if any."""
    dates = find_dates(text)
    return dates[0][0] if dates else None
