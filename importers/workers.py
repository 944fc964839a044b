"""Running importers of formats with hostile-input risk (PDF) in a pool of worker processes.

Each file gets a time limit and each worker a memory limit (RLIMIT_AS); a worker that overruns is
killed, its file reported as failed with a sentence saying why, and a fresh worker takes the next file.
The caller never waits longer than the time limit for any one file, and a cancel request ends the batch
within a quarter of a second. Workers come from a fork server that has the importers loaded already, so
they start in milliseconds and inherit nothing from the caller (no Qt threads, no open database).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from qirtas.i18n.catalog import _, current_language, setup_i18n
from qirtas.importers.base import Extracted, ExtractionError

DEFAULT_TIMEOUT = 120.0
# Address space allowed to each worker (MB); 0 turns the limit off.
MEMORY_LIMIT_ENV = "QIRTAS_WORKER_MEMORY_MB"
DEFAULT_MEMORY_MB = 4096
# Test hooks, read by the caller and passed with each task: a worker stalls (sleeps) on, or hogs memory
# for, the file whose name is given, so tests can prove the limits without a hostile PDF.
STALL_ENV = "QIRTAS_TEST_WORKER_STALL"
HOG_ENV = "QIRTAS_TEST_WORKER_HOG"
_POLL_SECONDS = 0.25

Outcome = Extracted | ExtractionError


def memory_limit_mb() -> int:
    try:
        return max(0, int(os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_MB)))
    except ValueError:
        return DEFAULT_MEMORY_MB


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["importers"])
        return context
    return multiprocessing.get_context("spawn")


def _worker_main(connection: Connection, memory_mb: int) -> None:
    """The worker's loop: receive (path, password, UI language, test hooks), send back (outcome, whether
    this worker is ending)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the caller's to handle
    # pdfminer logs at debug level for every token; below warnings nothing is wanted here, and the
    # cheapest way to say so is the global switch (this process does nothing else).
    logging.disable(logging.INFO)
    if memory_mb:
        try:
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
    from qirtas.importers import extract

    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        path, password, language, stall, hog = task
        if language != current_language():
            setup_i18n(language)  # messages in the language of the person importing
        exhausted = False
        try:
            if stall:
                time.sleep(3600)
            if hog:
                hoard = [bytearray(64 * 1024 * 1024) for _ in range(10_000)]
                del hoard
            result: Outcome = extract(Path(path), password=password)
        except ExtractionError as error:
            result = error
        except MemoryError:
            exhausted = True
            result = ExtractionError(
                _(
                    "Reading this file needed more memory than a reader may use ({limit} MB), so it was "
                    "stopped; the file may be damaged or built to exhaust readers (set {setting} to allow more)."
                ).format(limit=memory_mb, setting=MEMORY_LIMIT_ENV)
            )
        except RecursionError:
            result = ExtractionError(
                _("The file is damaged: its parts refer to each other in an endless loop.")
            )
        except Exception as error:  # a bug in an importer must not end the batch
            result = ExtractionError(
                _("The file could not be read ({kind}: {reason}).").format(
                    kind=type(error).__name__, reason=error
                )
            )
        # After running out of memory this process's heap may be in pieces: it says so and ends, and
        # a fresh worker takes the next file.
        try:
            connection.send((result, exhausted))
        except Exception as error:  # a result that does not pickle
            connection.send(
                (
                    ExtractionError(
                        _("The file's text could not be passed on ({reason}).").format(reason=error)
                    ),
                    exhausted,
                )
            )
        if exhausted:
            return


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    task: Path | None = None
    started: float = 0.0

    def stop(self, force: bool) -> None:
        if not force:
            try:
                self.connection.send(None)
            except OSError:
                force = True
            else:
                self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5.0)
        self.connection.close()
        if hasattr(self.process, "close") and not self.process.is_alive():
            self.process.close()


def _start_worker(context, memory_mb: int) -> _Worker:
    parent_end, child_end = context.Pipe(duplex=True)
    process = context.Process(
        target=_worker_main, args=(child_end, memory_mb), name="qirtas-reader", daemon=True
    )
    process.start()
    child_end.close()
    return _Worker(process, parent_end)


def extract_isolated(
    paths: list[Path],
    timeout: float = DEFAULT_TIMEOUT,
    password: str | None = None,
    workers: int | None = None,
    cancel: Callable[[], bool] | None = None,
) -> dict[Path, Extracted | ExtractionError]:
    """Extract each file in a worker process; every path gets an outcome unless the batch is cancelled
    (then only the files finished so far have one)."""
    outcomes: dict[Path, Outcome] = {}
    queue = deque(dict.fromkeys(paths))
    if not queue:
        return outcomes
    size = max(1, min(workers or os.cpu_count() or 1, len(queue)))
    memory_mb = memory_limit_mb()
    stall_name, hog_name = os.environ.get(STALL_ENV), os.environ.get(HOG_ENV)
    language = current_language()
    context = _context()
    pool: list[_Worker] = []
    cancelled = False
    try:
        while queue or any(worker.task is not None for worker in pool):
            if cancel and cancel():
                cancelled = True
                break
            while len(pool) < size and queue:
                pool.append(_start_worker(context, memory_mb))
            for worker in list(pool):
                if worker.task is None and queue:
                    path = queue.popleft()
                    task = (str(path), password, language, path.name == stall_name, path.name == hog_name)
                    try:
                        worker.connection.send(task)
                    except OSError:  # the worker is gone; a fresh one takes the file
                        queue.appendleft(path)
                        _retire(pool, worker, force=True)
                        continue
                    worker.task, worker.started = path, time.monotonic()
            busy = [worker for worker in pool if worker.task is not None]
            if not busy:
                continue
            now = time.monotonic()
            soonest = min(worker.started + timeout for worker in busy) - now
            waiting = [worker.connection for worker in busy] + [worker.process.sentinel for worker in busy]
            ready = set(wait(waiting, timeout=max(0.0, min(_POLL_SECONDS, soonest))))
            for worker in busy:
                _collect(worker, ready, timeout, memory_mb, outcomes, pool)
    finally:
        for worker in pool:
            worker.stop(force=cancelled or worker.task is not None)
    return outcomes


def _collect(
    worker: _Worker,
    ready: set,
    timeout: float,
    memory_mb: int,
    outcomes: dict[Path, Outcome],
    pool: list[_Worker],
) -> None:
    path = worker.task
    assert path is not None
    if worker.connection in ready:
        try:
            result, retiring = worker.connection.recv()
        except (EOFError, OSError):
            outcomes[path] = _crashed(worker, memory_mb)
            _retire(pool, worker, force=True)
            return
        outcomes[path] = result
        worker.task = None
        if retiring or worker.process.sentinel in ready:
            _retire(pool, worker, force=True)
    elif worker.process.sentinel in ready:
        outcomes[path] = _crashed(worker, memory_mb)
        _retire(pool, worker, force=True)
    elif time.monotonic() - worker.started > timeout:
        outcomes[path] = ExtractionError(
            _(
                "Reading this file took longer than the {seconds} seconds allowed, so it was stopped; the "
                "file may be damaged or built to stall readers (import it alone with a longer --timeout to "
                "try again)."
            ).format(seconds=f"{timeout:g}")
        )
        _retire(pool, worker, force=True)


def _crashed(worker: _Worker, memory_mb: int) -> ExtractionError:
    worker.process.join(1.0)
    code = worker.process.exitcode
    how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
    return ExtractionError(
        _(
            "The reader stopped unexpectedly on this file ({how}): it may need more memory than the {limit} "
            "MB allowed, or be built to crash readers."
        ).format(how=how, limit=memory_mb or "∞")
    )


def _retire(pool: list[_Worker], worker: _Worker, force: bool) -> None:
    worker.task = None
    worker.stop(force=force)
    pool.remove(worker)


def reread(path: Path, password: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """One file read again in a worker (e.g. an archived original with its password), for callers that
    then hand the result to Archive.replace_extraction (the CLI's `unlock`, the GUI)."""
    outcome = extract_isolated([path], timeout=timeout, password=password, workers=1)
    return outcome.get(path, ExtractionError(_("Reading the file was interrupted.")))
