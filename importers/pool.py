"""The one pool of worker processes that reads files: an import's text files (in chunks), its PDFs and
images (one file a task, OCR included), and a document read again (`unlock`, `ocr`, `verify`).

Every task runs under the same limits: a time limit counted from its start or its last page read (and at
most the limit and an allowance for each page: PAGE_ALLOWANCE of it, OCR_PAGE_ALLOWANCE for a page read by
OCR), and a memory limit per worker (RLIMIT_AS) such that
the workers together stay within half the machine's memory. A worker that overruns is killed, its task's
future gets `WorkerLost` saying why, and a fresh worker takes the next task. Cancelling ends the running
tasks within a quarter of a second.

How workers start is the caller's choice (`start_method`): "fork" for a plain process (the command line),
ready in milliseconds; None for a fork server that has the importers loaded already, safe in a threaded Qt
process. A worker replacing one that was killed always comes from the fork server (by then the caller has
threads of its own, which a fork must not copy).

A task is a module-level function called in the worker as `function(context, *args)`: `context.progress(n)`
reports pages read (which extends the time limit) and `context.state` is the object the pool's owner asked
each worker to keep (`state=`, a class or function called once in each worker): what a worker remembers
between the tasks of one import lives there, for as long as that import's pool, and nowhere else.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

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
# A page read by OCR takes 1.5–4 s here (a clean page to a degraded Arabic one with second opinions, one
# thread): a quarter of the limit, 30 s at the default, is about ten times that, as for the pages above. A
# scan of 500 pages may take an hour and a half before it is stopped; each page still has the whole limit.
OCR_PAGE_ALLOWANCE = 0.25
# Workers yield the processor to the importing process: it is the one stage that cannot run in parallel,
# and with an equal share it had two thirds of a core beside two workers while they read ahead of it
# (5 % more files/s, A/B runs of 20,000 files; with 10 no better).
WORKER_NICENESS = 5
PRELOAD = ("qirtas.importers",)

_POLL_SECONDS = 0.25
_READY, _PAGE, _DONE = "ready", "page", "done"  # what a worker sends


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


class WorkerLost(Exception):
    """A task's worker was stopped or died before it answered. `reason`: "time" (it overran its time
    limit: `stalled` when a single page took the whole limit), "crash" (it ended: `exitcode`), "memory"
    (it ran out of memory), or "cancelled"."""

    def __init__(
        self,
        reason: str,
        pages: int = 0,
        stalled: bool = False,
        exitcode: int | None = None,
        allowed: float = 0.0,
    ):
        super().__init__(reason)
        self.reason, self.pages, self.stalled, self.exitcode = reason, pages, stalled, exitcode
        self.allowed = allowed  # seconds the task was allowed in all, with its pages' allowances


@dataclass
class WorkerContext:
    """What a task is given in its worker: `progress(pages)` after each page, `state` (see the module)."""

    connection: Connection
    state: Any = None
    task: int = 0
    memory_mb: int = 0
    shared_mb: int = 0  # what the workers share (MB) when `memory_mb` is less than the configured limit
    retire: bool = False  # set by a task after which this process should not go on (its heap in pieces)

    def progress(self, pages: int, allowance: float = PAGE_ALLOWANCE) -> None:
        """`pages` read so far; each new one adds `allowance` (a share of the time limit) to the task's."""
        self.connection.send((_PAGE, self.task, pages, allowance))


def _worker_main(
    connection: Connection, memory_mb: int, shared_mb: int, state: Callable[[], Any] | None
) -> None:
    """A worker: Ctrl+C is the caller's to handle, it ends when its parent is gone, it runs at a lower
    priority within its memory limit, and answers tasks until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # pdfminer logs at debug level for every token; below warnings nothing is wanted here, and the
    # cheapest way to say so is the global switch (this process does nothing else).
    logging.disable(logging.INFO)
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)
    if memory_mb:
        with contextlib.suppress(ImportError, ValueError, OSError):
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), name="qirtas-parent", daemon=True).start()
    context = WorkerContext(connection, state() if state else None, memory_mb=memory_mb, shared_mb=shared_mb)
    connection.send((_READY,))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        context.task, function, args = message
        try:
            answer = (_DONE, context.task, True, function(context, *args), context.retire)
        except MemoryError:
            answer = (_DONE, context.task, False, WorkerLost("memory"), True)
        except Exception as error:
            answer = (_DONE, context.task, False, error, context.retire)
        try:
            connection.send(answer)
        except Exception as error:  # a result or an exception that does not pickle
            connection.send(
                (_DONE, context.task, False, RuntimeError(f"{type(error).__name__}: {error}"), True)
            )
        if answer[4]:
            return


def _end_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def pool_context(
    start_method: str | None, preload: tuple[str, ...] = PRELOAD
) -> multiprocessing.context.BaseContext:
    """`start_method` if this system has it ("fork" from a plain process), else a fork server with
    `preload` imported (safe in a threaded Qt process), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if start_method is not None and start_method in methods and start_method != "forkserver":
        return multiprocessing.get_context(start_method)
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context("spawn")


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    ready: bool = False
    # Sent to it, in order: the first is running; a second waits in its pipe so that it starts the moment
    # the first ends (see `_dispatch`).
    tasks: list[_Task] = field(default_factory=list)
    started: float = 0.0
    pages: int = 0  # of the task, read so far
    last_page: float = 0.0  # when the last one was read (or the task started)
    budget: float = 1.0  # the task's time allowed, in time limits: 1 and its pages' allowances

    @property
    def task(self) -> _Task | None:
        """The task it is running."""
        return self.tasks[0] if self.tasks else None

    def begin(self) -> None:
        self.started = self.last_page = time.monotonic()
        self.pages = 0
        self.budget = 1.0

    def deadline(self, timeout: float) -> float:
        """`timeout` after its last page (or its start), and at most the time limit and its pages'
        allowances (`budget`), counted from its start."""
        return min(self.last_page + timeout, self.started + timeout * self.budget)

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
        if not self.process.is_alive():
            with contextlib.suppress(ValueError):
                self.process.close()


@dataclass(order=True)
class _Task:
    priority: int
    number: int
    function: Callable[..., Any] = field(compare=False)
    args: tuple = field(compare=False)
    future: Future = field(compare=False)
    progress: Callable[[int], None] | None = field(compare=False, default=None)
    running: bool = field(compare=False, default=False)  # its future was told so (it was sent once)


class ReaderPool:
    """Worker processes reading files for one owner (an import, a command): `submit` returns a Future;
    tasks of lower `priority` go first. Use it as a context manager: leaving it cancels what has not
    started and stops the workers (running tasks are killed)."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        start_method: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        state: Callable[[], Any] | None = None,
        preload: tuple[str, ...] = PRELOAD,
    ):
        self.size = max(1, workers or os.cpu_count() or 1)
        self.timeout = timeout
        self.memory_mb = memory_limit_mb(self.size)
        self.shared_mb = readers_memory_mb() if self.memory_mb < configured_memory_mb() else 0
        self._state = state
        self._context = pool_context(start_method, preload)
        self._replacements = pool_context(None, preload)
        self._wake, self._waker = multiprocessing.Pipe(duplex=False)  # close() and cancel() wake `_run`
        self._lock = threading.RLock()
        self._queue: list[_Task] = []
        self._numbers = itertools.count()
        self._workers: list[_Worker] = []
        self._closed = False
        self.ready = threading.Event()  # set once every first worker has started (or failed to)
        forked = self._context.get_start_method() == "fork"
        if forked:  # every worker now, from the caller's thread, in milliseconds
            self._workers = self._new_workers(self._context, self.size)
        self._thread = threading.Thread(target=self._run, args=(not forked,), name="qirtas-pool", daemon=True)
        self._thread.start()

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(
        self,
        function: Callable[..., Any],
        *args: Any,
        priority: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> Future:
        """Run `function(context, *args)` in a worker. `progress(pages)` is called (from the pool's thread)
        as the task reports pages."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the reader pool is closed")
            heapq.heappush(
                self._queue, _Task(priority, next(self._numbers), function, args, future, progress)
            )
            self._dispatch()
        return future

    def cancel(self, futures: list[Future] | None = None) -> None:
        """Cancel these tasks (all when None): those waiting never run, running ones are killed."""
        with self._lock:
            chosen = None if futures is None else {id(future) for future in futures}
            kept = [task for task in self._queue if chosen is not None and id(task.future) not in chosen]
            for task in self._queue:
                if chosen is None or id(task.future) in chosen:
                    _drop(task.future)
            self._queue = kept
            heapq.heapify(self._queue)
            for worker in self._workers:
                for task in worker.tasks:
                    if chosen is None or id(task.future) in chosen:
                        _settle(task.future, WorkerLost("cancelled", worker.pages))
                if worker.task and worker.task.future.done():
                    # Killed here, retired by the pool's thread (the one that waits on its pipe).
                    worker.process.kill()

    def _wake_up(self) -> None:
        with contextlib.suppress(OSError):
            self._waker.send_bytes(b"")

    def pids(self) -> list[int]:
        with self._lock:
            return [worker.process.pid for worker in self._workers if worker.process.pid]

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for task in self._queue:
                _drop(task.future)
            self._queue.clear()
        self._wake_up()
        self._thread.join()
        for worker in self._workers:
            for task in worker.tasks:
                _settle(task.future, WorkerLost("cancelled", worker.pages))
            worker.stop(force=worker.task is not None)
        self._workers.clear()
        self._wake.close()
        self._waker.close()
        self.ready.set()

    # ---- in the pool's thread (and `_dispatch` from `submit`) ---------------------------------------
    def _new_workers(self, context: Any, count: int) -> list[_Worker]:
        """Up to `count` workers started: fewer when no more may start (no more processes, or none may
        start here); those there are do the work, and with none `_run` fails the tasks."""
        started: list[_Worker] = []
        with contextlib.suppress(Exception):
            while len(started) < count and not self._closed:
                started.append(self._start_worker(context))
        return started

    def _start_worker(self, context: Any) -> _Worker:  # a context of any start method has Process
        parent_end, child_end = context.Pipe(duplex=True)
        process = context.Process(
            target=_worker_main,
            args=(child_end, self.memory_mb, self.shared_mb, self._state),
            name="qirtas-reader",
            daemon=True,
        )
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _run(self, start: bool) -> None:
        if start:  # outside the lock: the first start waits for the fork server (≈0.4 s), submit() does not
            first = self._new_workers(self._context, self.size)
            with self._lock:
                self._workers.extend(first)
        while True:
            with self._lock:
                if self._closed:
                    return
                self._replenish()
                if not self._workers and self._queue:  # no worker could start: the tasks cannot run
                    self._fail_all(RuntimeError("no reader process could be started"))
                    self.ready.set()
                self._dispatch()
                busy = [worker for worker in self._workers if worker.task]
                soonest = min(
                    (w.deadline(self.timeout) for w in busy), default=time.monotonic() + _POLL_SECONDS
                )
                waiting = [w.connection for w in self._workers] + [w.process.sentinel for w in self._workers]
            ready = set(
                wait([self._wake, *waiting], timeout=max(0.0, min(_POLL_SECONDS, soonest - time.monotonic())))
            )
            with self._lock:
                while self._wake in ready and self._wake.poll():
                    self._wake.recv_bytes()
                for worker in list(self._workers):
                    self._collect(worker, ready)
                if all(worker.ready for worker in self._workers):
                    self.ready.set()

    def _replenish(self) -> None:
        """Replace workers that were stopped, when there is work for them (from the fork server)."""
        if self._queue or not self.ready.is_set():
            self._workers += self._new_workers(self._replacements, self.size - len(self._workers))

    def _dispatch(self) -> None:
        """Hand queued tasks to workers. A worker reading chunks gets its next chunk before it ends the
        one it reads (it starts it at once, not after this process's threads have taken their turns on
        the interpreter: up to 5 ms a chunk, a fifth of a worker's time on small files); a task of
        priority 0 (a PDF, an image, which the writer waits for) goes only to a worker with nothing to do,
        and nothing waits behind it, so its time limit counts its own time."""
        for worker in self._workers:
            while self._queue and self._takes(worker, self._queue[0]):
                task = heapq.heappop(self._queue)
                if not task.running and not task.future.set_running_or_notify_cancel():
                    continue
                task.running = True
                try:
                    worker.connection.send((task.number, task.function, task.args))
                except OSError:  # the worker is gone; the task goes to another
                    heapq.heappush(self._queue, task)
                    break
                except Exception as error:  # arguments that do not pickle
                    _settle(task.future, error)
                    continue
                worker.tasks.append(task)
                if len(worker.tasks) == 1:
                    worker.begin()

    @staticmethod
    def _takes(worker: _Worker, task: _Task) -> bool:
        if not worker.tasks:
            return True
        return len(worker.tasks) == 1 and task.priority > 0 and worker.tasks[0].priority > 0

    def _collect(self, worker: _Worker, ready: set) -> None:
        if worker.connection in ready:
            try:
                while worker.connection.poll():
                    if self._received(worker, worker.connection.recv()):
                        return
            except (EOFError, OSError):
                self._lose(worker, WorkerLost("crash", worker.pages, exitcode=self._exitcode(worker)))
                return
        if worker.process.sentinel in ready and worker in self._workers:
            self._lose(worker, WorkerLost("crash", worker.pages, exitcode=self._exitcode(worker)))
        elif worker.task and time.monotonic() > worker.deadline(self.timeout):
            stalled = time.monotonic() > worker.last_page + self.timeout
            allowed = self.timeout * worker.budget
            self._lose(worker, WorkerLost("time", worker.pages, stalled=stalled, allowed=allowed))

    def _received(self, worker: _Worker, message: tuple) -> bool:
        """Handle one message; True when the worker was retired."""
        if message[0] == _READY:
            worker.ready = True
            return False
        task = worker.task
        if task is None or message[1] != task.number:
            return False
        if message[0] == _PAGE:
            worker.budget += max(0, message[2] - worker.pages) * message[3]
            worker.pages, worker.last_page = message[2], time.monotonic()
            if task.progress:
                with contextlib.suppress(Exception):
                    task.progress(message[2])
            return False
        _kind, _number, ok, value, retiring = message
        worker.tasks.pop(0)
        if worker.tasks:
            worker.begin()  # the next one started as this one ended
        if ok:
            _resolve(task.future, value)
        else:
            if isinstance(value, WorkerLost):
                value.pages = worker.pages
            _settle(task.future, value)
        if retiring:
            self._retire(worker, force=True)
            return True
        return False

    def _exitcode(self, worker: _Worker) -> int | None:
        worker.process.join(1.0)
        return worker.process.exitcode

    def _lose(self, worker: _Worker, error: WorkerLost) -> None:
        if worker.task:
            _settle(worker.task.future, error)
        self._retire(worker, force=True)

    def _retire(self, worker: _Worker, force: bool) -> None:
        """Stop a worker; a task that waited behind the one it ran goes back to the queue."""
        for task in worker.tasks[1:]:
            if not task.future.done():
                heapq.heappush(self._queue, task)
        worker.tasks.clear()
        worker.stop(force=force)
        self._workers.remove(worker)

    def _fail_all(self, error: Exception) -> None:
        while self._queue:
            task = heapq.heappop(self._queue)
            if task.running or task.future.set_running_or_notify_cancel():
                _settle(task.future, error)


def _drop(future: Future) -> None:
    """Cancel a task that has not run, so that `concurrent.futures.wait` counts it as done."""
    if future.cancel():
        future.set_running_or_notify_cancel()
    else:  # sent once to a worker that was stopped, and queued again
        _settle(future, WorkerLost("cancelled"))


def _resolve(future: Future, value: Any) -> None:
    if not future.done():  # (a task cancelled while its answer was on its way)
        future.set_result(value)


def _settle(future: Future, error: Exception) -> bool:
    if future.done():
        return False
    future.set_exception(error)
    return True
