"""Unlock an encrypted PDF from the reader: ask for its password, re-read it on the write thread."""

from __future__ import annotations

from qirtas.archive.unlocking import unlock
from qirtas.desktop.qt import QInputDialog, QLineEdit, QPushButton
from qirtas.i18n import _


def install_unlocking(window) -> None:
    """Add an "Unlock with password…" button to the reader, shown for encrypted documents only."""
    reader = window.reader
    button = QPushButton(_("Unlock with password…"))
    button.setToolTip(_("Read the text of this encrypted PDF with its password; the original is not changed"))
    button.hide()
    reader.button_row.insertWidget(3, button)

    def follow(document_id: int) -> None:
        document = reader.document
        button.setVisible(bool(document_id) and document is not None and document.status == "encrypted")

    def ask() -> None:
        if reader.document is None:
            return
        password, accepted = QInputDialog.getText(
            window,
            _("Unlock document"),
            _("Password that opens “{title}”:").format(title=reader.document.title),
            QLineEdit.EchoMode.Password,
        )
        if accepted and password:
            start_unlock(window, reader.document.id, password)

    reader.shown.connect(follow)
    button.clicked.connect(ask)
    reader.unlock_button = button


def start_unlock(window, document_id: int, password: str) -> None:
    """Re-read the document with `password` off the GUI thread, then show its text (errors: a dialog)."""
    session = window.session

    def done(document) -> None:
        window.statusBar().showMessage(_("“{title}” unlocked.").format(title=document.title), 8000)
        if window.reader.document is not None and window.reader.document.id == document_id:
            window.reader.show_document(document_id, window.reader.query)

    session.write(lambda: unlock(session.archive, document_id, password), done)
