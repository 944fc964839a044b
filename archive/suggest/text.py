"""Finding phrases in stored text for tag suggestions: folded matching with offsets kept, evidence excerpts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TASHKEEL = set("\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a\u0640\u0670") | {
    chr(c) for c in (*range(0x064B, 0x0660), *range(0x06D6, 0x06EE))
}
# Invisible characters inside a word (soft hyphen, zero-width space and joiners, bidi marks) hide a name
# from matching: "عمّ\u200cان" is still Amman.
_INVISIBLE = {
    chr(c)
    for c in (0xAD, 0x61C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x206A), 0xFEFF)
}
# ڤ writes a v in Arabic (ڤيينا is فيينا). Persian's own letters stay apart: folded, Persian words read as
# Arabic names (اروپا "Europe" as أروبا Aruba, مالی "financial" as مالي Mali).
_LETTER_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ڤ": "ف",
    "’": "'",
    "‘": "'",
    "`": "'",
}
_ARABIC_PREFIX = "(?:[وف]?[بكل]?)"  # wa-, fa-, bi-, ka-, li- before a name
_SENTENCE_END = re.compile(r"[.!?؟؛\n]+(?=\s|$)|\n")


def fold_char(char: str) -> str:
    """One character as matching sees it: case-folded, Latin accents and Arabic diacritics dropped,
    hamza forms, teh marbuta and alef maksura unified, presentation forms and ligatures folded."""
    if char in _TASHKEEL or char in _INVISIBLE:
        return ""
    code = ord(char)
    if 0xFB00 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFC:
        char = unicodedata.normalize("NFKC", char)
    out = []
    for piece in char:
        piece = _LETTER_FOLD.get(piece, piece).casefold()
        if code < 0x0590:
            piece = "".join(c for c in unicodedata.normalize("NFD", piece) if not unicodedata.combining(c))
        out.append(piece)
    return "".join(out)


def _fold_table() -> dict[int, str]:
    """fold_char for every character that changes, for str.translate."""
    ranges = (range(0x41, 0x5B), range(0xC0, 0x250), range(0x370, 0x530), range(0x600, 0x700),
              range(0x1E00, 0x1F00), range(0x2018, 0x201A), range(0xFB00, 0xFE00), range(0xFE70, 0xFEFD),
              sorted(map(ord, _INVISIBLE)))  # fmt: skip
    table = {}
    for block in ranges:
        for code in block:
            folded = fold_char(chr(code))
            if folded != chr(code):
                table[code] = folded
    table[ord("`")] = "'"
    return table


_FOLD = _fold_table()
_UNEVEN = re.compile(
    "[" + "".join(re.escape(chr(c)) for c, folded in _FOLD.items() if len(folded) != 1) + "]"
)


def fold_phrase(phrase: str) -> str:
    return phrase.strip().translate(_FOLD)


@dataclass
class FoldedText:
    """A text folded for matching, with each folded character's offset in the original."""

    original: str
    folded: str
    origin: list[int] | None  # None when every character folds to exactly one

    @classmethod
    def of(cls, text: str) -> FoldedText:
        folded = text.translate(_FOLD)
        if len(folded) == len(text) and not _UNEVEN.search(text):
            return cls(text, folded, None)
        origin: list[int] = []
        position = 0
        for match in _UNEVEN.finditer(text):
            origin.extend(range(position, match.start()))
            origin.extend([match.start()] * len(_FOLD[ord(match.group())]))
            position = match.end()
        origin.extend(range(position, len(text)))
        origin.append(len(text))
        return cls(text, folded, origin)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original (start, end) of a folded span."""
        if self.origin is None:
            return start, end
        return self.origin[start], (self.origin[end - 1] + 1) if end > start else self.origin[start]


_HARAKAT = set("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")


def arabic_marks(word: str) -> dict[int, set[str]]:
    """The harakat and shadda of a written name, by the letter they sit on: عمّان → {1: {shadda}}."""
    marks: dict[int, set[str]] = {}
    letter = -1
    for char in word:
        if char in _HARAKAT:
            marks.setdefault(letter, set()).add(char)
        elif fold_char(char):
            letter += 1
    return marks


def marks_agree(written: dict[int, set[str]], name: dict[int, set[str]]) -> int:
    """How well a mention's marks fit a name's: +1 for each mark both have, -1 for each letter they
    mark differently (عَمّان fits عمّان, Amman, and not عُمان, Oman); 0 when either is unmarked."""
    score = 0
    for letter, marks in written.items():
        if letter in name:
            shared = len(marks & name[letter])
            score += shared if shared else -1
    return score


def is_arabic(phrase: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in phrase)


def _trie_regex(phrases: set[str]) -> str:
    """An alternation of many phrases as a trie (shared prefixes once), preferring the longest match."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
        return body

    return build(trie)


def phrase_pattern(folded_phrases: list[str]) -> re.Pattern:
    """One regex finding any of the (already folded) phrases as whole words, longest first.

    Arabic phrases also match behind the clitics و ف ب ك ل, and ال… behind لل (للصين = ل + الصين).
    The matched phrase is group "core" (or "coreal" for the لل form, whose ال is dropped).
    """
    phrases = set(filter(None, folded_phrases))
    plain = _trie_regex(phrases)
    with_article = _trie_regex({p[2:] for p in phrases if p.startswith("ال") and len(p) > 3})
    alternatives = [rf"{_ARABIC_PREFIX}(?P<core>{plain})"]
    if with_article:
        alternatives.insert(0, rf"[وف]?لل(?P<coreal>{with_article})")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


@dataclass
class PhraseHit:
    phrase: str  # the folded phrase that matched (ال restored)
    start: int  # original offsets of the phrase itself
    end: int

    def text(self, original: str) -> str:
        return original[self.start : self.end]


def find_phrases(folded: FoldedText, pattern: re.Pattern) -> list[PhraseHit]:
    hits = []
    for match in pattern.finditer(folded.folded):
        if match.group("core") is not None:
            phrase, (start, end) = match.group("core"), match.span("core")
        else:
            phrase, (start, end) = "ال" + match.group("coreal"), match.span("coreal")
        hits.append(PhraseHit(phrase, *folded.span(start, end)))
    return hits


def looks_like_name(original: str, alias: str) -> bool:
    """An English match must look like a name: capitalised, or exactly as written for acronyms (UAE)."""
    if is_arabic(alias) or not original[:1].isalpha():
        return True
    letters = [c for c in alias if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 5:
        return original == alias
    return original[:1].isupper()


_NAME_LEADERS = {"The", "In", "From", "Of", "And", "To", "At", "For", "With", "By", "On", "Both", "Including",
                 "Between", "Across", "Inside", "Outside", "Near", "Visit", "Via", "Than", "Like"}  # fmt: skip


_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Madam|Mme|Mx)\.?[ \t]+$")
_NEXT_NAME = re.compile(r"[ \t]+([A-Z][a-z]+)\b")


def _title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z]{4,}", line)]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.85


def part_of_a_name(text: str, start: int, end: int | None = None, single_word: bool = False) -> bool:
    """Whether an English place is part of a longer name rather than the place: after a first name or an
    honorific ('George Washington', 'Mr. Jordan'), or, for a one-word place, before a capitalised word
    ('Chad Johnson', 'Paris Agreement', 'Kenya Airways') — except in a title-case headline."""
    before = text[max(0, start - 40) : start]
    if _HONORIFIC.search(before):
        return True
    match = re.search(r"([A-Z][a-z]+)[ \t]+$", before)
    if match and match.group(1) not in _NAME_LEADERS:
        preceding = before[: match.start(1)].rstrip(" \t")
        if preceding and preceding[-1] not in '.!?:;\n"“”«(*-–—,':
            return True
    if single_word and end is not None:
        following = _NEXT_NAME.match(text, end)
        if following and following.group(1) not in _NAME_LEADERS:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            return not _title_case(text[line_start : line_end if line_end >= 0 else len(text)])
    return False


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around text[start:end]."""
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    found = _SENTENCE_END.search(text, end)
    right = found.start() + (1 if found and text[found.start()] in ".!?؟" else 0) if found else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


def excerpt(text: str, start: int, end: int, width: int = 90) -> str:
    """The sentence around a match, cut to about `width` characters each side, one line."""
    left, right = sentence_bounds(text, start, end)
    prefix, suffix = "", ""
    if start - left > width:
        left = start - width
        left = text.find(" ", left, start) + 1 or left
        prefix = "…"
    if right - end > width:
        right = end + width
        right = text.rfind(" ", end, right) if text.rfind(" ", end, right) > end else right
        suffix = "…"
    return prefix + " ".join(text[left:right].split()) + suffix
