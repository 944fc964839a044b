"""Export documents as CSV (for spreadsheets), JSON Lines (every field) or a BagIt bag (for preservation)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from archive.archive import Archive, ArchiveError
from archive.models import FACETS, AuditEvent, Document, DocumentLink, DocumentTag, Tag, database
from i18n.catalog import _

ProgressFn = Callable[[int, int], None]  # done, total
CancelFn = Callable[[], bool]

FORMATS = ("csv", "jsonl", "bagit")
BAG_FORMAT_VERSION = "1"
BAG_CHECKSUMS = ["sha256", "sha512"]
_CHUNK = 500
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_MEDIA_SUFFIX = {"application/pdf": ".pdf", "text/plain": ".txt"}

CSV_COLUMNS = [
    "id",
    "title",
    "language",
    "date",
    "status",
    "events_en",
    "events_ar",
    "regions_en",
    "regions_ar",
    "themes_en",
    "themes_ar",
    "translations",
    "review",
    "source_name",
    "media_type",
    "pages",
    "size",
    "sha256",
    "imported_at",
    "modified_at",
]


class ExportCancelled(ArchiveError):
    pass


@dataclass
class ExportReport:
    format: str
    destination: str
    documents: int = 0
    cancelled: bool = False

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "destination": self.destination,
            "documents": self.documents,
            "cancelled": self.cancelled,
        }


# ---- records --------------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def tag_record(tag: Tag) -> dict:
    """A vocabulary entry: enough to rebuild the tag with its parent, code, date and place."""
    return {
        "id": tag.id,
        "facet": tag.facet,
        "en": tag.name_en,
        "ar": tag.name_ar,
        "parent": tag.parent_id,
        "code": tag.code,
        "date": _iso(tag.date),
        "place": tag.place,
    }


class _Vocabulary:
    """Every tag by id, loaded once, to give each document's tags their ancestors' names."""

    def __init__(self) -> None:
        self.tags = {tag.id: tag for tag in Tag.select()}

    def ancestors(self, tag: Tag) -> list[Tag]:
        chain: list[Tag] = []
        seen = {tag.id}
        parent_id = tag.parent_id
        while parent_id and parent_id in self.tags and parent_id not in seen:
            seen.add(parent_id)
            chain.insert(0, self.tags[parent_id])
            parent_id = self.tags[parent_id].parent_id
        return chain

    def with_ancestors(self, tag_ids: set[int]) -> list[Tag]:
        wanted: set[int] = set()
        for tag_id in tag_ids:
            if tag_id in self.tags:
                wanted.add(tag_id)
                wanted.update(t.id for t in self.ancestors(self.tags[tag_id]))
        return [self.tags[i] for i in sorted(wanted)]


def _document_tags(document_ids: Sequence[int]) -> dict[int, list[tuple[Tag, DocumentTag]]]:
    result: dict[int, list[tuple[Tag, DocumentTag]]] = {i: [] for i in document_ids}
    query = (
        DocumentTag.select(DocumentTag, Tag)
        .join(Tag)
        .where(DocumentTag.document.in_(list(document_ids)))
        .order_by(Tag.facet, Tag.name_en, Tag.name_ar)
    )
    for row in query:
        result[row.document_id].append((row.tag, row))
    return result


def _links(document_ids: Sequence[int]) -> dict[int, list[DocumentLink]]:
    result: dict[int, list[DocumentLink]] = {i: [] for i in document_ids}
    ids = list(document_ids)
    query = DocumentLink.select().where(DocumentLink.document.in_(ids) | DocumentLink.translation.in_(ids))
    for link in query:
        for side in (link.document_id, link.translation_id):
            if side in result and link not in result[side]:
                result[side].append(link)
    return result


def review_tables() -> list[str]:
    """Tables holding the bilingual review state (pairs, statuses, comments), when that feature exists."""
    return sorted(name for name in database.get_tables() if name.startswith("review"))


def _review_rows(document_ids: Sequence[int]) -> dict[int, dict[str, list[dict]]]:
    """Each document's review rows, table by table (rows whose `document…` column names it)."""
    result: dict[int, dict[str, list[dict]]] = {}
    ids = list(document_ids)
    for table in review_tables():
        columns = [c.name for c in database.get_columns(table)]
        keys = [c for c in columns if c in ("document_id", "document")]
        if not keys:
            continue
        placeholders = ",".join("?" * len(ids))
        cursor = database.execute_sql(
            f'SELECT * FROM "{table}" WHERE "{keys[0]}" IN ({placeholders}) ORDER BY rowid', ids
        )
        for row in cursor.fetchall():
            record = dict(zip(columns, row, strict=True))
            result.setdefault(record[keys[0]], {}).setdefault(table, []).append(record)
    return result


def document_record(
    document: Document,
    tags: list[tuple[Tag, DocumentTag]],
    links: list[DocumentLink],
    vocabulary: _Vocabulary,
    reviews: dict[str, list[dict]] | None = None,
    with_text: bool = True,
) -> dict:
    """Every field of a document, its tags in both languages (with their ancestors), links and review."""
    record = {
        "id": document.id,
        "title": document.title,
        "language": document.language,
        "date": _iso(document.date),
        "status": document.status,
        "source_name": document.source_name,
        "media_type": document.media_type,
        "sha256": document.sha256,
        "size": document.size,
        "pages": document.pages,
        "page_starts": document.page_starts,
        "metadata": document.metadata,
        "warnings": document.warnings,
        "imported_at": _iso(document.imported_at),
        "modified_at": _iso(document.modified_at),
    }
    if with_text:
        record["text"] = document.text
    grouped: dict[str, list[dict]] = {facet: [] for facet in FACETS}
    for tag, attached in tags:
        ancestors = vocabulary.ancestors(tag)
        grouped[tag.facet].append(
            {
                **tag_record(tag),
                "path_en": [t.name_en for t in ancestors],
                "path_ar": [t.name_ar for t in ancestors],
                "added_by": attached.added_by,
                "added_at": _iso(attached.added_at),
                "suggested": attached.suggested,
            }
        )
    record["tags"] = grouped
    record["translations"] = sorted(
        link.translation_id if link.document_id == document.id else link.document_id for link in links
    )
    record["links"] = [
        {
            "document": link.document_id,
            "translation": link.translation_id,
            "created_at": _iso(link.created_at),
        }
        for link in links
    ]
    record["review"] = reviews or {}
    return record


def iter_records(
    document_ids: Sequence[int], with_text: bool = True, vocabulary: _Vocabulary | None = None
) -> Iterator[dict]:
    """Document records in the order of `document_ids`, read in chunks so memory stays flat."""
    vocabulary = vocabulary or _Vocabulary()
    for start in range(0, len(document_ids), _CHUNK):
        chunk = list(document_ids[start : start + _CHUNK])
        documents = {d.id: d for d in Document.select().where(Document.id.in_(chunk))}
        tags = _document_tags(chunk)
        links = _links(chunk)
        reviews = _review_rows(chunk)
        for document_id in chunk:
            if document_id in documents:
                yield document_record(
                    documents[document_id],
                    tags[document_id],
                    links[document_id],
                    vocabulary,
                    reviews.get(document_id),
                    with_text,
                )


# ---- writing --------------------------------------------------------------------------------------


def export(
    archive: Archive,
    format: str,
    destination: str | os.PathLike,
    document_ids: Sequence[int] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ExportReport:
    """Export the whole archive, or the documents `document_ids` (a search result, a selection).

    Nothing is left at `destination` when cancelled or when an error stops the export. CSV and JSON Lines
    files are replaced; a bag goes into a folder that does not exist yet or is empty.
    """
    if format not in FORMATS:
        raise ArchiveError(
            _("Unknown export format {format}: use csv, jsonl or bagit.").format(format=format)
        )
    destination = Path(destination).expanduser().absolute()
    ids = archive.document_ids() if document_ids is None else list(dict.fromkeys(document_ids))
    writer = {"csv": _write_csv, "jsonl": _write_jsonl, "bagit": _write_bag}[format]
    report = ExportReport(format, str(destination))
    try:
        report.documents = writer(archive, ids, destination, progress, cancel, whole=document_ids is None)
    except ExportCancelled:
        report.cancelled = True
        return report
    except (OSError, RuntimeError) as error:  # RuntimeError: from bagit.make_bag
        reason = getattr(error, "strerror", None) or str(error)
        raise ArchiveError(
            _("The export to {path} failed: {reason}.").format(path=destination, reason=reason)
        ) from error
    archive.audit("exported", None, format=format, destination=str(destination), documents=report.documents)
    return report


def _check(cancel: CancelFn | None) -> None:
    if cancel and cancel():
        raise ExportCancelled(_("The export was cancelled."))


@contextlib.contextmanager
def _replacing(destination: Path, encoding: str):
    """A temporary file beside `destination` that replaces it only when writing succeeded."""
    if destination.is_dir():
        raise ArchiveError(_("{path} is a folder; name a file to export to.").format(path=destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    try:
        with open(handle, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o666 & ~_umask())  # mkstemp makes it private; an export is for sharing
        os.replace(temp_name, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _umask() -> int:
    """The process's umask, read without changing it (Linux); a common default elsewhere."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def _safe_cell(value) -> str:
    """Text a spreadsheet shows as it is: never run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def review_summary(review: dict[str, list[dict]]) -> str:
    """`approved 3, needs_revision 1, unreviewed 2`: the review statuses of a document's pairs."""
    counts: dict[str, int] = {}
    for rows in review.values():
        for row in rows:
            if row.get("status"):
                counts[row["status"]] = counts.get(row["status"], 0) + 1
    return ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))


def csv_row(record: dict) -> list[str]:
    tags = record["tags"]

    def names(facet: str, language: str) -> str:
        return " | ".join(t[language] for t in tags[facet] if t[language])

    values = {
        **record,
        "events_en": names("event", "en"),
        "events_ar": names("event", "ar"),
        "regions_en": names("region", "en"),
        "regions_ar": names("region", "ar"),
        "themes_en": names("theme", "en"),
        "themes_ar": names("theme", "ar"),
        "translations": " ".join(str(i) for i in record["translations"]),
        "review": review_summary(record["review"]),
    }
    return [_safe_cell(values.get(column)) for column in CSV_COLUMNS]


def _write_csv(archive, ids, destination, progress, cancel, whole: bool) -> int:
    count = 0
    # UTF-8 with a BOM: spreadsheet programs then read Arabic as Arabic, not as mojibake.
    with _replacing(destination, "utf-8-sig") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for record in iter_records(ids, with_text=False):
            writer.writerow(csv_row(record))
            count += 1
            _tick(count, len(ids), progress, cancel)
    return count


def _write_jsonl(archive, ids, destination, progress, cancel, whole: bool) -> int:
    count = 0
    with _replacing(destination, "utf-8") as out:
        for record in iter_records(ids):
            out.write(json.dumps(record, ensure_ascii=False, default=str))
            out.write("\n")
            count += 1
            _tick(count, len(ids), progress, cancel)
    return count


def _tick(done: int, total: int, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
    if done % 100 == 0 or done == total:
        _check(cancel)
        if progress:
            progress(done, total)


# ---- BagIt ----------------------------------------------------------------------------------------

DC = "http://purl.org/dc/elements/1.1/"
QIRTAS_NS = "urn:qirtas:metadata:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("dc", DC)
ET.register_namespace("qirtas", QIRTAS_NS)

BAG_README = """This bag was written by Qirtas, an archive of English and Arabic documents.

originals/          each document's original file, byte for byte (its SHA-256 is in metadata)
texts/              the text extracted from each original, UTF-8
metadata/documents.jsonl   one JSON record per document: every field, tags (English and Arabic),
                           translation links and review state
metadata/tags.jsonl        the vocabulary: events (with date and place), regions (nested), themes
metadata/dublin-core.xml   Dublin Core elements for each document, plus the Qirtas facets
metadata/audit.jsonl       the provenance trail of these documents

Restore it into an archive with:  qirtas --archive DIR import-bag THIS_FOLDER
"""


def original_name(record: dict) -> str:
    """`originals/000042.pdf`: the id and a plain suffix, never a name taken from outside the archive."""
    match = _SUFFIX.search(record["source_name"] or "")
    suffix = match.group(0).lower() if match else _MEDIA_SUFFIX.get(record["media_type"], "")
    return f"originals/{record['id']:06d}{suffix}"


def _bag_destination(destination: Path) -> None:
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ArchiveError(
            _("{path} already exists; a bag is written into a new or empty folder.").format(path=destination)
        )


def _write_bag(archive: Archive, ids, destination: Path, progress, cancel, whole: bool) -> int:
    _bag_destination(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    os.chmod(staging, 0o777 & ~_umask())
    try:
        count = _fill_bag(archive, ids, staging, progress, cancel, whole)
        _check(cancel)
        _make_bag(staging, count)
        if destination.exists():
            destination.rmdir()
        os.replace(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if progress:
        progress(len(ids) + 1, len(ids) + 1)
    return count


def _fill_bag(archive: Archive, ids, root: Path, progress, cancel, whole: bool) -> int:
    for folder in ("originals", "texts", "metadata"):
        (root / folder).mkdir()
    (root / "README.txt").write_text(BAG_README, encoding="utf-8")
    vocabulary = _Vocabulary()
    dublin_core = ET.Element(f"{{{QIRTAS_NS}}}records")
    used_tags: set[int] = set()
    count = 0
    total = len(ids) + 1  # the last step is hashing the payload
    with open(root / "metadata" / "documents.jsonl", "w", encoding="utf-8", newline="") as records:
        for record in iter_records(ids, vocabulary=vocabulary):
            name = original_name(record)
            source = archive.originals.path_for(record["sha256"])
            try:
                actual = _copy_hashing(source, root / name)  # the content, not the read-only mode
            except OSError as error:
                raise ArchiveError(
                    _("The original of document {id} cannot be read ({error}); run qirtas verify.").format(
                        id=record["id"], error=error.strerror or error
                    )
                ) from error
            if actual != record["sha256"]:  # a bag is a preservation copy: never one with a damaged file
                raise ArchiveError(
                    _(
                        "The original of document {id} is damaged (its SHA-256 changed); run qirtas verify."
                    ).format(id=record["id"])
                )
            text_name = f"texts/{record['id']:06d}.txt"
            (root / text_name).write_text(record.pop("text"), encoding="utf-8", newline="")
            record["original_file"] = "data/" + name
            record["text_file"] = "data/" + text_name
            records.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            dublin_core.append(_dublin_core(record))
            used_tags.update(t["id"] for facet in FACETS for t in record["tags"][facet])
            count += 1
            _tick(count, total, progress, cancel)
    with open(root / "metadata" / "tags.jsonl", "w", encoding="utf-8", newline="") as out:
        # The whole archive takes its whole vocabulary; a selection the tags it uses and their parents.
        tags = vocabulary.tags.values() if whole else vocabulary.with_ancestors(used_tags)
        for tag in sorted(tags, key=lambda t: t.id):
            out.write(json.dumps(tag_record(tag), ensure_ascii=False) + "\n")
    ET.indent(dublin_core)
    ET.ElementTree(dublin_core).write(
        root / "metadata" / "dublin-core.xml", encoding="utf-8", xml_declaration=True
    )
    _write_audit(archive, ids, root / "metadata" / "audit.jsonl")
    return count


def _copy_hashing(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with open(source, "rb") as inp, open(target, "wb") as out:
        while block := inp.read(1 << 20):
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def _write_audit(archive: Archive, ids, path: Path) -> None:
    wanted = set(ids)
    with open(path, "w", encoding="utf-8", newline="") as out:
        for event in AuditEvent.select().order_by(AuditEvent.id).iterator():  # streamed: it can be long
            if event.document_id in wanted:
                row = {
                    "time": _iso(event.time),
                    "action": event.action,
                    "document": event.document_id,
                    "details": event.details,
                }
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _dublin_core(record: dict) -> ET.Element:
    element = ET.Element(f"{{{QIRTAS_NS}}}record", {"id": str(record["id"])})

    def dc(name: str, value, language: str | None = None, **attributes) -> None:
        if value in (None, ""):
            return
        child = ET.SubElement(element, f"{{{DC}}}{name}", {k: str(v) for k, v in attributes.items() if v})
        if language:
            child.set(XML_LANG, language)
        child.text = str(value)

    dc("identifier", f"urn:sha256:{record['sha256']}")
    dc("identifier", f"qirtas:{record['id']}")
    dc("title", record["title"], record["language"] if record["language"] in ("en", "ar") else None)
    dc("language", record["language"])
    dc("date", record["date"])
    dc("format", record["media_type"])
    dc("type", "Text")
    dc("source", record["source_name"])
    for translation in record["translations"]:
        dc("relation", f"qirtas:{translation}")
    for facet, element_name in (("theme", "subject"), ("region", "coverage"), ("event", "coverage")):
        for tag in record["tags"][facet]:
            for language in ("en", "ar"):
                dc(element_name, tag[language], language)
    for facet in FACETS:
        for tag in record["tags"][facet]:
            attributes = {"id": tag["id"], "code": tag["code"], "date": tag["date"], "place": tag["place"]}
            for language in ("en", "ar"):
                if tag[language]:
                    child = ET.SubElement(
                        element,
                        f"{{{QIRTAS_NS}}}{facet}",
                        {k: str(v) for k, v in attributes.items() if v},
                    )
                    child.set(XML_LANG, language)
                    child.text = tag[language]
    return element


def _make_bag(root: Path, count: int) -> None:
    import bagit

    info = {
        "External-Description": f"Qirtas archive export: {count} documents with originals, texts and metadata.",
        "Bag-Software-Agent": f"Qirtas with bagit.py {bagit.VERSION}",
        "Qirtas-Bag-Format": BAG_FORMAT_VERSION,
        "Qirtas-Documents": str(count),
    }
    # make_bag moves the folder's contents into data/ and writes the manifests and tag files. It changes
    # the working directory while it runs (and restores it): callers in threads should not rely on it.
    try:
        bagit.make_bag(str(root), bag_info=info, checksums=BAG_CHECKSUMS)
    except bagit.BagError as error:
        raise ArchiveError(_("The bag could not be made: {reason}").format(reason=error)) from error
