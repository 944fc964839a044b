"""New documents on their way in (`NewDocument` → `Added`), the rows they are inserted as, and
`DocumentFilter`, the restriction `Archive.list_documents` and facet counts share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase
from qirtas.archive import search, tags
from qirtas.archive.models import Document, DocumentTag, tuples, utcnow
from qirtas.archive.store import sha256_bytes, text_digest
from qirtas.importers import Extracted
from qirtas.importers.notices import stored
from qirtas.importers.text import readable_file_name


@dataclass
class NewDocument:
    """A file ready to be added: its bytes, what was extracted from it, and where it came from."""

    data: bytes
    extracted: Extracted
    source_name: str
    sha256: str = ""
    prepared_index: search.PreparedIndex | None = None  # index terms computed ahead by an import worker
    # The original already written by an import worker (`OriginalsStore.write_incoming`): `data` is then
    # left empty and `size` and `sha256` say what the file holds.
    staged: str | os.PathLike | None = None
    size: int = -1

    def __post_init__(self) -> None:
        readable, raw = readable_file_name(self.source_name)
        if raw is not None:  # not UTF-8: stored readable, its bytes kept in the document's metadata
            self.source_name = readable
            metadata = {**self.extracted.metadata, "source_name_bytes": raw.hex()}
            self.extracted = dataclasses.replace(self.extracted, metadata=metadata)
        if not self.sha256:
            self.sha256 = sha256_bytes(self.data)
        if self.size < 0:
            self.size = len(self.data)


def stored_metadata(extracted: Extracted) -> dict:
    """The metadata a document keeps from an extraction: the importer's, and under "ocr" what OCR said of
    its text (engine, mean and per-page confidence, the spans of low-confidence words) when it was read so."""
    return {**extracted.metadata, "ocr": extracted.ocr} if extracted.ocr else extracted.metadata


def document_title(extracted: Extracted, source_name: str) -> str:
    """The title a new document gets: the one extracted, else the file name without its extension."""
    return extracted.title or Path(readable_file_name(source_name)[0]).stem


@dataclass
class Added:
    """The outcome of adding one file: its document id and whether it was already there."""

    id: int
    sha256: str
    duplicate: bool


@dataclass
class DocumentFilter:
    """What `list_documents` and facet counts restrict to. Tags are ids; a region includes its children."""

    tags: dict[str, list[int]] | None = None
    language: str | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    ids: Sequence[int] | None = None

    def restrict(self, query):
        """`query` (a select over `Document`) narrowed to the documents this filter lets through; run it
        bound to the archive's database (inside an `Archive` method), as the tag tree is read here."""
        if self.ids is not None:
            query = query.where(Document.id.in_(list(self.ids)))
        if self.language:
            query = query.where(Document.language == self.language)
        if self.status:
            query = query.where(Document.status == self.status)
        if self.date_from:
            query = query.where(Document.date >= self.date_from)
        if self.date_to:
            query = query.where(Document.date <= self.date_to)
        for _facet, tag_ids in (self.tags or {}).items():
            if not tag_ids:
                continue
            wanted = tags.tag_ids_with_descendants(tag_ids)
            tagged = DocumentTag.select(DocumentTag.document).where(DocumentTag.tag.in_(wanted))
            query = query.where(Document.id.in_(tagged))
        return query


def existing_ids(document_ids: list[int]) -> set[int]:
    """Those of `document_ids` that are documents of the bound archive."""
    found: set[int] = set()
    for start in range(0, len(document_ids), 500):
        chunk = document_ids[start : start + 500]
        found.update(row[0] for row in tuples(Document.select(Document.id).where(Document.id.in_(chunk))))
    return found


_DOCUMENT_FIELDS = [f for name, f in Document._meta.fields.items() if name != "id"]
_INSERT_DOCUMENT = "INSERT INTO document (id, {}) VALUES (?, {})".format(
    ", ".join(f.column_name for f in _DOCUMENT_FIELDS), ", ".join("?" for _f in _DOCUMENT_FIELDS)
)
_INSERT_AUDIT = "INSERT INTO auditevent (time, action, document_id, details) VALUES (?, ?, ?, ?)"


_json = json.JSONEncoder(ensure_ascii=False).encode  # what JSONField.db_value writes, without its set-up
_ROW_FIELDS = [  # the order of `_document_row`
    *("title", "language", "text", "source_name", "media_type", "sha256", "size", "pages", "page_starts"),
    *("date", "status", "metadata", "warnings", "imported_at", "modified_at", "text_sha256"),
]
assert [f.name for f in _DOCUMENT_FIELDS] == _ROW_FIELDS, "Document changed: update _document_row"


def _document_row(document_id: int, item: NewDocument, now: str) -> tuple:
    """The `document` row of a new file, in `_INSERT_DOCUMENT`'s order, with the values the model's
    fields would write (built directly: 16 `db_value` calls per row were a tenth of a batch's cost)."""
    extracted = item.extracted
    date = extracted.date
    title = document_title(extracted, item.source_name)
    return (
        document_id,
        title,
        extracted.language,
        extracted.text,
        item.source_name,
        extracted.media_type,
        item.sha256,
        item.size,
        len(extracted.page_starts),
        _json(extracted.page_starts) if extracted.page_starts else "[]",
        date.isoformat() if isinstance(date, dt.date) else date,
        extracted.status,
        _json(metadata) if (metadata := stored_metadata(extracted)) else "{}",
        _json([stored(w) for w in extracted.warnings]) if extracted.warnings else "[]",
        now,
        now,
        text_digest(title, extracted.text),
    )


def insert_documents(
    db: SqliteDatabase,
    items: list[NewDocument],
    lexicon: Iterable[tuple[str, str]] = (),
    sent: search.SentTerms | None = None,
) -> list[int]:
    """Insert new documents, their index rows and audit events: one statement per table for the lot.

    Call inside an IMMEDIATE transaction on `db`, bound to it. Ids count on from the largest, which is
    what SQLite itself would give (the table has no AUTOINCREMENT); nobody else can insert until the commit.
    """
    if not items:  # every file was a duplicate: the lexicon rows and terms sent with them are still new
        search.index_documents([], lexicon, sent)
        return []
    now = utcnow().isoformat(" ")  # as sqlite3 writes a datetime
    (last,) = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM document").fetchone()
    ids = list(range(last + 1, last + 1 + len(items)))
    # Prepared statements instead of Model.create(): peewee's SQL generation and model objects were
    # most of a batch import's cost (measured with cProfile on generated documents).
    rows = [_document_row(document_id, item, now) for document_id, item in zip(ids, items, strict=True)]
    cursor = db.cursor()
    cursor.executemany(_INSERT_DOCUMENT, rows)
    search.index_documents(
        [
            (document_id, row[1], row[3], row[2], item.extracted.date, item.prepared_index)
            for document_id, row, item in zip(ids, rows, items, strict=True)
        ],
        lexicon,
        sent,
    )
    cursor.executemany(
        _INSERT_AUDIT,
        [
            (
                now,
                "imported",
                document_id,
                _json({"source": item.source_name, "sha256": item.sha256, "status": item.extracted.status}),
            )
            for document_id, item in zip(ids, items, strict=True)
        ],
    )
    return ids


__all__ = [
    "Added",
    "DocumentFilter",
    "NewDocument",
    "document_title",
    "existing_ids",
    "insert_documents",
    "stored_metadata",
]
