"""Importing files and folders into an archive, in batches, with a report of what happened to each."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from archive.archive import Archive, NewDocument, document_title
from archive.search import PreparedIndex, prepare_index
from archive.store import sha256_bytes
from i18n import _, current_language, setup_i18n
from importers import SNIFF_BYTES, Extracted, ExtractionError, extract, importer_for
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
            missing.append(FailedFile(str(path), _("No such file or folder.")))
    return files, missing


def _read(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise ExtractionError(
            _(
                "The file is too large ({size} MB); the limit is {limit} MB (set QIRTAS_MAX_FILE_MB to change it)."
            ).format(size=f"{size / 2**20:.0f}", limit=f"{max_bytes / 2**20:.0f}")
        )
    return path.read_bytes()


def import_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike],
    options: ImportOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Import files and folders. Each batch is one transaction; cancelling keeps the batches committed.

    Batches are pipelined: while one batch is written (originals, documents, index), the next one is
    read, hashed and extracted by worker processes, so both cores stay busy on a large folder.
    """
    options = options or ImportOptions()
    files, missing = collect_files(paths)
    # Never import the archive into itself (a folder import that contains the archive folder).
    files = [f for f in files if archive.path not in f.resolve().parents]
    report = ImportReport(failed=missing)
    total = len(files)
    with _extraction_pool(total, options) as pool:
        in_flight: _Batch | None = None
        for start in range(0, total, options.batch_size):
            if cancel and cancel():
                report.cancelled = True
                break
            batch = _start_batch(archive, files[start : start + options.batch_size], start, options, pool)
            if in_flight:
                report.merge(_finish_batch(archive, in_flight, total, options, progress, cancel))
            in_flight = batch
            if progress:
                progress(start, total, str(batch.files[0]))
        if in_flight and not report.cancelled:
            report.merge(_finish_batch(archive, in_flight, total, options, progress, cancel))
    if progress and not report.cancelled:
        progress(total, total, "")
    return report


# Below this many text files a batch is extracted in this process: shipping them to workers costs more.
_PARALLEL_MIN = 32


@dataclass
class _Batch:
    files: list[Path]
    done_before: int
    report: ImportReport
    pending: list[tuple[Path, bytes, str]]
    outcomes: dict[Path, Extracted | ExtractionError | Future]
    isolated: list[Path]


@contextlib.contextmanager
def _extraction_pool(total: int, options: ImportOptions):
    workers = options.workers or min(4, os.cpu_count() or 1)
    if total < _PARALLEL_MIN or workers < 2 or "forkserver" not in multiprocessing.get_all_start_methods():
        yield None
        return
    # A fork server, not fork(): the GUI imports from a thread, and forking a threaded Qt process is unsafe.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["importers", "archive.importing"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool


def _start_batch(
    archive: Archive, files: list[Path], done_before: int, options: ImportOptions, pool
) -> _Batch:
    """Read and hash a batch, set duplicates aside, and start extracting the rest."""
    report = ImportReport()
    readable: list[tuple[Path, bytes, str]] = []
    for path in files:
        try:
            data = _read(path, options.max_bytes)
        except ExtractionError as error:
            report.failed.append(FailedFile(str(path), str(error)))
        except OSError as error:
            report.failed.append(
                FailedFile(
                    str(path),
                    _("The file could not be read: {reason}.").format(reason=error.strerror or error),
                )
            )
        else:
            readable.append((path, data, sha256_bytes(data)))
    # Already archived: report without extracting again.
    known = archive._ids_for_hashes([sha for _path, _data, sha in readable])
    pending = [(path, data, sha) for path, data, sha in readable if sha not in known]
    report.duplicates += [
        DuplicateFile(str(path), known[sha]) for path, _data, sha in readable if sha in known
    ]
    outcomes: dict[Path, Extracted | ExtractionError | Future] = {}
    isolated: list[Path] = []
    local: list[tuple[Path, bytes]] = []
    for path, data, _sha in pending:
        try:
            importer = importer_for(path, data[:SNIFF_BYTES])
        except ExtractionError as error:
            outcomes[path] = error
            continue
        if importer.isolated:
            isolated.append(path)
        else:
            local.append((path, data))
    workers = pool if len(local) >= _PARALLEL_MIN else None
    for path, data in local:
        outcomes[path] = _submit(workers, path, data, options.password) or extract_in_process(
            path, data, options.password
        )
    return _Batch(files, done_before, report, pending, outcomes, isolated)


def _submit(pool, path: Path, data: bytes, password: str | None) -> Future | None:
    """Hand one file to the pool; None when there is no usable pool (the caller extracts it here)."""
    if pool is None:
        return None
    try:
        return pool.submit(_extract_and_prepare, path, data, password, current_language())
    except (BrokenProcessPool, RuntimeError):  # a worker died, or the pool could not start
        return None


def _collect(future: Future, path: Path, data: bytes, password: str | None):
    """A worker's (outcome, prepared index); if the pool broke, the file is extracted here instead."""
    try:
        return future.result()
    except (BrokenProcessPool, OSError, EOFError, RuntimeError):
        return extract_in_process(path, data, password), None


def extract_in_process(path: Path, data: bytes, password: str | None) -> Extracted | ExtractionError:
    """Extraction of a format that is safe to parse in this process (text); never raises."""
    try:
        return extract(path, data=data, password=password)
    except ExtractionError as error:
        return error
    except Exception as error:  # a bug in an importer must not end the batch
        return ExtractionError(
            _("The file could not be read ({kind}: {reason}).").format(
                kind=type(error).__name__, reason=error
            )
        )


def _extract_and_prepare(path: Path, data: bytes, password: str | None, language: str):
    """In a worker: extract, and fold and stem the text for the index too (half the cost of indexing)."""
    if current_language() != language:
        setup_i18n(language)  # messages in the language of the person importing
    outcome = extract_in_process(path, data, password)
    if isinstance(outcome, Extracted):
        return outcome, prepare_index(document_title(outcome, path.name), outcome.text)
    return outcome, None


def _finish_batch(
    archive: Archive,
    batch: _Batch,
    total: int,
    options: ImportOptions,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> ImportReport:
    """Collect the batch's extractions and write it: one transaction, one flush of its originals."""
    report = batch.report
    outcomes: dict[Path, Extracted | ExtractionError] = {}
    prepared: dict[Path, PreparedIndex | None] = {}
    data_of = {path: data for path, data, _sha in batch.pending}
    for path, outcome in batch.outcomes.items():
        if isinstance(outcome, Future):
            outcomes[path], prepared[path] = _collect(outcome, path, data_of[path], options.password)
        else:
            outcomes[path] = outcome
    if batch.isolated:
        outcomes.update(
            extract_isolated(
                batch.isolated,
                timeout=options.timeout,
                password=options.password,
                workers=options.workers,
                cancel=cancel,
            )
        )
    items: list[tuple[Path, NewDocument]] = []
    for path, data, sha in batch.pending:
        outcome = outcomes.get(path)
        if isinstance(outcome, Extracted):
            items.append((path, NewDocument(data, outcome, path.name, sha, prepared.get(path))))
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
        done = min(batch.done_before + len(batch.files), total)
        progress(done, total, str(batch.files[-1]) if batch.files else "")
    return report
