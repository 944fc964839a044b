"""Restore a BagIt bag written by `export` into a new or an existing archive (checked first by `bag_check`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from peewee import DatabaseError
from qirtas.archive import search
from qirtas.archive.archive import Archive
from qirtas.archive.bags.check import (
    MAX_ID,
    BagRejected,
    parse_date,
    parse_time,
    payload_file,
    read_verified_bag,
    time_or,
)
from qirtas.archive.export_records import review_tables
from qirtas.archive.models import (
    FACETS,
    AuditEvent,
    Document,
    DocumentLink,
    DocumentTag,
    Tag,
    database,
    tuples,
    uses_archive,
)
from qirtas.archive.store import sha256_bytes
from qirtas.i18n.catalog import _
from qirtas.importers.notices import from_records

from qirtas.jobs import Cancel, Cancelled, Progress, stop_if_cancelled

__all__ = ["BagImportReport", "BagRejected", "import_bag"]

BATCH = 200
KEEP_ID_LIMIT = 2**53  # the largest id a bag may keep (also the largest integer every JSON reader agrees on)


@dataclass
class BagImportReport:
    bag: str
    imported: list[dict] = field(default_factory=list)  # {"id", "bag_id", "sha256", "title"}
    duplicates: list[dict] = field(default_factory=list)  # {"id", "bag_id", "sha256"}
    tags_created: int = 0
    links: int = 0
    review_rows: int = 0
    cancelled: bool = False

    def to_json(self) -> dict:
        return {
            "bag": self.bag,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "tags_created": self.tags_created,
            "links": self.links,
            "review_rows": self.review_rows,
            "cancelled": self.cancelled,
        }


@uses_archive
def import_bag(
    archive: Archive,
    bag_path: str | os.PathLike,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> BagImportReport:
    """Verify the bag completely, then add its documents, originals, tags, links and review state.

    Into an empty archive the bag's ids are kept (see `_keeps_ids`), so the archive comes back as it was;
    into an archive that already holds documents they get new ids, and documents already there (same
    SHA-256) are reported as duplicates and gain the bag's tags. The restore is all or nothing: refused,
    failed or cancelled, it leaves the archive as it was.
    """
    archive.refuse_writes()
    report = BagImportReport(str(bag_path))
    # Progress: checking the bag counts as the first half, writing as the second. Everything is checked
    # before the first write, so a refused bag leaves the archive as it was.
    checked = read_verified_bag(bag_path, _scaled(progress, 0), cancel)
    if checked is None:
        report.cancelled = True
        return report
    placed: list[str] = []  # originals this restore put in the store; none of them was there before
    try:
        # One transaction for the whole restore, so what fails late (a full disk, a cancel in the last
        # batch) undoes the rows of the first batches too; the originals it placed are removed after.
        with archive.db.atomic("IMMEDIATE"):
            _restore(archive, checked, report, placed, _scaled(progress, 1), cancel)
    except BaseException as error:
        _remove_placed(archive, placed)
        if isinstance(error, Cancelled):
            return BagImportReport(str(bag_path), cancelled=True)
        if isinstance(error, BagRejected) or not isinstance(error, Exception):
            raise
        raise BagRejected(
            _("The bag could not be restored ({error}); nothing of it was kept.").format(error=error)
        ) from error
    return report


def _restore(archive: Archive, checked, report, placed: list[str], write_progress, cancel) -> None:
    bag, records, vocabulary = checked.bag, checked.records, checked.vocabulary
    keep_ids = archive.count() == 0 and Tag.select().count() == 0 and _keeps_ids(records, vocabulary)
    tag_ids = _restore_vocabulary(archive, vocabulary, keep_ids, report)
    document_ids: dict[int, int] = {}
    events_by_document: dict[int, list[dict]] = {}
    for event in checked.trail:
        if type(event.get("document")) is int:
            events_by_document.setdefault(event["document"], []).append(event)
    for start in range(0, len(records), BATCH):
        stop_if_cancelled(cancel)  # inside the restore's transaction: rolls it back
        batch = records[start : start + BATCH]
        _restore_batch(
            archive, bag, batch, tag_ids, keep_ids, events_by_document, document_ids, report, placed
        )
        if write_progress:
            write_progress(start + len(batch), len(records))
    _restore_links(records, document_ids, report)
    _restore_reviews(records, document_ids, keep_ids, report)
    archive.audit(
        "bag-imported",
        None,
        bag=str(bag.path),
        imported=len(report.imported),
        duplicates=len(report.duplicates),
    )


def _keeps_ids(records: list[dict], vocabulary: list[dict]) -> bool:
    """Whether a restore into an empty archive may keep the bag's document and tag ids.

    `bag_check` refused ids outside SQLite's range (1 to 2^63-1), but an id near its top leaves no room
    for the ids that imports count on from MAX(id) + 1: a bag with an id of 2^63-1 restored, and then every
    later import failed. An archive's ids count from 1, so a bag whose largest id is above KEEP_ID_LIMIT
    was not written from one as it is: it gets new ids, as it would in an archive that holds documents.
    Either way every reference in the bag (tags on documents, links, review rows, the audit trail) goes
    through the bag id -> archive id maps, so they stay consistent.
    """
    ids = [record["id"] for record in records] + [entry["id"] for entry in vocabulary]
    return max(ids, default=0) <= KEEP_ID_LIMIT


def _remove_placed(archive: Archive, placed: list[str]) -> None:
    """Take out again the originals an undone restore placed, and their folders when left empty.

    Only files this restore created are here; an original that was in the store before (a duplicate's,
    an orphan) is never touched. One that a document names after the rollback (another process imported
    the same file meanwhile) stays too; if the database cannot say, they all stay, as orphans that
    `verify --repair` sets aside.
    """
    by_hash = {Path(path).name: path for path in placed}
    try:
        named = {
            sha
            for start in range(0, len(by_hash), 500)
            for (sha,) in tuples(
                Document.select(Document.sha256).where(
                    Document.sha256.in_(list(by_hash)[start : start + 500])
                )
            )
        }
    except DatabaseError:
        return
    for sha, path in by_hash.items():
        if sha not in named:
            archive.originals.discard(path)
            with contextlib.suppress(OSError):  # only when empty
                Path(path).parent.rmdir()


def _scaled(progress: Progress | None, half: int) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total, current="", page=0: progress(  # a bag's files have no pages
        half * 1000 + (done * 1000 // max(total, 1)), 2000, current
    )


def _restore_vocabulary(archive: Archive, vocabulary: list[dict], keep_ids: bool, report) -> dict[int, int]:
    """Bag tag id → archive tag id, creating the tags the archive lacks (parents first)."""
    by_id = {entry["id"]: entry for entry in vocabulary}  # checked: unique ids, no loop of parents
    mapped: dict[int, int] = {}

    def restore(entry: dict) -> int:
        if entry["id"] in mapped:
            return mapped[entry["id"]]
        parent_id = None
        if entry.get("parent") in by_id:
            parent_id = restore(by_id[entry["parent"]])
        existing = _matching_tag(archive, entry, by_name=not keep_ids)
        if existing is None:
            fields = {
                "facet": entry["facet"],
                "name_en": str(entry.get("en") or ""),
                "name_ar": str(entry.get("ar") or ""),
                "parent": parent_id,
                "code": entry.get("code"),
                "date": parse_date(entry.get("date")),
                "place": str(entry.get("place") or ""),
            }
            with archive.db.atomic():
                existing = Tag.create(**({"id": entry["id"]} if keep_ids else {}), **fields)
                archive.audit("tag-created", None, tag=existing.id, facet=existing.facet, source="bag")
            report.tags_created += 1
        mapped[entry["id"]] = existing.id
        return existing.id

    for entry in vocabulary:
        restore(entry)
    return mapped


def _matching_tag(archive: Archive, entry: dict, by_name: bool) -> Tag | None:
    """The archive's tag for a bag tag: same code, same names, or (`by_name`) either name as
    `Archive.ensure_tag` matches them. Restoring into an empty archive matches exactly, so two tags
    that only share an English name stay two."""
    if entry.get("code"):
        found = Tag.get_or_none((Tag.facet == entry["facet"]) & (Tag.code == entry["code"]))
        if found:
            return found
    exact = Tag.get_or_none(
        (Tag.facet == entry["facet"])
        & (Tag.name_en == (entry.get("en") or ""))
        & (Tag.name_ar == (entry.get("ar") or ""))
    )
    if exact:
        return exact
    english, arabic = entry.get("en") or "", entry.get("ar") or ""
    for name in (english, arabic) if by_name else ():
        found = archive.find_tag(entry["facet"], name) if name else None
        # A tag found by one name must not contradict the other ("Hate speech" / two Arabic names).
        if (
            found
            and _agrees(archive, found, found.name_en, english)
            and _agrees(archive, found, found.name_ar, arabic)
        ):
            return found
    return None


def _agrees(archive: Archive, found: Tag, ours: str, theirs: str) -> bool:
    if not ours or not theirs or ours.casefold() == theirs.casefold():
        return True
    again = archive.find_tag(found.facet, theirs)
    return again is not None and again.id == found.id


def _restore_batch(
    archive, bag, batch, tag_ids, keep_ids, events_by_document, document_ids, report, placed: list[str]
) -> None:
    prepared = []
    for record in batch:
        original = payload_file(bag, record, "original_file", "originals")
        data = original.read_bytes()
        if sha256_bytes(data) != record["sha256"]:  # changed since the bag was checked
            raise BagRejected(
                _("The original of document {id} changed while the bag was being read.").format(
                    id=record["id"]
                )
            )
        text = payload_file(bag, record, "text_file", "texts").read_bytes().decode("utf-8")
        prepared.append((record, data, text))
    # Originals first, flushed once; then the documents (as Archive.add_batch does). Only the originals
    # the store lacks are written, and noted in `placed`, so an undone restore removes those and no other.
    new = {
        record["sha256"]: data
        for record, data, _text in prepared
        if not archive.originals.has(record["sha256"])
    }
    for sha, data in new.items():
        placed.append(str(archive.originals.stage(sha, data)))
    if new:
        archive.originals.flush(placed[-len(new) :])
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with archive.db.atomic("IMMEDIATE"):
        hashes = [record["sha256"] for record, _data, _text in prepared]
        known = dict(tuples(Document.select(Document.sha256, Document.id).where(Document.sha256.in_(hashes))))
        wanted_ids = [record["id"] for record, _data, _text in prepared]
        taken = {i for (i,) in tuples(Document.select(Document.id).where(Document.id.in_(wanted_ids)))}
        events: list[dict] = []
        attached: list[dict] = []
        for record, data, text in prepared:
            if record["sha256"] in known:
                document_id = known[record["sha256"]]
                report.duplicates.append(
                    {"id": document_id, "bag_id": record["id"], "sha256": record["sha256"]}
                )
            else:
                document = _insert_document(record, len(data), text, keep_ids and record["id"] not in taken)
                document_id = known[record["sha256"]] = document.id
                taken.add(document_id)
                for event in events_by_document.get(record["id"], []):
                    details = event.get("details")
                    events.append(
                        {
                            "time": time_or(event.get("time"), now),
                            "action": str(event.get("action", "")),
                            "document_id": document_id,
                            "details": details if isinstance(details, dict) else {},
                        }
                    )
                events.append(
                    {
                        "time": now,
                        "action": "restored-from-bag",
                        "document_id": document_id,
                        "details": {"bag": str(bag.path), "bag_id": record["id"]},
                    }
                )
                report.imported.append(
                    {
                        "id": document_id,
                        "bag_id": record["id"],
                        "sha256": record["sha256"],
                        "title": document.title,
                    }
                )
            document_ids[record["id"]] = document_id
            attached += _document_tag_rows(document_id, record, tag_ids, now)
        for start in range(0, len(events), 100):
            AuditEvent.insert_many(events[start : start + 100]).execute()
        for start in range(0, len(attached), 100):
            DocumentTag.insert_many(attached[start : start + 100]).on_conflict_ignore().execute()


def _insert_document(record: dict, size: int, text: str, keep_id: bool) -> Document:
    if size != record["size"]:
        raise BagRejected(_("The original of document {id} has the wrong size.").format(id=record["id"]))
    fields = {
        "title": record["title"],
        "language": record["language"],
        "text": text,
        "source_name": record["source_name"],
        "media_type": record["media_type"],
        "sha256": record["sha256"],
        "size": size,
        "pages": record["pages"],
        "page_starts": record["page_starts"],
        "date": parse_date(record.get("date")),
        "status": record["status"],
        "metadata": record["metadata"],
        "warnings": from_records(record["warnings"], record.get("warning_codes")),
        "imported_at": parse_time(record.get("imported_at")),
        "modified_at": parse_time(record.get("modified_at")),
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    if keep_id:
        fields["id"] = record["id"]
    document_id = Document.insert(**fields).execute()
    document = Document(id=document_id, title=fields["title"], text=text)
    search.index_document(document)
    return document


def _document_tag_rows(
    document_id: int, record: dict, tag_ids: dict[int, int], now: dt.datetime
) -> list[dict]:
    rows = []
    for facet in FACETS:
        for tag in record["tags"].get(facet, []):
            rows.append(
                {
                    "document": document_id,
                    "tag": tag_ids[tag["id"]],
                    "added_by": str(tag.get("added_by") or "user"),
                    "added_at": time_or(tag.get("added_at"), now),
                    "suggested": bool(tag.get("suggested")),
                }
            )
    return rows


def _restore_links(records: list[dict], document_ids: dict[int, int], report) -> None:
    with database.atomic("IMMEDIATE"):
        for record in records:
            links = record.get("links")
            for link in links if isinstance(links, list) else []:
                if not isinstance(link, dict):
                    continue
                first, second = (
                    _archive_id(document_ids, link.get("document")),
                    _archive_id(document_ids, link.get("translation")),
                )
                if first is None or second is None or first == second:
                    continue  # a translation that was not exported with this document
                first, second = sorted((first, second))
                created = time_or(link.get("created_at"), dt.datetime.now(dt.UTC).replace(tzinfo=None))
                exists = DocumentLink.get_or_none(
                    (DocumentLink.document == first) & (DocumentLink.translation == second)
                )
                if exists is None:
                    DocumentLink.create(document=first, translation=second, created_at=created)
                    report.links += 1


def _restore_reviews(records: list[dict], document_ids: dict[int, int], keep_ids: bool, report) -> None:
    """Review rows, table by table, with their document references pointed at the restored documents."""
    tables = set(review_tables())
    new = {item["bag_id"] for item in report.imported}  # a document already there keeps its own review
    with database.atomic("IMMEDIATE"):
        for record in records:
            review = record.get("review")
            if record["id"] not in new or not isinstance(review, dict):
                continue
            for table, rows in review.items():
                if table not in tables or not isinstance(rows, list):
                    continue
                columns = {c.name for c in database.get_columns(table)}
                for row in rows:
                    if not isinstance(row, dict) or not set(row) <= columns:
                        continue
                    if any(isinstance(value, (dict, list)) or _too_large(value) for value in row.values()):
                        continue
                    values = dict(row)
                    references = [
                        k for k in ("document", "document_id", "translation", "translation_id") if k in values
                    ]
                    for key in references:
                        if values[key] is not None:
                            values[key] = _archive_id(document_ids, values[key])
                    if any(values[key] is None and row[key] is not None for key in references):
                        continue  # it names a document that is not in this bag
                    row_id = values.get("id")
                    if not keep_ids or not (type(row_id) is int and 1 <= row_id <= KEEP_ID_LIMIT):
                        values.pop("id", None)  # SQLite gives the row an id of its own
                    names = ", ".join(f'"{name}"' for name in values)
                    marks = ", ".join("?" * len(values))
                    cursor = database.execute_sql(
                        f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', list(values.values())
                    )
                    report.review_rows += cursor.rowcount if cursor.rowcount > 0 else 0


def _archive_id(document_ids: dict[int, int], bag_id) -> int | None:
    """The archive id of a document the bag names, or None (also for a reference that is not an id)."""
    return document_ids.get(bag_id) if type(bag_id) is int else None


def _too_large(value) -> bool:
    """An integer SQLite cannot store (it would stop the restore with OverflowError)."""
    return type(value) is int and not -MAX_ID - 1 <= value <= MAX_ID
