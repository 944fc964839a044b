"""Tools › Read text with OCR… and the reader's "Read with OCR" button: the selected documents' originals
OCR'd again on the write thread, with progress and Cancel, ending in one sentence."""

from __future__ import annotations

import logging

from qirtas.archive.archive import ArchiveError
from qirtas.archive.documents import DocumentFilter
from qirtas.archive.ocr import OcrReport, ocr_documents
from qirtas.desktop.errors import error_sentence
from qirtas.desktop.feature import Feature, FeatureHost
from qirtas.desktop.jobs.archive_jobs import ArchiveJob, JobDialog
from qirtas.desktop.jobs.job_outcomes import ocr_sentence
from qirtas.desktop.labels import count_text, isolated
from qirtas.desktop.lifetime import Lifetime
from qirtas.desktop.qt import QAction, QMessageBox, QObject, QPushButton
from qirtas.i18n import _, ngettext
from qirtas.importers import STATUS_NEEDS_OCR, STATUS_OCR

log = logging.getLogger(__name__)

PDF_MEDIA_TYPE = "application/pdf"
CHUNK = 500


def can_ocr(document) -> bool:
    """Whether OCR has anything to read in a document: the pages of a PDF or an image file."""
    return document.media_type == PDF_MEDIA_TYPE or document.media_type.startswith("image/")


class OcrAgain(QObject, Feature):
    """Reads documents' text again with OCR (scans imported before the engine was installed, or a poor
    reading done again); the originals are only read. One run at a time."""

    key = "ocr"

    def __init__(self, window: FeatureHost) -> None:
        super().__init__(window)
        self.window = window
        self.job: ArchiveJob | None = None
        self.dialog: JobDialog | None = None
        self.outcome = ""
        self.outcome_box: QMessageBox | None = None
        self._lifetime = Lifetime(self)
        self.action = QAction(_("Read text with &OCR…"), window)
        self.action.setToolTip(
            _("Read the selected scans' text again with OCR; their originals are not changed")
        )
        self.action.triggered.connect(lambda _checked=False: self.ocr_selected())
        self.button = QPushButton(_("Read with OCR"))
        self.button.setToolTip(_("Read this scan's text with OCR; the original is not changed"))
        self.button.hide()
        self.button.clicked.connect(self.ocr_shown)
        window.reader.shown.connect(self._follow)

    def tools_actions(self) -> list[QAction]:
        return [self.action]

    def reader_buttons(self) -> dict[str, QPushButton]:
        return {"ocr": self.button}

    def _follow(self, document_id: int) -> None:
        """The button is offered for scans: documents waiting for OCR, or read by it (to read again)."""
        document = self.window.reader.document
        wanted = (
            bool(document_id)
            and document is not None
            and can_ocr(document)
            and document.status in (STATUS_NEEDS_OCR, STATUS_OCR)
        )
        if wanted and document is not None:
            self.button.setText(_("Run OCR again") if document.status == STATUS_OCR else _("Read with OCR"))
        self.button.setVisible(wanted)

    # asking ------------------------------------------------------------------------------------------
    def ocr_shown(self) -> None:
        document = self.window.reader.document
        if document is not None:
            self.start([document.id])

    def ocr_selected(self) -> None:
        """Tools › Read text with OCR…: the selection's PDFs and images; a text layer replaced only when
        the person agrees."""
        ids = self.window.selected_ids()
        if not ids:
            self.window.statusBar().showMessage(_("Select the documents to read with OCR first."), 8000)
            return
        archive = self.window.archive
        scans = [  # read in chunks: a whole archive selected is more ids than SQLite takes in one query
            document
            for start in range(0, len(ids), CHUNK)
            for document in archive.list_documents(DocumentFilter(ids=ids[start : start + CHUNK]))[1]
            if can_ocr(document)
        ]
        if not scans:
            self.window.statusBar().showMessage(
                _("The selected documents are not PDFs or images: OCR has nothing to read in them."), 8000
            )
            return
        with_text = sum(1 for d in scans if d.status not in (STATUS_NEEDS_OCR, STATUS_OCR))
        if with_text and not self._confirm_replacing(with_text):
            return
        self.start([d.id for d in scans])

    def _confirm_replacing(self, count: int) -> bool:
        answer = QMessageBox.question(
            self.window,
            _("Read text with OCR"),
            ngettext(
                "{count} of these documents has a text of its own; OCR will replace it with what it "
                "reads on the page images. The originals are not changed. Go on?",
                "{count} of these documents have a text of their own; OCR will replace it with what it "
                "reads on the page images. The originals are not changed. Go on?",
                count,
            ).format(count=count_text(count)),
        )
        return answer == QMessageBox.StandardButton.Yes

    # running -----------------------------------------------------------------------------------------
    def start(self, document_ids: list[int], languages: str | None = None) -> ArchiveJob | None:
        """OCR `document_ids` on the write thread with a progress dialog (tests call this directly)."""
        if self.job is not None:
            self.window.statusBar().showMessage(_("OCR is already running; wait for it to end."), 8000)
            return None
        archive = self.window.session.archive
        job = ArchiveJob(
            self.window.session,
            lambda progress, cancel: ocr_documents(
                archive, document_ids, languages=languages, progress=progress, cancel=cancel
            ),
        )
        self.job = job
        self.dialog = JobDialog(
            job,
            _("Read text with OCR"),
            ngettext(
                "Reading {count} document with OCR…", "Reading {count} documents with OCR…", len(document_ids)
            ).format(count=count_text(len(document_ids))),
            self.window,
        )
        job.finished.connect(self._finished)
        job.failed.connect(self._failed)
        self.dialog.open()
        job.start()
        return job

    def _finished(self, report: OcrReport) -> None:
        if not self._lifetime.alive:  # the window was replaced meanwhile (a language switch)
            return
        self._close_dialog()
        reader = self.window.reader
        if reader.document is not None and any(item.id == reader.document.id for item in report.read):
            reader.show_document(reader.document.id, reader.query)
        failures = "\n".join(
            _("Document {id}: {error}").format(id=item.id, error=isolated(item.error))
            for item in report.failed
        )
        self._tell(ocr_sentence(report), warning=bool(report.failed), detail=failures)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, ArchiveError):
            log.error("OCR failed", exc_info=error)
        if not self._lifetime.alive:
            return
        self._close_dialog()
        self._tell(error_sentence(error, self.window.session.archive.path), warning=True)

    def _close_dialog(self) -> None:
        self.job = None
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _tell(self, sentence: str, warning: bool, detail: str = "") -> None:
        """The outcome in the status bar, and in a message box (opened without blocking) when something
        went wrong."""
        self.outcome = sentence
        self.window.statusBar().showMessage(sentence, 15000)
        if not warning:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Read text with OCR"),
            sentence,
            QMessageBox.StandardButton.Close,
            self.window,
        )
        if detail:
            box.setDetailedText(detail)
        if self.outcome_box is not None:
            self.outcome_box.close()
        self.outcome_box = box
        box.open()
