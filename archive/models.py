"""The peewee models of an archive, and `database`: the proxy that sends each query to the database of the
archive whose work the calling thread is doing (see `ArchiveDatabase`)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from peewee import (
    SQL,
    AutoField,
    BaseQuery,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

_bound: ContextVar = ContextVar("qirtas_database", default=None)


class UnboundThreadError(RuntimeError):
    """A model query from a thread bound to no archive while several are open: which one is meant?"""


class ArchiveDatabase(DatabaseProxy):
    """The models' database: the one the calling thread is bound to, else the archive opened last.

    peewee binds models to one database per process; with a plain proxy, opening a second archive
    rebound every model under the feet of the first one's writer (an import's rows went into the other
    archive). Here a binding belongs to the thread (a context variable: a new thread starts unbound), so
    `Archive` binds its own database around each of its methods and every background worker binds the
    archive it works for (`bound`), and two archives can be open in one process. A thread bound to none
    uses the one open archive, as a single-archive program expects; with several open it gets an
    `UnboundThreadError` rather than a guess (a guess is how rows went into the wrong archive)."""

    __slots__ = ("_open", "_open_lock")

    def __setattr__(self, attr: str, value) -> None:
        object.__setattr__(self, attr, value)

    def __init__(self) -> None:
        object.__setattr__(self, "_open", [])
        object.__setattr__(self, "_open_lock", threading.Lock())
        super().__init__()

    @property
    def obj(self):
        bound = _bound.get()
        if bound is not None:
            return bound
        opened = self._open
        if len(opened) > 1:
            raise UnboundThreadError(
                "several archives are open and this thread is bound to none: run it inside archive.bound()"
            )
        return opened[0] if opened else None

    @obj.setter
    def obj(self, value) -> None:  # `Proxy.initialize`: the database opened last
        if value is not None:
            self.opened(value)

    def opened(self, db) -> None:
        with self._open_lock:
            self._open[:] = [*(d for d in self._open if d is not db), db]

    def closed(self, db) -> None:
        with self._open_lock:
            self._open[:] = [d for d in self._open if d is not db]

    @contextmanager
    def bound(self, db) -> Iterator[None]:
        """Send this thread's queries to `db` inside the block (nested blocks restore the outer one)."""
        if _bound.get() is db:
            yield
            return
        token = _bound.set(db)
        try:
            yield
        finally:
            _bound.reset(token)


database = ArchiveDatabase()


def uses_archive(function: Callable) -> Callable:
    """For a function of the core whose first argument is an `Archive` (and for `Archive`'s own methods):
    it runs bound to that archive's database, from whichever thread calls it (a GUI job, the import's
    writer, a test's thread)."""

    @functools.wraps(function)
    def bound_function(archive, *args, **kwargs):
        if _bound.get() is archive.db:
            return function(archive, *args, **kwargs)
        with database.bound(archive.db):
            return function(archive, *args, **kwargs)

    return bound_function


def tuples(query: BaseQuery) -> Iterable[tuple[Any, ...]]:
    """``query.tuples()``, typed as the rows it yields (peewee's stubs give it the query's own type, so a
    model query's tuples would read as model instances)."""
    return cast("Iterable[tuple[Any, ...]]", query.tuples())


FACETS = ("event", "region", "theme")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class JSONField(TextField):
    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database


class Document(BaseModel):
    id = AutoField()
    title = TextField(default="")
    language = CharField(default="und", index=True)
    text = TextField(default="")
    source_name = TextField(default="")
    media_type = CharField(default="text/plain")
    sha256 = CharField(unique=True, max_length=64)
    size = IntegerField(default=0)
    pages = IntegerField(default=0)
    page_starts = JSONField(default=list)
    date = DateField(null=True, index=True)
    status = CharField(default="ok", index=True)
    metadata = JSONField(default=dict)
    warnings = JSONField(default=list)
    imported_at = DateTimeField(default=utcnow)
    modified_at = DateTimeField(default=utcnow)
    # SHA-256 of title and text (`store.text_digest`), set on insert and kept by triggers on every update
    # (schema v4): `verify` finds a text changed behind Qirtas's back.
    text_sha256 = CharField(null=True, max_length=64)


class Tag(BaseModel):
    id = AutoField()
    facet = CharField(index=True, constraints=[SQL("CHECK (facet IN ('event', 'region', 'theme'))")])
    name_en = TextField(default="")
    name_ar = TextField(default="")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    parent_id: int | None  # each foreign key's column, which peewee adds as `<name>_id` (declared for mypy)
    # Regions from CLDR carry their code (ISO 3166 country or UN M.49 region); events a date and place.
    code = CharField(null=True)
    date = DateField(null=True)
    place = TextField(default="")

    class Meta:
        indexes = ((("facet", "name_en", "name_ar"), True),)

    def label(self, language: str = "en") -> str:
        """The name in `language` ("ar", "ar_EG", "en", …), falling back to the other one."""
        arabic = language.split("_")[0].split("-")[0] == "ar"
        first, second = (self.name_ar, self.name_en) if arabic else (self.name_en, self.name_ar)
        return first or second


class DocumentTag(BaseModel):
    document = ForeignKeyField(Document, backref="document_tags", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="document_tags", on_delete="CASCADE")
    document_id: int
    tag_id: int
    added_by = CharField(default="user")
    added_at = DateTimeField(default=utcnow)
    suggested = BooleanField(default=False)  # True when the user accepted a suggestion

    class Meta:
        indexes = ((("document", "tag"), True),)


class DocumentLink(BaseModel):
    """Two documents that are translations of each other (stored once, smaller id first)."""

    document = ForeignKeyField(Document, backref="links_out", on_delete="CASCADE")
    translation = ForeignKeyField(Document, backref="links_in", on_delete="CASCADE")
    document_id: int
    translation_id: int
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("document", "translation"), True),)


class AuditEvent(BaseModel):
    id = AutoField()
    time = DateTimeField(default=utcnow, index=True)
    action = CharField(index=True)
    # No foreign key: the trail outlives a deleted document.
    document_id = IntegerField(null=True, index=True)
    details = JSONField(default=dict)


REVIEW_STATUSES = ("unreviewed", "approved", "needs_revision")


class ReviewPair(BaseModel):
    """One aligned pair of paragraphs of a translation link, with its review status and comment.

    `document` is the English (source) side, `translation` the Arabic side; each side is a run of
    `*_count` paragraphs from `*_first` (a count of 0 is a paragraph missing on that side). The texts
    are kept as they were aligned, so an edit of either document is noticed and reviewed pairs whose
    text is unchanged keep their status when the pair is re-aligned.
    """

    id = AutoField()
    document = ForeignKeyField(Document, backref="review_pairs", on_delete="CASCADE")
    translation = ForeignKeyField(Document, backref="reviewed_translations", on_delete="CASCADE")
    document_id: int
    translation_id: int
    position = IntegerField()
    en_first = IntegerField(default=0)
    en_count = IntegerField(default=1)
    ar_first = IntegerField(default=0)
    ar_count = IntegerField(default=1)
    en_text = TextField(default="")
    ar_text = TextField(default="")
    status = CharField(
        default="unreviewed",
        index=True,
        constraints=[SQL("CHECK (status IN ('unreviewed', 'approved', 'needs_revision'))")],
    )
    comment = TextField(default="")
    manual = BooleanField(default=False)  # boundaries set by a person (merge/split), not by the aligner
    reviewed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("document", "translation", "position"), False),)


class SchemaInfo(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()


MODELS = (Document, Tag, DocumentTag, DocumentLink, AuditEvent, SchemaInfo, ReviewPair)
