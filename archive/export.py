"""Export documents as CSV (for spreadsheets), JSON Lines (every field) or a BagIt bag (for preservation).

The records are built in `export_records`, the bag in `bags.export`; this module picks the format.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.bags.export import partial_prefix, write_bag
from qirtas.archive.export_records import (
    iter_records,
    tick,
    umask,
)
from qirtas.archive.models import uses_archive
from qirtas.archive.store import OriginalsStore, process_alive
from qirtas.i18n.catalog import _

from qirtas.jobs import Cancel, Cancelled, Progress

FORMATS = ("csv", "jsonl", "bagit")
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

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


@dataclass
class ExportReport:
    format: str
    destination: str
    documents: int = 0
    cancelled: bool = False
    # Documents left out because their original is missing or damaged: {"id", "sha256", "detail"}
    damaged: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "destination": self.destination,
            "documents": self.documents,
            "cancelled": self.cancelled,
            "damaged": self.damaged,
        }


@uses_archive
def export(
    archive: Archive,
    format: str,
    destination: str | os.PathLike,
    document_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
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
    remove_stale_partials(destination)
    ids = archive.document_ids() if document_ids is None else list(dict.fromkeys(document_ids))
    report = ExportReport(format, str(destination))
    writers: dict[str, Callable[..., int]] = {
        "csv": _write_csv,
        "jsonl": _write_jsonl,
        "bagit": partial(write_bag, damaged=report.damaged),
    }
    writer = writers[format]
    try:
        report.documents = writer(archive, ids, destination, progress, cancel, whole=document_ids is None)
    except Cancelled:
        report.cancelled = True
        return report
    except (OSError, RuntimeError) as error:  # RuntimeError: from bagit.make_bag
        reason = getattr(error, "strerror", None) or str(error)
        raise ArchiveError(
            _("The export to {path} failed: {reason}.").format(path=destination, reason=reason)
        ) from error
    if archive.read_only:  # nothing can be recorded on a read-only disk; the export itself is whole
        return report
    archive.audit(
        "exported",
        None,
        format=format,
        destination=str(destination),
        documents=report.documents,
        left_out=[item["id"] for item in report.damaged],
    )
    return report


def remove_stale_partials(destination: Path) -> list[Path]:
    """Remove what killed exports to `destination` left beside it: `.NAME.partial-PID-…` files and
    folders whose process is gone (and a bag's `.NAME.partial-xxxxxxxx` folder, named so before it had a
    pid). An export still running keeps its own."""
    if not destination.parent.is_dir():
        return []
    start = re.escape(f".{destination.name}.partial-")
    named, older = re.compile(start + r"(\d+)-"), re.compile(start + r"[a-z0-9_]{8}")
    removed = []
    for path in destination.parent.glob(f".{glob_escape(destination.name)}.partial-*"):
        if match := named.match(path.name):
            if process_alive(int(match.group(1))):
                continue
        elif not (older.fullmatch(path.name) and path.is_dir()):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            OriginalsStore.discard(path)
        removed.append(path)
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


@contextlib.contextmanager
def _replacing(destination: Path, encoding: str):
    """A temporary file beside `destination` that replaces it only when writing succeeded."""
    if destination.is_dir():
        raise ArchiveError(_("{path} is a folder; name a file to export to.").format(path=destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=partial_prefix(destination), dir=destination.parent)
    try:
        with open(handle, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o666 & ~umask())  # mkstemp makes it private; an export is for sharing
        os.replace(temp_name, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


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
            tick(count, len(ids), progress, cancel)
    return count


def _write_jsonl(archive, ids, destination, progress, cancel, whole: bool) -> int:
    count = 0
    with _replacing(destination, "utf-8") as out:
        for record in iter_records(ids):
            out.write(json.dumps(record, ensure_ascii=False, default=str))
            out.write("\n")
            count += 1
            tick(count, len(ids), progress, cancel)
    return count
