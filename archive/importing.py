"""Importing files and folders into an archive, in batches, with a report of what happened to each."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.archive import Archive, NewDocument
from archive.store import sha256_bytes
from importers import SNIFF_BYTES, Extracted, ExtractionError, importer_for
from importers.workers import extract_isolated

DEFAULT_BATCH = 250
DEFAULT_MAX_BYTES = int(os.environ.get("QIRTAS_MAX_FILE_MB", "256")) * 1024 * 1024

ProgressFn = Callable[[int, int, str], None]  # done, total, current file
CancelFn = Callable[[], bool]


@dataclass
class ImportedFile:
    id: int
    path: str
    sha256: str
    language: str
    status: str
    warnings: list[str]


@dataclass
class DuplicateFile:
    path: str
    id: int


@dataclass
class FailedFile:
    path: str
    error: str


@dataclass
class ImportReport:
    imported: list[ImportedFile] = field(default_factory=list)
    duplicates: list[DuplicateFile] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    cancelled: bool = False

    def to_json(self) -> dict:
        return {
            "imported": [vars(item) for item in self.imported],
            "duplicates": [vars(item) for item in self.duplicates],
            "failed": [vars(item) for item in self.failed],
            "cancelled": self.cancelled,
        }

    def merge(self, other: ImportReport) -> None:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.cancelled = self.cancelled or other.cancelled


@dataclass
class ImportOptions:
    batch_size: int = DEFAULT_BATCH
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 120.0
    password: str | None = None
    workers: int | None = None


def collect_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[FailedFile]]:
    """Files named and files inside folders (recursively, sorted, hidden files skipped)."""
    files: list[Path] = []
    missing: list[FailedFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                files += [Path(folder) / n for n in sorted(names) if not n.startswith(".")]
        elif path.is_file():
            files.append(path)
        else:
            missing.append(FailedFile(str(path), "No such file or folder."))
    return files, missing


def _read(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise ExtractionError(
            f"The file is too large ({size / 2**20:.0f} MB); the limit is {max_bytes / 2**20:.0f} MB "
            "(set QIRTAS_MAX_FILE_MB to change it)."
        )
    return path.read_bytes()


def import_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike],
    options: ImportOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Import files and folders. Each batch is one transaction; cancelling keeps the batches committed."""
    options = options or ImportOptions()
    files, missing = collect_files(paths)
    # Never import the archive into itself (a folder import that contains the archive folder).
    files = [f for f in files if archive.path not in f.resolve().parents]
    report = ImportReport(failed=missing)
    total = len(files)
    for start in range(0, total, options.batch_size):
        if cancel and cancel():
            report.cancelled = True
            break
        batch = files[start : start + options.batch_size]
        report.merge(_import_batch(archive, batch, options, start, total, progress, cancel))
    if progress and not report.cancelled:
        progress(total, total, "")
    return report


def _import_batch(
    archive: Archive,
    files: list[Path],
    options: ImportOptions,
    done_before: int,
    total: int,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> ImportReport:
    report = ImportReport()
    readable: list[tuple[Path, bytes, str]] = []
    for path in files:
        try:
            data = _read(path, options.max_bytes)
        except ExtractionError as error:
            report.failed.append(FailedFile(str(path), str(error)))
        except OSError as error:
            report.failed.append(
                FailedFile(str(path), f"The file could not be read: {error.strerror or error}.")
            )
        else:
            readable.append((path, data, sha256_bytes(data)))
    # Already archived: report without extracting again.
    known = archive._ids_for_hashes([sha for _path, _data, sha in readable])
    pending = [(path, data, sha) for path, data, sha in readable if sha not in known]
    report.duplicates += [
        DuplicateFile(str(path), known[sha]) for path, _data, sha in readable if sha in known
    ]

    extracted = _extract_all(pending, options, done_before, total, progress, cancel)
    items: list[tuple[Path, NewDocument]] = []
    for path, data, sha in pending:
        outcome = extracted.get(path)
        if isinstance(outcome, Extracted):
            items.append((path, NewDocument(data, outcome, path.name, sha)))
        elif outcome is not None:
            report.failed.append(FailedFile(str(path), str(outcome)))
    added = archive.add_batch([item for _path, item in items])
    for (path, item), result in zip(items, added, strict=True):
        if result.duplicate:
            report.duplicates.append(DuplicateFile(str(path), result.id))
        else:
            e = item.extracted
            report.imported.append(
                ImportedFile(result.id, str(path), result.sha256, e.language, e.status, e.warnings)
            )
    if progress:
        progress(min(done_before + len(files), total), total, str(files[-1]) if files else "")
    return report


def _extract_all(
    pending: list[tuple[Path, bytes, str]],
    options: ImportOptions,
    done_before: int,
    total: int,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> dict[Path, Extracted | ExtractionError]:
    """Extract in-process where the format is safe to parse here; in worker processes otherwise."""
    outcomes: dict[Path, Extracted | ExtractionError] = {}
    isolated: list[Path] = []
    for index, (path, data, _sha) in enumerate(pending):
        try:
            importer = importer_for(path, data[:SNIFF_BYTES])
        except ExtractionError as error:
            outcomes[path] = error
            continue
        if importer.isolated:
            isolated.append(path)
            continue
        if progress and index % 50 == 0:
            progress(done_before + index, total, str(path))
        try:
            outcomes[path] = importer.extract(path, data=data, password=options.password)
        except ExtractionError as error:
            outcomes[path] = error
        except Exception as error:  # a bug in an importer must not end the batch
            outcomes[path] = ExtractionError(f"The file could not be read ({type(error).__name__}: {error}).")
    if isolated:
        outcomes.update(
            extract_isolated(
                isolated,
                timeout=options.timeout,
                password=options.password,
                workers=options.workers,
                cancel=cancel,
            )
        )
    return outcomes
