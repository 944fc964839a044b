"""Full-text search of an archive: an FTS5 index of normalised, stemmed terms, ranked results with
snippets of the original text, and facet counts. The query language is `archive.query`.

`index` writes the index in the transactions that write documents; `plan` turns a parsed query into one
FTS5 expression; `results` runs it (`search`, `ranked_ids`); `ranking` ranks a quick search's candidates
with bm25 computed from FTS5's tables, checked per database against FTS5's own `bm25()`; `snippets` marks
the matches in the original text; `facets` counts tags; `state` holds what search keeps per database.
"""

from qirtas.archive.search.facets import facet_counts
from qirtas.archive.search.index import (
    BULK_REWRITES,
    INDEX_VERSION,
    TITLE_WEIGHT,
    PreparedIndex,
    SentTerms,
    changed_index_rows,
    create_index,
    index_document,
    index_documents,
    index_size,
    index_terms,
    indexed_ids,
    language_token,
    lexicon_entries,
    optimize_index,
    prepare_index,
    rebuild_index,
    remove_document,
)
from qirtas.archive.search.ranking import check_ranking
from qirtas.archive.search.results import CANDIDATES, COUNT_LIMIT, SearchResult, ranked_ids, search
from qirtas.archive.search.snippets import MARK_CLOSE, MARK_OPEN, SNIPPET_CHARS, Hit, highlight, mark
from qirtas.archive.search.state import SearchState, state_of

__all__ = [
    "BULK_REWRITES",
    "CANDIDATES",
    "COUNT_LIMIT",
    "INDEX_VERSION",
    "MARK_CLOSE",
    "MARK_OPEN",
    "SNIPPET_CHARS",
    "TITLE_WEIGHT",
    "Hit",
    "PreparedIndex",
    "SearchResult",
    "SearchState",
    "SentTerms",
    "changed_index_rows",
    "check_ranking",
    "create_index",
    "facet_counts",
    "highlight",
    "index_document",
    "index_documents",
    "index_size",
    "index_terms",
    "indexed_ids",
    "language_token",
    "lexicon_entries",
    "mark",
    "optimize_index",
    "prepare_index",
    "ranked_ids",
    "rebuild_index",
    "remove_document",
    "search",
    "state_of",
]
