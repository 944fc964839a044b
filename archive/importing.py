"""Importing files and folders into an archive, in batches, with a report of what happened to each.

Worker processes do the per-file work: read, hash, extract, fold the text for the index, and write the
original to a temp file in the store. The importing process (the writer) only renames those into place,
flushes the disk once per batch and inserts the batch's rows in one transaction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import stat
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from qirtas.archive.archive import Archive, NewDocument, document_title
from qirtas.archive.models import uses_archive
from qirtas.archive.search import PreparedIndex, lexicon_entries, prepare_index
from qirtas.archive.store import OriginalsStore, sha256_bytes, sha256_file
from qirtas.i18n import _, current_language, setup_i18n
from qirtas.i18n.normalize import folded_words, index_text_of_pieces, record_new_pieces
from qirtas.i18n.script import text_pieces
from qirtas.importers import SNIFF_BYTES, Extracted, ExtractionError, Importer, extract, importer_for
from qirtas.importers.notices import codes, english_texts
from qirtas.importers.workers import ReaderHooks, extract_isolated

from qirtas.jobs import Cancel, Progress

DEFAULT_BATCH = 1000  # files per transaction at most ...
BATCH_BYTES = 32 * 1024 * 1024  # ... and bytes of new originals (one disk flush per batch: ≈50 ms)
DEFAULT_MAX_BYTES = int(os.environ.get("QIRTAS_MAX_FILE_MB", "256")) * 1024 * 1024


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
    restored: bool = False  # its original was missing or damaged, and this file put it back


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
            "imported": [
                {
                    **vars(item),
                    "warnings": english_texts(item.warnings),
                    "warning_codes": codes(item.warnings),
                }
                for item in self.imported
            ],
            # "restored" only when true: the keys a plain duplicate has always had stay the same
            "duplicates": [
                {**vars(d)} if d.restored else {"path": d.path, "id": d.id} for d in self.duplicates
            ],
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
    follow_symlinks: bool = False  # links out of an imported folder (else reported, not followed)
    # How the reading processes start: the caller's choice, since only it knows whether forking is safe
    # (the command line, one thread and no Qt: "fork", ready in milliseconds). None: a fork server where
    # there is one (a threaded Qt process must not fork), else spawn.
    start_method: str | None = None
    reader_hooks: ReaderHooks | None = None  # tests only: see importers.workers.ReaderHooks


def collect_files(
    paths: Iterable[str | os.PathLike], skip: Path | None = None, follow_symlinks: bool = False
) -> tuple[list[Path], list[FailedFile]]:
    """Files named and files inside folders (recursively, sorted, hidden files skipped), leaving out
    the folder `skip` (resolved) and everything in it. What else is left out is a `FailedFile` saying
    why: a folder that cannot be listed, and a link that leads out of the imported folder (unless
    `follow_symlinks`: then it is followed, once per folder it reaches). A link to a file inside the
    folder is taken after the folder's files (it ends as a duplicate of its target, imported first); a
    link to a folder inside it is not entered: its files are taken where they are, and a link to a parent
    would never end.
    Anything else that is not a folder (a FIFO, a device) is left to the reader, which refuses it."""
    files: list[Path] = []
    failed: list[FailedFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            if skip is not None and (root == skip or skip in root.parents):
                continue
            _walk(path, root, skip, follow_symlinks, files, failed)
        elif path.exists():  # named by the user: a link is followed
            if skip is None or skip not in path.resolve().parents:
                files.append(path)
        else:
            failed.append(FailedFile(str(path), _("No such file or folder.")))
    return files, failed


def _walk(
    top: Path,
    root: Path,
    skip: Path | None,
    follow_symlinks: bool,
    files: list[Path],
    failed: list[FailedFile],
) -> None:
    """`collect_files` in one folder: depth first, in name order, as os.walk would go (which passes over a
    folder it cannot list without a word)."""
    folders = [(str(top), root)]  # each as the user names it, and where it really is
    entered = {root}  # with links followed: the real folders walked, so that none is walked twice
    links: list[Path] = []  # to files inside the folder: after them
    while folders:
        folder, real = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted((entry for entry in scan if not entry.name.startswith(".")), key=_name)
        except OSError as error:
            failed.append(FailedFile(folder, _folder_unreadable(error)))
            continue
        names: list[str] = []
        subfolders: list[tuple[str, Path]] = []
        for entry in entries:
            try:
                if entry.is_symlink():
                    _take_link(entry, root, skip, follow_symlinks, entered, names, links, subfolders, failed)
                elif entry.is_dir(follow_symlinks=False):
                    inner = real / entry.name
                    if inner != skip:
                        subfolders.append((entry.path, inner))
                else:
                    names.append(entry.name)
            except OSError:  # it could not be looked at: the reader says why
                names.append(entry.name)
        base = Path(folder)  # once per folder: building paths is most of listing a big folder
        files += [base / name for name in names]
        if follow_symlinks:
            entered.update(inner for _path, inner in subfolders)
        folders += reversed(subfolders)
    files += links


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _take_link(
    entry: os.DirEntry,
    root: Path,
    skip: Path | None,
    follow_symlinks: bool,
    entered: set[Path],
    names: list[str],
    links: list[Path],
    subfolders: list[tuple[str, Path]],
    failed: list[FailedFile],
) -> None:
    target = Path(os.path.realpath(entry.path))
    inside = target == root or root in target.parents
    if not inside and not follow_symlinks:
        failed.append(
            FailedFile(
                entry.path,
                _(
                    "Skipped: {name} is a link to {target}, outside the imported folder; links out of it are "
                    "not followed (import with --follow-symlinks to follow them)."
                ).format(name=entry.name, target=target),
            )
        )
    elif not target.is_dir():  # a file (or what the reader will refuse, or a broken link it reports)
        if inside:
            links.append(Path(entry.path))
        else:
            names.append(entry.name)
    elif (
        not inside
        and target not in entered
        and not (skip is not None and (target == skip or skip in target.parents))
    ):
        entered.add(target)
        subfolders.append((entry.path, target))


def _folder_unreadable(error: OSError) -> str:
    return _("The folder could not be read, so its files were not imported: {reason}.").format(
        reason=error.strerror or error
    )


def _not_regular(path: Path | str, mode: int) -> ExtractionError:
    if stat.S_ISFIFO(mode):
        kind = _("a FIFO")
    elif stat.S_ISCHR(mode):
        kind = _("a character device")
    elif stat.S_ISBLK(mode):
        kind = _("a block device")
    elif stat.S_ISSOCK(mode):
        kind = _("a socket")
    elif stat.S_ISDIR(mode):
        kind = _("a folder")
    else:
        kind = _("a special file")
    return ExtractionError(
        _("{name} is not a regular file ({kind}); only files are imported.").format(
            name=os.path.basename(path), kind=kind
        )
    )


# O_NONBLOCK: opening a FIFO waits for a writer without it. O_NOCTTY: a terminal device named for import
# must not become this process's terminal. Neither changes how a regular file is read.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
)


def _read(path: Path | str, max_bytes: int) -> bytes:
    """The file's bytes, read once. Only a regular file is read (checked on the opened descriptor, so it
    is the file read), and at most `max_bytes` + 1 of it: a size can say less than a file holds."""
    # os.open and os.read: a buffered file object cost three times as much for a file of a few kB.
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError:
        # A socket cannot be opened, a device may be refused: say what it is rather than why.
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                raise _not_regular(path, mode) from None
        raise
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(path, status.st_mode)
        size = status.st_size
        if size > max_bytes:
            raise ExtractionError(
                _(
                    "The file is too large ({size} MB); the limit is {limit} MB (set QIRTAS_MAX_FILE_MB to change it)."
                ).format(size=f"{size / 2**20:.0f}", limit=f"{max_bytes / 2**20:.0f}")
            )
        data = os.read(handle, size + 1)  # all of it in one call, unless it changed since: then to its end
        if len(data) == size:
            return data
        chunks = [data]
        read = len(data)
        while read <= max_bytes and (chunk := os.read(handle, min(1 << 20, max_bytes + 1 - read))):
            chunks.append(chunk)
            read += len(chunk)
        if read > max_bytes:
            raise ExtractionError(
                _(
                    "The file holds more than the limit of {limit} MB, though its size said less (it grew "
                    "while it was read, or is not an ordinary file); set QIRTAS_MAX_FILE_MB to change the limit."
                ).format(limit=f"{max_bytes / 2**20:.0f}")
            )
        return b"".join(chunks)
    finally:
        os.close(handle)


# ---- reading one file (in a worker process, or here) ------------------------------------------------
FAILED, STORED, ISOLATED, EXTRACTED = "failed", "stored", "isolated", "extracted"


class FileRead(NamedTuple):
    """What reading one file found. Small on purpose (it travels back from a worker): the file's bytes
    stay in the store's temp file `incoming`.

    FAILED: `error` says why. STORED: the store already holds an original with this hash (a duplicate,
    or an original a crash left without its document). ISOLATED: a format read in an isolated worker
    (PDF), extracted when its batch is written. EXTRACTED: `extracted` and `prepared` are ready.
    """

    kind: str
    sha256: str = ""
    size: int = 0
    incoming: str = ""
    extracted: Extracted | None = None
    prepared: PreparedIndex | None = None
    error: str = ""
    lexicon: tuple[tuple[str, str], ...] = ()  # prefix lexicon rows of the words `prepared` leaves out

    def __reduce__(self):
        # Sent as plain tuples: pickling the two dataclasses took a third of a result's pickling, and
        # more of its unpickling in the importing process.
        extracted, prepared = self.extracted, self.prepared
        return _file_read, (
            self.kind,
            self.sha256,
            self.size,
            self.incoming,
            None if extracted is None else tuple(map(vars(extracted).__getitem__, _EXTRACTED_FIELDS)),
            None
            if prepared is None
            else (prepared.title, prepared.title_terms, prepared.body_terms, prepared.words),
            self.error,
            self.lexicon,
        )


_EXTRACTED_FIELDS = tuple(field.name for field in dataclasses.fields(Extracted))


def _file_read(kind, sha256, size, incoming, extracted, prepared, error, lexicon) -> FileRead:
    return FileRead(
        kind,
        sha256,
        size,
        incoming,
        None if extracted is None else Extracted(*extracted),
        None if prepared is None else PreparedIndex(*prepared),
        error,
        lexicon,
    )


class ReadSettings(NamedTuple):
    store: str  # the originals folder
    max_bytes: int
    password: str | None
    language: str  # of the person importing: error messages in it
    chunk_bytes: int  # a worker hands its results back once it has read this much
    import_id: str  # one import: what `_sent` remembers is for it only


class _Sent(NamedTuple):
    """What a worker process has sent with earlier files of one import. The writer needs each word once
    (for the prefix lexicon), and a document's whole vocabulary was most of what a worker sent back.
    Words come from pieces of text (`str.split()`): `pieces` are those the index terms' cache folded
    anew since the import began (`i18n.normalize.record_new_pieces`), the only ones that can hold a word
    not sent yet, so a document of known pieces costs nothing more."""

    pieces: list[str]
    words: set[str]


_stores: dict[str, OriginalsStore] = {}  # one per archive in each process (it remembers its folders)
_sent: dict[str, _Sent] = {}  # by import id (the current import's only), in a worker process
_in_worker = False  # a pool worker: one thread, reading for one import at a time


def read_files(paths: list[str], settings: ReadSettings) -> list[FileRead]:
    """Read the files in order, one `FileRead` each. Stops early (a shorter list) once
    `settings.chunk_bytes` were read, so a worker's results stay small; the caller sends the rest again."""
    if current_language() != settings.language:
        setup_i18n(settings.language)  # messages in the language of the person importing
    store = _stores.get(settings.store) or _stores.setdefault(
        settings.store, OriginalsStore(Path(settings.store))
    )
    if _in_worker and settings.import_id not in _sent:
        _sent.clear()
        _sent[settings.import_id] = _Sent(record_new_pieces(), set())
    results: list[FileRead] = []
    read = 0
    for path in paths:
        result = read_file(Path(path), settings, store)
        results.append(result)
        read += result.size
        if read >= settings.chunk_bytes:
            break
    return results


def read_file(
    path: Path, settings: ReadSettings, store: OriginalsStore, check_store: bool = True
) -> FileRead:
    """Read, hash, extract and index-fold one file, and write its bytes to a temp file in the store."""
    try:
        data = _read(path, settings.max_bytes)
    except ExtractionError as error:
        return FileRead(FAILED, error=str(error))
    except OSError as error:
        return FileRead(
            FAILED, error=_("The file could not be read: {reason}.").format(reason=error.strerror or error)
        )
    sha = sha256_bytes(data)
    if check_store and store.has(sha):
        return FileRead(STORED, sha, len(data))  # not extracted again: the writer asks the database
    try:
        importer = importer_for(path, data[:SNIFF_BYTES])
    except ExtractionError as error:
        return FileRead(FAILED, sha, len(data), error=str(error))
    if importer.isolated:
        return FileRead(ISOLATED, sha, len(data), store.write_incoming(sha, data))
    outcome = extract_in_process(path, data, settings.password, importer)
    if isinstance(outcome, ExtractionError):
        return FileRead(FAILED, sha, len(data), error=str(outcome))
    title = document_title(outcome, path.name)
    sent = _sent.get(settings.import_id)
    lexicon: tuple[tuple[str, str], ...] = ()
    try:
        if sent is None:
            prepared = prepare_index(title, outcome.text)
        else:
            prepared, lexicon = _prepare_index_and_lexicon(title, outcome.text, sent)
    except Exception as error:  # a bug in the normaliser must not end the import
        return FileRead(FAILED, sha, len(data), error=_unexpected(error))
    return FileRead(
        EXTRACTED, sha, len(data), store.write_incoming(sha, data), outcome, prepared, lexicon=lexicon
    )


def _prepare_index_and_lexicon(
    title: str, text: str, sent: _Sent
) -> tuple[PreparedIndex, tuple[tuple[str, str], ...]]:
    """`prepare_index` without the document's words, and the lexicon rows of those not sent before in
    this import (stemmed here, where the stems are cached, so the writer only inserts them)."""
    title_pieces, pieces = title.split(), text_pieces(text)  # split already when its language was counted
    prepared = PreparedIndex(
        title, index_text_of_pieces(title_pieces), index_text_of_pieces(pieces), frozenset()
    )
    if not sent.pieces:  # every piece of this document was met before in this import
        return prepared, ()
    # The words of a text are those of its pieces (see `i18n.normalize`).
    words = set(folded_words(" ".join(sent.pieces))).difference(sent.words)
    sent.pieces.clear()
    sent.words.update(words)
    return prepared, tuple(lexicon_entries(words))


def extract_in_process(
    path: Path, data: bytes, password: str | None, importer: Importer | None = None
) -> Extracted | ExtractionError:
    """Extraction of a format that is safe to parse in this process (text); never raises. `importer`:
    the one already picked for the file (else it is picked by sniffing)."""
    try:
        if importer is not None:
            return importer.extract(path, data=data, password=password)
        return extract(path, data=data, password=password)
    except ExtractionError as error:
        return error
    except Exception as error:  # a bug in an importer must not end the batch
        return ExtractionError(_unexpected(error))


def _unexpected(error: Exception) -> str:
    return _("The file could not be read ({kind}: {reason}).").format(kind=type(error).__name__, reason=error)


# ---- reading ahead of the writer --------------------------------------------------------------------
# Below this many files an import is read in this process: starting workers costs more (≈0.4 s).
_PARALLEL_MIN = 32
_CHUNK_FILES = 48  # files per worker task: one task per file cost more in shipping than in reading
_CHUNK_BYTES = 8 * 1024 * 1024
_WARM_UP_CHUNK = 8
_LARGE_FILE = 256 * 1024  # files this large on average are read a few chunks ahead only


class _Reader:
    """Reads the files ahead of the writer, in chunks handed to worker processes (or read here when
    there is no pool), and gives back each file's `FileRead` in the files' order. It keeps at most
    about a batch and a few chunks read but not yet taken, so memory stays bounded; `close()` removes
    the temp files of whatever was read but not taken."""

    def __init__(self, files: list[Path], settings: ReadSettings, workers: _Workers | None, ahead: int):
        self.files = files
        self.settings = settings
        self.pool = workers.pool if workers else None
        count = workers.processes if workers else 1
        self.chunk = max(4, min(_CHUNK_FILES, -(-len(files) // (count * 4))))
        self.ahead = max(ahead, self.chunk * count * 2)
        # Large files: results of a few chunks only (each at most `_CHUNK_BYTES` and a file) read ahead.
        self.ahead_large = self.chunk * count * 2
        self.bytes_read = self.files_read = 0
        self.next = 0  # the first file not yet in `pending`
        self.pending: deque[tuple[list[Path], Future | None]] = deque()  # None: to be read here
        self.in_flight = 0  # files in `pending`
        self.ready: deque[tuple[Path, FileRead]] = deque()
        # Workers from a fork server take ≈0.4 s to start (it imports the importers first): a thread
        # waits for them while this process reads the first chunks itself.
        self.started = threading.Event()
        if workers and workers.started:
            self.started.set()
        elif workers:
            threading.Thread(
                target=self._start_workers, args=(count,), name="qirtas-workers", daemon=True
            ).start()

    def __iter__(self) -> Iterator[tuple[Path, FileRead]]:
        return self

    def waiting(self) -> bool:
        """Whether taking the next file would wait for a worker (time the writer can use)."""
        if self.ready or not self.pending:
            return False
        future = self.pending[0][1]
        return future is not None and not future.done()

    def __next__(self) -> tuple[Path, FileRead]:
        while not self.ready:
            self._fill()
            if not self.pending:
                raise StopIteration
            paths, future = self.pending.popleft()
            self.in_flight -= len(paths)
            results = self._results(paths, future)
            self.files_read += len(results)
            self.bytes_read += sum(read.size for read in results)
            if len(results) < len(paths):  # the worker stopped early (large files): the rest next
                rest = paths[len(results) :]
                self.pending.appendleft((rest, self._submit(rest)))
                self.in_flight += len(rest)
            self.ready.extend(zip(paths, results, strict=False))
        self._fill()
        return self.ready.popleft()

    def _fill(self) -> None:
        large = self.bytes_read > _LARGE_FILE * self.files_read
        while self.next < len(self.files) and self.in_flight < (self.ahead_large if large else self.ahead):
            here = self.pool is None or not self.started.is_set()
            if here and self.pending and self.pending[-1][1] is None:
                return  # files read here are read when taken: one chunk queued is enough
            # While the workers start, small chunks: this process looks again after each.
            size = self.chunk if self.pool is None or not here else _WARM_UP_CHUNK
            paths = self.files[self.next : self.next + size]
            self.next += len(paths)
            self.in_flight += len(paths)
            self.pending.append((paths, None if here else self._submit(paths)))

    def _start_workers(self, count: int) -> None:
        pool = self.pool
        try:
            if pool is not None:  # None once `_submit` found the pool broken
                for started in [pool.submit(_started) for _ in range(count)]:
                    started.result()
        except Exception:  # a broken pool shows itself again on the first real task
            pass
        finally:
            self.started.set()

    def _submit(self, paths: list[Path]) -> Future | None:
        """Hand a chunk to the pool; None when there is no usable pool (the files are read here)."""
        pool = self.pool
        if pool is None:
            return None
        try:
            return pool.submit(read_files, [str(p) for p in paths], self.settings)
        except (BrokenProcessPool, RuntimeError):  # a worker died, or the pool could not start
            self.pool = None
            return None

    def _results(self, paths: list[Path], future: Future | None) -> list[FileRead]:
        if future is not None:
            try:
                return future.result()
            except (BrokenProcessPool, EOFError, RuntimeError):  # the files are read here instead
                self.pool = None
        return read_files([str(p) for p in paths], self.settings)

    def close(self) -> None:
        """Stop reading ahead and remove the temp files of files read but not taken."""
        for _paths, future in self.pending:
            if future is None or future.cancel():
                continue
            with contextlib.suppress(Exception):
                self.ready.extend((Path(), read) for read in future.result())
        self.pending.clear()
        for _path, read in self.ready:
            if read.incoming:
                OriginalsStore.discard(read.incoming)
        self.ready.clear()


def _started() -> bool:
    return True


class _Workers(NamedTuple):
    pool: ProcessPoolExecutor
    processes: int
    started: bool  # ready now (forked), or still starting (from a fork server)


@contextlib.contextmanager
def _extraction_pool(total: int, options: ImportOptions) -> Iterator[_Workers | None]:
    count = options.workers or min(4, os.cpu_count() or 1)
    context = _pool_context(options.start_method) if total >= _PARALLEL_MIN and count >= 2 else None
    if context is None:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_worker_started)
    try:
        forked = context.get_start_method() == "fork"
        if forked:
            pool.submit(_started).result()  # forks every worker now, from this thread, in milliseconds
        yield _Workers(pool, count, started=forked)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool_context(start_method: str | None) -> multiprocessing.context.BaseContext | None:
    """How workers start: as the caller chose (`ImportOptions.start_method`), else a fork server, which
    first imports the importers (≈0.4 s) and is safe in a threaded Qt process. None: read here."""
    methods = multiprocessing.get_all_start_methods()
    if start_method is not None and start_method in methods and start_method != "forkserver":
        return multiprocessing.get_context(start_method)
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["qirtas.importers", "qirtas.archive.importing"])
        return context
    return None


# Workers yield the processor to the importing process: it is the one stage that cannot run in parallel,
# and with an equal share it had two thirds of a core beside two workers while they read ahead of it
# (5 % more files/s, A/B runs of 20,000 files; with 10 no better).
_WORKER_NICENESS = 5


def _worker_started() -> None:
    """In each worker: Ctrl+C is for the importing process to handle, a worker whose parent is gone
    (the import was killed) ends instead of waiting for work forever, and it runs at a lower priority."""
    global _in_worker
    _in_worker = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(_WORKER_NICENESS)
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), name="qirtas-parent", daemon=True).start()


def _end_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


# ---- writing ----------------------------------------------------------------------------------------
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
        import_id=os.urandom(8).hex(),
    )
    batch: list[tuple[Path, FileRead]] = []
    # Shared with other imports; a repair waits for none to run (it would take our files for leftovers).
    with archive.originals.importing(), _extraction_pool(total, options) as workers:
        reader = _Reader(files, settings, workers, ahead=options.batch_size)
        try:
            if progress and files:
                progress(0, total, str(files[0]))
            done, new_bytes = 0, 0
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
                    _write_batch(archive, batch, settings, options, cancel, report)
                    done += len(batch)
                    batch, new_bytes = [], 0
                    if progress:
                        progress(done, total, str(path))
                    if cancel and cancel():
                        report.cancelled = True
                        break
            if batch and not report.cancelled:
                _write_batch(archive, batch, settings, options, cancel, report)
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
) -> None:
    """Write one batch: duplicates set aside, isolated formats extracted, then `Archive.add_batch` (the
    originals renamed into place, one flush, one transaction)."""
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
            timeout=options.timeout,
            password=options.password,
            workers=options.workers,
            cancel=cancel,
            names={copy: ready[index][0] for index, copy in copies.items()},
            hooks=options.reader_hooks,
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
    added = archive.add_batch([item for _path, item in items], lexicon=lexicon)
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
