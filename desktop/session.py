"""An open archive with its write queue and undo stack: what the window and its panels share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qirtas.archive.archive import Archive
from qirtas.archive.models import Tag
from qirtas.desktop.operations import WorkQueue
from qirtas.desktop.qt import QObject, QUndoStack, Signal


class TagIndex:
    """Every tag by id, kept in memory (a vocabulary is small); reloaded when the vocabulary changes."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._tags: dict[int, Tag] = {}
        self.reload()

    def reload(self) -> None:
        self._tags = {tag.id: tag for tag in self.archive.tags()}

    def get(self, tag_id: int) -> Tag | None:
        tag = self._tags.get(tag_id)
        if tag is None:  # created elsewhere (another window, the command line): read again once
            self.reload()
            tag = self._tags.get(tag_id)
        return tag


class Session(QObject):
    """One open archive. Views read from `archive` directly; every write goes through `write()`."""

    changed = Signal()  # documents or tags changed: views refresh
    vocabulary_changed = Signal()  # tags created, renamed, merged, moved or deleted
    failed = Signal(object)  # an exception from a write, for the window to show as a sentence

    def __init__(self, archive: Archive, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.queue = WorkQueue(self, "qirtas-writer")  # every write, in order
        self.reads = WorkQueue(self, "qirtas-reader")  # long reads, so the window never waits on them
        self.undo_stack = QUndoStack(self)
        self.tags = TagIndex(archive)
        self.vocabulary_changed.connect(self.tags.reload)  # first, so every other view sees new tags

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

    def read(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        """Run a read-only `work` on the read thread; failures are shown like a write's."""
        self.reads.submit(self.archive, work, on_success, self.failed.emit)

    def close(self) -> None:
        self.reads.shutdown()
        self.queue.shutdown()
        self.archive.close()
