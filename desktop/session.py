"""An open archive with its write queue and undo stack: what the window and its panels share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archive.archive import Archive
from desktop.operations import WriteQueue
from desktop.qt import QObject, QUndoStack, Signal


class Session(QObject):
    """One open archive. Views read from `archive` directly; every write goes through `write()`."""

    changed = Signal()  # documents or tags changed: views refresh
    vocabulary_changed = Signal()  # tags created, renamed, merged, moved or deleted
    failed = Signal(object)  # an exception from a write, for the window to show as a sentence

    def __init__(self, archive: Archive, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.queue = WriteQueue(self)
        self.undo_stack = QUndoStack(self)

    def write(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        vocabulary: bool = False,
    ) -> None:
        """Run `work` on the write thread; on success call `on_success` and tell the views to refresh."""

        def succeeded(result: Any) -> None:
            if on_success is not None:
                on_success(result)
            if vocabulary:
                self.vocabulary_changed.emit()
            self.changed.emit()

        def failed(error: BaseException) -> None:
            if on_failure is not None:
                on_failure(error)
            else:
                self.failed.emit(error)
            self.changed.emit()  # a partly applied write is still worth showing

        self.queue.submit(self.archive, work, succeeded, failed)

    def close(self) -> None:
        self.queue.shutdown()
        self.archive.close()
