"""Unlock an encrypted PDF from the reader: ask for its password, re-read it on the write thread."""

from __future__ import annotations

from qirtas.archive.unlocking import unlock
from qirtas.desktop.feature import Feature, FeatureHost
from qirtas.desktop.labels import isolated
from qirtas.desktop.qt import QInputDialog, QLineEdit, QPushButton
from qirtas.i18n import _


class Unlocking(Feature):
    """An "Unlock with password…" button in the reader's row, shown for encrypted documents only."""

    key = "unlocking"

    def __init__(self, window: FeatureHost) -> None:
        self.window = window
        self.button = QPushButton(_("Unlock with password…"))
        self.button.setToolTip(
            _("Read the text of this encrypted PDF with its password; the original is not changed")
        )
        self.button.hide()
        window.reader.shown.connect(self._follow)
        self.button.clicked.connect(self.ask)

    def reader_buttons(self) -> dict[str, QPushButton]:
        return {"unlock": self.button}

    def _follow(self, document_id: int) -> None:
        document = self.window.reader.document
        self.button.setVisible(bool(document_id) and document is not None and document.status == "encrypted")

    def ask(self) -> None:
        reader = self.window.reader
        if reader.document is None:
            return
        password, accepted = QInputDialog.getText(
            self.button.window(),
            _("Unlock document"),
            _("Password that opens “{title}”:").format(title=isolated(reader.document.title)),
            QLineEdit.EchoMode.Password,
        )
        if accepted and password:
            start_unlock(self.window, reader.document.id, password)


def unlocked_message(title: str) -> str:
    return _("“{title}” unlocked.").format(title=isolated(title))


def start_unlock(window: FeatureHost, document_id: int, password: str) -> None:
    """Re-read the document with `password` off the GUI thread, then show its text (errors: a dialog)."""
    session = window.session

    def done(document) -> None:
        window.statusBar().showMessage(unlocked_message(document.title), 8000)
        if window.reader.document is not None and window.reader.document.id == document_id:
            window.reader.show_document(document_id, window.reader.query)

    session.write(lambda: unlock(session.archive, document_id, password), done)
