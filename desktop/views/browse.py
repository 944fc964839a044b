"""What the table shows: the search query, the facet selection and the sort order, turned into ids and counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from qirtas.archive.archive import Archive, DocumentFilter
from qirtas.archive.search import SearchResult


@dataclass
class BrowseState:
    query: str = ""
    selected: dict[str, list[int]] = field(default_factory=dict)  # facet → tag ids (OR within, AND across)
    sort_key: str | None = None  # None: relevance for a search, newest import first otherwise
    descending: bool = False
    ids: list[int] | None = None  # only these documents (View › integrity findings); None: no such limit

    def has_facets(self) -> bool:
        return any(self.selected.values()) or self.ids is not None


@dataclass
class BrowseResult:
    ids: list[int]  # in order; only the first ones when `complete` is False
    counts: dict[int, int]  # tag id → documents of the result carrying it (regions include their places)
    total: int = 0
    hint: str | None = None
    counts_pending: bool = False  # the counts of this (large) result are still to be read
    search: SearchResult | None = None  # when a query was given
    total_exact: bool = True  # False: more than `total` match (a quick search stops counting)

    @property
    def complete(self) -> bool:
        return self.total_exact and len(self.ids) >= self.total


def _where(state: BrowseState) -> DocumentFilter:
    return DocumentFilter(
        tags={facet: list(ids) for facet, ids in state.selected.items() if ids}, ids=state.ids
    )


def _order(state: BrowseState) -> tuple[str, bool]:
    if state.sort_key is None:
        return "id", True  # newest import first
    return state.sort_key, state.descending


def browse(archive: Archive, state: BrowseState, first: int | None = None) -> BrowseResult:
    """The ordered ids and the facet counts of the current result.

    Without a search and with `first`, only the first ids are read (with the total), and the counts
    only when that is the whole result: a 100,000-row result shows at once, and `all_ids` and
    `facet_counts` fetch the rest on a worker thread.
    """
    where = _where(state)
    query = state.query.strip()
    if not query:
        order, descending = _order(state)
        if first is not None:
            total, documents = archive.list_documents(where, order, descending, limit=first)
            ids = [document.id for document in documents]
        else:
            ids = archive.document_ids(where, order=order, descending=descending)
            total = len(ids)
        complete = len(ids) >= total
        counts = facet_counts(archive, state) if ids and complete else {}
        return BrowseResult(ids, counts, total, counts_pending=bool(ids) and not complete)

    if first is not None and state.sort_key is None and not state.has_facets():
        # A broad search shows its first ranked rows at once; `all_ids` brings the complete ranking.
        result = archive.search(query, limit=1, quick=True)
        if not result.complete:
            return BrowseResult(
                result.ids[:first],
                {},
                result.total,
                hint=result.hint,
                counts_pending=True,
                search=result,
                total_exact=result.total_exact,
            )
    else:
        result = archive.search(query, limit=1)
    ids = _search_ids(archive, state, result.ids)
    # The counts of a large search result are left to the read thread too (`counts_pending`).
    small = first is None or len(ids) <= first
    counts = facet_counts(archive, state) if ids and small else {}
    found = BrowseResult(ids, counts, len(ids), hint=result.hint, search=result)
    found.counts_pending = bool(ids) and not small
    return found


def _search_ids(archive: Archive, state: BrowseState, ranked: list[int]) -> list[int]:
    """The ids of a search result (`ranked`, best first) within the facet selection, in the table's order."""
    where = _where(state)
    if state.sort_key is None:  # relevance, as the search ranked them
        allowed = set(archive.document_ids(where)) if state.has_facets() else None
        return [i for i in ranked if allowed is None or i in allowed]
    wanted = set(ranked)
    ordered = archive.document_ids(where, order=state.sort_key, descending=state.descending)
    return [i for i in ordered if i in wanted]


def facet_counts(archive: Archive, state: BrowseState) -> dict[int, int]:
    """Tag id → documents of the current result carrying it or a tag below it (each document once)."""
    where = _where(state) if state.has_facets() else None
    return archive.facet_counts(where, query=state.query.strip() or None, include_descendants=True)


def all_ids(archive: Archive, state: BrowseState) -> list[int]:
    """Every id of a result `browse` returned in part, in the table's order."""
    query = state.query.strip()
    if query:
        return _search_ids(archive, state, archive.search_ids(query))
    order, descending = _order(state)
    return archive.document_ids(_where(state), order=order, descending=descending)
