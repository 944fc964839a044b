"""Snippets: the words that matched, found again in the original text and marked in an excerpt of it.

Snippets are cut from the original text, never from the normalised copy: the matching words are found
again with `term_spans`, which gives each term the span of its word in the original, so the marks are
right even where folding changed lengths (tashkeel, ligatures, decomposed accents).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from qirtas.archive import query as query_language
from qirtas.archive.search.plan import Plan, make_plan
from qirtas.i18n.normalize import (
    DEFAULT,
    WORD_CLASS,
    WORD_PATTERN,
    continuing_terms,
    has_han,
    stemming_of,
    term_spans,
    word_terms,
)

MARK_OPEN, MARK_CLOSE = "<<", ">>"  # around each match in `Hit.snippet` (plain ASCII, never in the text?)
SNIPPET_CHARS = 220
_SCAN_LIMIT = 200_000  # characters of a long text searched for a snippet (the slow path)
_MARKS_CONSIDERED = 24
_WINDOW_TOKENS = 24  # about the words a snippet shows


@dataclass
class Hit:
    """One result. `snippet` carries the matches marked with << >>; `excerpt` is the same text unmarked
    and `matches` the (start, end) spans of the matches in `excerpt` — what a GUI highlights.
    `title_matches` are the spans of matches in `title`."""

    id: int
    title: str
    language: str
    snippet: str
    score: float
    excerpt: str = ""
    matches: list[tuple[int, int]] = field(default_factory=list)
    title_matches: list[tuple[int, int]] = field(default_factory=list)
    date: dt.date | None = None


class Marker:
    """Finds the words of a text that match the positive clauses of a query, as spans of the original."""

    def __init__(self, plan: Plan) -> None:
        self.single: dict[str, int] = {}
        self.prefixes: list[tuple[str, int]] = []
        self.phrases: list[tuple[tuple[str, ...], bool, int]] = []
        clauses = [clause for group in plan.parsed.positive for clause in group.clauses]
        for number, clause in enumerate(clauses):
            for terms in (clause.terms, *(other for _stemming, other in clause.stemmings)):
                self._add(terms, clause.prefix, number)
            if clause.prefix and len(clause.terms) == 1:
                for stem in plan.expansions.get(clause.terms[0], []):
                    self.single.setdefault(stem, number)
        self.count = len(clauses)
        self.longest = max((len(terms) for terms, _p, _n in self.phrases), default=1)

    def _add(self, terms: tuple[str, ...], prefix: bool, number: int) -> None:
        if len(terms) > 1:
            self.phrases.append((terms, prefix, number))
        elif prefix:
            self.prefixes.append((terms[0], number))
        else:
            self.single.setdefault(terms[0], number)

    def spans(self, text: str, stemming: str = DEFAULT) -> Iterable[tuple[int, int, int]]:
        """(start, end, clause number) of each matching word of a text of this stemming, in text order."""
        if not self.count:
            return
        recent: list[tuple[str, int, int]] = []
        for term, start, end in term_spans(text, stemming):
            if self.phrases:
                recent.append((term, start, end))
                if len(recent) > self.longest:
                    del recent[0]
                for terms, prefix, clause in self.phrases:
                    size = len(terms)
                    if len(recent) < size:
                        continue
                    window = recent[-size:]
                    if all(w[0] == t for w, t in zip(window[:-1], terms[:-1], strict=True)) and (
                        window[-1][0].startswith(terms[-1]) if prefix else window[-1][0] == terms[-1]
                    ):
                        for _term, word_start, word_end in window:
                            yield word_start, word_end, clause
            number = self.single.get(term)
            if number is None:
                number = next((n for prefix, n in self.prefixes if term.startswith(prefix)), None)
            if number is not None:
                yield start, end, number


def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, marker: Marker, stemming: str) -> tuple[int, list[tuple[int, int, int]]]:
    """Where the snippet should start (the match with the most different clauses near it) and the matches."""
    found: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    complete_at: int | None = None
    for span in marker.spans(text[:_SCAN_LIMIT], stemming):
        found.append(span)
        seen.add(span[2])
        if complete_at is None and len(seen) == marker.count:
            complete_at = span[0]
        if complete_at is not None and span[0] > complete_at + SNIPPET_CHARS:
            break
    if not found:
        return 0, []
    best, best_cover = found[0][0], 0
    reach = SNIPPET_CHARS * 2 // 3
    for index, (start, _end, _number) in enumerate(found):
        cover = len({n for s, _e, n in found[index:] if s < start + reach})
        if cover > best_cover:
            best, best_cover = start, cover
    return best, found


_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")


def _excerpt(text: str, anchor: int, found: Sequence[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """About SNIPPET_CHARS of `text` around `anchor`, cut at spaces, whitespace runs made one space;
    with the spans of `found` (in `text`) moved into it."""
    start = 0
    if anchor > 60:
        start = anchor - 60
        paragraph = text.rfind("\n", start, anchor)
        if paragraph >= 0:
            start = paragraph + 1
        else:
            space = text.find(" ", start, anchor)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", max(anchor, start + SNIPPET_CHARS // 2), end)
        end = space if space > 0 else end
    piece = text[start:end]
    lead = "… " if start > 0 else ""
    pieces, removed_before, last, removed = [lead], [], 0, -len(lead)
    for run in _WHITESPACE.finditer(piece):
        pieces += [piece[last : run.start()], " "]
        removed += run.end() - run.start() - 1
        removed_before.append((run.end(), removed))
        last = run.end()
    pieces.append(piece[last:])
    excerpt = "".join(pieces)
    ends = [position for position, _removed in removed_before]

    def moved(position: int) -> int:
        index = bisect.bisect_right(ends, position) - 1
        return position - (removed_before[index][1] if index >= 0 else -len(lead))

    matches = [(moved(s - start), moved(e - start)) for s, e in found if s >= start and e <= end]
    stripped = excerpt.rstrip()
    if end < len(text):
        stripped += " …"
    return stripped, merge(matches)


def mark(
    text: str, spans: Sequence[tuple[int, int]], open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE
) -> str:
    """`text` with each span put between the marks."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], open_mark, text[start:end], close_mark]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def highlight(query: str, text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Spans of `text` (e.g. a whole document shown in the reader, in `language`) that match `query`.
    Never raises."""
    try:
        marker = Marker(make_plan(query_language.parse(query)))
        return merge((start, end) for start, end, _n in marker.spans(text, stemming_of(language)))
    except Exception:  # marking is a convenience: never let it break showing a document
        return []


def _indexed_matches(indexed: str, marker: Marker, most: int) -> list[tuple[int, str, int]]:
    """(token position, term, clause) of the first matches in an indexed column (terms and spaces),
    found with plain string search, as FTS5 matched them."""
    padded = f" {indexed} "
    found: list[tuple[int, str, int]] = []  # (character position, needle, clause)

    def scan(needle: str, clause: int) -> None:
        start = count = 0
        while count < most and (at := padded.find(needle, start)) >= 0:
            found.append((at + 1, needle, clause))
            count += 1
            start = at + 1

    for term, clause in marker.single.items():
        scan(f" {term} ", clause)
    for prefix, clause in marker.prefixes:
        scan(f" {prefix}", clause)
    for terms, last_is_prefix, clause in marker.phrases:
        scan(" " + " ".join(terms) + ("" if last_is_prefix else " "), clause)
    found.sort()
    marked: list[tuple[int, str, int]] = []
    token, counted = -1, 0
    for position, needle, clause in found[:most]:
        token += padded.count(" ", counted, position)
        counted = position
        end = padded.find(" ", position + len(needle) - 2)
        for offset, term in enumerate(padded[position:end].split(" ")):
            marked.append((token + offset, term, clause))
    return sorted(set(marked))


def _word_spans(
    text: str, marked: list[tuple[int, str]], stemming: str, han: bool = False
) -> list[tuple[int, int]] | None:
    """Spans in `text` of the words at these word positions, each checked to give its marked term;
    None when they do not (the words of a text and its terms pair one to one, except around rare
    characters such as the ligature ﷺ, which gives several terms). `han`: the text holds Chinese."""
    skips, word_pattern = (_HAN_SKIPS, WORD_PATTERN) if han else (_SKIPS, _PLAIN_WORD)
    spans, current, position = [], -1, 0
    for token, term in marked:
        if token <= current:  # two clauses matched the same word
            continue
        after = _after_words(text, position, token - current - 1, skips)
        match = None if after is None else word_pattern.search(text, after)
        if match is None or term not in word_terms(match.group(), stemming):
            return None
        spans.append(match.span())
        current, position = token, match.end()
    return spans


# Skipping words by the hundred in one regular expression each (possessive, so a word is never split)
# instead of making a match object of each: a match far into a text is found several times faster.
# Without Chinese a word is a run of its characters, which a character class finds three times faster
# than WORD_PATTERN's alternatives (a Chinese run is a word of its own beside other letters).
_PLAIN_WORD = re.compile(f"[{WORD_CLASS}]+")
_SKIPS = [(size, re.compile(f"(?:[^{WORD_CLASS}]*+[{WORD_CLASS}]++){{{size}}}")) for size in (256, 32, 4, 1)]
_HAN_SKIPS = [
    (size, re.compile(f"(?:[^{WORD_CLASS}]*+(?:{WORD_PATTERN.pattern})){{{size}}}"))
    for size in (256, 32, 4, 1)
]


def _after_words(text: str, position: int, count: int, skips=_SKIPS) -> int | None:
    """Where the `count` words of `text` after `position` end; None when there are fewer."""
    for size, pattern in skips:
        while count >= size:
            match = pattern.match(text, position)
            if match is None:
                return None
            position, count = match.end(), count - size
    return position


def marked_spans(
    text: str, indexed: str | None, marker: Marker, stemming: str = DEFAULT
) -> tuple[int, list[tuple[int, int]]]:
    """(anchor, spans): where a snippet of `text` (indexed with `stemming`) should start and the matches
    to mark in it.

    The matches are found in the indexed terms of `text` (fast string search), then the words at
    those positions in the original, each checked to give its term; the slow path reads every word.
    """
    if not marker.count:
        return 0, []
    if indexed is not None:
        # The first matches are enough to choose a window from (a frequent word has hundreds); the
        # window is chosen on token positions, so only the words up to its end are read.
        marked = _indexed_matches(indexed, marker, _MARKS_CONSIDERED)
        if not marked:
            return 0, []
        best, best_cover, last = 0, 0, 0
        for index, (token, _term, _clause) in enumerate(marked):
            last = max(last, index)
            while last + 1 < len(marked) and marked[last + 1][0] < token + _WINDOW_TOKENS:
                last += 1
            cover = len({clause for _token, _term, clause in marked[index : last + 1]})
            if cover > best_cover:
                best, best_cover = index, cover
                if cover == marker.count:  # every clause: no later window can do better
                    break
        first = marked[best][0]
        window = [
            (token, term) for token, term, _clause in marked[best:] if token < first + 2 * _WINDOW_TOKENS
        ]
        spans = _word_spans(text, window, stemming)
        # A run of Chinese characters is one word of several terms. Looked for only when words and
        # terms did not pair: searching every text for Chinese cost an Arabic one 20 µs.
        if spans is None and has_han(indexed):
            continuing = continuing_terms(indexed, window[-1][0])
            words = [(token - bisect.bisect_right(continuing, token), term) for token, term in window]
            spans = _word_spans(text, words, stemming, True)
        if spans is not None:
            return spans[0][0], spans
    anchor, found = _window(text, marker, stemming)
    return anchor, [(start, end) for start, end, _number in found]


def hit(row: tuple, score: float, marker: Marker) -> Hit:
    document_id, title, language, text, date, title_marked, text_marked = row
    anchor, found = marked_spans(text or "", text_marked, marker, stemming_of(language))
    excerpt, matches = _excerpt(text or "", anchor, found)
    title_matches = merge(marked_spans(title or "", title_marked, marker)[1])
    return Hit(
        document_id,
        title,
        language,
        mark(excerpt, matches),
        score,
        excerpt=excerpt,
        matches=matches,
        title_matches=title_matches,
        date=dt.date.fromisoformat(date) if isinstance(date, str) and date else date,
    )
