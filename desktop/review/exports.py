"""What a review gives out and takes back: the report (PDF or CSV) and the translation memory (TMX or
XLIFF 2.0 written; statuses and comments read back from either), each asked for through a file dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from qirtas.archive.bilingual import Review
from qirtas.archive.review_report import ReviewReport, build_report, record_report, write_csv
from qirtas.archive.translation_memory import ImportReport, export_tmx, export_xliff, import_review
from qirtas.desktop.errors import error_sentence
from qirtas.desktop.labels import isolated_code
from qirtas.desktop.qt import QFileDialog, QMenu
from qirtas.desktop.review_report_pdf import render_pdf
from qirtas.i18n import _, ngettext
from qirtas.i18n.formatting import format_count


class ReviewExports:
    """The report and translation-memory actions of the review window (BilingualView), mixed into it. They
    act on its current `review`, keep a comment still being typed (`save_comment`), write through its
    `_write` (the session's write thread), speak under the table through `_say` and emit its signals."""

    review: Review | None
    save_comment: Callable[[], None]
    reload: Callable[..., None]
    _write: Callable[[Callable[[], Any], Callable[[Any], None]], None]
    _say: Callable[[str], None]
    changed: Any  # the window's signals
    report_written: Any
    memory_written: Any
    memory_imported: Any

    # ---- report ------------------------------------------------------------------------------------
    def export_report(self, destination: str | Path) -> None:
        """Write the review report: PDF when the name ends in .pdf, else CSV. The report is read and
        recorded on the write thread (reading may align); a PDF is laid out here, between the two."""
        review = self.review
        if review is None:
            self._say(_("There is nothing to report: this document has no linked translation."))
            return
        self.save_comment()
        destination = Path(destination)
        if destination.suffix.lower() != ".pdf":
            self._write(
                lambda: write_csv(review, destination), lambda _report: self._report_written(destination)
            )
            return

        def built(report: ReviewReport) -> None:
            try:
                render_pdf(report, destination)
            except OSError as error:
                self._say(error_sentence(error))
                return
            self._write(
                lambda: record_report(review, report, "pdf", destination),
                lambda _none: self._report_written(destination),
            )

        self._write(lambda: build_report(review), built)

    def _report_written(self, destination: Path) -> None:
        self._say(_("Report written to {path}").format(path=isolated_code(destination)))
        self.report_written.emit(str(destination))

    # ---- translation memory ------------------------------------------------------------------------
    def export_memory(self, kind: str, destination: str | Path, all_pairs: bool = False) -> None:
        """Write the pairs as TMX ("tmx": approved ones unless `all_pairs`) or XLIFF 2.0, on the write thread."""
        review = self.review
        if review is None:
            return
        self.save_comment()
        destination = Path(destination)

        def export() -> int:
            if kind == "tmx":
                return export_tmx([review], destination, all_pairs)
            return export_xliff([review], destination)

        def written(units: int) -> None:
            self._say(
                ngettext("{count} pair written to {path}", "{count} pairs written to {path}", units).format(
                    count=format_count(units), path=isolated_code(destination)
                )
            )
            self.memory_written.emit(str(destination))

        self._write(export, written)

    def import_memory(self, source: str | Path) -> None:
        """Set statuses and comments from a TMX or XLIFF 2.0 file; says what matched nothing."""
        review = self.review
        if review is None:
            return
        self.save_comment()

        def imported(report: ImportReport) -> None:
            self.reload(notice=self._import_notice(report))
            self.changed.emit()
            self.memory_imported.emit(report)

        self._write(lambda: import_review(review, source), imported)

    @staticmethod
    def _import_notice(report: ImportReport) -> str:
        notice = ngettext(
            "{updated} pair updated from the file, {unchanged} unchanged.",
            "{updated} pairs updated from the file, {unchanged} unchanged.",
            len(report.updated),
        ).format(updated=format_count(len(report.updated)), unchanged=format_count(report.unchanged))
        if report.unmatched:
            units = ", ".join(segment.unit for segment in report.unmatched[:10])
            notice += " " + ngettext(
                "{count} unit matches no pair of this document: {units}",
                "{count} units match no pair of this document: {units}",
                len(report.unmatched),
            ).format(count=format_count(len(report.unmatched)), units=isolated_code(units))
        return notice

    def _ask_memory_export(self, kind: str, all_pairs: bool) -> None:
        if kind == "tmx":
            name, filter = "review.tmx", _("TMX translation memory (*.tmx)")
        else:
            name, filter = "review.xlf", _("XLIFF 2.0 (*.xlf *.xliff)")
        path, _filter = QFileDialog.getSaveFileName(self, _("Export translation memory"), name, filter)
        if path:
            self.export_memory(kind, path, all_pairs)

    def _ask_memory_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import statuses and comments"),
            "",
            _("TMX or XLIFF 2.0 (*.tmx *.xlf *.xliff *.xml)"),
        )
        if path:
            self.import_memory(path)

    def _ask_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Export review report"),
            "review-report.pdf",
            _("PDF (*.pdf);;CSV spreadsheet (*.csv)"),
        )
        if path:
            self.export_report(path)

    def _build_memory_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(_("Export approved pairs as TMX…"), lambda: self._ask_memory_export("tmx", False))
        menu.addAction(_("Export all pairs as TMX…"), lambda: self._ask_memory_export("tmx", True))
        menu.addAction(_("Export for review as XLIFF 2.0…"), lambda: self._ask_memory_export("xliff", True))
        menu.addSeparator()
        menu.addAction(_("Import statuses and comments from TMX or XLIFF…"), self._ask_memory_import)
        return menu
