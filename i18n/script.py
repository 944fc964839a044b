"""Scripts, writing direction and language guesses for text and paragraphs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
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
# Counting by deleting what is not counted: one pass that builds a string per run, not a list per letter.
_NOT_A_LETTER = re.compile("[^" + "".join(_SCRIPT_LETTERS.values()) + "]+")
_NOT_OF_SCRIPT = {name: re.compile(f"[^{letters}]+") for name, letters in _SCRIPT_LETTERS.items()}
_NEITHER_LATIN_NOR_ARABIC = re.compile(f"[^{_SCRIPT_LETTERS['latin']}{_SCRIPT_LETTERS['arabic']}]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_ASCII_LETTER_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

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
    if text.isascii():  # the only letters are A-Z and a-z
        ascii_bytes = text.encode("ascii")
        if found := len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_LETTER_BYTES)):
            counts["latin"] = found
        return counts
    letters = _NOT_A_LETTER.sub("", text)  # the scripts do not overlap: each letter counts once
    if not letters:
        return counts
    # Latin and Arabic first (in this order, which decides ties): they usually account for every letter.
    if latin := len(_NOT_OF_SCRIPT["latin"].sub("", letters)):
        counts["latin"] = latin
    if latin == len(letters):
        return counts
    if not _NEITHER_LATIN_NOR_ARABIC.search(letters):
        counts["arabic"] = len(letters) - latin
        return counts
    if arabic := len(_NOT_OF_SCRIPT["arabic"].sub("", letters)):
        counts["arabic"] = arabic
    for name, pattern in _NOT_OF_SCRIPT.items():
        if name not in ("latin", "arabic") and (found := len(pattern.sub("", letters))):
            counts[name] = found
    return counts


def _slow_script_counts(text: str) -> Counter[str]:
    """`script_counts` as first written (one letter at a time): what the fast one must always equal."""
    counts: Counter[str] = Counter()
    letters = len(_ANY_LETTER.findall(text))
    if not letters:
        return counts
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
    if text.isascii():  # every paragraph with a letter is English
        return "en" if _ASCII_LETTER.search(text) else "und"
    return _language_by_paragraphs(text, minor_share)


def _slow_document_language(text: str, minor_share: float = 0.1) -> str:
    """`document_language` without its shortcuts: what the fast one must always equal."""

    def weight(paragraph: str) -> tuple[str, int]:
        counts = _slow_script_counts(paragraph)
        return _language_of_counts(counts), sum(counts.values())

    return _language_of_paragraphs(text, minor_share, weight)


def _language_of_paragraphs(text: str, minor_share: float, weight: Callable[[str], tuple[str, int]]) -> str:
    weights: Counter[str] = Counter()
    for paragraph in split_paragraphs(text):
        language, letters = weight(paragraph)
        if language != "und":
            weights[language] += letters
    return _language_of_weights(weights, minor_share)


def _language_of_weights(weights: Counter[str], minor_share: float) -> str:
    if not weights:
        return "und"
    total = sum(weights.values())
    ranked = weights.most_common()
    if len(ranked) > 1 and ranked[1][1] / total >= minor_share:
        return "mixed"
    return ranked[0][0]


# The letters of a word, packed in one int: Latin + Arabic << 40 + other scripts << 80. Words repeat, so
# a paragraph's letters are mostly dictionary hits summed in C rather than a regex pass over each letter.
_FIELD = 40
_LATIN_MASK = (1 << _FIELD) - 1
_CACHED_WORD_LENGTH = 40  # longer words are counted each time (a hostile text could be one huge word)
_CACHED_WORDS = 100_000  # ≈ 15 MB of Arabic words when full


class _WordLetters(dict):
    def __missing__(self, word: str) -> int:  # script_counts, lean: a text of unique words comes here often
        if word.isascii():
            ascii_bytes = word.encode("ascii")
            packed = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_LETTER_BYTES))
        else:
            letters = _NOT_A_LETTER.sub("", word)
            latin = len(_NOT_OF_SCRIPT["latin"].sub("", letters))
            arabic = len(letters) - latin
            if arabic and _NEITHER_LATIN_NOR_ARABIC.search(letters):
                arabic = len(_NOT_OF_SCRIPT["arabic"].sub("", letters))
            packed = latin | arabic << _FIELD | (len(letters) - latin - arabic) << 2 * _FIELD
        if len(word) <= _CACHED_WORD_LENGTH:
            if len(self) >= _CACHED_WORDS:
                self.clear()
            self[word] = packed
        return packed


_word_letters = _WordLetters()


def _language_by_paragraphs(text: str, minor_share: float) -> str:
    """What `_slow_document_language` gives, from the letters of each word (cached) summed by paragraph."""
    weights: Counter[str] = Counter()
    everything: list[str] = []
    # Paragraphs as `split_paragraphs` cuts them: stripping and blank ones change no count of letters.
    for paragraph in _PARAGRAPH_SPLIT.split(text):
        pieces = paragraph.split()
        everything += pieces  # paragraphs part at white space only: together, the pieces of the text
        packed = sum(map(_word_letters.__getitem__, pieces))
        if not packed:
            continue
        latin, arabic, other = packed & _LATIN_MASK, packed >> _FIELD & _LATIN_MASK, packed >> 2 * _FIELD
        if other and other >= max(latin, arabic):  # another script may lead: count the paragraph in full
            counts = script_counts(paragraph)
            language = _language_of_counts(counts)
            if language != "und":
                weights[language] += sum(counts.values())
        else:  # Latin or Arabic leads (a tie goes to Latin, as in script_counts), with every letter
            weights["en" if latin >= arabic else "ar"] += latin + arabic + other
    if len(text) <= _REMEMBERED_TEXT:
        _last_pieces[:] = [(text, everything)]
    return _language_of_weights(weights, minor_share)


# The pieces of the last text `_language_by_paragraphs` counted, for `text_pieces` to hand on once: an
# import worker folds the same text for the index right after, and splitting it and hashing its pieces
# again cost a tenth of that.
_last_pieces: list[tuple[str, list[str]]] = []
_REMEMBERED_TEXT = 1 << 20  # characters: the pieces of a longer text are not kept


def text_pieces(text: str) -> list[str]:
    """`text.split()`; the list `document_language` made if this very text was the last it counted."""
    if _last_pieces:
        counted, pieces = _last_pieces.pop()
        if counted is text:
            return pieces
    return text.split()


# Characters that show nothing alone: spaces, format characters (zero-width space, joiners, BOM, bidi
# marks and controls), controls, lone combining marks, and the letters that are drawn as blanks.
_INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"}
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"}


def shows_nothing(name: str) -> bool:
    """True for a name made only of spaces and invisible characters (it would look like no name)."""
    return all(
        char.isspace() or char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        for char in name
    )
