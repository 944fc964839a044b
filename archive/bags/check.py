"""Checking a bag from elsewhere before anything of it is kept: links, names that would escape it,
completeness and every checksum, then the Qirtas metadata it carries."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from qirtas.archive.archive import ArchiveError
from qirtas.archive.bags.export import BAG_FORMAT_VERSION
from qirtas.archive.models import FACETS
from qirtas.archive.store import sha256_file
from qirtas.i18n.catalog import _
from qirtas.i18n.formatting import format_file_size

from qirtas.jobs import Cancel, Progress

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_HASH_BLOCK = 1 << 20
# Ids a restore may write: SQLite's INTEGER range, from 1 (ids in an archive are never 0 or negative).
MAX_ID = 2**63 - 1
# Tag files are read whole before anything is checked, and bagit.py reads lines through a codecs reader
# that is quadratic in a line's length (a 16 MB line in bag-info.txt took 11-39 s), so their size is checked
# first. Qirtas writes a bag-info.txt and bagit.txt of a few hundred bytes; a manifest line is a checksum
# (128 hex digits at most) and a file name (4,096 bytes at most on the systems we run on).
_INFO_FILE_LIMIT = 1 << 20
_MANIFEST_LINE_LIMIT = 128 + 2 + 4096


class BagRejected(ArchiveError):
    """The bag is not accepted: nothing from it was written."""


@dataclass
class VerifiedBag:
    """A bag whose files all match their checksums and whose metadata passed every check."""

    bag: object  # bagit.Bag
    records: list[dict]  # metadata/documents.jsonl
    vocabulary: list[dict]  # metadata/tags.jsonl
    trail: list[dict]  # metadata/audit.jsonl


def read_verified_bag(
    path: str | os.PathLike, progress: Progress | None = None, cancel: Cancel | None = None
) -> VerifiedBag | None:
    """The bag at `path` and its metadata, after every check; None when cancelled. Raises BagRejected."""
    bag = open_verified_bag(path, progress, cancel)
    if bag is None:
        return None
    if bag.info.get("Qirtas-Bag-Format") != BAG_FORMAT_VERSION:
        raise BagRejected(
            _("This bag was not written by this version of Qirtas (Qirtas-Bag-Format {found!r}).").format(
                found=bag.info.get("Qirtas-Bag-Format")
            )
        )
    records = _read_jsonl(bag, "documents.jsonl")
    vocabulary = _read_jsonl(bag, "tags.jsonl")
    tags_by_id = _check_vocabulary(vocabulary)
    for record in records:
        _check_record(bag, record)
        _check_dates(
            record, ("date", "imported_at", "modified_at"), _("Document {id}").format(id=record["id"])
        )
        _check_tags_of(record, tags_by_id)
    if len({record["id"] for record in records}) != len(records):
        raise BagRejected(_("metadata/documents.jsonl names a document id twice."))
    return VerifiedBag(bag, records, vocabulary, _read_jsonl(bag, "audit.jsonl", required=False))


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


def _refuse_links_and_devices(root: Path) -> tuple[int, int]:
    """Refuse links and special files; return how many plain files the bag holds inside data/ and outside."""
    payload_files = tag_files = 0
    for folder, subfolders, names in os.walk(root):
        for name in [*subfolders, *names]:
            path = Path(folder) / name
            mode = path.lstat().st_mode
            relative = path.relative_to(root)
            if stat.S_ISREG(mode):
                if relative.parts[0] == "data":
                    payload_files += 1
                else:
                    tag_files += 1
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
    return payload_files, tag_files


def _refuse_oversized_tag_files(root: Path, payload_files: int, tag_files: int) -> None:
    """Refuse, before anything parses them, tag files far larger than the bag they describe."""
    limits = {"bagit.txt": _INFO_FILE_LIMIT, "bag-info.txt": _INFO_FILE_LIMIT}
    for manifest in root.glob("manifest-*.txt"):
        limits[manifest.name] = _INFO_FILE_LIMIT + _MANIFEST_LINE_LIMIT * payload_files
    for manifest in root.glob("tagmanifest-*.txt"):
        limits[manifest.name] = _INFO_FILE_LIMIT + _MANIFEST_LINE_LIMIT * tag_files
    for name, limit in sorted(limits.items()):
        path = root / name
        size = path.stat().st_size if path.is_file() else 0
        if size > limit:
            raise BagRejected(
                _(
                    "The bag is refused: {name} is {size}, more than the {limit} that a bag of {files} files "
                    "can need."
                ).format(
                    name=name, size=format_file_size(size), limit=format_file_size(limit), files=payload_files
                )
            )
        if name.startswith(("manifest-", "tagmanifest-")) and size > 0:
            with open(path, "rb") as handle:  # binary lines: reading a long one costs its length, once
                for number, line in enumerate(handle, 1):
                    if len(line) > _MANIFEST_LINE_LIMIT:
                        raise BagRejected(
                            _(
                                "The bag is refused: line {line} of {name} is {length} bytes long, longer than "
                                "any checksum and file name."
                            ).format(line=number, name=name, length=len(line))
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
    path: str | os.PathLike, progress: Progress | None = None, cancel: Cancel | None = None
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
    _refuse_oversized_tag_files(root, *_refuse_links_and_devices(root))
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


def payload_file(bag, record: dict, key: str, folder: str) -> Path:
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
    if not 1 <= record["id"] <= MAX_ID:
        raise BagRejected(
            _(
                "A document in the bag has the id {id}, which no archive can hold (ids run from 1 to {top})."
            ).format(id=str(record["id"])[:40], top=MAX_ID)
        )
    for name in ("size", "pages"):
        if not 0 <= record[name] <= MAX_ID:
            raise BagRejected(
                _("Document {id} has an impossible {field!r}: {value}.").format(
                    id=record["id"], field=name, value=str(record[name])[:40]
                )
            )
    if not _HEX64.match(record["sha256"]):
        raise BagRejected(_("Document {id} has no valid SHA-256.").format(id=record["id"]))
    original = payload_file(bag, record, "original_file", "originals")
    if original.stat().st_size != record["size"]:
        raise BagRejected(_("The original of document {id} has the wrong size.").format(id=record["id"]))
    try:
        payload_file(bag, record, "text_file", "texts").read_bytes().decode("utf-8")
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
            parse_time(value) if name.endswith("_at") else parse_date(value)
        except (TypeError, ValueError) as error:
            raise BagRejected(
                _("{what} has an invalid {field!r}: {value!r}.").format(what=what, field=name, value=value)
            ) from error


def _check_vocabulary(vocabulary: list[dict]) -> dict[int, dict]:
    """Tags by id, once each, with a facet, a name, valid dates and no loop of parents."""
    by_id: dict[int, dict] = {}
    for entry in vocabulary:
        tag_id, parent = entry.get("id"), entry.get("parent")
        if (
            entry.get("facet") not in FACETS
            or not _is_id(tag_id)
            or tag_id in by_id
            or not (parent is None or _is_id(parent))
        ):
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
            not isinstance(tag, dict) or not _is_id(tag.get("id")) or tag["id"] not in vocabulary
            for tag in tags
        ):
            raise BagRejected(
                _("Document {id} has a tag that is not in metadata/tags.jsonl.").format(id=record["id"])
            )


def _is_id(value: object) -> TypeGuard[int]:
    return type(value) is int and 1 <= value <= MAX_ID


def parse_date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parse_time(value) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def time_or(value, default: dt.datetime) -> dt.datetime:
    """A time from the bag's trail or tag records, where a bad value is not worth refusing the bag."""
    try:
        return parse_time(value) or default
    except (TypeError, ValueError):
        return default
