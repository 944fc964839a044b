"""Reading ahead of the writer: `_Reader` hands chunks of files to a pool of reader processes (or reads
them here) and gives back each file's `FileRead` in order; `_extraction_pool` starts that pool."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import NamedTuple

from qirtas.archive.importing.options import ImportOptions
from qirtas.archive.importing.reading import FileRead, ReadSettings, _started, _worker_started, read_files
from qirtas.archive.store import OriginalsStore

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
        context.set_forkserver_preload(["qirtas.importers", "qirtas.archive.importing.reading"])
        return context
    return None
