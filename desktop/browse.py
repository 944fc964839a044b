"""What the table shows: the search query, the facet selection and the sort order, turned into ids and counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.archive import Archive, DocumentFilter
from archive.search import SearchResult


@dataclass
class BrowseState:
    query: str = ""
    selected: dict[str, list[int]] = field(default_factory=dict)  # facet → tag ids (OR within, AND across)
    sort_key: str | None = None  # None: relevance for a search, newest import first otherwise
    descending: bool = False

    def has_facets(self) -> bool:
        return any(self.selected.values())


@dataclass
class BrowseResult:
    ids: list[int]
    counts: dict[int, int]  # tag id → documents of the result carrying it (regions include their places)
    hint: str | None = None
    search: SearchResult | None = None  # when a query was given


def browse(archive: Archive, state: BrowseState) -> BrowseResult:
    """The ordered ids and the facet counts of the current result."""
    where = DocumentFilter(tags={facet: list(ids) for facet, ids in state.selected.items() if ids})
    query = state.query.strip()
    if not query:
        order = state.sort_key or "id"
        descending = state.descending if state.sort_key else True  # newest import first
        ids = archive.document_ids(where, order=order, descending=descending)
        counts = archive.facet_counts(where, include_descendants=True) if ids else {}
        return BrowseResult(ids, counts)

    result = archive.search(query, limit=1)
    if state.sort_key is None:  # relevance, as the search ranked them
        allowed = set(archive.document_ids(where)) if state.has_facets() else None
        ids = [i for i in result.ids if allowed is None or i in allowed]
    else:
        wanted = set(result.ids)
        ordered = archive.document_ids(where, order=state.sort_key, descending=state.descending)
        ids = [i for i in ordered if i in wanted]
    counts = (
        archive.facet_counts(where if state.has_facets() else None, query=query, include_descendants=True)
        if ids
        else {}
    )
    return BrowseResult(ids, counts, hint=result.hint, search=result)
