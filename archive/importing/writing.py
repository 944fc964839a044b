"""Writing an import (`import_paths`): batches of files read ahead are written, each in one transaction,
and every file ends in the report as imported, a duplicate or failed."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.importing.collect import collect_files
from qirtas.archive.importing.options import BATCH_BYTES, ImportOptions
from qirtas.archive.importing.pipeline import _CHUNK_BYTES, ImportWorkers, _Reader, import_workers
from qirtas.archive.importing.reading import (
    EXTRACTED,
    FAILED,
    ISOLATED,
    STORED,
    FileRead,
    ReadSettings,
    read_file,
)
from qirtas.archive.importing.report import DuplicateFile, FailedFile, ImportedFile, ImportReport
from qirtas.archive.models import uses_archive
from qirtas.archive.search import SentTerms
from qirtas.archive.store import OriginalsStore, sha256_file
from qirtas.i18n import current_language
from qirtas.importers import Extracted, ExtractionError
from qirtas.importers.workers import extract_isolated

from qirtas.jobs import Cancel, Progress


@uses_archive
def import_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike],
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportReport:
    """Import files and folders. Each batch is one transaction; cancelling keeps the batches committed.

    Reading is pipelined: while one batch is written (originals renamed into place, one disk flush, one
    transaction), worker processes read and extract the next files, so both cores stay busy.
    """
    archive.refuse_writes()
    options = options or ImportOptions()
    # Never import the archive into itself (a folder import that contains the archive folder).
    files, missing = collect_files(paths, skip=archive.path, follow_symlinks=options.follow_symlinks)
    report = ImportReport(failed=missing)
    total = len(files)
    if cancel and cancel():
        report.cancelled = True
        return report
    settings = ReadSettings(
        str(archive.originals.root),
        options.max_bytes,
        options.password,
        current_language(),
        _CHUNK_BYTES,
    )
    batch: list[tuple[Path, FileRead]] = []
    sent = SentTerms()  # the index terms the workers send once each in this import
    # Shared with other imports; a repair waits for none to run (it would take our files for leftovers).
    with archive.originals.importing(), import_workers(total, options) as workers:
        reader = _Reader(files, settings, workers, ahead=options.batch_size)
        done = 0

        def pages(name: Path, read: int) -> None:  # a file read page by page (a scan being OCR'd)
            if progress:
                progress(done, total, str(name), read)

        try:
            if progress and files:
                progress(0, total, str(files[0]))
            new_bytes = 0
            smallest = max(1, options.batch_size // 4)
            for path, read in reader:
                batch.append((path, read))
                new_bytes += read.size if read.incoming else 0
                # A full batch is written; a smaller one too when the workers have nothing ready yet,
                # so writing keeps pace with reading and little is left to write after the last file.
                if (
                    len(batch) >= options.batch_size
                    or new_bytes >= BATCH_BYTES
                    or (len(batch) >= smallest and reader.waiting())
                ):
                    _write_batch(archive, batch, settings, options, cancel, report, sent, workers, pages)
                    done += len(batch)
                    batch, new_bytes = [], 0
                    if progress:
                        progress(done, total, str(path))
                    if cancel and cancel():
                        report.cancelled = True
                        break
            if batch and not report.cancelled:
                _write_batch(archive, batch, settings, options, cancel, report, sent, workers, pages)
                batch = []
        finally:
            for _path, read in batch:  # read but never committed (cancel, or an error)
                if read.incoming:
                    OriginalsStore.discard(read.incoming)
            reader.close()
    if progress and not report.cancelled:
        progress(total, total, "")
    return report


def _repair_orphan(originals: OriginalsStore, sha256: str, incoming: str) -> None:
    """A crash (power loss) between the rename of an original and the disk flush can leave it short or
    empty; no document refers to it, so before one does, a damaged one is replaced by the file read
    again (the only time an original is overwritten). `place()` then finds it there."""
    target = originals.path_for(sha256)
    with contextlib.suppress(FileNotFoundError):
        if sha256_file(target) == sha256:
            return
    os.replace(incoming, target)


def _intact(originals: OriginalsStore, sha256: str) -> bool:
    try:
        return sha256_file(originals.path_for(sha256)) == sha256
    except OSError:
        return False


def _restore(archive: Archive, path: Path, settings: ReadSettings, sha256: str) -> bool:
    """Heal a document's missing or damaged original with the file imported again, if its bytes (read
    anew) still have that SHA-256; recorded in the audit trail."""
    read = read_file(path, settings, archive.originals, check_store=False)
    if not read.incoming:
        return False
    if read.sha256 != sha256 or _intact(archive.originals, sha256):
        OriginalsStore.discard(read.incoming)
        return False
    target = archive.originals.path_for(sha256)
    with contextlib.suppress(FileNotFoundError):
        os.chmod(target, 0o600)  # Windows cannot replace a read-only file
    os.replace(read.incoming, target)  # over a damaged one: the bytes it should have held
    archive.originals.flush([target])
    (document_id,) = archive._ids_for_hashes([sha256]).values()
    archive.audit("original-restored", document_id, sha256=sha256, source=str(path))
    return True


def _hashed_copy(originals: OriginalsStore, read: FileRead) -> Path:
    """Where the bytes of `read` are: its temp file in the store, or the original that replaced a damaged
    one (`_repair_orphan`)."""
    return Path(read.incoming) if os.path.exists(read.incoming) else originals.path_for(read.sha256)


def _write_batch(
    archive: Archive,
    batch: list[tuple[Path, FileRead]],
    settings: ReadSettings,
    options: ImportOptions,
    cancel: Cancel | None,
    report: ImportReport,
    sent: SentTerms | None,
    workers: ImportWorkers,
    pages: Callable[[Path, int], None] | None = None,
) -> None:
    """Write one batch: duplicates set aside, isolated formats extracted (in the import's reader pool),
    then `Archive.add_batch` (the originals renamed into place, one flush, one transaction). `sent`: the
    import's (see `SentTerms`)."""
    stored = [read.sha256 for _path, read in batch if read.kind == STORED]
    known = archive._ids_for_hashes(stored) if stored else {}
    ready: list[tuple[Path, FileRead]] = []
    for index, (path, read) in enumerate(batch):
        sha = read.sha256
        if read.kind == STORED:
            if read.sha256 in known:
                restored = not _intact(archive.originals, sha) and _restore(archive, path, settings, sha)
                report.duplicates.append(DuplicateFile(str(path), known[sha], restored))
                continue
            # An original without its document (left by a crash, or another import is committing it):
            # read the file again in full; a race with the other import ends as a duplicate.
            read = read_file(path, settings, archive.originals, check_store=False)
            batch[index] = (path, read)
            if read.incoming and read.sha256 == sha:
                _repair_orphan(archive.originals, sha, read.incoming)
        if read.kind == FAILED:
            report.failed.append(FailedFile(str(path), read.error))
        else:
            ready.append((path, read))
    # Extracted from the bytes that were hashed, never from the user's file again: it may have changed.
    copies = {
        index: _hashed_copy(archive.originals, read)
        for index, (_p, read) in enumerate(ready)
        if read.kind == ISOLATED
    }
    outcomes: dict[Path, Extracted | ExtractionError] = {}
    if copies:
        outcomes = extract_isolated(
            list(dict.fromkeys(copies.values())),
            password=options.password,
            cancel=cancel,
            names={copy: ready[index][0] for index, copy in copies.items()},
            hooks=options.reader_hooks,
            pool=workers.extracting(),
            on_page=pages,
            **options.extract_options(),
        )
    items: list[tuple[Path, NewDocument]] = []
    for index, (path, read) in enumerate(ready):
        outcome = read.extracted if read.kind == EXTRACTED else outcomes.get(copies[index])
        if isinstance(outcome, Extracted):
            item = NewDocument(b"", outcome, path.name, read.sha256, read.prepared, read.incoming, read.size)
            items.append((path, item))
            continue
        OriginalsStore.discard(read.incoming)
        if outcome is not None:  # None: the isolated reading was cancelled
            report.failed.append(FailedFile(str(path), str(outcome)))
    lexicon = [entry for _path, read in ready for entry in read.lexicon]
    if sent is not None:  # those of every file read, written as a document or not (a duplicate)
        sent.batch = {
            term
            for _p, read in ready
            if read.prepared and read.prepared.new_terms
            for term in read.prepared.new_terms
        }
    added = archive.add_batch([item for _path, item in items], lexicon=lexicon, sent=sent)
    for (path, item), result in zip(items, added, strict=True):
        if result.duplicate:  # a missing original is why the store did not know it
            restored = not archive.originals.has(item.sha256) and _restore(
                archive, path, settings, item.sha256
            )
            report.duplicates.append(DuplicateFile(str(path), result.id, restored))
        else:
            e = item.extracted
            report.imported.append(
                ImportedFile(result.id, str(path), result.sha256, e.language, e.status, e.warnings)
            )
