"""Restore a BagIt bag written by `export` into a new or an existing archive, treating the bag as untrusted."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive import search
from archive.archive import Archive, ArchiveError
from archive.export import BAG_FORMAT_VERSION, review_tables
from archive.models import FACETS, AuditEvent, Document, DocumentLink, DocumentTag, Tag, database
from archive.store import sha256_bytes, sha256_file
from i18n.catalog import _

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

BATCH = 200
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_HASH_BLOCK = 1 << 20


class BagRejected(ArchiveError):
    """The bag is not accepted: nothing from it was written."""


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


# ---- checking an untrusted bag ----------------------------------------------------------------------


def unsafe_name_reason(name: str) -> str | None:
    """Why a file name from a bag could reach outside it, or None when it stays inside."""
    if "\x00" in name:
        return _("it contains a NUL character")
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return _("it is an absolute path")
    if name.startswith("~"):
        return _("it starts with ~ (a home folder)")
    if ".." in re.split(r"[\\/]+", name):
        return _("it climbs out with ..")
    return None


def _refuse_links_and_devices(root: Path) -> None:
    for folder, subfolders, names in os.walk(root):
        for name in [*subfolders, *names]:
            path = Path(folder) / name
            mode = path.lstat().st_mode
            relative = path.relative_to(root)
            if stat.S_ISLNK(mode):
                raise BagRejected(
                    _(
                        "The bag holds a link, {name} → {target}: a link could reach files outside the bag, "
                        "so the bag is refused."
                    ).format(name=relative, target=os.readlink(path))
                )
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise BagRejected(
                    _(
                        "The bag holds {name}, which is not a plain file or folder; the bag is refused."
                    ).format(name=relative)
                )


def _check_manifest_names(root: Path) -> None:
    if (root / "fetch.txt").exists():
        raise BagRejected(
            _("The bag lists files to fetch from elsewhere (fetch.txt); only complete bags are accepted.")
        )
    for manifest in sorted(root.glob("*manifest-*.txt")):
        for number, line in enumerate(manifest.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            parts = line.strip().split(None, 1)
            if len(parts) != 2 or line.startswith("#"):
                continue
            name = parts[1].lstrip("*")
            if reason := unsafe_name_reason(name):
                raise BagRejected(
                    _(
                        "The bag is refused: {manifest} line {line} names {name!r}, which would escape the "
                        "bag folder ({reason})."
                    ).format(manifest=manifest.name, line=number, name=name, reason=reason)
                )


def _validation_message(error: Exception) -> str:
    details = getattr(error, "details", None) or []
    shown = "; ".join(str(d) for d in details[:3])
    more = _(" (and {n} more)").format(n=len(details) - 3) if len(details) > 3 else ""
    message = getattr(error, "message", None) or str(error)
    return f"{message}: {shown}{more}" if shown else str(message)


def open_verified_bag(
    path: str | os.PathLike, progress: ProgressFn | None = None, cancel: CancelFn | None = None
):
    """The bag at `path`, after every check: no links, no names outside it, complete, every checksum right.

    Raises BagRejected with a sentence saying what is wrong. Returns a `bagit.Bag`, or None when cancelled.
    """
    import bagit

    root = Path(path).expanduser().resolve()
    if not root.is_dir():
        raise BagRejected(_("{path} is not a folder holding a bag.").format(path=path))
    if not (root / "bagit.txt").is_file():
        raise BagRejected(_("{path} is not a bag: it has no bagit.txt.").format(path=path))
    _refuse_links_and_devices(root)
    _check_manifest_names(root)
    try:
        bag = bagit.Bag(str(root))
        if not any(alg in ("sha256", "sha512") for alg in bag.algorithms):
            raise BagRejected(
                _("The bag has no SHA-256 or SHA-512 manifest; weaker checksums are not trusted.")
            )
        bag.validate(processes=1, completeness_only=True)  # structure, Payload-Oxum, files vs manifests
    except (bagit.BagError, ValueError, OSError) as error:  # ValueError: also text that is not UTF-8
        raise BagRejected(
            _("The bag is not valid: {reason}").format(reason=_validation_message(error))
        ) from error
    entries = sorted(bag.entries.items())
    for done, (name, expected) in enumerate(entries, 1):
        if cancel and cancel():
            return None
        _check_checksums(root, name, expected)
        if progress:
            progress(done, len(entries))
    return bag


def _check_checksums(root: Path, name: str, expected: dict[str, str]) -> None:
    digests = {alg: hashlib.new(alg) for alg in expected if alg in hashlib.algorithms_guaranteed}
    if not digests:
        raise BagRejected(
            _("The bag uses a checksum this system cannot compute for {name}.").format(name=name)
        )
    try:
        with open(root / name, "rb") as handle:
            while block := handle.read(_HASH_BLOCK):
                for digest in digests.values():
                    digest.update(block)
    except OSError as error:
        raise BagRejected(
            _("The bag is refused: {name} cannot be read ({error}).").format(name=name, error=error.strerror)
        ) from error
    for alg, digest in digests.items():
        if digest.hexdigest() != expected[alg].lower():
            raise BagRejected(
                _(
                    "The bag is refused: {name} does not match its {alg} checksum (it was changed or damaged "
                    "after the bag was made)."
                ).format(name=name, alg=alg)
            )


# ---- reading the Qirtas metadata --------------------------------------------------------------------

_DOCUMENT_FIELDS = {
    "id": int,
    "title": str,
    "language": str,
    "status": str,
    "source_name": str,
    "media_type": str,
    "sha256": str,
    "size": int,
    "pages": int,
    "page_starts": list,
    "metadata": dict,
    "warnings": list,
    "tags": dict,
    "original_file": str,
    "text_file": str,
}


def _read_jsonl(bag, name: str, required: bool = True) -> list[dict]:
    path = Path(bag.path) / "data" / "metadata" / name
    if not path.exists():
        if required:
            raise BagRejected(
                _("The bag holds no metadata/{name}: it was not written by Qirtas.").format(name=name)
            )
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise BagRejected(_("metadata/{name} is not UTF-8 text.").format(name=name)) from error
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise BagRejected(
                _("metadata/{name} line {line} is not valid JSON: {error}").format(
                    name=name, line=number, error=error
                )
            ) from error
        if not isinstance(row, dict):
            raise BagRejected(
                _("metadata/{name} line {line} is not a record.").format(name=name, line=number)
            )
        rows.append(row)
    return rows


def _payload_file(bag, record: dict, key: str, folder: str) -> Path:
    name = record[key]
    if (
        unsafe_name_reason(name)
        or not name.startswith(f"data/{folder}/")
        or os.path.normpath(name) not in bag.entries
    ):
        raise BagRejected(
            _(
                "Document {id} names {name!r}, which is not a file in {folder}/ listed in the bag's manifest."
            ).format(id=record["id"], name=name, folder=folder)
        )
    return Path(bag.path) / os.path.normpath(name)


def _check_record(bag, record: dict) -> None:
    for name, kind in _DOCUMENT_FIELDS.items():
        if not isinstance(record.get(name), kind) or (kind is int and isinstance(record[name], bool)):
            raise BagRejected(
                _("A document record in the bag has a missing or wrong {field!r}: {record}").format(
                    field=name, record=str({k: record.get(k) for k in ("id", "title")})[:200]
                )
            )
    if not _HEX64.match(record["sha256"]):
        raise BagRejected(_("Document {id} has no valid SHA-256.").format(id=record["id"]))
    original = _payload_file(bag, record, "original_file", "originals")
    try:
        _payload_file(bag, record, "text_file", "texts").read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise BagRejected(_("The text of document {id} is not UTF-8.").format(id=record["id"])) from error
    known = bag.entries[os.path.normpath(record["original_file"])].get("sha256") or sha256_file(original)
    if known.lower() != record["sha256"]:
        raise BagRejected(
            _(
                "The original of document {id} ({name}) is not the file its record names (SHA-256 differs)."
            ).format(id=record["id"], name=original.name)
        )


def _check_dates(record: dict, names: tuple[str, ...], what: str) -> None:
    for name in names:
        value = record.get(name)
        try:
            if value is not None and not isinstance(value, str):
                raise TypeError(value)
            _time(value) if name.endswith("_at") else _date(value)
        except (TypeError, ValueError) as error:
            raise BagRejected(
                _("{what} has an invalid {field!r}: {value!r}.").format(what=what, field=name, value=value)
            ) from error


def _check_vocabulary(vocabulary: list[dict]) -> dict[int, dict]:
    """Tags by id, once each, with a facet, a name, valid dates and no loop of parents."""
    by_id: dict[int, dict] = {}
    for entry in vocabulary:
        tag_id = entry.get("id")
        if entry.get("facet") not in FACETS or not isinstance(tag_id, int) or tag_id in by_id:
            raise BagRejected(_("metadata/tags.jsonl has a tag without a valid facet or a unique id."))
        if not (isinstance(entry.get("en") or "", str) and isinstance(entry.get("ar") or "", str)):
            raise BagRejected(_("metadata/tags.jsonl has a tag whose names are not text."))
        if not (entry.get("en") or entry.get("ar")):
            raise BagRejected(_("metadata/tags.jsonl has a tag without a name."))
        _check_dates(entry, ("date",), _("Tag {id}").format(id=tag_id))
        by_id[tag_id] = entry
    for entry in vocabulary:
        seen, parent = {entry["id"]}, entry.get("parent")
        while parent in by_id:
            if parent in seen:
                raise BagRejected(_("metadata/tags.jsonl has a loop of parents."))
            seen.add(parent)
            parent = by_id[parent].get("parent")
    return by_id


def _check_tags_of(record: dict, vocabulary: dict[int, dict]) -> None:
    for facet in FACETS:
        tags = record["tags"].get(facet, [])
        if not isinstance(tags, list) or any(
            not isinstance(tag, dict) or tag.get("id") not in vocabulary for tag in tags
        ):
            raise BagRejected(
                _("Document {id} has a tag that is not in metadata/tags.jsonl.").format(id=record["id"])
            )


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _time(value) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _time_or(value, default: dt.datetime) -> dt.datetime:
    """A time from the bag's trail or tag records, where a bad value is not worth refusing the bag."""
    try:
        return _time(value) or default
    except (TypeError, ValueError):
        return default


# ---- writing into the archive -----------------------------------------------------------------------


def import_bag(
    archive: Archive,
    bag_path: str | os.PathLike,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> BagImportReport:
    """Verify the bag completely, then add its documents, originals, tags, links and review state.

    Into an empty archive the bag's ids are kept, so the archive comes back as it was; into an archive
    that already holds documents they get new ids, and documents already there (same SHA-256) are reported
    as duplicates and gain the bag's tags. Each batch of documents is one transaction.
    """
    report = BagImportReport(str(bag_path))
    # Progress: checking the bag counts as the first half, writing as the second.
    checked = open_verified_bag(bag_path, _scaled(progress, 0), cancel)
    if checked is None:
        report.cancelled = True
        return report
    bag = checked
    if bag.info.get("Qirtas-Bag-Format") != BAG_FORMAT_VERSION:
        raise BagRejected(
            _("This bag was not written by this version of Qirtas (Qirtas-Bag-Format {found!r}).").format(
                found=bag.info.get("Qirtas-Bag-Format")
            )
        )
    # Everything is checked before the first write, so a refused bag leaves the archive as it was.
    records = _read_jsonl(bag, "documents.jsonl")
    vocabulary = _read_jsonl(bag, "tags.jsonl")
    tags_by_id = _check_vocabulary(vocabulary)
    if len({record.get("id") for record in records}) != len(records):
        raise BagRejected(_("metadata/documents.jsonl names a document id twice."))
    for record in records:
        _check_record(bag, record)
        _check_dates(
            record, ("date", "imported_at", "modified_at"), _("Document {id}").format(id=record["id"])
        )
        _check_tags_of(record, tags_by_id)
    trail = _read_jsonl(bag, "audit.jsonl", required=False)

    keep_ids = archive.count() == 0 and Tag.select().count() == 0
    tag_ids = _restore_vocabulary(archive, vocabulary, keep_ids, report)
    document_ids: dict[int, int] = {}
    events_by_document: dict[int, list[dict]] = {}
    for event in trail:
        events_by_document.setdefault(event.get("document"), []).append(event)
    write_progress = _scaled(progress, 1)
    for start in range(0, len(records), BATCH):
        if cancel and cancel():
            report.cancelled = True
            return report
        batch = records[start : start + BATCH]
        _restore_batch(archive, bag, batch, tag_ids, keep_ids, events_by_document, document_ids, report)
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
    return report


def _scaled(progress: ProgressFn | None, half: int) -> ProgressFn | None:
    if progress is None:
        return None
    return lambda done, total: progress(half * 1000 + (done * 1000 // max(total, 1)), 2000)


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
                "date": _date(entry.get("date")),
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


def _restore_batch(archive, bag, batch, tag_ids, keep_ids, events_by_document, document_ids, report) -> None:
    prepared = []
    for record in batch:
        original = _payload_file(bag, record, "original_file", "originals")
        data = original.read_bytes()
        if sha256_bytes(data) != record["sha256"]:  # changed since the bag was checked
            raise BagRejected(
                _("The original of document {id} changed while the bag was being read.").format(
                    id=record["id"]
                )
            )
        text = _payload_file(bag, record, "text_file", "texts").read_bytes().decode("utf-8")
        prepared.append((record, data, text))
    # Originals first, flushed once; then the documents in one transaction (as Archive.add_batch does).
    written = [archive.originals.stage(record["sha256"], data) for record, data, _text in prepared]
    if written:
        archive.originals.flush(written)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with archive.db.atomic("IMMEDIATE"):
        hashes = [record["sha256"] for record, _data, _text in prepared]
        known = dict(
            Document.select(Document.sha256, Document.id).where(Document.sha256.in_(hashes)).tuples()
        )
        wanted_ids = [record["id"] for record, _data, _text in prepared]
        taken = {i for (i,) in Document.select(Document.id).where(Document.id.in_(wanted_ids)).tuples()}
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
                            "time": _time_or(event.get("time"), now),
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
        "date": _date(record.get("date")),
        "status": record["status"],
        "metadata": record["metadata"],
        "warnings": record["warnings"],
        "imported_at": _time(record.get("imported_at")),
        "modified_at": _time(record.get("modified_at")),
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
                    "added_at": _time_or(tag.get("added_at"), now),
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
                    document_ids.get(link.get("document")),
                    document_ids.get(link.get("translation")),
                )
                if first is None or second is None or first == second:
                    continue  # a translation that was not exported with this document
                first, second = sorted((first, second))
                created = _time_or(link.get("created_at"), dt.datetime.now(dt.UTC).replace(tzinfo=None))
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
                    if any(isinstance(value, (dict, list)) for value in row.values()):
                        continue
                    values = dict(row)
                    references = [
                        k for k in ("document", "document_id", "translation", "translation_id") if k in values
                    ]
                    for key in references:
                        if values[key] is not None:
                            values[key] = document_ids.get(values[key])
                    if any(values[key] is None and row[key] is not None for key in references):
                        continue  # it names a document that is not in this bag
                    if not keep_ids:
                        values.pop("id", None)
                    names = ", ".join(f'"{name}"' for name in values)
                    marks = ", ".join("?" * len(values))
                    cursor = database.execute_sql(
                        f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', list(values.values())
                    )
                    report.review_rows += cursor.rowcount if cursor.rowcount > 0 else 0
