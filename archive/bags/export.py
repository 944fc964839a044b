"""A BagIt bag of documents: originals, extracted texts and metadata (Dublin Core plus our facets)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.export_records import (
    Vocabulary,
    iso,
    iter_records,
    tag_record,
    tick,
    umask,
)
from qirtas.archive.models import FACETS, AuditEvent, uses_archive
from qirtas.i18n.catalog import _

from qirtas.jobs import stop_if_cancelled

BAG_FORMAT_VERSION = "1"
BAG_CHECKSUMS = ["sha256", "sha512"]
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_MEDIA_SUFFIX = {"application/pdf": ".pdf", "text/plain": ".txt"}

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
metadata/unavailable.jsonl (only if some original was missing or damaged) those documents' records and
                           texts, without the original; they are left out of documents.jsonl

Restore it into an archive with:  qirtas --archive DIR import-bag THIS_FOLDER
"""


def original_name(record: dict) -> str:
    """`originals/000042.pdf`: the id and a plain suffix, never a name taken from outside the archive."""
    match = _SUFFIX.search(record["source_name"] or "")
    suffix = match.group(0).lower() if match else _MEDIA_SUFFIX.get(record["media_type"], "")
    return f"originals/{record['id']:06d}{suffix}"


def partial_prefix(destination: Path) -> str:
    """How an export to `destination` names what it writes before moving it into place (the pid lets
    the next export tell a killed one's leftovers from a running one's)."""
    return f".{destination.name}.partial-{os.getpid()}-"


def _bag_destination(destination: Path) -> None:
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ArchiveError(
            _("{path} already exists; a bag is written into a new or empty folder.").format(path=destination)
        )


@uses_archive
def write_bag(
    archive: Archive, ids, destination: Path, progress, cancel, whole: bool, damaged: list | None = None
) -> int:
    """Write the bag; documents whose original is missing or damaged are left out of it (their records
    go to metadata/unavailable.jsonl) and appended to `damaged` as {"id", "sha256", "detail"}."""
    _bag_destination(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=partial_prefix(destination), dir=destination.parent))
    os.chmod(staging, 0o777 & ~umask())
    try:
        count = _fill_bag(archive, ids, staging, progress, cancel, whole, [] if damaged is None else damaged)
        stop_if_cancelled(cancel)
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


def _fill_bag(archive: Archive, ids, root: Path, progress, cancel, whole: bool, damaged: list) -> int:
    for folder in ("originals", "texts", "metadata"):
        (root / folder).mkdir()
    (root / "README.txt").write_text(BAG_README, encoding="utf-8")
    vocabulary = Vocabulary()
    dublin_core = ET.Element(f"{{{QIRTAS_NS}}}records")
    used_tags: set[int] = set()
    count = done = 0
    total = len(ids) + 1  # the last step is hashing the payload
    with (
        open(root / "metadata" / "documents.jsonl", "w", encoding="utf-8", newline="") as records,
        _LazyFile(root / "metadata" / "unavailable.jsonl") as unavailable,
    ):
        for record in iter_records(ids, vocabulary=vocabulary):
            name = original_name(record)
            problem = _copy_original(archive.originals.path_for(record["sha256"]), root / name, record)
            text_name = f"texts/{record['id']:06d}.txt"
            (root / text_name).write_text(record.pop("text"), encoding="utf-8", newline="")
            record["original_file"] = None if problem else "data/" + name
            record["text_file"] = "data/" + text_name
            used_tags.update(t["id"] for facet in FACETS for t in record["tags"][facet])
            done += 1
            if problem:  # a bag is a preservation copy: never one with a damaged file; the rest goes in
                damaged.append({"id": record["id"], "sha256": record["sha256"], "detail": problem})
                unavailable.write(json.dumps({**record, "problem": problem}, ensure_ascii=False, default=str))
                tick(done, total, progress, cancel)
                continue
            records.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            dublin_core.append(_dublin_core(record))
            count += 1
            tick(done, total, progress, cancel)
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


def _copy_original(source: Path, target: Path, record: dict) -> str:
    """Copy a document's original into the bag; "" when done, else why it was left out (and removed)."""
    try:
        actual = _copy_hashing(source, target)  # the content, not the read-only mode
    except FileNotFoundError:
        problem = _("The original of document {id} is missing.").format(id=record["id"])
    except OSError as error:
        problem = _("The original of document {id} cannot be read ({error}).").format(
            id=record["id"], error=error.strerror or error
        )
    else:
        if actual == record["sha256"]:
            return ""
        problem = _("The original of document {id} is damaged (its SHA-256 changed).").format(id=record["id"])
    target.unlink(missing_ok=True)
    return problem


class _LazyFile:
    """A JSON Lines file made only when the first line is written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out: TextIO | None = None

    def write(self, line: str) -> None:
        if self._out is None:
            self._out = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed in __exit__)
        self._out.write(line + "\n")

    def __enter__(self) -> _LazyFile:
        return self

    def __exit__(self, *exc) -> None:
        if self._out is not None:
            self._out.close()


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
                    "time": iso(event.time),
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
