"""The one API to an archive folder, used by the command line and the GUI alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import json
import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from peewee import DatabaseError, SqliteDatabase, fn
from qirtas.archive import schema, search
from qirtas.archive.models import (
    AuditEvent,
    Document,
    DocumentLink,
    DocumentTag,
    Tag,
    bound_database,
    database,
    tuples,
    utcnow,
)
from qirtas.archive.store import OriginalsStore, sha256_bytes, text_digest
from qirtas.i18n import _
from qirtas.i18n.normalize import normalize
from qirtas.i18n.script import shows_nothing
from qirtas.importers import Extracted
from qirtas.importers.notices import stored
from qirtas.importers.text import readable_file_name

DB_NAME = "qirtas.sqlite3"
ORIGINALS = "originals"

_folded = lru_cache(maxsize=16384)(normalize)  # tag names, compared across spellings


class ArchiveError(Exception):
    """A problem with the archive a person can act on; the message says what."""


class DocumentNotFound(ArchiveError):
    pass


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
        _json(extracted.metadata) if extracted.metadata else "{}",
        _json([stored(w) for w in extracted.warnings]) if extracted.warnings else "[]",
        now,
        now,
        text_digest(title, extracted.text),
    )


@lru_cache(maxsize=1)
def _freeze_start_up_objects() -> None:
    """Once per process, when the first archive opens: what exists by then (modules, Qt bindings, the
    normaliser's tables) lives as long as the process, so leave it out of Python's full garbage
    collections, each of which traversed all of it — an 18 ms pause inside a search every few queries
    (measured on the 100,000-document search benchmark). Reference counting still frees these objects;
    only reference cycles among them would stay."""
    gc.freeze()


def _bound_to_own_database(cls: type) -> type:
    """Wrap every method of `cls` (not the opening and closing ones) so it runs bound to `self.db`."""

    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def bound_method(self, *args, **kwargs):
            if bound_database() is self.db:
                return method(self, *args, **kwargs)
            with database.bound(self.db):
                return method(self, *args, **kwargs)

        return bound_method

    for name, value in list(vars(cls).items()):
        if callable(value) and not isinstance(value, type) and name not in _UNBOUND_METHODS:
            setattr(cls, name, wrap(value))
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
    ) -> list[Added]:
        """Store many files in one transaction with one flush of their originals. (`lexicon`: prefix
        lexicon rows computed ahead by import workers, see `search.index_documents`.)

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
                for item, document_id in zip(new, self._insert_documents(new, lexicon), strict=True):
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
        self, items: list[NewDocument], lexicon: Iterable[tuple[str, str]] = ()
    ) -> list[int]:
        """Insert new documents, their index rows and audit events: one statement per table for the lot.

        Call inside an IMMEDIATE transaction. Ids count on from the largest, which is what SQLite itself
        would give (the table has no AUTOINCREMENT); nobody else can insert until the commit.
        """
        if not items:  # every file was a duplicate: the lexicon rows sent with them are still new words
            search.index_documents([], lexicon)
            return []
        now = utcnow().isoformat(" ")  # as sqlite3 writes a datetime
        (last,) = self.db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM document").fetchone()
        ids = list(range(last + 1, last + 1 + len(items)))
        # Prepared statements instead of Model.create(): peewee's SQL generation and model objects were
        # most of a batch import's cost (measured with cProfile on generated documents).
        rows = [_document_row(document_id, item, now) for document_id, item in zip(ids, items, strict=True)]
        cursor = self.db.cursor()
        cursor.executemany(_INSERT_DOCUMENT, rows)
        search.index_documents(
            [
                (document_id, row[1], row[3], row[2], item.extracted.date, item.prepared_index)
                for document_id, row, item in zip(ids, rows, items, strict=True)
            ],
            lexicon,
        )
        cursor.executemany(
            _INSERT_AUDIT,
            [
                (
                    now,
                    "imported",
                    document_id,
                    _json(
                        {"source": item.source_name, "sha256": item.sha256, "status": item.extracted.status}
                    ),
                )
                for document_id, item in zip(ids, items, strict=True)
            ],
        )
        return ids

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
            document.metadata = extracted.metadata
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

    def _filtered(self, query, where: DocumentFilter | None):
        if where is None:
            return query
        if where.ids is not None:
            query = query.where(Document.id.in_(list(where.ids)))
        if where.language:
            query = query.where(Document.language == where.language)
        if where.status:
            query = query.where(Document.status == where.status)
        if where.date_from:
            query = query.where(Document.date >= where.date_from)
        if where.date_to:
            query = query.where(Document.date <= where.date_to)
        for _facet, tag_ids in (where.tags or {}).items():
            if not tag_ids:
                continue
            wanted = self.tag_ids_with_descendants(tag_ids)
            tagged = DocumentTag.select(DocumentTag.document).where(DocumentTag.tag.in_(wanted))
            query = query.where(Document.id.in_(tagged))
        return query

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
        query = self._filtered(Document.select(*columns), where)
        total = query.count()
        sort = getattr(Document, order, Document.id)
        query = query.order_by(sort.desc() if descending else sort, Document.id)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        return total, list(query)

    def document_ids(
        self, where: DocumentFilter | None = None, order: str = "id", descending: bool = False
    ) -> list[int]:
        sort = getattr(Document, order, Document.id)
        query = self._filtered(Document.select(Document.id), where)
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
        reader): `archive.search.highlight(query, text)`.

        `quick` (what an interactive screen wants): a broad result comes back at once with its exact
        `total` and its first ids ranked among its most recent matches (`.complete` is False); the full
        ranking is `search_ids(query)`.
        """
        return search.search(query, limit=limit, offset=offset, quick=quick)

    def search_ids(self, query: str) -> list[int]:
        """Every id matching `query`, best first."""
        return search.ranked_ids(query)

    # ---- tags --------------------------------------------------------------------------------------
    def tags(self, facet: str | None = None) -> list[Tag]:
        query = Tag.select().order_by(Tag.facet, Tag.name_en, Tag.name_ar)
        if facet:
            query = query.where(Tag.facet == facet)
        return list(query)

    def find_tag(self, facet: str, name: str) -> Tag | None:
        """A tag by its English or Arabic name (case-insensitive), or its CLDR code."""
        name = name.strip()
        if not name:
            return None
        lowered = name.casefold()
        exact = (
            Tag.select()
            .where(
                (Tag.facet == facet)
                & ((fn.lower(Tag.name_en) == lowered) | (Tag.name_ar == name) | (Tag.code == name))
            )
            .first()
        )
        if exact is not None:
            return exact
        # Spelling variants: "الامارات" finds "الإمارات", "turkiye" finds "Türkiye".
        wanted = _folded(name)
        if not wanted:
            return None
        names = tuples(Tag.select(Tag.id, Tag.name_en, Tag.name_ar).where(Tag.facet == facet))
        for tag_id, name_en, name_ar in names:
            if wanted in (_folded(name_en), _folded(name_ar)):
                return Tag.get_by_id(tag_id)
        return None

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
        if facet not in ("event", "region", "theme"):
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
        children: dict[int, list[int]] = {}
        for tag_id, parent_id in tuples(Tag.select(Tag.id, Tag.parent).where(Tag.parent.is_null(False))):
            children.setdefault(parent_id, []).append(tag_id)
        seen: list[int] = []
        pending = list(tag_ids)
        while pending:
            tag_id = pending.pop()
            if tag_id in seen:
                continue
            seen.append(tag_id)
            pending.extend(children.get(tag_id, []))
        return seen

    def tag_documents(self, document_ids: Iterable[int], tag: Tag, suggested: bool = False) -> int:
        """Attach `tag` to documents (in one transaction); returns how many gained it."""
        self.refuse_writes()
        wanted = list(dict.fromkeys(document_ids))
        with self.db.atomic("IMMEDIATE"):
            existing = self._existing_ids(wanted)
            missing = [i for i in wanted if i not in existing]
            if missing:
                raise DocumentNotFound(_("There is no document {id} in this archive.").format(id=missing[0]))
            already = {
                row[0]
                for start in range(0, len(wanted), 500)
                for row in tuples(
                    DocumentTag.select(DocumentTag.document).where(
                        (DocumentTag.tag == tag) & DocumentTag.document.in_(wanted[start : start + 500])
                    )
                )
            }
            new = [i for i in wanted if i not in already]
            now, label = utcnow(), tag.label()
            for start in range(0, len(new), 500):
                DocumentTag.insert_many(
                    [(i, tag.id, "user", now, suggested) for i in new[start : start + 500]],
                    fields=[
                        DocumentTag.document,
                        DocumentTag.tag,
                        DocumentTag.added_by,
                        DocumentTag.added_at,
                        DocumentTag.suggested,
                    ],
                ).execute()
            for document_id in new:
                self.audit("tagged", document_id, tag=tag.id, facet=tag.facet, name=label)
        if len(new) >= search.BULK_REWRITES:
            search.optimize_index()
        return len(new)

    def _existing_ids(self, document_ids: list[int]) -> set[int]:
        found: set[int] = set()
        for start in range(0, len(document_ids), 500):
            chunk = document_ids[start : start + 500]
            found.update(row[0] for row in tuples(Document.select(Document.id).where(Document.id.in_(chunk))))
        return found

    def untag_documents(self, document_ids: Iterable[int], tag: Tag) -> int:
        self.refuse_writes()
        removed = 0
        with self.db.atomic("IMMEDIATE"):
            for document_id in document_ids:
                count = (
                    DocumentTag.delete()
                    .where((DocumentTag.document == document_id) & (DocumentTag.tag == tag))
                    .execute()
                )
                if count:
                    removed += count
                    self.audit("untagged", document_id, tag=tag.id, facet=tag.facet, name=tag.label())
        if removed >= search.BULK_REWRITES:
            search.optimize_index()
        return removed

    def document_tags(self, document_id: int) -> dict[str, list[Tag]]:
        grouped: dict[str, list[Tag]] = {"event": [], "region": [], "theme": []}
        query = (
            Tag.select()
            .join(DocumentTag)
            .where(DocumentTag.document == document_id)
            .order_by(Tag.facet, Tag.name_en)
        )
        for tag in query:
            grouped[tag.facet].append(tag)
        return grouped

    def tags_for_documents(self, document_ids: Sequence[int]) -> dict[int, list[Tag]]:
        """Tags of many documents in one query (for table rows)."""
        result: dict[int, list[Tag]] = {i: [] for i in document_ids}
        query = (
            DocumentTag.select(DocumentTag.document, Tag)
            .join(Tag)
            .where(DocumentTag.document.in_(list(document_ids)))
            .order_by(Tag.facet, Tag.name_en)
        )
        for row in query:
            result[row.document_id].append(row.tag)
        return result

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
        within = self._filtered(Document.select(Document.id), where).sql() if where is not None else None
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


__all__ = ["Archive", "ArchiveError", "DocumentFilter", "DocumentNotFound", "NewDocument"]
