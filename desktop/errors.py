"""Errors shown as a sentence a person understands; the technical detail goes to the log, not the screen."""

from __future__ import annotations

import logging

from qirtas.archive.archive import ArchiveError
from qirtas.desktop.qt import QMessageBox, QWidget
from qirtas.i18n import _
from qirtas.importers import ExtractionError

log = logging.getLogger(__name__)


def error_sentence(error: BaseException) -> str:
    """What went wrong, in words: archive and import errors carry their own sentence."""
    if isinstance(error, ArchiveError | ExtractionError):
        return str(error)
    if isinstance(error, PermissionError):
        return _("Qirtas is not allowed to read or write {path}.").format(path=error.filename or "")
    if isinstance(error, FileNotFoundError):
        return _("The file or folder {path} does not exist.").format(path=error.filename or "")
    if isinstance(error, OSError):
        return _("The disk reported a problem: {reason}.").format(reason=error.strerror or str(error))
    return _(
        "Something unexpected went wrong ({kind}). Nothing was lost; the details are in the log."
    ).format(kind=type(error).__name__)


def show_error(parent: QWidget | None, error: BaseException, title: str | None = None) -> None:
    if not isinstance(error, ArchiveError | ExtractionError):
        log.error("error shown to the user", exc_info=error)
    QMessageBox.warning(parent, title or _("Qirtas"), error_sentence(error))
