"""The peewee models of an archive. Bound to one database per opened archive (see `archive.db`)."""

from __future__ import annotations

import datetime as dt
import json

from peewee import (
    SQL,
    AutoField,
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

database = DatabaseProxy()

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


class Tag(BaseModel):
    id = AutoField()
    facet = CharField(index=True, constraints=[SQL("CHECK (facet IN ('event', 'region', 'theme'))")])
    name_en = TextField(default="")
    name_ar = TextField(default="")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
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
    added_by = CharField(default="user")
    added_at = DateTimeField(default=utcnow)
    suggested = BooleanField(default=False)  # True when the user accepted a suggestion

    class Meta:
        indexes = ((("document", "tag"), True),)


class DocumentLink(BaseModel):
    """Two documents that are translations of each other (stored once, smaller id first)."""

    document = ForeignKeyField(Document, backref="links_out", on_delete="CASCADE")
    translation = ForeignKeyField(Document, backref="links_in", on_delete="CASCADE")
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
