"""The one API to an archive folder, used by the command line and the GUI alike."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path

from peewee import DatabaseError, SqliteDatabase
from qirtas.archive import documents, schema, search, tags
from qirtas.archive.documents import Added, DocumentFilter, NewDocument, document_title
from qirtas.archive.models import (
    FACETS,
    AuditEvent,
    Document,
    DocumentLink,
    Tag,
    database,
    uses_archive,
    utcnow,
)
from qirtas.archive.store import OriginalsStore
from qirtas.i18n import _
from qirtas.i18n.script import shows_nothing
from qirtas.importers import Extracted
from qirtas.importers.notices import stored

DB_NAME = "qirtas.sqlite3"
ORIGINALS = "originals"


class ArchiveError(Exception):
    """A problem with the archive a person can act on; the message says what."""


class DocumentNotFound(ArchiveError):
    pass


@lru_cache(maxsize=1)
def _freeze_start_up_objects() -> None:
    """Once per process, when the first archive opens: what exists by then (modules, Qt bindings, the
    normaliser's tables) lives as long as the process, so leave it out of Python's full garbage
    collections, each of which traversed all of it — an 18 ms pause inside a search every few queries
    (measured on the 100,000-document search benchmark). Reference counting still frees these objects;
    only reference cycles among them would stay."""
    gc.freeze()


def _bound_to_own_database(cls: type) -> type:
    """Wrap every method of `cls` (not the opening and closing ones) so it runs bound to `self.db`:
    `uses_archive`, the same wrapper as the core's functions that take an archive first."""
    for name, value in list(vars(cls).items()):
        if callable(value) and not isinstance(value, type) and name not in _UNBOUND_METHODS:
            setattr(cls, name, uses_archive(value))
    return cls


_UNBOUND_METHODS = {"__init__", "open", "close", "bound", "refuse_writes", "__enter__", "__exit__"}


@_bound_to_own_database
class Archive:
    """An archive folder: `qirtas.sqlite3` plus the `originals/` store.

    Every method runs with the models bound to this archive's database in the calling thread
    (`_bound_to_own_database`), so several archives can be open in one process, and a background thread
    working for one keeps writing to it when another opens (bind it with `bound()`).
    """

    def __init__(self, path: Path, db: SqliteDatabase, read_only: bool = False) -> None:
        self.path = Path(path)
        self.db = db
        self.originals = OriginalsStore(self.path / ORIGINALS)
        self.read_only = read_only  # on a disk Qirtas cannot write to: reading, searching, exporting only

    # ---- opening -----------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, create: bool = True, read_only: bool | None = None) -> Archive:
        """Open the archive in `path` (creating it when `create` and the folder is empty or absent).
        `read_only`: None decides by whether the folder and database may be written (or
        `QIRTAS_READ_ONLY=1`); a read-only archive can be read, searched, verified and exported."""
        path = Path(path).expanduser().resolve()
        db_path = path / DB_NAME
        if read_only is None:
            read_only = os.environ.get("QIRTAS_READ_ONLY") == "1" or (
                db_path.exists() and not (os.access(path, os.W_OK) and os.access(db_path, os.W_OK))
            )
        if not db_path.exists():
            if not create or read_only:
                raise ArchiveError(_("There is no Qirtas archive in {folder}.").format(folder=path))
            if path.exists() and any(p for p in path.iterdir() if p.name != ORIGINALS):
                raise ArchiveError(
                    _("{folder} is not empty and holds no archive; choose an empty folder.").format(
                        folder=path
                    )
                )
            path.mkdir(parents=True, exist_ok=True)  # an OSError names its path: the CLI and GUI say it
        try:
            db = schema.connect(db_path, read_only=read_only)
        except schema.SchemaError as error:
            raise ArchiveError(str(error)) from error
        except DatabaseError as error:  # not a database, damaged, unreadable: the CLI names its kind
            raise ArchiveError(
                _("The archive database {path} cannot be opened ({reason}).").format(
                    path=db_path, reason=error
                )
            ) from error
        _freeze_start_up_objects()
        return cls(path, db, read_only)

    def refuse_writes(self) -> None:
        """Raise a sentence when this archive is read-only (before any file is written for a change)."""
        if self.read_only:
            raise ArchiveError(
                _(
                    "The archive {folder} is read-only (on a disk Qirtas cannot write to): it can be read, "
                    "searched, verified and exported, not changed. Copy it to a writable disk to change it."
                ).format(folder=self.path)
            )

    def close(self) -> None:
        schema.disconnect(self.db)

    def bound(self) -> AbstractContextManager[None]:
        """Inside the block, this thread's model queries go to this archive (for background workers)."""
        return database.bound(self.db)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    # ---- adding ------------------------------------------------------------------------------------
    def add(self, item: NewDocument) -> Added:
        """Store one original and its document in one transaction (a durable write of its own)."""
        return self.add_batch([item], durable_each=True)[0]

    def add_batch(
        self,
        items: Sequence[NewDocument],
        durable_each: bool = False,
        lexicon: Iterable[tuple[str, str]] = (),
        sent: search.SentTerms | None = None,
    ) -> list[Added]:
        """Store many files in one transaction with one flush of their originals. (`lexicon`, `sent`:
        prefix lexicon rows and index terms sent ahead by import workers, see `search.index_documents`.)

        Order of writes keeps a crash harmless: originals are written and flushed first (an original
        without a document is an orphan that `verify --repair` sets aside), then the documents are
        committed. Files whose SHA-256 is already archived come back as duplicates.
        """
        self.refuse_writes()
        known = self._ids_for_hashes([item.sha256 for item in items])
        to_store: dict[str, NewDocument] = {}
        for item in items:
            if item.sha256 not in known and item.sha256 not in to_store:
                to_store[item.sha256] = item
            elif item.staged is not None:
                self.originals.discard(item.staged)  # a duplicate's temp file
        written: list[str | Path] = [
            *self.originals.stage_many(
                [(sha, item.data) for sha, item in to_store.items() if item.staged is None],
                durable=durable_each,
            )
        ]
        staged = [(sha, item.staged) for sha, item in to_store.items() if item.staged is not None]
        if durable_each:
            written += [self.originals.place(sha, incoming, durable=True) for sha, incoming in staged]
        # Staged originals are renamed into place, then flushed, in a thread while the rows are inserted
        # (renames were a tenth of a batch import's work here); the commit waits for both.
        flushed = (
            self.originals.flush_in_background(written, place=staged)
            if (written or staged) and not durable_each
            else None
        )
        added: set[str] = set()
        try:
            with self.db.atomic("IMMEDIATE"):
                known.update(self._ids_for_hashes(list(to_store)))  # another process may have won the race
                new = [item for sha, item in to_store.items() if sha not in known]
                for item, document_id in zip(new, self._insert_documents(new, lexicon, sent), strict=True):
                    known[item.sha256] = document_id
                    added.add(item.sha256)
                if flushed:
                    flushed()
        finally:
            if flushed:
                flushed()  # never leave the flush running past a failed transaction either
        results: list[Added] = []
        for item in items:
            is_new = item.sha256 in added
            added.discard(item.sha256)  # a repeat of the same file in this batch is a duplicate
            results.append(Added(known[item.sha256], item.sha256, duplicate=not is_new))
        return results

    def _insert_documents(
        self,
        items: list[NewDocument],
        lexicon: Iterable[tuple[str, str]] = (),
        sent: search.SentTerms | None = None,
    ) -> list[int]:
        """Insert new documents, their index rows and audit events (`documents.insert_documents`); call
        inside an IMMEDIATE transaction."""
        return documents.insert_documents(self.db, items, lexicon, sent)

    def _ids_for_hashes(self, hashes: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(
                self.db.execute_sql(f"SELECT sha256, id FROM document WHERE sha256 IN ({marks})", chunk)
            )
        return found

    def find_by_sha256(self, sha256: str) -> int | None:
        return self._ids_for_hashes([sha256]).get(sha256)

    def replace_extraction(self, document_id: int, extracted: Extracted, reason: str) -> Document:
        """Re-read a document from its original (e.g. with a password); the original is untouched."""
        self.refuse_writes()
        with self.db.atomic("IMMEDIATE"):
            document = self.get(document_id)
            document.title = extracted.title or document.title
            document.language = extracted.language
            document.text = extracted.text
            document.pages = extracted.pages
            document.page_starts = extracted.page_starts
            document.date = extracted.date or document.date
            document.status = extracted.status
            # A file name that was not UTF-8 keeps its bytes (`NewDocument`); the rest is the new reading's.
            kept = {key: document.metadata[key] for key in ("source_name_bytes",) if key in document.metadata}
            document.metadata = {**documents.stored_metadata(extracted), **kept}
            document.warnings = [stored(w) for w in extracted.warnings]
            document.modified_at = utcnow()
            document.save()
            search.index_document(document)
            self.audit("re-extracted", document_id, reason=reason)
        return document

    def update_document(self, document_id: int, **fields) -> Document:
        """Edit title, date or language (an archivist's correction), recorded in the audit trail."""
        self.refuse_writes()
        allowed = {"title", "date", "language"}
        unknown = set(fields) - allowed
        if unknown:
            raise ArchiveError(
                _("These fields cannot be edited: {fields}.").format(fields=", ".join(sorted(unknown)))
            )
        with self.db.atomic("IMMEDIATE"):
            document = self.get(document_id)
            before = {name: str(getattr(document, name)) for name in fields}
            for name, value in fields.items():
                setattr(document, name, value)
            document.modified_at = utcnow()
            document.save()
            search.index_document(document)
            self.audit("edited", document_id, before=before, after={k: str(v) for k, v in fields.items()})
        return document

    def delete_document(self, document_id: int) -> None:
        """Remove a document from the catalogue. Its original stays in the store (verify reports it)."""
        self.refuse_writes()
        with self.db.atomic("IMMEDIATE"):
            document = self.get(document_id)
            search.remove_document(document_id)
            document.delete_instance(recursive=True)
            self.audit("deleted", document_id, sha256=document.sha256, title=document.title)

    # ---- reading -----------------------------------------------------------------------------------
    def get(self, document_id: int) -> Document:
        document = Document.get_or_none(Document.id == document_id)
        if document is None:
            raise DocumentNotFound(_("There is no document {id} in this archive.").format(id=document_id))
        return document

    def original_path(self, document: Document) -> Path:
        return self.originals.path_for(document.sha256)

    def count(self) -> int:
        return Document.select().count()

    def list_documents(
        self,
        where: DocumentFilter | None = None,
        order: str = "id",
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[int, list[Document]]:
        """Documents matching the filter (total, one page). Only light columns are loaded."""
        columns = [c for name, c in Document._meta.fields.items() if name != "text"]
        query = Document.select(*columns)
        query = where.restrict(query) if where is not None else query
        total = query.count()
        sort = getattr(Document, order, Document.id)
        query = query.order_by(sort.desc() if descending else sort, Document.id)
        if limit is not None or offset:
            query = query.limit(limit).offset(offset)  # SQLite's LIMIT -1 when only an offset is given
        return total, list(query)

    def document_ids(
        self, where: DocumentFilter | None = None, order: str = "id", descending: bool = False
    ) -> list[int]:
        sort = getattr(Document, order, Document.id)
        query = Document.select(Document.id)
        query = where.restrict(query) if where is not None else query
        query = query.order_by(sort.desc() if descending else sort, Document.id)
        # A plain cursor: peewee's row wrapping took 0.6 s of 0.8 s for 100,000 ids.
        sql, params = query.sql()
        return [row[0] for row in self.db.execute_sql(sql, params)]

    def search(
        self, query: str, limit: int = 50, offset: int = 0, quick: bool = False
    ) -> search.SearchResult:
        """Full-text search with facet filters (language in `archive.query`); never raises on any input.

        `.hits` is one page (snippets marked with << >>, match spans in `.matches`), `.ids` every matching
        id best first, `.hint` a readable sentence or None. An empty query lists every document. The
        sidebar's counts for this result: `facet_counts(query=query)`; the matches in a whole text (the
        reader): `highlight(query, text, language)`.

        `quick` (what an interactive screen wants): a broad result comes back at once with its exact
        `total` and its first ids ranked among its most recent matches (`.complete` is False); the full
        ranking is `search_ids(query)`.
        """
        return search.search(query, limit=limit, offset=offset, quick=quick)

    def highlight(self, query: str, text: str, language: str | None = None) -> list[tuple[int, int]]:
        """Spans of `text` (a whole document, in `language`, shown in the reader) that match `query`, as
        this archive's search matched them (its stemmings: a French word found by its French stem)."""
        return search.highlight(query, text, language)

    def search_ids(self, query: str) -> list[int]:
        """Every id matching `query`, best first."""
        return search.ranked_ids(query)

    # ---- tags (their queries: `archive.tags`) ---------------------------------------------------------
    def tags(self, facet: str | None = None) -> list[Tag]:
        query = Tag.select().order_by(Tag.facet, Tag.name_en, Tag.name_ar)
        if facet:
            query = query.where(Tag.facet == facet)
        return list(query)

    def find_tag(self, facet: str, name: str) -> Tag | None:
        """A tag by its English or Arabic name (case-insensitive), or its CLDR code."""
        return tags.find_tag(facet, name)

    def ensure_tag(
        self,
        facet: str,
        name_en: str = "",
        name_ar: str = "",
        parent: Tag | None = None,
        code: str | None = None,
        date: dt.date | None = None,
        place: str = "",
    ) -> Tag:
        """The tag with these names, created if it does not exist yet."""
        self.refuse_writes()
        if facet not in FACETS:
            raise ArchiveError(_("Unknown facet {facet!r}: use event, region or theme.").format(facet=facet))
        if not (name_en or name_ar):
            raise ArchiveError(_("A tag needs a name in English or Arabic."))
        if all(shows_nothing(name) for name in (name_en, name_ar) if name):  # from a bag, the GUI, a script
            raise ArchiveError(_("A tag name needs visible letters, not only spaces or invisible marks."))
        existing = (name_en and self.find_tag(facet, name_en)) or (name_ar and self.find_tag(facet, name_ar))
        if existing:
            return existing
        with self.db.atomic():
            tag = Tag.create(
                facet=facet,
                name_en=name_en,
                name_ar=name_ar,
                parent=parent,
                code=code,
                date=date,
                place=place,
            )
            self.audit("tag-created", None, tag=tag.id, facet=facet, en=name_en, ar=name_ar)
        return tag

    def tag_ids_with_descendants(self, tag_ids: Iterable[int]) -> list[int]:
        """The tags and every tag below them (Central Asia → Tajikistan → Dushanbe)."""
        return tags.tag_ids_with_descendants(tag_ids)

    def tag_documents(self, document_ids: Iterable[int], tag: Tag, suggested: bool = False) -> int:
        """Attach `tag` to documents (in one transaction); returns how many gained it."""
        self.refuse_writes()
        wanted = list(dict.fromkeys(document_ids))
        with self.db.atomic("IMMEDIATE"):
            existing = documents.existing_ids(wanted)
            missing = [i for i in wanted if i not in existing]
            if missing:
                raise DocumentNotFound(_("There is no document {id} in this archive.").format(id=missing[0]))
            new = tags.attach(wanted, tag, suggested)
            label = tag.label()
            for document_id in new:
                self.audit("tagged", document_id, tag=tag.id, facet=tag.facet, name=label)
        if len(new) >= search.BULK_REWRITES:
            search.optimize_index()
        return len(new)

    def untag_documents(self, document_ids: Iterable[int], tag: Tag) -> int:
        self.refuse_writes()
        removed = 0
        with self.db.atomic("IMMEDIATE"):
            for document_id in document_ids:
                count = tags.detach(document_id, tag)
                if count:
                    removed += count
                    self.audit("untagged", document_id, tag=tag.id, facet=tag.facet, name=tag.label())
        if removed >= search.BULK_REWRITES:
            search.optimize_index()
        return removed

    def document_tags(self, document_id: int) -> dict[str, list[Tag]]:
        return tags.document_tags(document_id)

    def tags_for_documents(self, document_ids: Sequence[int]) -> dict[int, list[Tag]]:
        """Tags of many documents in one query (for table rows)."""
        return tags.tags_for_documents(document_ids)

    def facet_counts(
        self,
        where: DocumentFilter | None = None,
        query: str | None = None,
        include_descendants: bool = False,
    ) -> dict[int, int]:
        """Tag id → how many documents of the current set carry it (directly, or with
        `include_descendants` also through a tag below it, each document once).

        The current set is the documents matching the search `query` (same text as given to `search`,
        facet filters included) and the filter `where`; both optional. For a search result call
        `facet_counts(query=text)` — not `DocumentFilter(ids=result.ids)`, which is slow on large sets.
        """
        within = where.restrict(Document.select(Document.id)).sql() if where is not None else None
        return search.facet_counts(query, within=within, include_descendants=include_descendants)

    # ---- links -------------------------------------------------------------------------------------
    def translations(self, document_id: int) -> list[int]:
        links = DocumentLink.select().where(
            (DocumentLink.document == document_id) | (DocumentLink.translation == document_id)
        )
        return sorted(
            link.translation_id if link.document_id == document_id else link.document_id for link in links
        )

    # ---- provenance --------------------------------------------------------------------------------
    def audit(self, action: str, document_id: int | None, **details) -> None:
        self.refuse_writes()
        self.db.execute_sql(
            "INSERT INTO auditevent (time, action, document_id, details) VALUES (?, ?, ?, ?)",
            (utcnow(), action, document_id, AuditEvent.details.db_value(details)),
        )

    def audit_trail(self, document_id: int | None = None) -> list[AuditEvent]:
        query = AuditEvent.select().order_by(AuditEvent.id)
        if document_id is not None:
            query = query.where(AuditEvent.document_id == document_id)
        return list(query)


__all__ = [
    "Added",
    "Archive",
    "ArchiveError",
    "DocumentFilter",
    "DocumentNotFound",
    "NewDocument",
    "document_title",
]
