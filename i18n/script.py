"""Scripts, writing direction and language guesses for text and paragraphs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from enum import StrEnum


class Direction(StrEnum):
    LTR = "ltr"
    RTL = "rtl"


# Letters of each script (Arabic digits, punctuation and marks belong to no script for our purposes).
_SCRIPT_LETTERS = {
    "latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "greek": "\u0370-\u03ff",
    "cyrillic": "\u0400-\u052f",
    "hebrew": "\u05d0-\u05ea",
    "arabic": "\u0620-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdff\ufe70-\ufefc",
    "kana": "\u3040-\u30ff",
    "cjk": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f",
    "hangul": "\uac00-\ud7af",
}
_SCRIPT_PATTERNS = {name: re.compile(f"[{letters}]") for name, letters in _SCRIPT_LETTERS.items()}
_ANY_LETTER = re.compile("[" + "".join(_SCRIPT_LETTERS.values()) + "]")

# Language codes for the scripts we name a language after; others become "und".
_SCRIPT_LANGUAGE = {"latin": "en", "arabic": "ar", "cjk": "zh", "cyrillic": "ru", "hebrew": "he"}
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")


def script_of(char: str) -> str | None:
    """The script of one character, or None for digits, punctuation, spaces and symbols."""
    for name, pattern in _SCRIPT_PATTERNS.items():
        if pattern.match(char):
            return name
    return None


def script_counts(text: str) -> Counter[str]:
    """How many letters of each script a text holds."""
    counts: Counter[str] = Counter()
    letters = len(_ANY_LETTER.findall(text))
    if not letters:
        return counts
    # Latin and Arabic first: they usually account for every letter, and the other scripts need no scan.
    for name in ("latin", "arabic"):
        found = len(_SCRIPT_PATTERNS[name].findall(text))
        if found:
            counts[name] = found
        letters -= found
    if letters:
        for name, pattern in _SCRIPT_PATTERNS.items():
            if name not in ("latin", "arabic") and (found := len(pattern.findall(text))):
                counts[name] = found
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


def _language_of_counts(counts: Counter[str]) -> str:
    if not counts:
        return "und"
    script, _count = counts.most_common(1)[0]
    return _SCRIPT_LANGUAGE.get(script, "und")


def paragraph_language(text: str) -> str:
    """Language code guessed from the dominant script of a paragraph ("und" when there are no letters)."""
    return _language_of_counts(script_counts(text))


def document_language(text: str, minor_share: float = 0.1) -> str:
    """`en`, `ar`, … for a text in one language; `mixed` when a second language holds a real share.

    Shares are counted per paragraph by letters, so a few foreign words (or a short run of injected
    spam) inside a paragraph do not make the document mixed.
    """
    weights: Counter[str] = Counter()
    for paragraph in split_paragraphs(text):
        counts = script_counts(paragraph)
        language = _language_of_counts(counts)
        if language != "und":
            weights[language] += sum(counts.values())
    if not weights:
        return "und"
    total = sum(weights.values())
    ranked = weights.most_common()
    if len(ranked) > 1 and ranked[1][1] / total >= minor_share:
        return "mixed"
    return ranked[0][0]
