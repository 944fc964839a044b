"""An open archive with its write queue and undo stack: what the window and its panels share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qirtas.archive.archive import Archive
from qirtas.archive.models import Tag
from qirtas.desktop.jobs.operations import WorkQueue
from qirtas.desktop.qt import QEventLoop, QObject, QUndoStack, Signal


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
        self._cancels: dict[int, Callable[[], None]] = {}  # writes that can be stopped, by a token
        self._next_token = 0

    def write(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        vocabulary: bool = False,
        cancel: Callable[[], None] | None = None,
    ) -> None:
        """Run `work` on the write thread; on success call `on_success` and tell the views to refresh.
        `cancel` asks a long write (an import, an export) to stop: `stop_work` calls it."""
        token = self._next_token
        self._next_token += 1
        if cancel is not None:
            self._cancels[token] = cancel

        def succeeded(result: Any) -> None:
            self._cancels.pop(token, None)
            if on_success is not None:
                on_success(result)
            if vocabulary:
                self.vocabulary_changed.emit()
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self._cancels.pop(token, None)
            if on_failure is not None:
                on_failure(error)
            else:
                self.failed.emit(error)
            self.changed.emit()  # a partly applied write is still worth showing

        self.queue.submit(self.archive, work, succeeded, failed)

    def read(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        """Run a read-only `work` on the read thread; failures are shown like a write's."""
        self.reads.submit(self.archive, work, on_success, self.failed.emit)

    @property
    def running_work(self) -> bool:
        """Whether a write that can be stopped (an import, an export, a verification…) is running."""
        return bool(self._cancels)

    def stop_work(self) -> None:
        """Ask every stoppable write to stop, then wait (the window still repaints) until the write thread
        is idle. What a cancelled import or export already committed stays."""
        for cancel in list(self._cancels.values()):
            cancel()
        if self.queue.busy:
            loop = QEventLoop()
            self.queue.idle.connect(loop.quit)
            if self.queue.busy:  # it may have ended meanwhile
                loop.exec()
            self.queue.idle.disconnect(loop.quit)

    def close(self) -> None:
        self.reads.shutdown()
        self.queue.shutdown()
        self.archive.close()
