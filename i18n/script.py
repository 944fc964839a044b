"""Scripts, writing direction and language guesses for text and paragraphs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from enum import StrEnum

from qirtas.i18n.language import (
    MOST_VOTES,
    VOTE_BITS,
    arabic_language,
    cyrillic_language,
    latin_language,
    word_votes,
)


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
_ASCII_LETTER_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Language codes of the scripts that are written by one language here (Latin, Arabic and Cyrillic paragraphs
# are told apart by their words, see `i18n.language`); others become "und".
_SCRIPT_LANGUAGE = {"cjk": "zh", "kana": "ja", "hangul": "ko", "greek": "el", "hebrew": "he"}
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


def _language_of_counts(counts: Counter[str], text: str, votes: int, words: int) -> str:
    """The language of a paragraph from its letters by script and its words' votes (`word_votes`)."""
    if not counts:
        return "und"
    script, _count = counts.most_common(1)[0]
    if script == "latin":
        return latin_language(votes, words)
    if script == "arabic":
        return arabic_language(votes)
    if script == "cyrillic":
        return cyrillic_language(text)
    if script == "cjk" and counts["kana"]:
        return "ja"
    return _SCRIPT_LANGUAGE.get(script, "und")


def in_arabic_script(text: str) -> bool:
    """Whether a short text (a name) is written in Arabic letters more than any other: its place is a
    tag's Arabic name, whatever language those letters spell (Arabic, Persian, Urdu)."""
    counts = script_counts(text)
    return bool(counts) and counts.most_common(1)[0][0] == "arabic"


def paragraph_language(text: str) -> str:
    """Language code of a paragraph: its leading script, and within Latin and Arabic script its words
    (`en`, `fr`, `es` …; `ar`, `fa`, `ur`); "und" when it has no letters or an unknown language."""
    pieces = text.split()
    *_letters, votes = _paragraph_sums(pieces)
    return _language_of_counts(script_counts(text), text, votes, len(pieces))


def document_language(text: str, minor_share: float = 0.1) -> str:
    """`en`, `ar`, `fr`, … for a text in one language; `mixed` when a second language holds a real share.

    Shares are counted per paragraph by letters, so a few foreign words (or a short run of injected
    spam) inside a paragraph do not make the document mixed.
    """
    return _language_by_paragraphs(text, minor_share)


def _slow_document_language(text: str, minor_share: float = 0.1) -> str:
    """`document_language` without its shortcuts: what the fast one must always equal."""

    def weight(paragraph: str) -> tuple[str, int]:
        counts = _slow_script_counts(paragraph)
        pieces = paragraph.split()
        votes = sum(map(word_votes, pieces))
        return _language_of_counts(counts, paragraph, votes, len(pieces)), sum(counts.values())

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


# The letters of a word and its votes for a language (`i18n.language.word_votes`), packed in one int:
# Latin letters, English votes << 40, Arabic letters << 64, Arabic votes << 104, other scripts << 128,
# other votes << 168. Words repeat, so a paragraph's letters and votes are mostly dictionary hits summed
# in C rather than a regex pass over each letter; an English paragraph's sum fits the 63 bits `sum` adds
# without making an int object at each step, and an Arabic one's stays within 128 bits (wider ints, with
# every vote above the letters, made English texts' language cost 40 % more than before votes).
_FIELD = 40
_LATIN_MASK = (1 << _FIELD) - 1
_VOTE_MASK = (1 << 24) - 1  # English and Arabic votes, summed in chunks small enough never to overflow
_ENGLISH_AT, _ARABIC_AT, _ARABIC_VOTES_AT, _OTHER_AT, _VOTES_AT = 40, 64, 104, 128, 168
_SUMMED_AT_ONCE = _VOTE_MASK // MOST_VOTES  # pieces
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
            packed = latin | arabic << _ARABIC_AT | (len(letters) - latin - arabic) << _OTHER_AT
        votes = word_votes(word)  # English, Arabic, then the others, in fields of `VOTE_BITS`
        packed |= (
            (votes & _VOTE_MASK) << _ENGLISH_AT
            | (votes >> VOTE_BITS & _VOTE_MASK) << _ARABIC_VOTES_AT
            | votes >> 2 * VOTE_BITS << _VOTES_AT
        )
        if len(word) <= _CACHED_WORD_LENGTH:
            if len(self) >= _CACHED_WORDS:
                self.clear()
            self[word] = packed
        return packed


_word_letters = _WordLetters()


def _unpacked(packed: int) -> tuple[int, int, int, int]:
    """(Latin letters, Arabic letters, other letters, votes packed as `word_votes` packs them) of a sum of
    `_word_letters` values."""
    return (
        packed & _LATIN_MASK,
        packed >> _ARABIC_AT & _LATIN_MASK,
        packed >> _OTHER_AT & _LATIN_MASK,
        (packed >> _ENGLISH_AT & _VOTE_MASK)
        | (packed >> _ARABIC_VOTES_AT & _VOTE_MASK) << VOTE_BITS
        | packed >> _VOTES_AT << 2 * VOTE_BITS,
    )


def _paragraph_sums(pieces: list[str]) -> tuple[int, int, int, int]:
    """`_unpacked` of a paragraph's pieces, summed in chunks that cannot overflow a field."""
    if len(pieces) <= _SUMMED_AT_ONCE:
        return _unpacked(sum(map(_word_letters.__getitem__, pieces)))
    chunks = [pieces[start : start + _SUMMED_AT_ONCE] for start in range(0, len(pieces), _SUMMED_AT_ONCE)]
    sums = [_unpacked(sum(map(_word_letters.__getitem__, chunk))) for chunk in chunks]
    # each chunk's votes fill under 24 bits of their fields of VOTE_BITS: they add up without overflow
    latin, arabic, other, votes = (sum(values) for values in zip(*sums, strict=True))
    return latin, arabic, other, votes


def _language_of_one_script(pieces: list[str]) -> str | None:
    """The language of a text whose letters are all Latin or all Arabic and whose words vote for English
    or Arabic only (most texts), from one sum: what its paragraphs would give one by one. None for others."""
    if len(pieces) > _SUMMED_AT_ONCE:
        return None
    latin, arabic, other, votes = _unpacked(sum(map(_word_letters.__getitem__, pieces)))
    if other or votes >> 2 * VOTE_BITS or (latin and arabic):
        return None
    if arabic:
        return "ar"  # no vote for Persian or Urdu: every paragraph is Arabic
    if not latin:
        return "und"
    # Every paragraph is English or unknown (≥ 15 words and under a tenth English function words): with
    # a tenth of the whole text's words English function words, one paragraph at least is English.
    return "en" if (votes & _VOTE_MASK) * 10 >= len(pieces) else None


def _language_by_paragraphs(text: str, minor_share: float) -> str:
    """What `_slow_document_language` gives, from the letters of each word (cached) summed by paragraph."""
    language = None
    if text.isascii():  # mostly English throughout, which one sum over its pieces says
        everything = text.split()
        language = _language_of_one_script(everything)
    if language is None:
        weights, everything = _paragraph_weights(text)
        language = _language_of_weights(weights, minor_share)
    if len(text) <= _REMEMBERED_TEXT:
        _last_pieces[:] = [(text, everything)]
        _last_language[:] = [(everything, language)]
    else:
        _last_language.clear()
    return language


def _paragraph_weights(text: str) -> tuple[Counter[str], list[str]]:
    """Letters by the language of their paragraph, and the pieces of the text (`text.split()`)."""
    weights: Counter[str] = Counter()
    everything: list[str] = []
    # Paragraphs as `split_paragraphs` cuts them: stripping and blank ones change no count of letters.
    for paragraph in _PARAGRAPH_SPLIT.split(text):
        pieces = paragraph.split()
        everything += pieces  # paragraphs part at white space only: together, the pieces of the text
        if len(pieces) <= _SUMMED_AT_ONCE:  # `_paragraph_sums` without its calls: most paragraphs
            packed = sum(map(_word_letters.__getitem__, pieces))
            latin, arabic = packed & _LATIN_MASK, packed >> _ARABIC_AT & _LATIN_MASK
            other = packed >> _OTHER_AT & _LATIN_MASK
            votes = (
                (packed >> _ENGLISH_AT & _VOTE_MASK)
                | (packed >> _ARABIC_VOTES_AT & _VOTE_MASK) << VOTE_BITS
                | packed >> _VOTES_AT << 2 * VOTE_BITS
            )
        else:
            latin, arabic, other, votes = _paragraph_sums(pieces)
        if not (latin or arabic or other):  # votes without a letter (a lone non-joiner) name no language
            continue
        if other and other >= max(latin, arabic):  # another script may lead: count the paragraph in full
            counts = script_counts(paragraph)
            language = _language_of_counts(counts, paragraph, votes, len(pieces))
            if language != "und":
                weights[language] += sum(counts.values())
            continue
        # Latin or Arabic leads (a tie goes to Latin, as in script_counts), with every letter
        language = latin_language(votes, len(pieces)) if latin >= arabic else arabic_language(votes)
        if language != "und":
            weights[language] += latin + arabic + other
    return weights, everything


# The pieces of the last text `_language_by_paragraphs` counted, for `text_pieces` to hand on once: an
# import worker folds the same text for the index right after, and splitting it and hashing its pieces
# again cost a tenth of that.
_last_pieces: list[tuple[str, list[str]]] = []
_REMEMBERED_TEXT = 1 << 20  # characters: the pieces of a longer text are not kept


# ... and the language it found for them, for the index to stem them by (`remembered_language`).
_last_language: list[tuple[list[str], str]] = []


def remembered_language(pieces: list[str]) -> str | None:
    """The language `document_language` found for the text whose pieces `text_pieces` handed on as this
    very list, if it was the last text it counted; else None."""
    if _last_language and _last_language[0][0] is pieces:
        return _last_language[0][1]
    return None


def counted_language(text: str) -> str | None:
    """The language `document_language` found for this very text if it was the last it counted."""
    if _last_pieces and _last_pieces[0][0] is text:
        return remembered_language(_last_pieces[0][1])
    return None


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


def shows_a_name(*names: str) -> bool:
    """Whether one of a tag's names (English, Arabic) shows something: what a tag dialog may accept."""
    return not all(map(shows_nothing, names))
