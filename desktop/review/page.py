"""The review page: both titles, the progress, the pair table, the comment line, the buttons and a notice.
Widgets and layout only; the window connects them to what they do."""

from __future__ import annotations

from qirtas.archive.bilingual import progress_of
from qirtas.desktop.accessible import name_view
from qirtas.desktop.fonts import ARABIC_READING_FAMILIES, LATIN_READING_FAMILIES
from qirtas.desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from qirtas.desktop.review.pairs import (
    AR_COLUMN,
    ARABIC_SCALE,
    EN_COLUMN,
    READING_POINT_SIZE,
    STATUS_COLUMN,
    OwnDirectionDelegate,
    PairTableModel,
    reading_font,
)
from qirtas.i18n import _
from qirtas.i18n.formatting import format_count, format_percent
from qirtas.i18n.script import Direction, paragraph_direction


class ReviewPage(QWidget):
    """What the review of one document and its translation shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.en_title = QLabel()
        self.ar_title = QLabel()
        for label in (self.en_title, self.ar_title):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.en_title.setFont(reading_font(LATIN_READING_FAMILIES, READING_POINT_SIZE + 2))
        self.ar_title.setFont(reading_font(ARABIC_READING_FAMILIES, (READING_POINT_SIZE + 2) * ARABIC_SCALE))
        self.translation_choice = QComboBox()
        self.translation_choice.setAccessibleName(_("Translation to review"))
        self.translation_choice.setVisible(False)
        titles = QHBoxLayout()
        titles.addWidget(self.en_title, 1)
        titles.addWidget(self.translation_choice)
        titles.addWidget(self.ar_title, 1)

        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.progress_label = QLabel()

        self.model = PairTableModel(self)
        self.table = self._build_table()

        self.comment = QLineEdit()
        self.comment.setAccessibleName(_("Comment on this pair"))
        self.comment.setPlaceholderText(_("Comment on this pair (Enter saves it)"))

        self.approve_button = QPushButton(_("Approve (A)"))
        self.revise_button = QPushButton(_("Needs revision (R)"))
        self.next_unreviewed_button = QPushButton(_("Next unreviewed (N)"))
        self.merge_button = QPushButton(_("Merge with next (M)"))
        self.split_button = QPushButton(_("Split (S)"))
        self.realign_button = QPushButton(_("Re-align"))
        self.export_button = QPushButton(_("Export report…"))
        self.memory_button = QPushButton(_("Translation memory"))
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

        layout = QVBoxLayout(self)
        layout.addLayout(titles)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.progress_label)
        layout.addLayout(progress_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.comment)
        layout.addLayout(buttons)
        layout.addWidget(self.notice)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        name_view(table, _("Aligned pairs"))
        table.setItemDelegate(OwnDirectionDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setWordWrap(True)
        table.setAlternatingRowColors(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(EN_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AR_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        # Row heights follow the wrapped text; measured again when the columns change width.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._heights_timer = QTimer(self)
        self._heights_timer.setSingleShot(True)
        self._heights_timer.setInterval(0)
        self._heights_timer.timeout.connect(table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_args: self._heights_timer.start())
        return table

    def set_titles(self, en_title: str, ar_title: str) -> None:
        """Each title in its own direction, whatever side it is on."""
        for label, text in ((self.en_title, en_title), (self.ar_title, ar_title)):
            rtl = paragraph_direction(text) == Direction.RTL
            side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
            label.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
            label.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
            )
            label.setText(text)

    def show_progress(self) -> None:
        """The bar and the sentence for the pairs the table holds."""
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
