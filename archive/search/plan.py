"""From a parsed query to SQL: one FTS5 expression of its words and filters, and the statements around it."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from peewee import OperationalError
from qirtas.archive.models import database
from qirtas.archive.query import Clause, ParsedQuery
from qirtas.archive.search.index import (
    BM25,
    DOCUMENT_TAG,
    FACETS,
    FACTS,
    FTS,
    LEXICON,
    TERMS,
    indexed_stemmings,
    language_token,
)
from qirtas.archive.search.tag_filters import matching_tags, tag_choices, with_descendants
from qirtas.i18n.catalog import _
from qirtas.i18n.normalize import query_stemmings


def quoted(terms: Iterable[str]) -> str:
    # FTS5 reads its expression as a C string: a NUL (say in `lang:\x00`) would end it mid-quote
    return '"' + " ".join(terms).replace('"', '""').replace("\x00", "") + '"'


def _prefix_expansions(prefixes: set[str]) -> dict[str, list[str]]:
    """For each typed prefix, the stems of words starting with it that `prefix*` alone would miss."""
    expansions: dict[str, list[str]] = {}
    for prefix in prefixes:
        rows = database.execute_sql(
            f"SELECT DISTINCT stem FROM {LEXICON} WHERE word >= ? AND word < ? LIMIT 500",
            (prefix, prefix + "\U0010ffff"),
        ).fetchall()
        stems = sorted({stem for (stem,) in rows if not stem.startswith(prefix)})
        expansions[prefix] = stems[:40]
    return expansions


# FTS5 runs `prefix*` by reading the whole doclist of every term it stands for into memory before the first
# row, even for the newest 1,000 matches a quick search lists (kizog*: 60,000 documents, 4 ms warm and 40 ms
# in a process that just built the archive); the same terms as an OR read only their newest entries (0.2 ms).
_LISTED_TERMS = 250  # a prefix standing for more terms is left to FTS5


def _prefix_terms(prefixes: set[str]) -> dict[str, list[str]]:
    """For each typed prefix that stands for few enough terms, the terms of the index starting with it."""
    listed: dict[str, list[str]] = {}
    for prefix in prefixes:
        try:
            rows = database.execute_sql(
                f"SELECT term FROM {TERMS} WHERE term >= ? AND term < ? LIMIT {_LISTED_TERMS + 1}",
                (prefix, prefix + "\U0010ffff"),
            ).fetchall()
        except OperationalError:  # a read-only archive indexed before the term list: FTS5 expands
            return {}
        if len(rows) <= _LISTED_TERMS:
            listed[prefix] = [term for (term,) in rows]
    return listed


def phrase_expression(terms: tuple[str, ...], prefix: bool) -> str:
    return quoted(terms) + (" *" if prefix else "")


def clause_phrases(clause: Clause, expansions: dict[str, list[str]]) -> list[tuple[tuple[str, ...], bool]]:
    """(terms, prefix) of the FTS5 phrases a clause becomes: itself, its terms in the other stemmings of
    the archive's texts (see `make_plan`), and for a one-word prefix the stems it would miss (see
    `_prefix_expansions`)."""
    extra = expansions.get(clause.terms[-1], []) if clause.prefix and len(clause.terms) == 1 else []
    return [
        (clause.terms, clause.prefix),
        *((terms, clause.prefix) for _stemming, terms in clause.stemmings),
        *(((stem,), False) for stem in extra),
    ]


def _clause_expression(clause: Clause, expansions: dict[str, list[str]], listed: dict | None = None) -> str:
    phrases = [phrase_expression(*phrase) for phrase in clause_phrases(clause, expansions)]
    if listed and clause.prefix and listed.get(clause.terms[0]) and len(clause.terms) == 1:
        phrases[:1] = [quoted([term]) for term in listed[clause.terms[0]]]  # the same matches, read lazily
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def _groups_expression(groups, expansions, joiner: str, listed: dict | None = None) -> str:
    parts = []
    for group in groups:
        alternatives = [_clause_expression(clause, expansions, listed) for clause in group.clauses]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return joiner.join(parts)


@dataclass
class Plan:
    """A parsed query made ready to run: one FTS5 expression (words and filters), what to mark.

    Filters become tokens of the index's facet column (`index._facets_of`) inside the full-text match, so
    FTS5 intersects them with the words in its own doclists. Only a query with nothing positive to match
    (`-lang:ar` alone) or a date range the year tokens cannot say exactly falls back to SQL conditions.
    """

    parsed: ParsedQuery
    text: str | None = None  # FTS5 expression of the words every result matches (title and text)
    listed_text: str | None = None  # ... with its prefixes as the terms they stand for (to list, not rank)
    text_excluded: str | None = None  # ... of the words no result has, when there is no `text`
    languages: list[str] = field(default_factory=list)
    excluded_languages: list[str] = field(default_factory=list)
    tag_sets: list[list[int]] = field(default_factory=list)  # a result carries one tag of each set
    excluded_tags: list[int] = field(default_factory=list)  # ... and none of these
    impossible: bool = False  # a filter named nothing in this archive: no result can match
    expansions: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    rewritten: bool = False  # FTS5 rejected the expression: `text` holds the query's plain words instead

    @property
    def ranked(self) -> bool:
        """Results are ranked by bm25 when words are searched; filters alone list them in id order."""
        return bool(self.text)

    def _years(self) -> list[str] | None:
        """Year tokens covering the date range, or None when they cannot (open or very long range)."""
        start, end = self.parsed.date_from, self.parsed.date_to
        if start is None or end is None or not 0 <= end.year - start.year <= 60:
            return None
        return [f"y{year:04d}" for year in range(start.year, end.year + 1)]

    def _exact_dates(self) -> tuple[str, list] | None:
        """A condition on the facts table for the bounds the year tokens do not say exactly."""
        start, end = self.parsed.date_from, self.parsed.date_to
        if not (start or end):
            return None
        whole_years = (
            start is not None
            and end is not None
            and self._years() is not None
            and (start.month, start.day) == (1, 1)
            and (end.month, end.day) == (12, 31)
        )
        if whole_years:
            return None
        bounds, values = [], []
        if start:
            bounds.append("date >= ?")
            values.append(start.isoformat())
        if end:
            bounds.append("date <= ?")
            values.append(end.isoformat())
        return " AND ".join(bounds), values

    def expression(self, listing: bool = False) -> str | None:
        """The FTS5 expression every result matches; None when nothing positive can be matched.
        `listing`: to list or count matches, never to rank them (bm25 weighs a prefix as one phrase)."""

        def tokens(values: Iterable[str]) -> str:
            return f"{FACETS} : (" + " OR ".join(quoted([value]) for value in values) + ")"

        text = (self.listed_text or self.text) if listing else self.text
        required = [f"{{title body}} : ({text})"] if text else []
        required += [tokens(f"t{tag_id}" for tag_id in tag_ids) for tag_ids in self.tag_sets]
        if self.languages:
            required.append(tokens(map(language_token, self.languages)))
        years = self._years()
        if years:
            required.append(tokens(years))
        if not required:
            return None
        excluded = (
            [f"{{title body}} : ({self.text_excluded})"] if self.text_excluded and not self.text else []
        )
        if self.excluded_tags:
            excluded.append(tokens(f"t{tag_id}" for tag_id in self.excluded_tags))
        if self.excluded_languages:
            excluded.append(tokens(map(language_token, self.excluded_languages)))
        expression = " AND ".join(f"({part})" for part in required)
        return f"({expression}) NOT ({' OR '.join(excluded)})" if excluded else expression

    def _fts_select(self, expression: str, score: bool) -> tuple[str, list]:
        parameters: list = [expression]
        conditions = [f"{FTS} MATCH ?"]
        dates = self._exact_dates()
        if dates:
            conditions.append(f"EXISTS (SELECT 1 FROM {FACTS} WHERE id = {FTS}.rowid AND {dates[0]})")
            parameters.extend(dates[1])
        value = BM25 if score and self.ranked else "0.0"
        return (
            f"SELECT {FTS}.rowid AS id, {value} AS score FROM {FTS} WHERE {' AND '.join(conditions)}",
            parameters,
        )

    def select(self, order: bool = True) -> tuple[str, list]:
        """SQL selecting (id, score) of every matching document, best first (or by id) when `order`."""
        expression = self.expression()
        if expression:
            sql, parameters = self._fts_select(expression, score=order)
            if order:
                sql += " ORDER BY 2, 1" if self.ranked else " ORDER BY 1"
            return sql, parameters
        return self._select_without_match(order)

    def count(self) -> tuple[str, list]:
        expression = self.expression(listing=True)
        if expression:
            sql, parameters = self._fts_select(expression, score=False)
        else:
            sql, parameters = self._select_without_match(order=False)
        return f"SELECT count(*) FROM ({sql})", parameters

    def sample(self, count: int) -> tuple[str, list]:
        """(id, 0.0) of up to `count` matches: the most recently added when ranked (what a quick search
        ranks), else the first in id order. Reads no position list: nothing is scored."""
        expression = self.expression(listing=True)
        assert expression
        sql, parameters = self._fts_select(expression, score=False)
        return f"{sql} ORDER BY 1{' DESC' if self.ranked else ''} LIMIT {int(count)}", parameters

    def newest_ranked(self, count: int) -> tuple[str, list]:
        """(id, bm25) of the `count` most recently added matches, best first."""
        expression = self.expression()
        assert expression
        sql, parameters = self._fts_select(expression, score=True)
        return f"SELECT id, score FROM ({sql} ORDER BY 1 DESC LIMIT {int(count)}) ORDER BY 2, 1", parameters

    def phrases(self) -> list[tuple[tuple[str, ...], bool]]:
        """(terms, prefix) of every phrase the words of `text` put in the FTS5 expression, in its order
        (what bm25 weighs one by one; excluded words and filter tokens never add to a score)."""
        return [
            phrase
            for group in self.parsed.positive
            for clause in group.clauses
            for phrase in clause_phrases(clause, self.expansions)
        ]

    def _select_without_match(self, order: bool) -> tuple[str, list]:
        """Filters with nothing positive to match (e.g. `-lang:ar`, `date:..2018`): from the sets of ids
        the indexes give, starting from the first one, each checked against the others."""
        parameters: list = []

        def tagged(tag_ids: list[int]) -> str:
            parameters.extend(tag_ids)
            return f"SELECT document_id AS id FROM {DOCUMENT_TAG} WHERE tag_id IN ({', '.join('?' for _id in tag_ids)})"

        def documents(clause: str, values: list) -> str:
            parameters.extend(values)
            return f"SELECT id FROM {FACTS} WHERE {clause}"

        def marks(values: list) -> str:
            return ", ".join("?" for _value in values)

        included: list[Callable[[], str]] = [functools.partial(tagged, ids) for ids in self.tag_sets]
        if self.languages:
            included.append(lambda: documents(f"language IN ({marks(self.languages)})", self.languages))
        dates = self._exact_dates() or (
            (
                "substr(date, 1, 4) IN (" + marks(self._years() or []) + ")",
                [y[1:] for y in self._years() or []],
            )
            if self._years()
            else None
        )
        if dates:
            included.append(lambda: documents(*dates))
        excluded: list[Callable[[], str]] = []
        if self.excluded_languages:
            excluded.append(
                lambda: documents(f"language IN ({marks(self.excluded_languages)})", self.excluded_languages)
            )
        if self.excluded_tags:
            excluded.append(lambda: tagged(self.excluded_tags))
        if self.text_excluded:

            def excluded_text() -> str:
                parameters.append(f"{{title body}} : ({self.text_excluded})")
                return f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH ?"

            excluded.append(excluded_text)
        identity, conditions = "b.id", []
        # from the first set, or every document
        source = f"(SELECT DISTINCT id FROM ({included.pop(0)()})) AS b" if included else f"{FACTS} AS b"
        conditions += [f"{identity} IN ({subquery()})" for subquery in included]
        conditions += [f"{identity} NOT IN ({subquery()})" for subquery in excluded]
        where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        return f"SELECT b.id AS id, 0.0 AS score FROM {source}{where}" + (
            " ORDER BY 1" if order else ""
        ), parameters


def _add_indexed_stemmings(parsed: ParsedQuery) -> None:
    """Each clause gets its terms in the stemmings the archive's texts have, and no other: a query in an
    archive of English and Arabic reads what it read before languages were stemmed apart."""
    clauses = [clause for group in parsed.groups for clause in group.clauses]
    if not any(clause.text or clause.stemmings for clause in clauses):
        return
    present = indexed_stemmings()
    for group in parsed.groups:
        group.clauses = [_with_stemmings(clause, present) for clause in group.clauses]


def _with_stemmings(clause: Clause, present: set[str]) -> Clause:
    if not (present or clause.stemmings):  # English and Arabic alone: the clause as parsed
        return clause
    found = query_stemmings(clause.text, present) if clause.text and present else {}
    stemmings = [(stemming, terms) for stemming, terms in clause.stemmings if stemming in present]
    stemmings += [(stemming, tuple(terms)) for stemming, terms in found.items()]
    return dataclasses.replace(clause, stemmings=tuple(stemmings))


def make_plan(parsed: ParsedQuery) -> Plan:
    plan = Plan(parsed, notes=list(parsed.notes))
    _add_filters(plan, parsed)  # first: a facet value may take the words after it (region:Central Asia)
    _add_indexed_stemmings(parsed)
    prefixes = {c.terms[-1] for g in parsed.groups for c in g.clauses if c.prefix and len(c.terms) == 1}
    plan.expansions = _prefix_expansions(prefixes) if prefixes else {}
    listed = _prefix_terms(prefixes) if prefixes else {}
    positive, negative = parsed.positive, parsed.negative
    if positive:
        plan.text = _groups_expression(positive, plan.expansions, " AND ")
        if negative:
            plan.text = f"({plan.text}) NOT ({_groups_expression(negative, plan.expansions, ' OR ')})"
        if listed:
            plan.listed_text = _groups_expression(positive, plan.expansions, " AND ", listed)
            if negative:
                excluded = _groups_expression(negative, plan.expansions, " OR ", listed)
                plan.listed_text = f"({plan.listed_text}) NOT ({excluded})"
    elif negative:
        plan.text_excluded = _groups_expression(negative, plan.expansions, " OR ")
    return plan


def _add_filters(plan: Plan, parsed: ParsedQuery) -> None:
    plan.languages = list(parsed.languages)
    plan.excluded_languages = list(parsed.excluded_languages)
    if not parsed.facets:
        return
    tags = tag_choices({facet.facet for facet in parsed.facets})
    consumed: set[int] = set()
    chosen: dict[tuple[str, bool], list[int]] = {}
    for facet in parsed.facets:
        found: list[int] = []
        for size in range(len(facet.continuation), -1, -1):  # the longest value that names a tag
            words = [word for _index, word in facet.continuation[:size]]
            found = matching_tags(" ".join([facet.value, *words]), tags, facet.facet)
            if found:
                consumed.update(index for index, _word in facet.continuation[:size])
                break
        if not found:
            plan.impossible = True
            plan.notes.append(
                _("No {facet} called “{value}” in this archive.").format(
                    facet=_(facet.facet), value=facet.value
                )
            )
            continue
        chosen.setdefault((facet.facet, facet.negated), []).extend(found)
    for (_facet, negated), tag_ids in chosen.items():
        wanted = with_descendants(tag_ids, tags)
        if negated:
            plan.excluded_tags.extend(wanted)
        else:
            plan.tag_sets.append(wanted)
    if consumed:  # words that continued a facet value are not searched for as text
        for group in parsed.groups:
            group.clauses = [c for c in group.clauses if c.token not in consumed]
        parsed.groups = [group for group in parsed.groups if group.clauses]
