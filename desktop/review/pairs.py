"""The review's pair table: one row per aligned pair (English, Arabic, status), each text laid out whole in
its own direction and font, the current pair framed on both sides."""

from __future__ import annotations

import math

from qirtas.archive.bilingual import APPROVED, NEEDS_REVISION, UNREVIEWED
from qirtas.archive.models import ReviewPair
from qirtas.desktop.fonts import ARABIC_READING_FAMILIES, LATIN_READING_FAMILIES
from qirtas.desktop.qt import (
    QAbstractTableModel,
    QAbstractTextDocumentLayout,
    QApplication,
    QColor,
    QFont,
    QModelIndex,
    QPalette,
    QPen,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTextDocument,
    QTextOption,
)
from qirtas.desktop.review_report_pdf import STATUS_LABELS
from qirtas.i18n import _, current_language
from qirtas.i18n.formatting import format_count
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


def reading_font(families: list[str], point_size: float) -> QFont:
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(point_size)
    return font


class PairTableModel(QAbstractTableModel):
    """The aligned pairs of one review, one row each: English text, Arabic text, status."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pairs: list[ReviewPair] = []
        self.latin_font = reading_font(LATIN_READING_FAMILIES, READING_POINT_SIZE)
        self.arabic_font = reading_font(ARABIC_READING_FAMILIES, READING_POINT_SIZE * ARABIC_SCALE)

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
