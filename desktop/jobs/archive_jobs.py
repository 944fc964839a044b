"""File › Export…, Back up archive…, Import bag… and Tools › Verify archive…: each on the write thread with
a progress dialog and Cancel, ending in one sentence that says what happened."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from qirtas.archive.archive import ArchiveError
from qirtas.archive.backup import backup
from qirtas.archive.bags.restore import import_bag
from qirtas.archive.export import export
from qirtas.archive.verify import VerifyReport, repair, verify
from qirtas.desktop.accessible import name_form_fields
from qirtas.desktop.errors import error_sentence
from qirtas.desktop.feature import Feature
from qirtas.desktop.jobs.job_outcomes import (
    affected_documents,
    backup_sentence,
    bag_sentence,
    export_sentence,
    path_text,
    repair_sentence,
    verify_sentence,
)
from qirtas.desktop.labels import count_text, percent_text
from qirtas.desktop.lifetime import Lifetime
from qirtas.desktop.qt import (
    QAction,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QObject,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.desktop.views.browse import all_ids
from qirtas.i18n import _

log = logging.getLogger(__name__)

FORMAT_SUFFIX = {"csv": ".csv", "jsonl": ".jsonl", "bagit": ""}


class ArchiveJob(QObject):
    """One long archive operation on the write thread; progress arrives on the GUI thread."""

    progressed = Signal(int, int)  # done, total
    finished = Signal(object)  # the operation's report
    failed = Signal(object)  # exception

    def __init__(self, session, work: Callable[[Callable, Callable], Any], vocabulary: bool = False) -> None:
        super().__init__(session)
        self.session = session
        self.work = work
        self.vocabulary = vocabulary
        self._cancel = threading.Event()
        self._shown = -1  # the last per-mille sent: a 100,000-document verify sends a thousand signals

    def start(self) -> None:
        self.session.write(
            lambda: self.work(self._progress, self._cancel.is_set),
            on_success=self.finished.emit,
            on_failure=self.failed.emit,
            vocabulary=self.vocabulary,
            cancel=self.cancel,
        )

    def _progress(self, done: int, total: int, _current: str = "", _page: int = 0) -> None:
        """`qirtas.jobs.Progress`: the bar moves by the documents; the page of one is not shown."""
        step = done * 1000 // total if total else 0
        if step != self._shown:
            self._shown = step
            self.progressed.emit(done, total)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set()


class JobDialog(QDialog):
    """What is running, how far it is, and Cancel. Shown with open(): it never blocks the event loop."""

    def __init__(self, job: ArchiveJob, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first progress arrives
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QDialogButtonBox()
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        job.progressed.connect(self._progressed)

    def _progressed(self, done: int, total: int) -> None:
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(percent_text(done, total))

    def cancel(self) -> None:
        self.job.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(_("Stopping…"))

    def reject(self) -> None:  # Escape or the window's close button: cancel, and close when it has stopped
        self.cancel()


# ---- the export dialog ------------------------------------------------------------------------------


class ExportDialog(QDialog):
    """What to export (the whole archive, the search result, the selection) and in which format."""

    def __init__(self, counts: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export"))
        self.scope = QComboBox()
        names = {
            "all": _("The whole archive ({count})"),
            "result": _("The documents shown ({count})"),
            "selection": _("The selected documents ({count})"),
        }
        for key, name in names.items():
            if counts.get(key):
                self.scope.addItem(name.format(count=count_text(counts[key])), key)
        self.format = QComboBox()
        self.format.addItem(_("CSV — for spreadsheets (UTF-8 with BOM)"), "csv")
        self.format.addItem(_("JSON Lines — every field, tag, link and review state"), "jsonl")
        self.format.addItem(_("BagIt bag — originals, texts and metadata, for preservation"), "bagit")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Export…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Documents:"), self.scope)
        form.addRow(_("Format:"), self.format)
        name_form_fields(form)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> tuple[str, str]:
        return self.scope.currentData(), self.format.currentData()


# ---- the controller ---------------------------------------------------------------------------------


class ArchiveJobs(QObject, Feature):
    """The window's export, backup, bag import and verify commands. One runs at a time.

    The `start_*` methods take their destination as arguments (tests and scripts call them); the
    menu commands ask for it first. `outcome` is the last sentence shown, `outcome_box` its message box.
    """

    key = "archive_jobs"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.job: ArchiveJob | None = None
        self.dialog: JobDialog | None = None
        self.outcome = ""
        self.outcome_box: QMessageBox | None = None
        self.last_report: Any = None
        self.repair_button: QPushButton | None = None
        self._lifetime = Lifetime(self)

        self.export_action = QAction(_("&Export…"), window)
        self.export_action.triggered.connect(self.export_documents)
        self.backup_action = QAction(_("&Back up archive…"), window)
        self.backup_action.triggered.connect(self.back_up)
        self.import_bag_action = QAction(_("Import &bag…"), window)
        self.import_bag_action.triggered.connect(self.import_bag)
        self.verify_action = QAction(_("&Verify archive…"), window)
        self.verify_action.triggered.connect(self.start_verify)
        window.installEventFilter(self)

    def file_actions(self) -> list[QAction]:
        return [self.export_action, self.backup_action, self.import_bag_action]

    def tools_actions(self) -> list[QAction]:
        return [self.verify_action]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and self.job is not None:
            self.job.cancel()  # closing the window must not wait for a whole export or verify
        return False

    @property
    def busy(self) -> bool:
        return self.job is not None

    # running -----------------------------------------------------------------------------------------
    def _run(
        self,
        title: str,
        text: str,
        work: Callable[[Callable, Callable], Any],
        done: Callable[[Any], None],
        vocabulary: bool = False,
    ) -> ArchiveJob | None:
        if self.job is not None:
            self.window.statusBar().showMessage(
                _("Another archive task is running; wait for it to end."), 8000
            )
            return None
        job = ArchiveJob(self.session, work, vocabulary)
        self.job = job
        self.dialog = JobDialog(job, title, text, self.window)

        def finished(report: Any) -> None:
            if not self._lifetime.alive:  # the window was replaced meanwhile (a language switch)
                log.info("%s ended after its window closed", title)
                return
            self._close_dialog()
            self.last_report = report
            done(report)

        def failed(error: BaseException) -> None:
            if not isinstance(error, ArchiveError):
                log.error("archive task failed", exc_info=error)
            if not self._lifetime.alive:
                log.info("%s failed after its window closed", title)
                return
            self._close_dialog()
            self.last_report = error
            self._tell(title, error_sentence(error, self.session.archive.path), warning=True)

        job.finished.connect(finished)
        job.failed.connect(failed)
        self.dialog.open()
        job.start()
        return job

    def _close_dialog(self) -> None:
        self.job = None
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _tell(self, title: str, sentence: str, warning: bool = False, detail: str = "") -> QMessageBox:
        """The outcome in a message box opened without blocking; also kept in `outcome` and the status bar."""
        self.outcome = sentence
        self.window.statusBar().showMessage(sentence, 15000)
        icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
        box = QMessageBox(icon, title, sentence, QMessageBox.StandardButton.Close, self.window)
        if detail:
            box.setInformativeText(detail)
        if self.outcome_box is not None:
            self.outcome_box.close()
        self.outcome_box = box
        box.open()
        return box

    # export ------------------------------------------------------------------------------------------
    def export_scopes(self) -> dict[str, int]:
        return {
            "all": self.window.archive_total or self.session.archive.count(),
            "result": self.window.result.total
            if (self.window.state.query or self.window.state.has_facets())
            else 0,
            "selection": len(self.window.selected_ids()),
        }

    def export_documents(self) -> None:
        """File › Export…: choose what and how, then where."""
        dialog = ExportDialog(self.export_scopes(), self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        scope, format = dialog.choice()
        destination = self.ask_export_destination(format)
        if destination:
            self.start_export(format, destination, scope)

    def ask_export_destination(self, format: str) -> str:
        stamp = dt.date.today().isoformat()
        folder = Path(str(self.window.settings.value("export/last_folder", str(Path.home()))))
        suggested = str(folder / f"qirtas-{stamp}{FORMAT_SUFFIX[format]}")
        if format == "bagit":
            path, _filter = QFileDialog.getSaveFileName(
                self.window,
                _("Name a new folder for the bag"),
                suggested + "-bag",
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
        else:
            filters = {"csv": _("CSV files (*.csv)"), "jsonl": _("JSON Lines files (*.jsonl)")}
            path, _filter = QFileDialog.getSaveFileName(
                self.window, _("Export to"), suggested, filters[format]
            )
        if path:
            self.window.settings.setValue("export/last_folder", str(Path(path).parent))
        return path

    def scope_ids(self, scope: str) -> Callable[[], list[int] | None]:
        """The documents of a scope, read on the worker (a large result's ids may still be arriving)."""
        window = self.window
        if scope == "selection":
            chosen = window.selected_ids()
            return lambda: chosen
        if scope == "result":
            if window.result.complete:
                ids = list(window.result.ids)
                return lambda: ids
            state = replace(window.state, selected={f: list(v) for f, v in window.state.selected.items()})
            archive = self.session.archive
            return lambda: all_ids(archive, state)
        return lambda: None

    def start_export(self, format: str, destination: str | Path, scope: str = "all") -> ArchiveJob | None:
        archive = self.session.archive
        destination = Path(destination).expanduser().absolute()  # bagit changes the working folder briefly
        ids = self.scope_ids(scope)
        return self._run(
            _("Export"),
            _("Exporting to {path}…").format(path=path_text(destination)),
            lambda progress, cancel: export(archive, format, destination, ids(), progress, cancel),
            lambda report: self._tell(_("Export"), export_sentence(report)),
        )

    # backup ------------------------------------------------------------------------------------------
    def back_up(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window,
            _("Choose an empty folder for the backup (or an earlier backup to refresh)"),
            str(self.window.settings.value("backup/last_folder", str(Path.home()))),
        )
        if folder:
            self.window.settings.setValue("backup/last_folder", folder)
            self.start_backup(folder)

    def start_backup(self, destination: str | Path) -> ArchiveJob | None:
        archive_path = self.session.archive.path
        destination = Path(destination).expanduser().absolute()
        return self._run(
            _("Back up archive"),
            _("Backing up to {path}…").format(path=path_text(destination)),
            lambda progress, cancel: backup(archive_path, destination, progress, cancel),
            lambda report: self._tell(_("Back up archive"), backup_sentence(report), bool(report.missing)),
        )

    # bag import --------------------------------------------------------------------------------------
    def import_bag(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window,
            _("Choose the bag folder to import"),
            str(self.window.settings.value("export/last_folder", str(Path.home()))),
        )
        if folder:
            self.start_bag_import(folder)

    def start_bag_import(self, bag: str | Path) -> ArchiveJob | None:
        archive = self.session.archive
        bag = Path(bag).expanduser().absolute()
        return self._run(
            _("Import bag"),
            _("Checking and importing the bag {path}…").format(path=path_text(bag)),
            lambda progress, cancel: import_bag(archive, bag, progress, cancel),
            lambda report: self._tell(_("Import bag"), bag_sentence(report)),
            vocabulary=True,
        )

    # verify and repair -------------------------------------------------------------------------------
    def start_verify(self) -> ArchiveJob | None:
        archive = self.session.archive
        return self._run(
            _("Verify archive"),
            _("Re-reading every original and checking the database and the search index…"),
            lambda progress, cancel: verify(archive, progress, cancel),
            self._verified,
        )

    def _verified(self, report: VerifyReport) -> None:
        box = self._tell(
            _("Verify archive"),
            verify_sentence(report),
            warning=bool(report.problems),
            detail=affected_documents(report.problems, self.session.archive),
        )
        self.repair_button = None
        if report.problems and not report.cancelled:
            self.repair_button = box.addButton(_("Repair"), QMessageBox.ButtonRole.AcceptRole)
            self.repair_button.setToolTip(
                _(
                    "Rebuild the search index and set stored files without a document aside; "
                    "no original a document needs is moved or deleted"
                )
            )
            self.repair_button.clicked.connect(lambda: self.start_repair(report))

    def start_repair(self, found: VerifyReport) -> ArchiveJob | None:
        archive = self.session.archive
        return self._run(
            _("Repair archive"),
            _("Repairing what can be repaired…"),
            lambda progress, cancel: repair(archive, found, progress=progress),
            lambda report: self._tell(
                _("Repair archive"), repair_sentence(report, archive.path), warning=bool(report.remaining)
            ),
        )
