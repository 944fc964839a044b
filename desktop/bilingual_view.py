"""Side-by-side review of a document and its translation: one row per aligned pair, driven by the keyboard.

English on the left and Arabic on the right (mirrored with the Arabic UI), each cell in its own direction
and font; both sides share one row, so they scroll in step and the current pair is highlighted on both.
Keys: A approve, R needs revision (then type the comment, Enter), U unreviewed, N next unreviewed,
J / ↓ next pair, K / ↑ previous pair, M merge with the next pair, S split, Escape closes.
Every change (and the alignment itself, which reading the pairs may store) runs on the session's write
thread: the view moves on at once and shows the result when the write returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qirtas.archive.archive import ArchiveError
from qirtas.archive.bilingual import (
    APPROVED,
    NEEDS_REVISION,
    UNREVIEWED,
    AlignmentChanged,
    Review,
    link,
    shared_language,
)
from qirtas.archive.models import ReviewPair
from qirtas.desktop.errors import error_sentence
from qirtas.desktop.fonts import register_fonts
from qirtas.desktop.jobs.session import Session
from qirtas.desktop.labels import isolated, ui_direction
from qirtas.desktop.qt import (
    QAbstractItemView,
    QAction,
    QEvent,
    QItemSelectionModel,
    QKeySequence,
    QMessageBox,
    QModelIndex,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.desktop.review.exports import ReviewExports
from qirtas.desktop.review.linking import LinkPage
from qirtas.desktop.review.page import ReviewPage
from qirtas.desktop.review.pairs import AR_COLUMN, DIRECTION_ROLE, EN_COLUMN
from qirtas.i18n import _
from qirtas.i18n.script import Direction, paragraph_direction

# The pair table's columns and direction role, still importable from here (they live in review/pairs.py).
__all__ = ["AR_COLUMN", "DIRECTION_ROLE", "EN_COLUMN", "BilingualView"]


class BilingualView(ReviewExports, QWidget):
    """Review a document and its translation pair by pair. `document_id` may be either side. The report and
    translation-memory actions come from ReviewExports (desktop/review/exports.py)."""

    changed = Signal()  # a status, comment, link or alignment was written (refresh filters and counts)
    pairs_shown = Signal()  # the pairs arrived from the write thread (aligned if they had to be)
    report_written = Signal(str)  # the path of a review report, once written and recorded
    memory_written = Signal(str)  # the path of a TMX or XLIFF file, once written
    memory_imported = Signal(object)  # the ImportReport of a TMX or XLIFF file read back

    def __init__(self, session: Session, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        register_fonts()
        self.session = session
        self.archive = session.archive  # read here; written only through session.write()
        self.document_id = document_id
        self.review: Review | None = None
        self._loading = False
        self._closed = False  # writes that return after the window closed touch no widget
        self.setWindowTitle(_("Translation review"))

        self.pages = QStackedWidget()
        self.review_page = ReviewPage()
        self.link_page = LinkPage(self.archive)
        self.pages.addWidget(self.review_page)
        self.pages.addWidget(self.link_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._connect_pages()
        self._build_actions()
        self.open_document(document_id)

    # ---- building ----------------------------------------------------------------------------------
    def _connect_pages(self) -> None:
        page = self.review_page
        # The parts the window works with, under the names they had on it before the pages were split out.
        self.en_title, self.ar_title = page.en_title, page.ar_title
        self.translation_choice = page.translation_choice
        self.progress_bar, self.progress_label = page.progress_bar, page.progress_label
        self.model, self.table, self.comment, self.notice = page.model, page.table, page.comment, page.notice
        self.memory_button = page.memory_button
        self.candidate_list, self.link_button = self.link_page.candidate_list, self.link_page.link_button

        self.translation_choice.activated.connect(self._choose_translation)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.comment.returnPressed.connect(self._comment_entered)
        self.comment.editingFinished.connect(self.save_comment)
        self.memory_button.setMenu(self._build_memory_menu())
        page.approve_button.clicked.connect(lambda: self.set_status(APPROVED))
        page.revise_button.clicked.connect(lambda: self.set_status(NEEDS_REVISION))
        page.next_unreviewed_button.clicked.connect(self.next_unreviewed)
        page.merge_button.clicked.connect(self.merge_with_next)
        page.split_button.clicked.connect(self.split_current)
        page.realign_button.clicked.connect(self.realign)
        page.export_button.clicked.connect(self._ask_export)
        self.link_page.link_requested.connect(self.link_selected)

    def _build_actions(self) -> None:
        def action(text: str, keys: list[str], slot) -> QAction:
            made = QAction(text, self)
            made.setShortcuts([QKeySequence(k) for k in keys])
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.approve_action = action(_("Approve"), ["A"], lambda: self.set_status(APPROVED))
        self.revise_action = action(_("Needs revision"), ["R"], lambda: self.set_status(NEEDS_REVISION))
        self.reset_action = action(_("Mark unreviewed"), ["U"], lambda: self.set_status(UNREVIEWED))
        self.next_unreviewed_action = action(_("Next unreviewed pair"), ["N"], self.next_unreviewed)
        self.next_action = action(_("Next pair"), ["J"], lambda: self.move(1))
        self.previous_action = action(_("Previous pair"), ["K"], lambda: self.move(-1))
        self.merge_action = action(_("Merge with the next pair"), ["M"], self.merge_with_next)
        self.split_action = action(_("Split the pair"), ["S"], self.split_current)
        self.comment_action = action(_("Comment"), ["C"], self.comment.setFocus)
        self.close_action = action(_("Close"), ["Escape"], self.close)
        # The same keys straight from the table, so they work before the window is active (a shortcut
        # needs that) and a letter never falls through to the table's type-to-search.
        self._table_keys = {
            Qt.Key.Key_A: self.approve_action,
            Qt.Key.Key_R: self.revise_action,
            Qt.Key.Key_U: self.reset_action,
            Qt.Key.Key_N: self.next_unreviewed_action,
            Qt.Key.Key_J: self.next_action,
            Qt.Key.Key_K: self.previous_action,
            Qt.Key.Key_M: self.merge_action,
            Qt.Key.Key_S: self.split_action,
            Qt.Key.Key_C: self.comment_action,
            Qt.Key.Key_Escape: self.close_action,
        }
        self.table.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            action = self._table_keys.get(event.key())
            if action is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                action.trigger()
                return True
        return super().eventFilter(watched, event)

    # ---- opening -----------------------------------------------------------------------------------
    def open_document(self, document_id: int, translation_id: int | None = None) -> None:
        """Show the review of `document_id` with a translation, or suggestions to link one."""
        self.document_id = document_id
        translations = self.archive.translations(document_id)
        if not translations:
            self.review = None
            self._show_candidates()
            return
        self.review = Review.open(self.archive, document_id, translation_id or translations[0])
        self.translation_choice.clear()
        for other in translations:
            self.translation_choice.addItem(self.archive.get(other).title, other)
        self.translation_choice.setCurrentIndex(translations.index(self._other_side()))
        self.translation_choice.setVisible(len(translations) > 1)
        self.review_page.set_titles(*self.review.titles())
        self.pages.setCurrentWidget(self.review_page)
        self.reload()
        self.table.setFocus()

    def _other_side(self) -> int:
        assert self.review is not None
        return self.review.ar_id if self.document_id == self.review.en_id else self.review.en_id

    def _choose_translation(self, row: int) -> None:
        self.open_document(self.document_id, self.translation_choice.itemData(row))

    def reload(self, row: int | None = None, notice: str = "") -> None:
        """Read the pairs again (re-aligned, on the write thread, if either text changed); keep the place
        and, once they are shown, say `notice` under the table."""
        review = self.review
        if review is None:
            return
        row = self.current_row() if row is None else row

        def read(pairs: list[ReviewPair]) -> None:
            self._show_pairs(pairs, row, review)
            self._say(notice)

        self._write(review.pairs, read)

    def _show_pairs(self, pairs: list[ReviewPair], row: int, review: Review | None = None) -> None:
        if review is not None and review is not self.review:
            return  # another translation was chosen meanwhile
        self._loading = True
        try:
            self.model.set_pairs(pairs)
        finally:
            self._loading = False
        self.review_page.show_progress()
        self.table.resizeRowsToContents()
        if self.model.rowCount():
            self.select_row(min(max(row, 0), self.model.rowCount() - 1))
        self.pairs_shown.emit()

    def _show_candidates(self) -> None:
        self.link_page.show_candidates(self.document_id)
        self.pages.setCurrentWidget(self.link_page)

    def find_documents(self, query: str) -> None:
        """List on the linking page the documents a search finds (an id, a title, words); an empty query
        lists the finder's candidates again."""
        self.link_page.find_documents(query)

    def link_selected(self) -> None:
        """Link the document chosen on the linking page as this one's translation (on the write thread)."""
        other = self.link_page.chosen_document()
        if other is None:
            return
        archive, document_id = self.archive, self.document_id
        if shared_language(archive, document_id, other) is not None and not self.confirm_same_language(other):
            return

        def linked(_made: bool) -> None:
            self.changed.emit()
            self.open_document(document_id)

        self._write(lambda: link(archive, document_id, other), linked)

    def confirm_same_language(self, other: int) -> bool:
        """Whether the person means to link two documents in the same language (asked first)."""
        answer = QMessageBox.question(
            self,
            _("Link two documents in the same language?"),
            _(
                "“{first}” and “{second}” are in the same language, so one is unlikely to be the other's "
                "translation. Link them anyway?"
            ).format(
                first=isolated(self.archive.get(self.document_id).title),
                second=isolated(self.archive.get(other).title),
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    # ---- moving ------------------------------------------------------------------------------------
    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else 0

    def current_pair(self) -> ReviewPair | None:
        row = self.current_row()
        return self.model.pairs[row] if 0 <= row < len(self.model.pairs) else None

    def select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, EN_COLUMN)
        # One call for current and selection: QTableView.selectRow loses the current index in a mirrored view.
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def move(self, step: int) -> None:
        self.save_comment()
        self.select_row(self.current_row() + step)
        self.table.setFocus()

    def next_unreviewed(self) -> None:
        """Go to the next pair nobody has reviewed, after the current one (wrapping round)."""
        self.save_comment()
        count = self.model.rowCount()
        start = self.current_row()
        for step in range(1, count + 1):
            row = (start + step) % count
            if self.model.pairs[row].status == UNREVIEWED:
                self.select_row(row)
                self.table.setFocus()
                return
        self._say(_("Every pair has been reviewed."))

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.table.viewport().update()  # move the frame of the current pair
        if self._loading:
            return
        pair = self.current_pair()
        self.comment.blockSignals(True)
        self.comment.setText(pair.comment if pair else "")
        self.comment.blockSignals(False)
        rtl = paragraph_direction(self.comment.text(), ui_direction()) == Direction.RTL
        self.comment.setAlignment(
            (Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
            | Qt.AlignmentFlag.AlignAbsolute
        )

    # ---- reviewing ---------------------------------------------------------------------------------
    def set_status(self, status: str) -> None:
        """Set the current pair's status; approving moves on, needing revision asks for a comment.
        The view moves at once, so a run of A keys reviews a run of pairs while the writes follow."""
        pair, review = self.current_pair(), self.review
        if review is None or pair is None:
            return
        comment = self.comment.text()
        self._write(
            lambda: review.set_review(pair.position, status=status, comment=comment, expected=pair),
            self._pair_written,
        )
        if status == NEEDS_REVISION:
            self.comment.setFocus()
            self.comment.selectAll()
        elif status == APPROVED and pair.position + 1 < self.model.rowCount():
            self.move(1)

    def save_comment(self) -> None:
        pair, review = self.current_pair(), self.review
        if review is None or pair is None or self.comment.text().strip() == pair.comment:
            return
        comment = self.comment.text()
        self._write(
            lambda: review.set_review(pair.position, comment=comment, expected=pair), self._pair_written
        )

    def _pair_written(self, updated: ReviewPair) -> None:
        self.model.update_pair(updated)
        self.review_page.show_progress()
        self.changed.emit()

    def _comment_entered(self) -> None:
        self.save_comment()
        self.table.setFocus()

    def merge_with_next(self) -> None:
        self._change_pairs(lambda review, row: review.merge(row))

    def split_current(self) -> None:
        self._change_pairs(lambda review, row: review.split(row))

    def realign(self) -> None:
        self._change_pairs(lambda review, _row: review.realign())

    def _change_pairs(self, change) -> None:
        """Merge, split or re-align on the write thread; show the pairs it returns, at the same row."""
        review, row = self.review, self.current_row()
        if review is None:
            return

        def changed(pairs: list[ReviewPair]) -> None:
            self._show_pairs(pairs, row, review)
            self.changed.emit()

        self._write(lambda: change(review, row), changed)

    def _write(self, change: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        """Run one change on the session's write thread; a refusal is shown under the table, not raised."""

        def succeeded(result: Any) -> None:
            if not self._closed:
                self._say("")
                on_success(result)

        def failed(error: BaseException) -> None:
            if self._closed:  # the window has gone: the main window says it
                self.session.failed.emit(error)
            elif isinstance(error, AlignmentChanged):
                self.reload(
                    notice=_(
                        "One of the texts has changed, so the pairs were aligned again. Nothing was changed."
                    )
                )
            elif isinstance(error, ArchiveError):
                self._say(error_sentence(error, self.session.archive.path))
            else:
                self.session.failed.emit(error)

        self.session.write(change, succeeded, failed)

    def _say(self, message: str) -> None:
        self.notice.setText(message)

    def keyPressEvent(self, event) -> None:
        # Escape that no child took (the shortcut acts only in the active window) closes the window too.
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self.save_comment()  # a comment typed but not yet entered is kept, as when moving to another pair
        self._closed = True
        super().closeEvent(event)
