"""What the table shows: the search query, the facet selection and the sort order, turned into ids and counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from archive.archive import Archive, DocumentFilter

# SQLite limits the number of bound parameters; id lists are sent in chunks below it.
_CHUNK = 20_000


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
    counts: dict[int, int]  # tag id → documents of the result carrying it (regions include their children)
    hint: str | None = None
    search: object | None = None  # the archive's SearchResult when a query was given


def _filter(state: BrowseState) -> DocumentFilter:
    return DocumentFilter(tags={facet: list(ids) for facet, ids in state.selected.items() if ids})


def browse(archive: Archive, state: BrowseState) -> BrowseResult:
    """The ordered ids and facet counts of the current result."""
    where = _filter(state)
    if not state.query.strip():
        if state.sort_key is None:
            ids = archive.document_ids(where, order="id", descending=True)
        else:
            ids = archive.document_ids(where, order=state.sort_key, descending=state.descending)
        counts = archive.facet_counts(where) if ids else {}
        counts = _with_region_rollup(archive, counts, ids, browsing=where)
        return BrowseResult(ids, counts)

    result = archive.search(state.query, limit=1)
    matching = list(result.ids)
    if state.sort_key is None:
        allowed = set(archive.document_ids(where)) if state.has_facets() else None
        ids = [i for i in matching if allowed is None or i in allowed]
    else:
        wanted = set(matching)
        ordered = archive.document_ids(where, order=state.sort_key, descending=state.descending)
        ids = [i for i in ordered if i in wanted]
    counts = counts_for_ids(archive, ids)
    counts = _with_region_rollup(archive, counts, ids, browsing=None)
    return BrowseResult(ids, counts, hint=getattr(result, "hint", None), search=result)


def counts_for_ids(archive: Archive, ids: Sequence[int]) -> dict[int, int]:
    """Facet counts over an explicit set of documents (summed over chunks: the sets are disjoint)."""
    counts: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for tag_id, count in archive.facet_counts(DocumentFilter(ids=chunk)).items():
            counts[tag_id] = counts.get(tag_id, 0) + count
    return counts


def _with_region_rollup(
    archive: Archive, counts: dict[int, int], ids: Sequence[int], browsing: DocumentFilter | None
) -> dict[int, int]:
    """Regions count the documents tagged with them or any place inside them, each document once."""
    regions = archive.tags("region")
    children: dict[int, list[int]] = {}
    for region in regions:
        if region.parent_id is not None:
            children.setdefault(region.parent_id, []).append(region.id)
    if not children:
        return counts

    def subtree_has_documents(tag_id: int) -> bool:
        if counts.get(tag_id):
            return True
        return any(subtree_has_documents(child) for child in children.get(tag_id, []))

    result = dict(counts)
    id_set: set[int] | None = None
    for parent_id in children:
        if not subtree_has_documents(parent_id):
            continue
        if browsing is not None and not (browsing.tags or {}).get("region"):
            # Count in SQL: the current filter plus this region.
            region_filter = DocumentFilter(tags={**(browsing.tags or {}), "region": [parent_id]})
            result[parent_id], _rows = archive.list_documents(region_filter, limit=0)
            continue
        browsing = None  # regions already selected are OR-ed together: count inside the result instead
        if id_set is None:
            id_set = set(ids)
        in_region = archive.document_ids(DocumentFilter(tags={"region": [parent_id]}))
        result[parent_id] = sum(1 for i in in_region if i in id_set)
    return result
