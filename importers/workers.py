"""Running importers of formats with hostile-input risk (PDF) in a pool of worker processes.

Each file gets a time limit that grows with its pages, and each worker a memory limit (RLIMIT_AS) that
together stay within half the machine's memory; a worker that overruns is killed, its file reported as
failed with a sentence saying why, and a fresh worker takes the next file. A cancel request ends the
batch within a quarter of a second. Workers come from a fork server that has the importers loaded
already, so they start in milliseconds and inherit nothing from the caller (no Qt threads, no open
database).

One PDF is read by one worker, however long: splitting it across workers is not cheap. Its text is
assembled from all its pages together (running headers found by comparing pages, paragraphs that run over
a page break, the document's own words deciding hyphenation, one vote on bracket direction), so pages laid
out elsewhere would have to travel back as glyph layouts, which are many times the size of the text; and
each worker would parse the file's cross-reference table and hold the whole file in memory, inside a
memory share that is then smaller. A batch already keeps every worker busy with files of its own.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from qirtas.i18n.catalog import _, current_language, setup_i18n
from qirtas.importers.base import Extracted, ExtractionError

from qirtas.jobs import Cancel

DEFAULT_TIMEOUT = 120.0
# Address space allowed to the workers together (MB), at most MEMORY_SHARE of the machine's memory,
# split evenly among them; 0 turns the limit off. Each gets at least MEMORY_FLOOR_MB: a worker's
# interpreter, pdfminer and a large file take a few hundred MB of address space before any page is read.
MEMORY_LIMIT_ENV = "QIRTAS_WORKER_MEMORY_MB"
DEFAULT_MEMORY_MB = 4096
MEMORY_SHARE = 0.5
MEMORY_FLOOR_MB = 512
# The time limit is for opening a file and for each page, and a file may take the limit and 1 % more of
# it for each page read: at the default 120 s, 1.2 s a page, ten times the slowest pace measured
# (Arabic, ≈11 pages/s), so a 20,000-page document finishes, while a file that stalls is stopped
# within the limit and one built to crawl page by page within its pages' allowance.
PAGE_ALLOWANCE = 0.01


@dataclass(frozen=True)
class ReaderHooks:
    """Misbehaviour a test asks of the readers, to prove the limits without a hostile PDF: stall (sleep)
    on, or hog memory for, the file with this name, or stall on one page of a file. Given by the caller
    (a test) with `extract_isolated(…, hooks=…)` or `ImportOptions(reader_hooks=…)`; nothing else sets
    them, and the readers read no environment for them."""

    stall: str = ""
    hog: str = ""
    stall_page: tuple[str, int] = ("", 0)


_POLL_SECONDS = 0.25
_PAGE, _DONE = "page", "done"  # what a worker sends: a page read, then the outcome

Outcome = Extracted | ExtractionError


def configured_memory_mb() -> int:
    """QIRTAS_WORKER_MEMORY_MB: what the workers may use together (0: no limit)."""
    try:
        return max(0, int(os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_MB)))
    except ValueError:
        return DEFAULT_MEMORY_MB


def physical_memory_mb() -> int | None:
    """The memory this process may have: the machine's, or its control group's limit if lower."""
    sizes = []
    with contextlib.suppress(ValueError, OSError, AttributeError):
        sizes.append(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20)
    with contextlib.suppress(ValueError, OSError):
        sizes.append(int(Path("/sys/fs/cgroup/memory.max").read_text()) // 2**20)  # "max": no limit
    return min(sizes) if sizes else None


def readers_memory_mb() -> int:
    """What the workers may use together (MB; 0: no limit): the configured limit, and at most
    MEMORY_SHARE of the machine's memory."""
    configured = configured_memory_mb()
    physical = physical_memory_mb()
    if not configured or not physical:
        return configured
    return min(configured, int(physical * MEMORY_SHARE))


def memory_limit_mb(workers: int = 1) -> int:
    """What each of `workers` workers may use (MB; 0: no limit): an even share of `readers_memory_mb`.
    (Each had the whole limit once: two flate bombs took 7.9 GB of a machine's memory together.)"""
    total = readers_memory_mb()
    return min(total, max(MEMORY_FLOOR_MB, total // max(1, workers)))


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["qirtas.importers"])
        return context
    return multiprocessing.get_context("spawn")


def _worker_main(connection: Connection, memory_mb: int, shared: int) -> None:
    """The worker's loop: receive (path, name, password, UI language, test hooks), send back the number
    of each page read, ("page", n), then ("done", outcome, whether this worker is ending). `path` holds
    the bytes; `name` is the file they are a copy of (its name picks the importer when the content does
    not). `shared`: the memory the workers share (MB), when `memory_mb` is less than the configured limit."""
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
        path, name, password, language, stall, hog, stall_page = task
        if language != current_language():
            setup_i18n(language)  # messages in the language of the person importing
        exhausted = False

        def page_read(pages: int, stall_page: int = stall_page) -> None:
            connection.send((_PAGE, pages))
            if pages + 1 == stall_page:
                time.sleep(3600)

        try:
            if stall:
                time.sleep(3600)
            if hog:
                hoard = [bytearray(64 * 1024 * 1024) for _ in range(10_000)]
                del hoard
            data = Path(path).read_bytes()
            result: Outcome = extract(Path(name), data=data, password=password, progress=page_read)
            del data
        except ExtractionError as error:
            result = error
        except MemoryError:
            exhausted = True
            result = ExtractionError(_memory_exhausted(memory_mb, shared))
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
            connection.send((_DONE, result, exhausted))
        except Exception as error:  # a result that does not pickle
            connection.send(
                (
                    _DONE,
                    ExtractionError(
                        _("The file's text could not be passed on ({reason}).").format(reason=error)
                    ),
                    exhausted,
                )
            )
        if exhausted:
            return


def _memory_exhausted(memory_mb: int, shared: int) -> str:
    if shared:
        return _(
            "Reading this file needed more memory than a reader may use ({limit} MB: the readers share "
            "{total} MB, at most half of this computer's memory), so it was stopped; the file may be "
            "damaged or built to exhaust readers (import it alone, or set {setting}, to allow more)."
        ).format(limit=memory_mb, total=shared, setting=MEMORY_LIMIT_ENV)
    return _(
        "Reading this file needed more memory than a reader may use ({limit} MB), so it was "
        "stopped; the file may be damaged or built to exhaust readers (set {setting} to allow more)."
    ).format(limit=memory_mb, setting=MEMORY_LIMIT_ENV)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    task: Path | None = None
    started: float = 0.0
    pages: int = 0  # of the task, read so far
    last_page: float = 0.0  # when the last one was read (or the task started)

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


def _start_worker(context, memory_mb: int, shared: int) -> _Worker:
    parent_end, child_end = context.Pipe(duplex=True)
    process = context.Process(
        target=_worker_main, args=(child_end, memory_mb, shared), name="qirtas-reader", daemon=True
    )
    process.start()
    child_end.close()
    return _Worker(process, parent_end)


def extract_isolated(
    paths: list[Path],
    timeout: float = DEFAULT_TIMEOUT,
    password: str | None = None,
    workers: int | None = None,
    cancel: Cancel | None = None,
    names: Mapping[Path, Path] | None = None,
    hooks: ReaderHooks | None = None,
) -> dict[Path, Extracted | ExtractionError]:
    """Extract each file in a worker process; every path gets an outcome unless the batch is cancelled
    (then only the files finished so far have one). `names`: for a path that is a copy (the bytes an
    import hashed, in the archive's store), the file it is a copy of."""
    outcomes: dict[Path, Outcome] = {}
    queue = deque(dict.fromkeys(paths))
    if not queue:
        return outcomes
    names = names or {}
    size = max(1, min(workers or os.cpu_count() or 1, len(queue)))
    memory_mb = memory_limit_mb(size)
    shared = memory_mb < configured_memory_mb() and readers_memory_mb()
    hooks = hooks or ReaderHooks()
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
                pool.append(_start_worker(context, memory_mb, shared))
            for worker in list(pool):
                if worker.task is None and queue:
                    path = queue.popleft()
                    name = names.get(path, path)
                    task = (
                        str(path),
                        str(name),
                        password,
                        language,
                        bool(hooks.stall) and name.name == hooks.stall,
                        bool(hooks.hog) and name.name == hooks.hog,
                        hooks.stall_page[1] if name.name == hooks.stall_page[0] else 0,
                    )
                    try:
                        worker.connection.send(task)
                    except OSError:  # the worker is gone; a fresh one takes the file
                        queue.appendleft(path)
                        _retire(pool, worker, force=True)
                        continue
                    worker.task, worker.started = path, time.monotonic()
                    worker.pages, worker.last_page = 0, worker.started
            busy = [worker for worker in pool if worker.task is not None]
            if not busy:
                continue
            now = time.monotonic()
            soonest = min(_deadline(worker, timeout) for worker in busy) - now
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
            message = worker.connection.recv()
            while message[0] == _PAGE:
                worker.pages, worker.last_page = message[1], time.monotonic()
                if not worker.connection.poll():
                    break
                message = worker.connection.recv()
        except (EOFError, OSError):
            outcomes[path] = _crashed(worker, memory_mb)
            _retire(pool, worker, force=True)
            return
        if message[0] == _DONE:
            _kind, result, retiring = message
            outcomes[path] = result
            worker.task = None
            if retiring or worker.process.sentinel in ready:
                _retire(pool, worker, force=True)
            return
    if worker.process.sentinel in ready:
        outcomes[path] = _crashed(worker, memory_mb)
        _retire(pool, worker, force=True)
    elif time.monotonic() > _deadline(worker, timeout):
        outcomes[path] = ExtractionError(_too_long(worker, timeout))
        _retire(pool, worker, force=True)


def _deadline(worker: _Worker, timeout: float) -> float:
    """When a worker is stopped: `timeout` after its last page (or its start), and at most the time
    limit and PAGE_ALLOWANCE of it for each page read, counted from its start."""
    return min(worker.last_page + timeout, worker.started + timeout * (1 + PAGE_ALLOWANCE * worker.pages))


def _too_long(worker: _Worker, timeout: float) -> str:
    if not worker.pages:
        return _(
            "Reading this file took longer than the {seconds} seconds allowed, so it was stopped; the "
            "file may be damaged or built to stall readers (import it alone with a longer --timeout to "
            "try again)."
        ).format(seconds=f"{timeout:g}")
    if time.monotonic() > worker.last_page + timeout:
        return _(
            "Reading this file stopped after page {pages}: page {page} took longer than the {seconds} "
            "seconds allowed for a page, so it was stopped; the file may be damaged or built to stall "
            "readers (import it alone with a longer --timeout to try again)."
        ).format(pages=worker.pages, page=worker.pages + 1, seconds=f"{timeout:g}")
    return _(
        "Reading this file took longer than the {seconds} seconds allowed for its first {pages} pages, so "
        "it was stopped; the file may be damaged or built to stall readers (import it alone with a longer "
        "--timeout to try again)."
    ).format(seconds=f"{timeout * (1 + PAGE_ALLOWANCE * worker.pages):.0f}", pages=worker.pages)


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
