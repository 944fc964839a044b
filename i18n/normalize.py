"""One normaliser for search, applied identically to indexed text and to queries: folding and stemming.

`normalize` folds spelling variants (case, diacritics, Arabic letter forms, digits); `stem` reduces one
folded word to its search term (Arabic light stemming, English Porter2). `index_terms` turns a text into
the terms the index holds; `term_spans` gives the same terms with where each word sits in the original.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

import snowballstemmer
from qirtas.i18n.script import remembered_language

# Characters folding deletes. A word may contain them (the word pattern below includes them), so a
# word is the same whether folded on its own or inside a whole text.
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
_TATWEEL = "\u0640"
_LATIN_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Invisible format characters: soft hyphen, zero-width space and (non-)joiners, word joiner, bidi marks,
# embeddings and isolates, the Mongolian vowel separator, deprecated format controls, interlinear
# annotation marks; variation selectors; and the Hangul fillers that are drawn as blanks. Inside a word
# they hide it from search (`extre\u200bmism`): folding deletes them. (Only characters of the Basic
# Multilingual Plane: one beyond it in a class of characters made matching words 10 % slower.)
_FORMAT = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ufe00-\ufe0f\u3164\uffa0"
)
_DELETED = _ARABIC_MARKS + _TATWEEL + _LATIN_MARKS + _FORMAT
_DELETE = re.compile(f"[{_DELETED}]+")
# Presentation forms may fold to letters (﷼ → ريال), so they belong to words too.
# (Underscores are in \w but separate terms: "a_b" is one word of two terms.)
# A run of Chinese characters is a word of its own, even beside other letters (联合国UNDP is two words):
# it gives several terms (see `_han_terms`), which `word_numbers` can tell from the terms alone.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # (beyond the BMP, the rare ones are letters as before)
WORD_CLASS = f"\\w{_DELETED}\ufb50-\ufdff\ufe70-\ufefe"  # what words are made of
# (Alternatives of runs, not of characters: a word is matched several times faster.)
_WORD = re.compile(
    f"[{_HAN}]++(?:[{_DELETED}]++[{_HAN}]*+)*+|(?:[^\\W{_HAN}]++|[{_DELETED}\ufb50-\ufdff\ufe70-\ufefe]++)++"
)
_TERM = re.compile(r"\w+")  # on text whose underscores became spaces (a term is [^\W_]+) ...
_HAN_TERM = re.compile(f"[{_HAN}]+|[^\\W{_HAN}]+")  # ... or holding Chinese (kept apart from other letters)
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
        # Persian and Urdu spellings of heh and teh marbuta (ە, ھ, ۃ), as ی and ک below
        "ە": "ه",
        "ھ": "ه",
        "ۃ": "ه",
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


# ---- the stemming of each language ---------------------------------------------------------------
# A word's stem depends on its script wherever it is: Latin → English (Porter2), Arabic script → Arabic
# light stem, Cyrillic → Russian (Snowball), Chinese → overlapping pairs of characters (below). The
# texts of a French, Spanish, Persian or Urdu document are stemmed by their own language instead
# (`STEMMINGS`); a query is looked up in each stemming the archive's documents have (`query_stemmings`).
# Made when first needed: each is a module to import, and an import worker starts with none (7 ms).
_snowball = functools.cache(snowballstemmer.stemmer)
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
_LATIN_WORD = re.compile("[a-z\u00df-\u024f]+")  # a folded Latin word: lower case, no digits
_HAS_HAN = re.compile(f"[{_HAN}]")

DEFAULT = "default"
# The stemming of a document's text by its language (titles, and texts in other languages: DEFAULT).
STEMMINGS = {"fr": "fr", "es": "es", "fa": "plain", "ur": "plain"}


def stemming_of(language: str | None) -> str:
    """The stemming a text in `language` is indexed with (`DEFAULT` for most languages)."""
    return STEMMINGS.get(language or "", DEFAULT)


def _han_terms(run: str, last: bool = True) -> list[str]:
    """A run of Chinese characters as overlapping pairs (互联网 → 互联 联网), so that a word inside the
    run is found as the phrase of its pairs; with `last`, the run's last character alone too (网), so a
    search for one character finds every place it stands as the prefix of a term (see `query_terms`)."""
    if len(run) == 1:
        return [run]
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    return [*pairs, run[-1]] if last else pairs


def _default_stem(term: str) -> str:
    if term.isascii():
        return _english.stemWord(term) if term.isalpha() else term
    if _ARABIC_LETTER.match(term):
        return arabic_stem(term)
    if _CYRILLIC_LETTER.match(term):
        return _snowball("russian").stemWord(term)
    if _HAS_HAN.match(term):  # several terms, joined by spaces like those of a text
        return " ".join(_han_terms(term))
    return term


def _latin_stemmer(language: str) -> Callable[[str], str]:
    def stem_word(term: str) -> str:
        return _snowball(language).stemWord(term) if _LATIN_WORD.fullmatch(term) else _default_stem(term)

    return stem_word


def _plain_stem(term: str) -> str:
    """Persian and Urdu words folded but not stemmed (Arabic's clitics and suffixes are not theirs)."""
    return term if _ARABIC_LETTER.match(term) else _default_stem(term)


_STEM_OF = {
    DEFAULT: _default_stem,
    "fr": _latin_stemmer("french"),
    "es": _latin_stemmer("spanish"),
    "plain": _plain_stem,
}


class _Stems(dict):
    """Stems by folded word: a miss computes the stem and keeps it (all are forgotten past a bound)."""

    def __init__(self, stem_of: Callable[[str], str]) -> None:
        super().__init__()
        self.stem_of = stem_of

    def __missing__(self, term: str) -> str:
        result = self.stem_of(term)
        if len(self) > 500_000:
            self.clear()
        self[term] = result
        return result


_stemmings = {stemming: _Stems(stem_of) for stemming, stem_of in _STEM_OF.items()}
_stems = _stemmings[DEFAULT]
# The search term of one folded word: Arabic light stem, English (Porter2) stem, … else itself (the terms
# of a run of Chinese characters, joined by spaces). The cache's own lookup, so `map(stem, words)` runs
# no Python frame for a word already seen.
stem: Callable[[str], str] = _stems.__getitem__


def stemmer(stemming: str) -> Callable[[str], str]:
    """`stem` for a text of this stemming (`stemming_of` its language)."""
    return _stemmings[stemming].__getitem__


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
        self.new: list[str] | None = None  # during one call: where the pieces folded anew go (`new=`)

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
    folded = normalize(text).replace("_", " ")
    if folded.isascii() or not _HAS_HAN.search(folded):  # the alternatives cost a third more
        return _TERM.findall(folded)
    return _HAN_TERM.findall(folded)


def index_terms(text: str, stemming: str = DEFAULT) -> list[str]:
    """The search terms of a text, in order (what the index holds)."""
    return " ".join(map(stemmer(stemming), folded_words(text))).split()


def query_terms(text: str, stemming: str = DEFAULT) -> list[str]:
    """The terms a query's words are looked up by: `index_terms`, but a run of Chinese characters gives
    only its pairs (互联网 → 互联 联网: the phrase that finds it inside a longer run) and a lone
    character itself (which a query looks up as a prefix)."""
    stem_word = stemmer(stemming)
    terms: list[str] = []
    for word in folded_words(text):
        terms += _han_terms(word, False) if _HAS_HAN.match(word) else [stem_word(word)]
    return terms


def has_han(text: str) -> bool:
    """True for a text holding a Chinese character (its index terms are not one for each word)."""
    return not text.isascii() and _HAS_HAN.search(text) is not None


# A pair of Chinese characters whose next term starts with its last character: that term continues it.
_CONTINUED = re.compile(f"(?<![^ ])[{_HAN}]([{_HAN}]) (?=\\1)")


def continuing_terms(terms: str, last: int) -> list[int]:
    """The numbers, up to `last`, of the terms of an index text (terms joined by single spaces) that
    continue the run of Chinese characters of the term before them (互联 联网 网: the second and the
    third): the terms of one word there, where every other word gives one term."""
    numbers: list[int] = []
    number = counted = 0
    for match in _CONTINUED.finditer(terms):
        number += terms.count(" ", counted, match.end())
        counted = match.end()
        if number > last:
            break
        numbers.append(number)
    return numbers


def is_han(term: str) -> bool:
    """True for a term of one Chinese character (a query looks it up as a prefix)."""
    return len(term) == 1 and _HAS_HAN.match(term) is not None


def query_stemmings(text: str, stemmings: Iterable[str] = tuple(STEMMINGS.values())) -> dict[str, list[str]]:
    """The terms of a query's text in each of these stemmings (by default all but DEFAULT) that gives
    other terms than DEFAULT."""
    default = query_terms(text)
    found = {}
    for stemming in dict.fromkeys(stemmings):
        if stemming != DEFAULT and (terms := query_terms(text, stemming)) != default:
            found[stemming] = terms
    return found


def index_text(text: str, stemming: str = DEFAULT) -> str:
    """`index_terms` joined by spaces, ready for the full-text index."""
    return index_text_of_pieces(text.split(), stemming=stemming)


# A text's index text is one lookup per piece, with no list of its words in between (a cache by stemming).
_piece_terms = {
    stemming: _PieceCache(
        lambda piece, stem_word=stems.__getitem__: map(stem_word, _slow_folded_words(piece))
    )
    for stemming, stems in _stemmings.items()
}


def index_text_of_pieces(
    pieces: list[str],
    block: int = _PIECES_PER_BLOCK,
    stemming: str | None = None,
    new: list[str] | None = None,
) -> str:
    """`index_text` of the text whose pieces (`text.split()`) these are (for a caller that has them).
    `stemming`: by default that of the language `i18n.script.document_language` found for the text
    these pieces were handed on from (`text_pieces`), else DEFAULT — a caller that knows the language
    says so. `new`: each piece folded anew (not found in the cache) is added to it, so that after
    `forget_folded_pieces()` every piece met is in it at least once, at the cost of a lookup made anyway
    (an import worker telling the words it meets for the first time: those of the prefix lexicon).

    Like `folded_words`, a long text is looked up by blocks while the cache serves it well, and the rest
    folded whole from the first block whose pieces were mostly new.
    """
    if stemming is None:
        stemming = stemming_of(remembered_language(pieces))
    cache = _piece_terms[stemming]
    cache.new = new
    try:
        if len(pieces) <= block:
            return " ".join(filter(None, map(cache.__getitem__, pieces)))
        return cache.by_blocks(pieces, block)
    finally:
        cache.new = None


def forget_folded_pieces() -> None:
    """Empty the caches of `index_text_of_pieces`: the pieces it meets next are all new (see `new=`)."""
    for cache in _piece_terms.values():
        cache.clear()


def _slow_index_text(text: str, stemming: str = DEFAULT) -> str:
    """`index_text` from the text's words (what its cache of pieces must equal)."""
    return " ".join(map(stemmer(stemming), _slow_folded_words(text)))


_word_terms: dict[str, dict[str, tuple[str, ...]]] = {stemming: {} for stemming in _STEM_OF}


def word_terms(word: str, stemming: str = DEFAULT) -> tuple[str, ...]:
    """The terms of one original word (usually one; a ligature such as ﷺ, or a run of Chinese
    characters, gives several)."""
    known = _word_terms[stemming]
    cached = known.get(word)
    if cached is None:
        stem_word = stemmer(stemming)
        cached = tuple(term for folded in folded_words(word) for term in stem_word(folded).split(" "))
        if len(known) > 200_000:
            known.clear()
        known[word] = cached
    return cached


def term_spans(text: str, stemming: str = DEFAULT) -> Iterator[tuple[str, int, int]]:
    """Each term of `text` with the span (start, end) of its word in `text` itself.

    The terms are exactly `index_terms(text, stemming)`; the spans are in the original, unnormalised
    text, so a match can be marked even where folding changed lengths (ﻻ, é written as e + ́, tashkeel).
    """
    for match in _WORD.finditer(text):
        start, end = match.span()
        for term in word_terms(match.group(), stemming):
            yield term, start, end
