"""Errors shown as a sentence a person understands; the technical detail goes to the log, not the screen."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from qirtas.archive.archive import ArchiveError
from qirtas.archive.problems import hidden_storage_problem, storage_problem
from qirtas.desktop.labels import isolated, isolated_code
from qirtas.desktop.qt import QMessageBox, QObject, QWidget, Signal
from qirtas.i18n import _
from qirtas.importers import ExtractionError

from qirtas.logs import current_log

log = logging.getLogger(__name__)


def error_sentence(error: BaseException, archive: Path | None = None) -> str:
    """What went wrong, in words: archive and import errors carry their own sentence (unless a full disk
    or a damaged database lies under it); a storage failure is said as the command line says it
    (`archive.problems`, which needs `archive`, the folder of the archive in use, for SQLite's)."""
    if isinstance(error, ArchiveError | ExtractionError):
        return hidden_storage_problem(error, archive, isolated_code) or str(error)
    sentence = storage_problem(error, archive, isolated_code)
    if sentence is not None:
        return sentence
    if isinstance(error, OSError):
        return _("The disk reported a problem: {reason}.").format(
            reason=isolated(error.strerror or str(error))
        )
    return unexpected_sentence(error, current_log())


def unexpected_sentence(error: BaseException, log: Path | None) -> str:
    """A failure nobody foresaw: its kind and where its details were written."""
    kind = type(error).__name__
    if log is None:
        return _(
            "Something unexpected went wrong ({kind}). Nothing was lost; the details are in the log."
        ).format(kind=isolated_code(kind))
    return _("Something unexpected went wrong ({kind}). Nothing was lost; the details are in {path}.").format(
        kind=isolated_code(kind), path=isolated_code(log)
    )


def show_error(
    parent: QWidget | None, error: BaseException, title: str | None = None, archive: Path | None = None
) -> None:
    if not isinstance(error, ArchiveError | ExtractionError):
        log.error("error shown to the user", exc_info=error)
    QMessageBox.warning(parent, title or _("Qirtas"), error_sentence(error, archive))


class UncaughtExceptions(QObject):
    """While the window runs, an exception nothing caught — in a slot (sys.excepthook) or in a thread
    (threading.excepthook) — is logged and shown as one sentence naming the log file. Only the failing
    operation stops: the window, the archive and any running work stay as they are."""

    _report = Signal(str)  # from any thread to the window's (queued when emitted elsewhere)

    def __init__(self, window: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self._window = window
        self._showing = False
        self._previous = (sys.excepthook, threading.excepthook)
        self._report.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def _on_exception(self, kind, error, traceback) -> None:
        if issubclass(kind, KeyboardInterrupt | SystemExit):
            self._previous[0](kind, error, traceback)
            return
        log.error("uncaught exception in the window", exc_info=(kind, error, traceback))
        self._report.emit(unexpected_sentence(error, current_log()))

    def _on_thread_exception(self, hook_args) -> None:
        if issubclass(hook_args.exc_type, SystemExit):
            return
        log.error(
            "uncaught exception in thread %s",
            getattr(hook_args.thread, "name", "?"),
            exc_info=(hook_args.exc_type, hook_args.exc_value, hook_args.exc_traceback),
        )
        self._report.emit(unexpected_sentence(hook_args.exc_value, current_log()))

    def _show(self, sentence: str) -> None:
        if self._showing:  # one dialog at a time: a failure repeating while it is open is only logged
            return
        self._showing = True
        try:
            QMessageBox.warning(self._window(), _("Qirtas"), sentence)
        finally:
            self._showing = False
