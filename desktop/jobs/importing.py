"""Importing with progress off the GUI thread, Cancel, the report at the end and tagging what came in."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from qirtas.archive.importing import ImportOptions, ImportReport, import_paths
from qirtas.desktop.accessible import name_view
from qirtas.desktop.dialogs.tagging import NewTagDialog, TagDocumentsCommand, TagSpec, tag_entry
from qirtas.desktop.errors import show_error
from qirtas.desktop.jobs.session import Session
from qirtas.desktop.labels import (
    count_text,
    in_own_direction,
    isolated,
    percent_text,
    warning_sentence,
)
from qirtas.desktop.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QObject,
    QProgressBar,
    QPushButton,
    QSettings,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.desktop.views.suggestions import offer_import_suggestions
from qirtas.i18n import _, ngettext
from qirtas.importers.text import readable_file_name

DOCUMENT_ROLE = Qt.ItemDataRole.UserRole
REFRESH_SECONDS = 2.0  # while importing, the table shows the committed rows this often


def progress_text(current: str, done: int, total: int, page: int = 0) -> str:
    """ "Importing report.pdf (3 of 12)": the file's name isolated, so an Arabic name in the English UI (or
    a Latin one in the Arabic UI) neither turns the sentence round nor is turned round by it. A scan being
    OCR'd names the last page read: "Reading scan.pdf, page 4 (3 of 12)"."""
    name = Path(current).name if current else ""
    if not name:
        return _("Imported {done} of {total}").format(done=count_text(done), total=count_text(total))
    shown = isolated(readable_file_name(name)[0])
    if page:
        return _("Reading {name}, page {page} ({done} of {total})").format(
            name=shown, page=count_text(page), done=count_text(done), total=count_text(total)
        )
    return _("Importing {name} ({done} of {total})").format(
        name=shown, done=count_text(done), total=count_text(total)
    )


class ImportJob(QObject):
    """One import running on the write thread; progress arrives as signals on the GUI thread."""

    progressed = Signal(int, int, str, int)  # done, total, current file, its pages read (a scan)
    finished = Signal(object)  # ImportReport
    failed = Signal(object)  # exception

    def __init__(self, session: Session, paths: Sequence[str | Path], options: ImportOptions | None = None):
        super().__init__(session)
        self.session = session
        self.paths = [str(p) for p in paths]
        self.options = options or ImportOptions()
        self._cancel = threading.Event()
        self.report: ImportReport | None = None

    def start(self) -> None:
        archive = self.session.archive
        self.session.write(
            lambda: import_paths(
                archive,
                self.paths,
                options=self.options,
                progress=lambda done, total, current="", page=0: self.progressed.emit(
                    done, total, current, page
                ),
                cancel=self._cancel.is_set,
            ),
            on_success=self._succeeded,
            on_failure=self.failed.emit,
            cancel=self.cancel,
        )

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set()

    def _succeeded(self, report: ImportReport) -> None:
        self.report = report
        self.finished.emit(report)


class ImportProgress(QWidget):
    """The strip in the status bar while an import runs: what it is reading, how far, and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: ImportJob | None = None
        self.label = QLabel()
        self.label.setMinimumWidth(220)
        self.label.setMaximumWidth(420)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(200)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setToolTip(_("Stop importing; files already imported stay in the archive"))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def watch(self, job: ImportJob) -> None:
        self.job = job
        self.bar.setRange(0, 0)  # busy until the files are counted
        self.label.setText(_("Looking for files…"))
        self.cancel_button.setEnabled(True)
        job.progressed.connect(self.show_progress)
        job.finished.connect(self._ended)
        job.failed.connect(self._ended)
        if job.cancelling:
            self.cancel()
        self.show()

    def _ended(self, _outcome) -> None:
        self.job = None
        self.hide()

    def show_progress(self, done: int, total: int, current: str, page: int = 0) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if self.job is not None and self.job.cancelling:
            return
        self.bar.setFormat(percent_text(done, total))
        self.label.setText(progress_text(current, done, total, page))
        self.label.setToolTip(current)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(_("Cancelling after the current batch…"))


class QuickTagDialog(QDialog):
    """Choose one tag (existing, or new with both names) to put on every document just imported."""

    def __init__(self, session: Session, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Tag the imported documents"))
        self.facet_combo, self.field, self.completer = tag_entry(
            session.archive, self, _("Tag name in English or Arabic")
        )
        row = QHBoxLayout()
        row.addWidget(self.facet_combo)
        row.addWidget(self.field, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                ngettext(
                    "Put one tag on the {count} document just imported:",
                    "Put one tag on all {count} documents just imported:",
                    count,
                ).format(count=count_text(count))
            )
        )
        layout.addLayout(row)
        layout.addWidget(buttons)

    def spec(self) -> TagSpec | None:
        """The tag chosen; asks for both names when it does not exist yet."""
        text = self.field.text().strip()
        if not text:
            return None
        tag = self.completer.tag_for(text)
        if tag is not None:
            return TagSpec(tag.facet, tag_id=tag.id, name_en=tag.name_en, name_ar=tag.name_ar)
        dialog = NewTagDialog(self.session.archive, self.facet_combo.currentData(), text, self)
        return dialog.spec() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ImportReportDialog(QDialog):
    """What happened to each file; clicking an imported or duplicate file shows its document."""

    document_chosen = Signal(int)

    def __init__(self, session: Session, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.report = report
        self.setWindowTitle(_("Import report"))
        self.resize(760, 460)
        imported, duplicates, failed = len(report.imported), len(report.duplicates), len(report.failed)
        summary = _("Imported {imported}, already in the archive {duplicates}, failed {failed}.").format(
            imported=count_text(imported), duplicates=count_text(duplicates), failed=count_text(failed)
        )
        if report.cancelled:
            summary = _("{summary} The import was cancelled; what was imported before stays.").format(
                summary=summary
            )
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        name_view(self.tree, _("Imported files"))
        self.tree.setHeaderLabels([_("File"), _("Outcome")])
        self.tree.setColumnWidth(0, 420)
        self.groups: dict[str, QTreeWidgetItem] = {}
        self._add_group(
            "imported",
            ngettext("Imported ({count})", "Imported ({count})", imported).format(count=count_text(imported)),
            [(item.path, self._imported_outcome(item), item.id) for item in report.imported],
        )
        self._add_group(
            "duplicates",
            _("Already in the archive ({count})").format(count=count_text(duplicates)),
            [
                (item.path, _("same file as document {id}").format(id=count_text(item.id)), item.id)
                for item in report.duplicates
            ],
        )
        self._add_group(
            "failed",
            _("Failed ({count})").format(count=count_text(failed)),
            [(item.path, isolated(item.error), None) for item in report.failed],
        )
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)

        self.tag_button = QPushButton(_("Tag all imported…"))
        self.tag_button.setEnabled(bool(imported))
        self.tag_button.clicked.connect(lambda: self.tag_all())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.tag_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    @staticmethod
    def _imported_outcome(item) -> str:
        if item.status == "ok":
            text = _("imported")
        elif item.status == "needs_ocr":
            text = _("imported; no text layer, needs OCR")
        elif item.status == "encrypted":
            text = _("imported; encrypted, text not read")
        else:
            text = item.status
        if item.warnings:
            warnings = _("; ").join(warning_sentence(w) for w in item.warnings)
            text = _("{outcome} ({warnings})").format(outcome=text, warnings=warnings)
        return text

    def _add_group(self, key: str, title: str, rows: list[tuple[str, str, int | None]]) -> None:
        group = QTreeWidgetItem([title, ""])
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        self.tree.addTopLevelItem(group)
        for raw_path, outcome, document_id in rows:
            path = readable_file_name(raw_path)[0]  # a name that is not UTF-8, shown as it was meant
            item = QTreeWidgetItem([in_own_direction(path), outcome])
            item.setToolTip(0, path)
            item.setToolTip(1, outcome)
            item.setData(0, DOCUMENT_ROLE, document_id)
            group.addChild(item)
        group.setExpanded(key != "duplicates" or len(rows) < 50)
        self.groups[key] = group

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        document_id = item.data(0, DOCUMENT_ROLE)
        if document_id is not None:
            self.document_chosen.emit(int(document_id))

    def tag_all(self, spec: TagSpec | None = None) -> None:
        ids = [item.id for item in self.report.imported]
        if not ids:
            return
        if spec is None:
            dialog = QuickTagDialog(self.session, len(ids), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            spec = dialog.spec()
            if spec is None:
                return
        self.session.undo_stack.push(TagDocumentsCommand(self.session, ids, spec, add=True))


class ImportController(QObject):
    """One import at a time for a window: File › Import…, the status-bar strip, rows appearing as
    batches commit, and the report at the end."""

    document_chosen = Signal(int)  # a file clicked in the report
    message = Signal(str)  # a sentence for the status bar

    def __init__(
        self, session: Session, settings: QSettings, window: QWidget, refresh: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self.session = session
        self.settings = settings
        self.window = window
        self.refresh = refresh
        self.progress = ImportProgress()
        self.job: ImportJob | None = None
        self.report_dialog: ImportReportDialog | None = None
        self._last_refresh = 0.0

    def _last_folder(self) -> str:
        return str(self.settings.value("import/last_folder", str(Path.home())))

    def import_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self.window,
            _("Import files"),
            self._last_folder(),
            _("Documents (*.txt *.text *.md *.pdf);;All files (*)"),
        )
        if paths:
            self.settings.setValue("import/last_folder", str(Path(paths[0]).parent))
            self.start(paths)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, _("Import folder"), self._last_folder())
        if folder:
            self.settings.setValue("import/last_folder", folder)
            self.start([folder])

    def start(self, paths: Sequence[str], options: ImportOptions | None = None) -> ImportJob | None:
        """Import files and folders on the write thread; the report dialog opens when it ends."""
        if self.job is not None:
            self.message.emit(_("An import is already running; wait for it or cancel it."))
            return None
        job = ImportJob(self.session, paths, options)
        self.adopt(job)
        job.start()
        return job

    def adopt(self, job: ImportJob) -> None:
        """Follow an import's progress and report (also one started before the window was rebuilt)."""
        job.finished.connect(self._finished)
        job.failed.connect(self._failed)
        job.progressed.connect(self._progressed)
        self.job = job
        self.progress.watch(job)
        self._last_refresh = time.monotonic()

    def _progressed(self, _done: int, _total: int, _current: str, _page: int = 0) -> None:
        # Batches are committed as they go: show the new rows every few seconds, not only at the end.
        if time.monotonic() - self._last_refresh > REFRESH_SECONDS:
            self._last_refresh = time.monotonic()
            self.refresh()

    def _finished(self, report: ImportReport) -> None:
        self.job = None
        self.report_dialog = ImportReportDialog(self.session, report, self.window)
        self.report_dialog.document_chosen.connect(self.document_chosen.emit)
        offer_import_suggestions(self.session, self.report_dialog)  # desktop/views/suggestions.py
        self.report_dialog.show()

    def _failed(self, error: BaseException) -> None:
        self.job = None
        show_error(self.window, error, _("Import"), self.session.archive.path)
