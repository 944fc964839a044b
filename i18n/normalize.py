"""One normaliser for search, applied identically to indexed text and to queries: folding and stemming.

`normalize` folds spelling variants (case, diacritics, Arabic letter forms, digits); `stem` reduces one
folded word to its search term (Arabic light stemming, English Porter2). `index_terms` turns a text into
the terms the index holds; `term_spans` gives the same terms with where each word sits in the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

import snowballstemmer

# Characters folding deletes. A word may contain them (the word pattern below includes them), so a
# word is the same whether folded on its own or inside a whole text.
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
_TATWEEL = "\u0640"
_LATIN_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Invisible format characters: soft hyphen, zero-width (non-)joiners, bidi marks, embeddings and isolates.
_FORMAT = "\u00ad\u061c\u200c-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_DELETED = _ARABIC_MARKS + _TATWEEL + _LATIN_MARKS + _FORMAT
_DELETE = re.compile(f"[{_DELETED}]+")
# Presentation forms may fold to letters (﷼ → ريال), so they belong to words too.
# (Underscores are in \w but separate terms: "a_b" is one word of two terms.)
_WORD = re.compile(f"[\\w{_DELETED}\ufb50-\ufdff\ufe70-\ufefe]+")
_TERM = re.compile(r"\w+")  # on text whose underscores became spaces (a term is [^\W_]+)
WORD_PATTERN = _WORD  # a word of original text; nearly always one term (see `term_spans`)

_LETTER_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ہ": "ه",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ک": "ك",
        # Hamza on a seat is spelled both ways (مسؤول / مسئول, شؤون / شئون): one letter for both.
        "ؤ": "ء",
        "ئ": "ء",
        # Latin letters without a decomposition.
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ħ": "h",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    }
)
_LETTER_FOLDS = tuple((chr(code), folded) for code, folded in _LETTER_FOLD.items())
_COMPAT = re.compile(
    "[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufeff]"
)  # Latin ligatures, Arabic presentation forms


def fold_compatibility(text: str) -> str:
    """Fold Latin ligatures (ﬁ) and Arabic presentation forms back to plain letters."""
    return _COMPAT.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


def _fold_letters(text: str) -> str:
    # No folded letter folds again, so replacing the letters one by one equals str.translate; a search for
    # one character is so fast that this beats both translate and a regex substitution many times over.
    for letter, folded in _LETTER_FOLDS:
        if letter in text:
            text = text.replace(letter, folded)
    return text


def normalize(text: str) -> str:
    """Case-folded, diacritic-free text with Arabic letter variants unified; no stemming.

    Lengths are not kept (use `term_spans` to find words in the original text).
    """
    if text.isascii():  # composition, folding and deletions leave ASCII alone, and casefold is lower
        return text.lower()
    return _slow_normalize(text)


def _slow_normalize(text: str) -> str:
    """`normalize` for any text (what its ASCII shortcut must equal)."""
    text = _fold_letters(fold_compatibility(unicodedata.normalize("NFC", text)).casefold())
    text = _DELETE.sub("", unicodedata.normalize("NFD", text))
    return _fold_letters(unicodedata.normalize("NFC", text))


# ---- Arabic light stemming -----------------------------------------------------------------------
# After Larkey, Ballesteros & Connell's "light10" (2002), on folded text (ة → ه, ى → ي), with the
# single-letter clitics ف ب ك ل added beside و. A clitic is removed only when what is left stems to at
# least `minimum` letters, and what is left is stemmed by the same rules, so a word and its clitic forms
# always share one stem (كتاب, الكتاب, وكتاب). Short words keep their first letter (بحث, لعب, وطن).
# The measurement against over-stemming is in tests/i18n/test_normalize_stemming.py.
ARABIC_CLITIC_MINIMUM = 3  # letters a stem keeps when clitics without the article are removed
ARABIC_ARTICLE_MINIMUM = 2  # ... and when the article (ال) is among them
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_english = snowballstemmer.stemmer("english")


_ARABIC_ARTICLES = ("وال", "فال", "بال", "كال", "ولل", "فلل", "ال", "لل")
_ARABIC_CONJUNCTIONS = ("و", "ف")
_ARABIC_PREPOSITIONS = ("ب", "ك", "ل")


def _strip_arabic_suffixes(word: str) -> str:
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def _arabic_candidates(word: str, after_preposition: bool) -> Iterator[tuple[str, int, bool]]:
    """Clitic prefixes `word` may start with, longest first: (prefix, minimum stem, is a preposition)."""
    for article in _ARABIC_ARTICLES:
        if word.startswith(article):
            # لل is ل + ال, and a word's own ل may have merged into it (للجنة is ل + اللجنة)
            yield article, ARABIC_CLITIC_MINIMUM if article.endswith("لل") else ARABIC_ARTICLE_MINIMUM, False
    first = word[:1]
    if first in _ARABIC_CONJUNCTIONS:
        yield first, ARABIC_CLITIC_MINIMUM, False
    elif first in _ARABIC_PREPOSITIONS and not after_preposition:
        yield first, ARABIC_CLITIC_MINIMUM, True


def _arabic_split(word: str, depth: int = 2, after_preposition: bool = False) -> str:
    """The word without clitic prefixes, each removed only if the stem left keeps its minimum length.

    What is left is analysed by the same rules, so a word and its clitic forms share one stem
    (كتاب, الكتاب, وكتاب; وسائل, الوسائل, بوسائل) — at the price of a few words whose first letter
    only looks like a clitic (كتاب and تاب meet).
    """
    if depth == 0 or len(word) < 3:
        return word
    for prefix, minimum, preposition in _arabic_candidates(word, after_preposition):
        rest = _arabic_split(word[len(prefix) :], depth - 1, preposition)
        if len(_strip_arabic_suffixes(rest)) >= minimum:
            return rest
    return word


def arabic_stem(word: str) -> str:
    """Light stem of one folded Arabic word: clitic prefixes and common suffixes removed."""
    if word.endswith("لله") and len(word) <= 5:
        return "الله"  # الله, لله, والله, بالله: not له (to him)
    return _strip_arabic_suffixes(_arabic_split(word))


def strip_clitics(word: str) -> str:
    """A folded word without its Arabic clitic prefixes (و، ف، ب، ك، ل، ال …); suffixes kept.

    What a typed prefix (`الارهاب*`) is compared with: the start of words, clitics aside.
    """
    if not _ARABIC_LETTER.match(word):
        return word
    return _arabic_split(word)


def _stem_of(term: str) -> str:
    if term.isascii():
        return _english.stemWord(term) if term.isalpha() else term
    if _ARABIC_LETTER.match(term):
        return arabic_stem(term)
    return term


class _Stems(dict):
    """Stems by folded word: a miss computes the stem and keeps it (all are forgotten past a bound)."""

    def __missing__(self, term: str) -> str:
        result = _stem_of(term)
        if len(self) > 500_000:
            self.clear()
        self[term] = result
        return result


_stems = _Stems()
# The search term of one folded word: Arabic light stem, English (Porter2) stem, else itself. The cache's
# own lookup, so `map(stem, words)` runs no Python frame for a word already seen.
stem: Callable[[str], str] = _stems.__getitem__


# ---- texts to terms ------------------------------------------------------------------------------
# In ASCII the words are runs of [a-z0-9] once upper case is lowered (\w is [A-Za-z0-9_] there).
_ASCII_WORD_BYTES = bytes(
    code + 32 if 65 <= code <= 90 else code if 97 <= code <= 122 or 48 <= code <= 57 else 32
    for code in range(256)
)
_CACHED_PIECE_LENGTH = 40  # longer pieces are folded each time (a hostile text may be one huge piece)
_CACHED_PIECES = 100_000  # ≈ 20 MB of Arabic words when full
_PIECES_PER_BLOCK = 2048  # a longer text is looked up by blocks while the cache serves it well


class _PieceCache(dict):
    """What `fold` gives for a piece of text without white space (its words, or its terms), joined by
    spaces ("" for none). Pieces repeat (they are mostly single words), so folding a text is mostly
    lookups."""

    def __init__(self, fold) -> None:
        super().__init__()
        self.fold = fold
        self.misses = 0
        self.new: list[str] | None = None  # pieces folded anew are added here (see `record_new_pieces`)

    def __missing__(self, piece: str) -> str:
        self.misses += 1
        if self.new is not None:
            self.new.append(piece)
        folded = " ".join(self.fold(piece))
        if len(piece) <= _CACHED_PIECE_LENGTH:
            if len(self) > _CACHED_PIECES:
                self.clear()
            self[piece] = folded
        return folded

    def by_blocks(self, pieces: list[str], block: int) -> str:
        """The pieces' values joined by spaces, looked up block by block while the cache mostly hits.

        Folding a piece alone costs several lookups' worth, and several times its share of folding the
        text whole; a text of rare or unique words (a word list, random bytes) is folded whole from the
        first block whose pieces were mostly new.
        """
        parts = []
        for start in range(0, len(pieces), block):
            misses = self.misses
            parts.append(" ".join(filter(None, map(self.__getitem__, pieces[start : start + block]))))
            if self.misses - misses > block // 8:
                rest = pieces[start + block :]
                if self.new is not None:
                    self.new += rest
                parts.append(" ".join(self.fold(" ".join(rest))))
                break
        return " ".join(filter(None, parts))


_piece_words = _PieceCache(lambda piece: _slow_folded_words(piece))


def folded_words(text: str) -> list[str]:
    """The words of a text after folding, in order (each gives one term through `stem`)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES).decode("ascii").split()
    # White space is in no word and every white-space character normalises on its own, whatever stands
    # beside it (checked for every character; tests/archive/test_fast_paths.py keeps checking), so a text's words
    # are the words of its pieces between white space, in order.
    pieces = text.split()
    if len(pieces) <= _PIECES_PER_BLOCK:
        return " ".join(map(_piece_words.__getitem__, pieces)).split()
    return _folded_words_of_pieces(pieces)


def _folded_words_of_pieces(pieces: list[str], block: int = _PIECES_PER_BLOCK) -> list[str]:
    """The words of a long text's pieces (see `_PieceCache.by_blocks`)."""
    return _piece_words.by_blocks(pieces, block).split()


def _slow_folded_words(text: str) -> list[str]:
    """`folded_words` for any text, folded whole (what its shortcuts must equal)."""
    return _TERM.findall(normalize(text).replace("_", " "))


def index_terms(text: str) -> list[str]:
    """The search terms of a text, in order (what the index holds and what a query is made of)."""
    return list(map(stem, folded_words(text)))


def index_text(text: str) -> str:
    """`index_terms` joined by spaces, ready for the full-text index."""
    return index_text_of_pieces(text.split())


# A text's index text is one lookup per piece, with no list of its words in between.
_piece_terms = _PieceCache(lambda piece: map(stem, _slow_folded_words(piece)))


def index_text_of_pieces(pieces: list[str], block: int = _PIECES_PER_BLOCK) -> str:
    """`index_text` of the text whose pieces (`text.split()`) these are (for a caller that has them).

    Like `folded_words`, a long text is looked up by blocks while the cache serves it well, and the rest
    folded whole from the first block whose pieces were mostly new.
    """
    if len(pieces) <= block:
        return " ".join(filter(None, map(_piece_terms.__getitem__, pieces)))
    return _piece_terms.by_blocks(pieces, block)


def record_new_pieces(on: bool = True) -> list[str]:
    """Forget the pieces `index_text` knows and, while `on`, add each piece it then folds anew (not found
    in its cache) to the list returned: every piece it meets from now on is in that list at least once.
    For a process that must tell the words it meets for the first time (an import worker: the words of
    an import's prefix lexicon), at the cost of a lookup it makes anyway."""
    _piece_terms.clear()
    new: list[str] = []
    _piece_terms.new = new if on else None
    return new


def _slow_index_text(text: str) -> str:
    """`index_text` from the text's words (what its cache of pieces must equal)."""
    return " ".join(map(stem, _slow_folded_words(text)))


_word_terms: dict[str, tuple[str, ...]] = {}


def word_terms(word: str) -> tuple[str, ...]:
    """The terms of one original word (usually one; a ligature such as ﷺ gives several)."""
    cached = _word_terms.get(word)
    if cached is None:
        cached = tuple(stem(term) for term in folded_words(word))
        if len(_word_terms) > 200_000:
            _word_terms.clear()
        _word_terms[word] = cached
    return cached


def term_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Each term of `text` with the span (start, end) of its word in `text` itself.

    The terms are exactly `index_terms(text)`; the spans are in the original, unnormalised text, so a
    match can be marked even where folding changed lengths (ﻻ, é written as e + ́, tashkeel).
    """
    for match in _WORD.finditer(text):
        start, end = match.span()
        for term in word_terms(match.group()):
            yield term, start, end
