"""Finding a search query's words in the original (not normalised) text, to highlight them."""

from __future__ import annotations

import re
import shlex

from i18n.normalize import normalize

_FIELD = re.compile(r"^-?\w+:")
_TASHKEEL = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]*"
# Letters the search normaliser folds together, so a match is highlighted in any of its spellings.
_VARIANTS = {
    "ا": "اأإآٱ",
    "ه": "هة",
    "ي": "يىئ",
    "و": "وؤ",
    **{str(i): f"{i}{chr(0x0660 + i)}{chr(0x06F0 + i)}" for i in range(10)},
}


def query_terms(query: str) -> list[str]:
    """The words and phrases of a query that should appear in matching text (no filters, no exclusions)."""
    try:
        parts = shlex.split(query)
    except ValueError:  # an unbalanced quote: take the words as they are
        parts = query.replace('"', " ").split()
    terms: list[str] = []
    for part in parts:
        if part.startswith("-") or _FIELD.match(part) or part.upper() in ("AND", "OR", "NOT"):
            continue
        term = normalize(part.rstrip("*")).strip()
        if term:
            terms.append(term)
    return terms


def _char_pattern(char: str) -> str:
    variants = _VARIANTS.get(char)
    if variants:
        return f"[{variants}]"
    if char.isspace():
        return r"\s+"
    return re.escape(char)


def term_pattern(term: str) -> str:
    """A regular expression for `term` that tolerates harakat, tatweel and the folded letter variants."""
    return _TASHKEEL.join(_char_pattern(char) for char in term)


def query_regex(query: str) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any of the query's terms, longest first; None without terms."""
    terms = sorted(set(query_terms(query)), key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(term_pattern(term) for term in terms), re.IGNORECASE)


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every match of the query's terms in `text`."""
    pattern = query_regex(query)
    if pattern is None:
        return []
    return [match.span() for match in pattern.finditer(text) if match.end() > match.start()]
