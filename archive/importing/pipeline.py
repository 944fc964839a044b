"""Reading ahead of the writer: `_Reader` hands chunks of files to the import's reader pool (or reads them
here) and gives back each file's `FileRead` in order; `ImportWorkers` owns that pool, which also extracts
the import's PDFs and images (`importers.workers.extract_isolated`): one pool for everything an import
reads."""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

from qirtas.archive.importing.options import ImportOptions
from qirtas.archive.importing.reading import (
    FileRead,
    ReaderState,
    ReadSettings,
    in_worker,
    read_chunk,
    read_files,
)
from qirtas.archive.store import OriginalsStore
from qirtas.importers.pool import PRELOAD, ReaderPool, WorkerLost

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

    def __init__(self, files: list[Path], settings: ReadSettings, workers: ImportWorkers, ahead: int):
        self.files = files
        self.settings = settings
        self.state = ReaderState()  # for the files read here
        self.pool = workers.reading
        count = self.pool.size if self.pool else 1
        self.chunk = max(4, min(_CHUNK_FILES, -(-len(files) // (count * 4))))
        self.ahead = max(ahead, self.chunk * count * 2)
        # Large files: results of a few chunks only (each at most `_CHUNK_BYTES` and a file) read ahead.
        self.ahead_large = self.chunk * count * 2
        self.bytes_read = self.files_read = 0
        self.next = 0  # the first file not yet in `pending`
        self.pending: deque[tuple[list[Path], Future | None]] = deque()  # None: to be read here
        self.in_flight = 0  # files in `pending`
        self.ready: deque[tuple[Path, FileRead]] = deque()
        # Workers from a fork server take ≈0.4 s to start (it imports the importers first): meanwhile this
        # process reads the first chunks itself.
        self.started = self.pool.ready if self.pool else None

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
            here = self.pool is None or not (self.started and self.started.is_set())
            if here and self.pending and self.pending[-1][1] is None:
                return  # files read here are read when taken: one chunk queued is enough
            # While the workers start, small chunks: this process looks again after each.
            size = self.chunk if self.pool is None or not here else _WARM_UP_CHUNK
            paths = self.files[self.next : self.next + size]
            self.next += len(paths)
            self.in_flight += len(paths)
            self.pending.append((paths, None if here else self._submit(paths)))

    def _submit(self, paths: list[Path]) -> Future | None:
        """Hand a chunk to the pool; None when there is no usable pool (the files are read here)."""
        pool = self.pool
        if pool is None:
            return None
        try:
            return pool.submit(read_chunk, [str(p) for p in paths], self.settings)
        except RuntimeError:  # the pool is closed
            self.pool = None
            return None

    def _results(self, paths: list[Path], future: Future | None) -> list[FileRead]:
        if future is not None:
            try:
                return future.result()
            except (WorkerLost, RuntimeError):  # its worker died or overran, or none could start
                pass  # the files are read here instead (a fresh worker takes the next chunk)
        return read_files([str(p) for p in paths], self.settings, self.state)

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


class ImportWorkers:
    """The reader pool of one import, started when first needed: at once for an import large enough to
    read in parallel (`reading`), else for its first PDF or image (`extracting()`). Its workers remember
    what they sent for this import only (`reading.ReaderState`) and end with it (`close`)."""

    def __init__(self, total: int, options: ImportOptions):
        self.options = options
        self.total = total
        self.count = options.workers or min(4, os.cpu_count() or 1)
        self.pool: ReaderPool | None = None
        self.reading = self._start(self.count) if total >= _PARALLEL_MIN and self.count >= 2 else None

    def _start(self, count: int) -> ReaderPool:
        self.pool = ReaderPool(
            count,
            start_method=self.options.start_method,
            timeout=self.options.timeout,
            state=in_worker,
            preload=(*PRELOAD, "qirtas.archive.importing.reading"),
        )
        return self.pool

    def extracting(self) -> ReaderPool:
        """The pool for the import's isolated formats: the reading one, or one as large as the import."""
        return self.pool or self._start(max(1, min(self.count, self.total)))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


@contextlib.contextmanager
def import_workers(total: int, options: ImportOptions) -> Iterator[ImportWorkers]:
    workers = ImportWorkers(total, options)
    try:
        yield workers
    finally:
        workers.close()
