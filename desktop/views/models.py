"""The document table: one lazy model over the ids of the current result, with a small row cache.

Like Anki's browser table and calibre's library view, the model holds only ordered ids; rows are
loaded a page at a time (three queries per page) when the view asks for them.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qirtas.archive.archive import Archive, DocumentFilter
from qirtas.archive.models import FACETS
from qirtas.archive.vocabulary import document_tag_ids
from qirtas.desktop.jobs.session import TagIndex
from qirtas.desktop.labels import (
    date_text,
    document_language_name,
    in_own_direction,
    joined,
    status_name,
    tag_label,
)
from qirtas.desktop.qt import QAbstractTableModel, QModelIndex, Qt, Signal
from qirtas.i18n import N_, _
from qirtas.i18n.script import Direction, paragraph_direction

PAGE_SIZE = 60  # a screenful or two: a jump far down the table loads only what is shown
CACHE_ROWS = 2_000
ID_ROLE = Qt.ItemDataRole.UserRole
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ID = ID_ROLE.value
_ANSWERED = frozenset((_DISPLAY, _ALIGNMENT, _TOOLTIP, _ID))


@dataclass(frozen=True)
class DocumentRow:
    """What one table row shows, loaded once per page."""

    id: int
    title: str
    date: dt.date | None
    language: str
    status: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # marked with N_, translated when shown
    sort_key: str | None  # the Document field the archive orders by; None: not sortable
    display: Callable[[DocumentRow], str]


COLUMNS: tuple[Column, ...] = (
    Column("title", N_("Title"), "title", lambda row: in_own_direction(row.title)),
    Column("date", N_("Date"), "date", lambda row: date_text(row.date)),
    Column("language", N_("Language"), "language", lambda row: document_language_name(row.language)),
    Column("status", N_("Status"), "status", lambda row: status_name(row.status)),
    Column("tags", N_("Tags"), None, lambda row: in_own_direction(joined(row.tags))),
)


def _alignment(row: DocumentRow, column: Column):
    """Titles and tags sit on their own reading side; other columns follow the layout."""
    if column.key not in ("title", "tags"):
        return None
    text = row.title if column.key == "title" else " ".join(row.tags)
    rtl = paragraph_direction(text) == Direction.RTL
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter


class DocumentTableModel(QAbstractTableModel):
    """Rows are the ids of the current result; `sort_requested` asks the owner to re-order them."""

    sort_requested = Signal(object, bool)  # sort key (None: natural order) and descending

    def __init__(self, archive: Archive, tags: TagIndex, parent=None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.tags = tags
        self._ids: list[int] = []
        # id → (row, its cells as shown, their alignments)
        self._rows: OrderedDict[int, tuple[DocumentRow, tuple[str, ...], tuple[object, ...]]] = OrderedDict()

    # ---- the result -----------------------------------------------------------------------------
    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._rows.clear()
        self.endResetModel()

    def append_ids(self, ids: Sequence[int]) -> None:
        """More rows of the same result, after those already shown."""
        if ids:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
            self._ids.extend(ids)
            self.endInsertRows()

    def ids(self) -> list[int]:
        return self._ids

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, document_id: int) -> int | None:
        try:
            return self._ids.index(document_id)
        except ValueError:
            return None

    def invalidate(self, document_ids: Sequence[int] | None = None) -> None:
        """Forget cached rows (all, or those of some documents) so they are read again."""
        if document_ids is None:
            self._rows.clear()
        else:
            for document_id in document_ids:
                self._rows.pop(document_id, None)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    # ---- loading --------------------------------------------------------------------------------
    def _row(self, row: int) -> tuple[DocumentRow, tuple[str, ...], tuple[object, ...]] | None:
        document_id = self._ids[row]
        cached = self._rows.get(document_id)
        if cached is None:
            self._load_page(row - row % PAGE_SIZE)
            cached = self._rows.get(document_id)
        else:
            self._rows.move_to_end(document_id)
        return cached

    def _load_page(self, start: int) -> None:
        page = [i for i in self._ids[start : start + PAGE_SIZE] if i not in self._rows]
        if not page:
            return
        _total, documents = self.archive.list_documents(DocumentFilter(ids=page))
        tag_ids = document_tag_ids(self.archive, page)
        for document in documents:
            tags = [tag for tag in map(self.tags.get, tag_ids.get(document.id, [])) if tag is not None]
            tags.sort(key=lambda tag: (FACETS.index(tag.facet), tag_label(tag).casefold()))
            row = DocumentRow(
                id=document.id,
                title=document.title,
                date=document.date,
                language=document.language,
                status=document.status,
                tags=tuple(tag_label(tag) for tag in tags),
            )
            # Each converter runs once per loaded row, not on every paint.
            cells = tuple(column.display(row) for column in COLUMNS)
            alignments = tuple(_alignment(row, column) for column in COLUMNS)
            self._rows[document.id] = (row, cells, alignments)
        while len(self._rows) > CACHE_ROWS:
            self._rows.popitem(last=False)

    # ---- Qt model -------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section].title)
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        # Called for every role of every visible cell on each paint: plain int tests first.
        if role not in _ANSWERED:
            return None
        row_number = index.row()
        if row_number < 0 or row_number >= len(self._ids):
            return None
        if role == _ID:
            return self._ids[row_number]
        loaded = self._rows.get(self._ids[row_number]) or self._row(row_number)
        if loaded is None:  # deleted since the result was computed
            return _("(deleted)") if role == _DISPLAY else None
        row, cells, alignments = loaded
        column = index.column()
        if role == _DISPLAY:
            return cells[column]
        if role == _ALIGNMENT:
            return alignments[column]
        return row.title if column == 0 else None  # tooltip: the whole title

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort_key = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else None
        self.sort_requested.emit(sort_key, order == Qt.SortOrder.DescendingOrder)
