"""Full-text search: an FTS5 index over normalised title and text, kept in sync by the archive."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peewee import SqliteDatabase

from archive.models import Document, database
from i18n.normalize import normalize

# Bump when the normaliser or the index layout changes: archives re-index themselves when opened.
INDEX_VERSION = "1"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    id: int
    title: str
    language: str
    snippet: str
    score: float


@dataclass
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)
    hint: str | None = None
    ids: list[int] = field(default_factory=list)  # every matching id, best first


def create_index(db: SqliteDatabase) -> None:
    db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS document_fts USING fts5(title, body, tokenize='unicode61')"
    )


def index_document(document: Document) -> None:
    database.execute_sql("DELETE FROM document_fts WHERE rowid = ?", (document.id,))
    database.execute_sql(
        "INSERT INTO document_fts(rowid, title, body) VALUES (?, ?, ?)",
        (document.id, normalize(document.title), normalize(document.text)),
    )


def remove_document(document_id: int) -> None:
    database.execute_sql("DELETE FROM document_fts WHERE rowid = ?", (document_id,))


def rebuild_index(db: SqliteDatabase) -> None:
    db.execute_sql("DELETE FROM document_fts")
    for document in Document.select(Document.id, Document.title, Document.text).iterator():
        index_document(document)


def indexed_ids() -> set[int]:
    return {row[0] for row in database.execute_sql("SELECT rowid FROM document_fts")}


def _fts_query(query: str) -> str:
    words = _WORD.findall(normalize(query))
    return " ".join(f'"{word}"' for word in words)


def search(query: str, limit: int = 50, offset: int = 0) -> SearchResult:
    """Every word must match; ranked by bm25 with the title weighted above the text. Never raises."""
    match = _fts_query(query)
    if not match:
        return SearchResult(total=0, hint="Type a word to search for.")
    rows = database.execute_sql(
        "SELECT rowid, bm25(document_fts, 5.0, 1.0) AS score FROM document_fts "
        "WHERE document_fts MATCH ? ORDER BY score",
        (match,),
    ).fetchall()
    ids = [row[0] for row in rows]
    scores = {row[0]: -row[1] for row in rows}
    page = ids[offset : offset + limit]
    documents = {d.id: d for d in Document.select().where(Document.id.in_(page))}
    hits = [
        Hit(d.id, d.title, d.language, d.text[:200], scores[d.id])
        for d in (documents[i] for i in page if i in documents)
    ]
    return SearchResult(total=len(ids), hits=hits, ids=ids)
