"""Archive work off the GUI thread: one worker runs the writes in order (Anki's CollectionOp pattern),
another the long reads (a 100,000-id result) so the window stays responsive.

peewee gives each thread its own connection to the same SQLite file (WAL, busy timeout), so the GUI
thread keeps reading while a worker writes. A worker closes its connection after each operation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from qirtas.desktop.qt import QObject, Signal

log = logging.getLogger(__name__)


class WorkQueue(QObject):
    """Runs callables on one background thread, one after another, and reports back on the GUI thread."""

    _done = Signal(object, object, object, object)  # on_success, on_failure, result, error
    idle = Signal()  # the last queued callable has ended (its result delivered)

    def __init__(self, parent: QObject | None = None, name: str = "qirtas-writer") -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.pending = 0
        self._done.connect(self._deliver)  # emitted from the worker: queued onto the GUI thread

    @property
    def busy(self) -> bool:
        return self.pending > 0

    def submit(
        self,
        archive,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.pending += 1
        self._executor.submit(self._run, archive, work, on_success, on_failure)

    def _run(self, archive, work, on_success, on_failure) -> None:
        result, error = None, None
        try:
            if archive is None:
                result = work()
            else:
                with archive.bound():  # this thread's queries go to this archive, whatever opens later
                    result = work()
        except BaseException as caught:  # delivered to on_failure on the GUI thread
            error = caught
        finally:
            try:
                if archive is not None and not archive.db.is_closed():
                    archive.db.close()  # this thread's connection only
            except Exception:  # closing can only fail inside an open transaction, which work() ended
                log.exception("closing the worker connection")
        self._done.emit(on_success, on_failure, result, error)

    def _deliver(self, on_success, on_failure, result, error) -> None:
        try:
            if error is not None:
                if on_failure is not None:
                    on_failure(error)
                else:
                    log.error("background operation failed", exc_info=error)
            elif on_success is not None:
                on_success(result)
        finally:
            self.pending -= 1
            if self.pending == 0:
                self.idle.emit()

    def shutdown(self) -> None:
        """Wait for queued work to finish (called when the archive closes)."""
        self._executor.shutdown(wait=True)
