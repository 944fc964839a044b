"""Running a search: a query's plan, its matches counted and ranked, and a page of hits with snippets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from peewee import OperationalError
from qirtas.archive import query as query_language
from qirtas.archive.models import database
from qirtas.archive.search.index import FTS
from qirtas.archive.search.plan import Plan, make_plan, quoted
from qirtas.archive.search.ranking import rank_here
from qirtas.archive.search.snippets import Hit, Marker, hit
from qirtas.i18n.catalog import _

COUNT_LIMIT = 1_000  # a quick search counts matches up to this many ("more than 1,000" beyond) ...
CANDIDATES = 300  # ... and ranks this many of the most recently added (all of a smaller result)


@dataclass
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)
    hint: str | None = None  # a readable sentence when the query was empty, unclear or found nothing
    ids: list[int] = field(default_factory=list)  # every matching id, best first (see `complete`)
    ranked_among: int | None = None  # a quick search ranked its first ids among this many recent matches
    total_exact: bool = True  # False: more than `total` match (a quick search stops counting there)

    @property
    def complete(self) -> bool:
        """False when `ids` holds only the first of the matches (a quick search of a broad query)."""
        return self.total_exact and len(self.ids) >= self.total


def _fetch(plan: Plan, build: Callable[[], tuple[str, list]]) -> list[tuple]:
    """Rows of the SQL `build()` makes from the plan. Should FTS5 still reject the expression (every term
    is quoted, so it should not), the query's plain words are searched instead, and the hint says so."""
    sql, parameters = build()
    try:
        return database.execute_sql(sql, parameters).fetchall()
    except OperationalError as error:
        if "fts5" not in str(error).lower() and "match" not in str(error).lower():
            raise
    terms = plan.parsed.terms()
    plan.rewritten = True
    plan.listed_text = None
    plan.text = " AND ".join(quoted([term]) for term in terms) if terms else None
    plan.text_excluded = None
    plan.notes.append(_("Part of the query could not be understood; searched for its words."))
    if not plan.text:
        return []
    sql, parameters = build()
    return database.execute_sql(sql, parameters).fetchall()


def prepared(query: str) -> tuple[Plan, None] | tuple[None, SearchResult]:
    """The plan of a query, or the (empty) result that says why there is nothing to run."""
    parsed = query_language.parse(query if isinstance(query, str) else "")
    if not parsed.blank and not parsed.groups and not parsed.has_filters:
        return None, SearchResult(total=0, hint=" ".join([*parsed.notes, _("Type a word to search for.")]))
    plan = make_plan(parsed)
    if plan.impossible:
        return None, SearchResult(total=0, hint=" ".join(plan.notes))
    return plan, None


def search(query: str, limit: int = 50, offset: int = 0, quick: bool = False) -> SearchResult:
    """Documents matching `query` (see `archive.query` for the language), best first. Never raises on
    any input: what cannot be read becomes plain words or is left out, and `hint` says so.

    An empty query lists every document (with its facet filters applied), in id order.

    Ranking every match of a broad query costs about 2.5 µs a match (bm25 reads each one's position
    lists and length): 150 ms for 60,000. With `quick` (what a screen wants as one types), a request
    within the first `CANDIDATES` rows counts the matches up to `COUNT_LIMIT` (`total_exact` is False
    beyond) and ranks the `CANDIDATES` most recently added (`ranked_among` says so when there are more;
    a smaller result is ranked whole, in bm25's order). `ranked_ids(query)` gives the complete ranking
    (the desktop reads it on a worker thread).
    """
    planned = prepared(query)
    if planned[0] is None:  # indexed, not unpacked: mypy narrows the pair, not two separate names
        return planned[1]
    plan = planned[0]
    limit, offset = max(0, int(limit)), max(0, int(offset))
    ranked_among, total_exact = None, True
    if quick and plan.expression() and offset + limit <= CANDIDATES:
        rows = _fetch(plan, lambda: plan.sample(COUNT_LIMIT + 1))
        total_exact = len(rows) <= COUNT_LIMIT
        total = min(len(rows), COUNT_LIMIT)
        if plan.ranked:
            whole = len(rows) <= CANDIDATES
            candidates = [row[0] for row in rows[:CANDIDATES]]
            try:
                ranked = rank_here(plan, candidates, whole)
            except OperationalError:  # FTS5's shadow tables not as expected: let FTS5 rank
                ranked = None
            rows = ranked or _fetch(plan, plan.select if whole else lambda: plan.newest_ranked(CANDIDATES))
            ranked_among = None if whole else len(candidates)
        else:
            rows = rows[:total]
    else:
        rows = _fetch(plan, plan.select)
        total = len(rows)
    hits = _hits(plan, rows[offset : offset + limit])
    notes = list(plan.notes)
    if not total:
        notes.append(_("Nothing matches; check the spelling, use fewer words, or remove a filter."))
    return SearchResult(
        total=total,
        hits=hits,
        hint=" ".join(notes) or None,
        ids=[row[0] for row in rows],
        ranked_among=ranked_among,
        total_exact=total_exact,
    )


def ranked_ids(query: str) -> list[int]:
    """Every id matching `query`, best first (as `search` without `quick` ranks them)."""
    plan, _empty = prepared(query)
    return [] if plan is None else [row[0] for row in _fetch(plan, plan.select)]


def _hits(plan: Plan, page: list[tuple[int, float]]) -> list[Hit]:
    """The page's documents with their snippets, in the page's order."""
    if not page:
        return []
    marker = Marker(plan)
    wanted = [document_id for document_id, _score in page]
    marks = ", ".join("?" for _id in wanted)
    # The indexed terms of each page document come along: matches are found in them, then marked
    # in the original words (a MATCH per row, or highlight(), costs far more).
    sql = (
        f"SELECT d.id, d.title, d.language, d.text, d.date, {FTS}.title, {FTS}.body "
        f"FROM document d CROSS JOIN {FTS} ON {FTS}.rowid = d.id WHERE d.id IN ({marks})"
    )
    found = {row[0]: row for row in database.execute_sql(sql, wanted).fetchall()}
    return [hit(found[i], -score or 0.0, marker) for i, score in page if i in found]
