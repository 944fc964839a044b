"""The main window's document table: a view over DocumentTableModel whose columns fit without scrolling."""

from __future__ import annotations

import datetime as dt

from qirtas.desktop.accessible import name_view
from qirtas.desktop.labels import STATUS_NAMES, date_text, document_language_name, status_name
from qirtas.desktop.qt import QAbstractItemView, QHeaderView, Qt, QTableView
from qirtas.desktop.views.models import COLUMNS, DocumentTableModel
from qirtas.i18n import _

DOCUMENT_LANGUAGES = ("en", "ar", "fr", "es", "ru", "zh", "fa", "ur", "mixed", "und")  # the column's width
CELL_PADDING = 16  # the item's text margins and a little air
TAGS_CHARACTERS = 12  # the tags column starts this many average characters wide


def build_document_table(model: DocumentTableModel) -> QTableView:
    table = QTableView()
    name_view(table, _("Documents"))
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.verticalHeader().hide()
    # Fixed row heights: the view never measures 100,000 rows.
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.setAlternatingRowColors(True)
    fit_columns(table)
    return table


def column_samples(key: str) -> list[str]:
    """Every text a short column can show: its width is known without reading a single row."""
    if key == "date":
        return [date_text(dt.date(2026, month, 28)) for month in range(1, 13)]
    if key == "language":
        return [document_language_name(code) for code in DOCUMENT_LANGUAGES]
    if key == "status":
        return [status_name(status) for status in STATUS_NAMES]
    return []


def fit_columns(table: QTableView, keep_tags_width: bool = False) -> None:
    """The title stretches; date, language and status are as wide as their widest value; tags between.

    Like ResizeToContents, but measured on the values a column can hold rather than on the rows, which
    ResizeToContents would read by the thousand. Also called after the header's saved state is restored,
    which brings back the modes and widths of another session (and perhaps of the other language).
    """
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    metrics = table.fontMetrics()
    for index, column in enumerate(COLUMNS):
        samples = column_samples(column.key)
        if column.key == "title":
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Stretch)
        elif samples:
            widest = max(metrics.horizontalAdvance(text) for text in samples) + CELL_PADDING
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(index, max(widest, header.sectionSizeHint(index)))
        else:  # tags: the person may widen it; the title gives way
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
            if not keep_tags_width:
                width = metrics.averageCharWidth() * TAGS_CHARACTERS
                header.resizeSection(index, max(header.sectionSizeHint(index), width))
