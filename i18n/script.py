"""Scripts, writing direction and language guesses for text and paragraphs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from enum import StrEnum


class Direction(StrEnum):
    LTR = "ltr"
    RTL = "rtl"


_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "latin"),
    (0x0061, 0x007A, "latin"),
    (0x00C0, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x3040, 0x30FF, "kana"),
    (0x3400, 0x4DBF, "cjk"),
    (0x4E00, 0x9FFF, "cjk"),
    (0xF900, 0xFAFF, "cjk"),
    (0x20000, 0x2FA1F, "cjk"),
    (0xAC00, 0xD7AF, "hangul"),
)

# Language codes for the scripts we name a language after; others become "und".
_SCRIPT_LANGUAGE = {"latin": "en", "arabic": "ar", "cjk": "zh", "cyrillic": "ru", "hebrew": "he"}
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")


def script_of(char: str) -> str | None:
    """The script of one character, or None for digits, punctuation, spaces and symbols."""
    code = ord(char)
    for low, high, name in _RANGES:
        if low <= code <= high:
            if name == "arabic" and not char.isalpha():
                return None  # Arabic punctuation and digits belong to no script for our purposes
            return name
    return None


def script_counts(text: str) -> Counter[str]:
    """How many letters of each script a text holds."""
    counts: Counter[str] = Counter()
    for char in text:
        name = script_of(char)
        if name:
            counts[name] += 1
    return counts


def paragraph_direction(text: str, default: Direction = Direction.LTR) -> Direction:
    """Direction of a paragraph from its first strong character (Unicode bidi rules P2–P3)."""
    for char in text:
        bidi = unicodedata.bidirectional(char)
        if bidi == "L":
            return Direction.LTR
        if bidi in ("R", "AL"):
            return Direction.RTL
    return default


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a stored text (separated by blank lines), without empty ones."""
    return [p.strip("\n") for p in _PARAGRAPH_SPLIT.split(text) if p.strip()]


def paragraph_language(text: str) -> str:
    """Language code guessed from the dominant script of a paragraph ("und" when there are no letters)."""
    counts = script_counts(text)
    if not counts:
        return "und"
    script, _count = counts.most_common(1)[0]
    return _SCRIPT_LANGUAGE.get(script, "und")


def document_language(text: str, minor_share: float = 0.1) -> str:
    """`en`, `ar`, … for a text in one language; `mixed` when a second language holds a real share.

    Shares are counted per paragraph by letters, so a few foreign words (or a short run of injected
    spam) inside a paragraph do not make the document mixed.
    """
    weights: Counter[str] = Counter()
    for paragraph in split_paragraphs(text):
        language = paragraph_language(paragraph)
        if language != "und":
            weights[language] += sum(script_counts(paragraph).values())
    if not weights:
        return "und"
    total = sum(weights.values())
    ranked = weights.most_common()
    if len(ranked) > 1 and ranked[1][1] / total >= minor_share:
        return "mixed"
    return ranked[0][0]
