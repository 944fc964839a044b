"""The search query language, parsed into clauses and facet filters. Parsing never fails.

    word word        every word must match (through the search normaliser: الارهاب finds الإرهاب)
    "a phrase"       the words in this order
    terror*          words starting with "terror" (three letters at least)
    -word  NOT word  documents without the word (or -"a phrase")
    a OR b           either
    event:  region:  theme:  value, or "a quoted value"; names in English or Arabic
                     (حدث: منطقة: موضوع:); a region includes the places inside it; -theme:x excludes
    lang:ar          language (code or name: lang:arabic, لغة:عربي)
    date:2018..2020  a year, month (2018-06) or day, or a range of them; either end may be left open

Anything else is read as plain words, so `title:x`, SQL, FTS5 syntax and junk are searched as text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from qirtas.i18n.catalog import _
from qirtas.i18n.normalize import has_han, is_han, normalize, query_terms, strip_clitics

MAX_CLAUSES = 32  # words beyond these are not searched (a pasted page stays fast)
MIN_PREFIX = 3  # letters a prefix needs (after Arabic clitics): `te*` would match nearly every document

FACET_KEYS = {
    "event": ("event", "events", "حدث", "الحدث", "فعاليه", "الفعاليه", "مناسبه"),
    "region": ("region", "place", "country", "where", "منطقه", "المنطقه", "مكان", "بلد", "دوله"),
    "theme": ("theme", "topic", "subject", "موضوع", "الموضوع", "محور"),
    "lang": ("lang", "language", "لغه", "اللغه"),
    "date": ("date", "year", "when", "تاريخ", "التاريخ", "سنه"),
}
_FACET_BY_KEY = {normalize(key): facet for facet, keys in FACET_KEYS.items() for key in keys}
_FACET_PREFIX = re.compile(r"([^\s:\"]+):(?=\S)")
_DATE_PART = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Clause:
    """A word, a phrase or a prefix: search terms that must appear in this order."""

    terms: tuple[str, ...]
    prefix: bool = False  # the last term is a prefix (folded, clitics removed, not stemmed)
    token: int = -1  # which token of the query it came from
    # The same words in the other stemmings that give other terms (`i18n.normalize.query_stemmings`):
    # (stemming, terms), each an alternative to `terms` where the archive has texts of that stemming
    # (the plan looks them up from `text`, the words as typed, when the archive has such texts).
    stemmings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    text: str = ""


@dataclass
class Group:
    """Clauses of which one must match (`a OR b`), or none when `negated`."""

    clauses: list[Clause]
    negated: bool = False


@dataclass
class FacetFilter:
    facet: str  # event, region or theme
    value: str
    negated: bool = False
    quoted: bool = False
    token: int = -1  # which token of the query holds the value
    # Plain words typed right after an unquoted value, which may continue it (region:Central Asia).
    continuation: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ParsedQuery:
    groups: list[Group] = field(default_factory=list)
    facets: list[FacetFilter] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    excluded_languages: list[str] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    notes: list[str] = field(default_factory=list)  # readable hints about what was not understood
    blank: bool = True  # nothing typed at all

    @property
    def positive(self) -> list[Group]:
        return [group for group in self.groups if not group.negated]

    @property
    def negative(self) -> list[Group]:
        return [group for group in self.groups if group.negated]

    @property
    def has_filters(self) -> bool:
        return bool(
            self.facets or self.languages or self.excluded_languages or self.date_from or self.date_to
        )

    def terms(self) -> list[str]:
        return [term for group in self.positive for clause in group.clauses for term in clause.terms]


@dataclass
class _Token:
    text: str
    quoted: bool = False
    negated: bool = False
    facet: str | None = None  # the facet key as typed, for `key:value`
    index: int = 0


def _tokens(query: str, notes: list[str]) -> list[_Token]:
    """Split into tokens: bare runs, "quoted runs", key:value and key:"quoted value"; `-` negates."""
    tokens: list[_Token] = []
    position, length = 0, len(query)
    while position < length:
        char = query[position]
        if char.isspace():
            position += 1
            continue
        negated = False
        if char == "-" and position + 1 < length and not query[position + 1].isspace():
            negated = True
            position += 1
        facet = None
        match = _FACET_PREFIX.match(query, position)
        if match and normalize(match.group(1)) in _FACET_BY_KEY:
            facet = _FACET_BY_KEY[normalize(match.group(1))]
            position = match.end()
        if position < length and query[position] == '"':
            end = query.find('"', position + 1)
            if end < 0:
                notes.append(_("A closing quote was missing; the rest was read as one phrase."))
                end = length
            text, position = query[position + 1 : end], end + 1
            tokens.append(_Token(text, True, negated, facet, len(tokens)))
            continue
        end = position
        while end < length and not query[end].isspace() and query[end] != '"':
            end += 1
        if end == position:  # a lone quote follows the `-` or `key:`; read it on the next turn
            continue
        tokens.append(_Token(query[position:end], False, negated, facet, len(tokens)))
        position = end
    return tokens


def _clause(token: _Token) -> Clause | None:
    text = token.text
    prefix = not token.quoted and text.endswith("*")
    if prefix:
        text = text.rstrip("*")
        words = re.findall(r"[^\W_]+", normalize(text))
        if not words:
            return None
        last = strip_clitics(words[-1])
        # a shorter prefix matches nearly everything, and Chinese is found by its pairs: read as words
        if len(last) >= MIN_PREFIX and not has_han(last):
            leading = " ".join(words[:-1])
            # Persian and Urdu words are not stemmed, so their prefix keeps what looks like a clitic
            plain = (("plain", (*query_terms(leading, "plain"), words[-1])),) if last != words[-1] else ()
            return Clause((*query_terms(leading), last), prefix=True, token=token.index, stemmings=plain)
    terms = tuple(query_terms(text))
    if len(terms) == 1 and is_han(terms[0]):  # one Chinese character: the start of the pairs holding it
        return Clause(terms, prefix=True, token=token.index)
    return Clause(terms, token=token.index, text=text) if terms else None


def parse(query: str) -> ParsedQuery:
    """The query as clauses and filters; junk becomes plain words or is dropped, with a note."""
    # Lone surrogates (undecodable bytes on a command line) become U+FFFD, so SQLite can take any value.
    query = query.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    parsed = ParsedQuery(blank=not query.strip())
    notes = parsed.notes
    tokens = _tokens(query, notes)
    pending_or = False
    negate_next = False
    for token in tokens:
        if not token.quoted and token.facet is None and not token.negated:
            if token.text in ("OR", "|", "||"):
                pending_or = bool(parsed.groups) and not parsed.groups[-1].negated
                continue
            if token.text in ("AND", "&&", "+"):
                continue
            if token.text == "NOT":
                negate_next = True
                continue
        negated = token.negated or negate_next
        negate_next = False
        if token.facet is not None:
            pending_or = False
            _add_filter(parsed, token, token.facet, negated)
            continue
        clause = _clause(token)
        if clause is None:
            continue
        if pending_or and not negated:
            parsed.groups[-1].clauses.append(clause)
        else:
            parsed.groups.append(Group([clause], negated=negated))
        pending_or = False
        if parsed.facets and not (negated or token.quoted or clause.prefix):
            last = parsed.facets[-1]
            if not last.quoted and token.index == last.token + 1 + len(last.continuation) < last.token + 4:
                last.continuation.append((token.index, token.text))
    if len(parsed.groups) > MAX_CLAUSES:
        notes.append(_("Only the first {count} words were searched.").format(count=MAX_CLAUSES))
        del parsed.groups[MAX_CLAUSES:]
    return parsed


def _add_filter(parsed: ParsedQuery, token: _Token, facet: str, negated: bool) -> None:
    value = token.text.strip()
    if not value:
        return
    if facet == "lang":
        code = language_code(value)
        if code is None:
            parsed.notes.append(
                _("Unknown language “{value}”; use a code such as en or ar.").format(value=value)
            )
            parsed.languages.append(value.casefold())  # matches nothing, so the result says so
        else:
            (parsed.excluded_languages if negated else parsed.languages).append(code)
        return
    if facet == "date":
        span = date_range(value)
        if span is None:
            parsed.notes.append(
                _("Could not read the date “{value}”; write e.g. date:2018 or date:2018..2020.").format(
                    value=value
                )
            )
            return
        start, end = span
        if start and (parsed.date_from is None or start > parsed.date_from):
            parsed.date_from = start
        if end and (parsed.date_to is None or end < parsed.date_to):
            parsed.date_to = end
        return
    parsed.facets.append(FacetFilter(facet, value, negated, token.quoted, token.index))


# ---- values ------------------------------------------------------------------------------------------
def _day(text: str, last: bool) -> dt.date | None:
    match = _DATE_PART.match(text)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else (12 if last else 1)
    try:
        if match.group(3):
            return dt.date(year, month, int(match.group(3)))
        if last:
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, month, 1)
    except ValueError:
        return None


def date_range(value: str) -> tuple[dt.date | None, dt.date | None] | None:
    """`2018`, `2018-06`, `2018-06-29`, `2018..2020`, `..2019`, `2018..`, `2018-2020` → (first, last)."""
    text = normalize(value).replace("\u2026", "..")  # Arabic-Indic digits become 0-9
    if ".." in text:
        first, _sep, last = text.partition("..")
    elif re.fullmatch(r"\d{4}-\d{4}", text):
        first, last = text.split("-")
    else:
        first = last = text
    start = _day(first, last=False) if first else None
    end = _day(last, last=True) if last else None
    if (first and start is None) or (last and end is None) or (start is None and end is None):
        return None
    if start and end and start > end:
        start, end = _day(last, last=False), _day(first, last=True)
    return start, end


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for locale in ("ar", "en"):
        for code, name in Locale.parse(locale).languages.items():
            if "_" not in code:
                names.setdefault(normalize(name), code)
    names.update({normalize(word): "ar" for word in ("عربي", "عربيه", "بالعربيه", "arab")})
    names.update({normalize(word): "en" for word in ("انجليزي", "انكليزي", "انجليزيه", "انكليزيه")})
    # The other languages told apart (`i18n.language`): as an Arabic speaker says them, and in their own.
    names["farsi"] = "fa"
    for code, words in (("fr", "فرنسي"), ("es", "اسباني"), ("ru", "روسي"), ("zh", "صيني"), ("fa", "فارسي")):
        names.update({normalize(word): code for word in (words, words + "ه")})
    for code in ("fr", "es", "ru", "zh", "fa", "ur"):
        names.setdefault(normalize(Locale.parse(code).languages[code]), code)
    names.update({"mixed": "mixed", "مختلط": "mixed", "und": "und"})
    return names


def language_code(value: str) -> str | None:
    """A language code from a code (`ar`) or a name in English or Arabic (`Arabic`, `العربية`)."""
    folded = normalize(value.strip())
    if re.fullmatch(r"[a-z]{2,3}(?:[-_][a-z0-9]+)?", folded):
        return folded.replace("_", "-")
    return _language_names().get(folded)
