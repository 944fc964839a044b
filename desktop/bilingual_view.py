"""Side-by-side review of a document and its translation: one row per aligned pair, driven by the keyboard.

English on the left and Arabic on the right (mirrored with the Arabic UI), each cell in its own direction
and font; both sides share one row, so they scroll in step and the current pair is highlighted on both.
Keys: A approve, R needs revision (then type the comment, Enter), U unreviewed, N next unreviewed,
J / ↓ next pair, K / ↑ previous pair, M merge with the next pair, S split, Escape closes.
Every change (and the alignment itself, which reading the pairs may store) runs on the session's write
thread: the view moves on at once and shows the result when the write returns.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qirtas.archive.archive import ArchiveError, DocumentFilter
from qirtas.archive.bilingual import (
    APPROVED,
    NEEDS_REVISION,
    UNREVIEWED,
    AlignmentChanged,
    Review,
    link,
    progress_of,
    shared_language,
)
from qirtas.archive.models import ReviewPair
from qirtas.archive.review_report import ReviewReport, build_report, record_report, write_csv
from qirtas.archive.translation_candidates import Candidate, candidates
from qirtas.archive.translation_memory import ImportReport, export_tmx, export_xliff, import_review
from qirtas.desktop.accessible import name_view
from qirtas.desktop.errors import error_sentence
from qirtas.desktop.fonts import ARABIC_READING_FAMILIES, LATIN_READING_FAMILIES, register_fonts
from qirtas.desktop.labels import isolated, isolated_code
from qirtas.desktop.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QAbstractTextDocumentLayout,
    QAction,
    QApplication,
    QColor,
    QComboBox,
    QEvent,
    QFileDialog,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QItemSelectionModel,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QModelIndex,
    QPalette,
    QPen,
    QProgressBar,
    QPushButton,
    QSize,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableView,
    QTextDocument,
    QTextOption,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.desktop.review_report_pdf import STATUS_LABELS, render_pdf
from qirtas.desktop.session import Session
from qirtas.i18n import _, current_language, ngettext
from qirtas.i18n.formatting import format_count, format_date, format_number, format_percent
from qirtas.i18n.script import Direction, paragraph_direction

EN_COLUMN, AR_COLUMN, STATUS_COLUMN = range(3)
DIRECTION_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_COLOURS = {
    UNREVIEWED: None,
    APPROVED: QColor("#e3f4e1"),
    NEEDS_REVISION: QColor("#fdebd0"),
}
CURRENT_FRAME = QColor("#1565c0")
CELL_MARGIN = 6  # pixels around a cell's text (the style's margins, with room to spare)
READING_POINT_SIZE = 11.0
ARABIC_SCALE = 1.3  # Amiri sits small on the line; this reads like the Latin size


def _reading_font(families: list[str], point_size: float) -> QFont:
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(point_size)
    return font


class PairTableModel(QAbstractTableModel):
    """The aligned pairs of one review, one row each: English text, Arabic text, status."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pairs: list[ReviewPair] = []
        self.latin_font = _reading_font(LATIN_READING_FAMILIES, READING_POINT_SIZE)
        self.arabic_font = _reading_font(ARABIC_READING_FAMILIES, READING_POINT_SIZE * ARABIC_SCALE)

    def set_pairs(self, pairs: list[ReviewPair]) -> None:
        self.beginResetModel()
        self.pairs = pairs
        self.endResetModel()

    def update_pair(self, pair: ReviewPair) -> None:  # a status or comment: the texts are unchanged
        position = pair.position
        if position >= len(self.pairs) or self.pairs[position].en_text != pair.en_text:
            return  # the pairs were read again meanwhile (a merge, a split): they already hold it
        self.pairs[position] = pair
        self.dataChanged.emit(self.index(pair.position, 0), self.index(pair.position, STATUS_COLUMN))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.pairs)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return format_count(section + 1)
        return (_("English"), _("Arabic"), _("Status"))[section]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.pairs):
            return None
        pair = self.pairs[index.row()]
        column = index.column()
        text = (pair.en_text, pair.ar_text, "")[column] if column != STATUS_COLUMN else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if column == STATUS_COLUMN:
                return _(STATUS_LABELS[pair.status])
            return text
        if role == DIRECTION_ROLE:
            fallback = Direction.RTL if column == AR_COLUMN else Direction.LTR
            if column == STATUS_COLUMN:
                fallback = Direction.RTL if current_language() == "ar" else Direction.LTR
                return fallback
            return paragraph_direction(text, fallback)
        if role == Qt.ItemDataRole.FontRole and column != STATUS_COLUMN:
            rtl = paragraph_direction(text, Direction.RTL if column == AR_COLUMN else Direction.LTR)
            return self.arabic_font if rtl == Direction.RTL else self.latin_font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == STATUS_COLUMN:
                return int(Qt.AlignmentFlag.AlignCenter)
            rtl = self.data(index, DIRECTION_ROLE) == Direction.RTL
            side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_COLOURS.get(pair.status)
        if role == Qt.ItemDataRole.ToolTipRole and pair.comment:
            return pair.comment
        return None


class OwnDirectionDelegate(QStyledItemDelegate):
    """Lays each text out in its own direction and font (Arabic right to left) whatever the view's
    direction, whole (the style's item painting elides Amiri lines it measures a hair too wide), and
    frames the current pair on both sides, focused or not."""

    def _layout(self, index, font: QFont, width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(index.data(Qt.ItemDataRole.FontRole) or font)
        rtl = index.data(DIRECTION_ROLE) == Direction.RTL
        text_option = QTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        text_option.setTextDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        text_option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
        document.setDefaultTextOption(text_option)
        document.setPlainText(index.data() or "")
        document.setTextWidth(max(width - 2 * CELL_MARGIN, 40))
        return document

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        view = self.parent()
        if view is None or index.column() == STATUS_COLUMN or not index.data():
            return size
        layout = self._layout(index, option.font, view.columnWidth(index.column()))
        return QSize(size.width(), max(size.height(), math.ceil(layout.size().height()) + 2 * CELL_MARGIN))

    def paint(self, painter, option, index) -> None:
        if index.column() == STATUS_COLUMN:
            super().paint(painter, option, index)
        else:
            item = QStyleOptionViewItem(option)
            self.initStyleOption(item, index)
            item.text = ""  # background, selection and focus from the style; the text drawn below
            style = item.widget.style() if item.widget else QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
            layout = self._layout(index, option.font, option.rect.width())
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            context = QAbstractTextDocumentLayout.PaintContext()
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
            painter.save()
            painter.translate(option.rect.left() + CELL_MARGIN, option.rect.top() + CELL_MARGIN)
            painter.setClipRect(0, 0, option.rect.width() - CELL_MARGIN, option.rect.height() - CELL_MARGIN)
            layout.documentLayout().draw(painter, context)
            painter.restore()
        view = self.parent()
        if view is not None and view.currentIndex().row() == index.row():
            painter.save()
            pen = QPen(CURRENT_FRAME)
            pen.setWidth(3)
            painter.setPen(pen)
            rect = option.rect.adjusted(1, 1, -2, -2)
            painter.drawLine(rect.topLeft(), rect.topRight())
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            painter.restore()

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        direction = index.data(DIRECTION_ROLE)
        if direction is not None:
            option.direction = (
                Qt.LayoutDirection.RightToLeft
                if direction == Direction.RTL
                else Qt.LayoutDirection.LeftToRight
            )


class BilingualView(QWidget):
    """Review a document and its translation pair by pair. `document_id` may be either side."""

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
        self.review_page = self._build_review_page()
        self.link_page = self._build_link_page()
        self.pages.addWidget(self.review_page)
        self.pages.addWidget(self.link_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._build_actions()
        self.open_document(document_id)

    # ---- building ----------------------------------------------------------------------------------
    def _build_review_page(self) -> QWidget:
        page = QWidget()
        self.en_title = QLabel()
        self.ar_title = QLabel()
        for label in (self.en_title, self.ar_title):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.en_title.setFont(_reading_font(LATIN_READING_FAMILIES, READING_POINT_SIZE + 2))
        self.ar_title.setFont(_reading_font(ARABIC_READING_FAMILIES, (READING_POINT_SIZE + 2) * ARABIC_SCALE))
        self.translation_choice = QComboBox()
        self.translation_choice.setAccessibleName(_("Translation to review"))
        self.translation_choice.setVisible(False)
        self.translation_choice.activated.connect(self._choose_translation)
        titles = QHBoxLayout()
        titles.addWidget(self.en_title, 1)
        titles.addWidget(self.translation_choice)
        titles.addWidget(self.ar_title, 1)

        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.progress_label = QLabel()

        self.model = PairTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        name_view(self.table, _("Aligned pairs"))
        self.table.setItemDelegate(OwnDirectionDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(EN_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AR_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        # Row heights follow the wrapped text; measured again when the columns change width.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._heights_timer = QTimer(self)
        self._heights_timer.setSingleShot(True)
        self._heights_timer.setInterval(0)
        self._heights_timer.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_args: self._heights_timer.start())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.comment = QLineEdit()
        self.comment.setAccessibleName(_("Comment on this pair"))
        self.comment.setPlaceholderText(_("Comment on this pair (Enter saves it)"))
        self.comment.returnPressed.connect(self._comment_entered)
        self.comment.editingFinished.connect(self.save_comment)

        self.approve_button = QPushButton(_("Approve (A)"))
        self.revise_button = QPushButton(_("Needs revision (R)"))
        self.next_unreviewed_button = QPushButton(_("Next unreviewed (N)"))
        self.merge_button = QPushButton(_("Merge with next (M)"))
        self.split_button = QPushButton(_("Split (S)"))
        self.realign_button = QPushButton(_("Re-align"))
        self.export_button = QPushButton(_("Export report…"))
        self.memory_button = QPushButton(_("Translation memory"))
        self.memory_button.setMenu(self._build_memory_menu())
        self.approve_button.clicked.connect(lambda: self.set_status(APPROVED))
        self.revise_button.clicked.connect(lambda: self.set_status(NEEDS_REVISION))
        self.next_unreviewed_button.clicked.connect(self.next_unreviewed)
        self.merge_button.clicked.connect(self.merge_with_next)
        self.split_button.clicked.connect(self.split_current)
        self.realign_button.clicked.connect(self.realign)
        self.export_button.clicked.connect(self._ask_export)
        for button in (
            self.approve_button,
            self.revise_button,
            self.next_unreviewed_button,
            self.merge_button,
            self.split_button,
            self.realign_button,
            self.export_button,
            self.memory_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys keep going to the table
        # Reviewing on the first row; correcting the alignment and the deliverables on the second, so the
        # window still fits a small screen.
        buttons = QVBoxLayout()
        review_row, output_row = QHBoxLayout(), QHBoxLayout()
        for button in (self.approve_button, self.revise_button, self.next_unreviewed_button):
            review_row.addWidget(button)
        review_row.addStretch(1)
        for button in (self.merge_button, self.split_button, self.realign_button):
            output_row.addWidget(button)
        output_row.addStretch(1)
        for button in (self.export_button, self.memory_button):
            output_row.addWidget(button)
        buttons.addLayout(review_row)
        buttons.addLayout(output_row)
        self.notice = QLabel()
        self.notice.setWordWrap(True)

        layout = QVBoxLayout(page)
        layout.addLayout(titles)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.progress_label)
        layout.addLayout(progress_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.comment)
        layout.addLayout(buttons)
        layout.addWidget(self.notice)
        return page

    def _build_memory_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(_("Export approved pairs as TMX…"), lambda: self._ask_memory_export("tmx", False))
        menu.addAction(_("Export all pairs as TMX…"), lambda: self._ask_memory_export("tmx", True))
        menu.addAction(_("Export for review as XLIFF 2.0…"), lambda: self._ask_memory_export("xliff", True))
        menu.addSeparator()
        menu.addAction(_("Import statuses and comments from TMX or XLIFF…"), self._ask_memory_import)
        return menu

    def _build_link_page(self) -> QWidget:
        page = QWidget()
        self.link_intro = QLabel()
        self.link_intro.setWordWrap(True)
        self.link_search = QLineEdit()
        self.link_search.setAccessibleName(_("Find a document to link"))
        self.link_search.setPlaceholderText(_("Find any document by title, id or words (Enter)"))
        self.link_search.setClearButtonEnabled(True)
        self.link_search.returnPressed.connect(lambda: self.find_documents(self.link_search.text()))
        self.candidate_list = QListWidget()
        name_view(self.candidate_list, _("Possible translations"))
        self.candidate_list.itemActivated.connect(lambda _item: self.link_selected())
        self.link_button = QPushButton(_("Link as translation"))
        self.link_button.clicked.connect(self.link_selected)
        layout = QVBoxLayout(page)
        layout.addWidget(self.link_intro)
        layout.addWidget(self.link_search)
        layout.addWidget(self.candidate_list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.link_button)
        layout.addLayout(row)
        return page

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
        en_title, ar_title = self.review.titles()
        self._set_title(self.en_title, en_title)
        self._set_title(self.ar_title, ar_title)
        self.pages.setCurrentWidget(self.review_page)
        self.reload()
        self.table.setFocus()

    def _other_side(self) -> int:
        assert self.review is not None
        return self.review.ar_id if self.document_id == self.review.en_id else self.review.en_id

    def _choose_translation(self, row: int) -> None:
        self.open_document(self.document_id, self.translation_choice.itemData(row))

    @staticmethod
    def _set_title(label: QLabel, text: str) -> None:
        rtl = paragraph_direction(text) == Direction.RTL
        side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        label.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        label.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        label.setText(text)

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
        self._update_progress()
        self.table.resizeRowsToContents()
        if self.model.rowCount():
            self.select_row(min(max(row, 0), self.model.rowCount() - 1))
        self.pairs_shown.emit()

    def _show_candidates(self) -> None:
        document = self.archive.get(self.document_id)
        found: list[Candidate] = candidates(self.archive, self.document_id)
        self._list_documents([(c.id, c) for c in found])
        if found:
            intro = _("“{title}” has no linked translation yet. These documents may be its translation:")
        else:
            intro = _("“{title}” has no linked translation, and no document in the archive looks like one.")
        self.link_intro.setText(intro.format(title=isolated(document.title)))
        self.link_search.clear()
        self.pages.setCurrentWidget(self.link_page)

    def find_documents(self, query: str) -> None:
        """List the documents a search finds (an id, a title, words), any of them can be linked; an empty
        query lists the finder's candidates again."""
        query = query.strip()
        if not query:
            self._list_documents([(c.id, c) for c in candidates(self.archive, self.document_id)])
            return
        ids: list[int] = []
        number = query.lstrip("#")
        if number.isdigit() and self.archive.document_ids(DocumentFilter(ids=[int(number)])):
            ids.append(int(number))
        ids += [i for i in self.archive.search_ids(query)[:50] if i not in ids]
        scores = {c.id: c for c in candidates(self.archive, self.document_id)}
        self._list_documents([(i, scores.get(i)) for i in ids if i != self.document_id])

    def _list_documents(self, rows: list[tuple[int, Candidate | None]]) -> None:
        """One item per document: its title, then id, date, language, file name and the evidence score."""
        self.candidate_list.clear()
        for document_id, candidate in rows:
            document = self.archive.get(document_id)
            details = [
                f"#{document.id}",
                format_date(document.date, format="medium") if document.date else "—",
                document.language,
                document.source_name or "—",
            ]
            if candidate is not None:
                details.append(_("score {score}").format(score=format_number(round(candidate.score, 1))))
            # Isolated in the UI's direction: after an Arabic title, "#6" would otherwise read "6#".
            isolate = "\u2067" if self._ui_direction() == Direction.RTL else "\u2066"
            item = QListWidgetItem(f"{document.title}\n{isolate}{' · '.join(details)}\u2069")
            item.setData(Qt.ItemDataRole.UserRole, document.id)
            if candidate is not None:
                item.setToolTip(self._evidence_text(candidate))
            rtl = paragraph_direction(document.title) == Direction.RTL
            item.setTextAlignment(
                (Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignAbsolute
            )
            self.candidate_list.addItem(item)
        if rows:
            self.candidate_list.setCurrentRow(0)
        self.link_button.setEnabled(bool(rows))

    @staticmethod
    def _evidence_text(candidate: Candidate) -> str:
        names = {
            "document_date": _("same date"),
            "date": _("dates"),
            "number": _("numbers"),
            "name": _("names"),
            "latin": _("words kept in Latin script"),
            "tag": _("tags"),
        }
        return "\n".join(
            f"{names.get(kind, kind)}: {', '.join(values)}" for kind, values in candidate.evidence.items()
        )

    def link_selected(self) -> None:
        item = self.candidate_list.currentItem()
        if item is None:
            return
        archive, document_id, other = self.archive, self.document_id, item.data(Qt.ItemDataRole.UserRole)
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
        rtl = paragraph_direction(self.comment.text(), self._ui_direction()) == Direction.RTL
        self.comment.setAlignment(
            (Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
            | Qt.AlignmentFlag.AlignAbsolute
        )

    @staticmethod
    def _ui_direction() -> Direction:
        return Direction.RTL if current_language() == "ar" else Direction.LTR

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
        self._update_progress()
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
                self._say(error_sentence(error))
            else:
                self.session.failed.emit(error)

        self.session.write(change, succeeded, failed)

    def _say(self, message: str) -> None:
        self.notice.setText(message)

    def _update_progress(self) -> None:
        progress = progress_of(self.model.pairs)
        self.progress_bar.setRange(0, max(progress.total, 1))
        self.progress_bar.setValue(progress.reviewed)
        self.progress_bar.setFormat(format_percent(progress.percent / 100))
        self.progress_label.setText(
            _("{reviewed} of {total} pairs reviewed: {approved} approved, {revision} need revision").format(
                reviewed=format_count(progress.reviewed),
                total=format_count(progress.total),
                approved=format_count(progress.approved),
                revision=format_count(progress.needs_revision),
            )
        )

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
