"""The facet sidebar: Events, Regions (nested) and Themes with counts for the current result."""

from __future__ import annotations

from qirtas.archive.archive import Archive
from qirtas.archive.models import FACETS
from qirtas.desktop.accessible import name_view
from qirtas.desktop.labels import count_text, facet_title, in_own_direction, tag_label
from qirtas.desktop.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPalette,
    QPushButton,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.i18n import _

TAG_ROLE = Qt.ItemDataRole.UserRole
FACET_ROLE = Qt.ItemDataRole.UserRole + 1


class FacetSidebar(QWidget):
    """Tick tags to narrow the table: several in one facet widen it (OR), facets combine (AND)."""

    selection_changed = Signal()

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self._items: dict[int, QTreeWidgetItem] = {}
        self._facet_items: dict[str, QTreeWidgetItem] = {}
        self._updating = False

        title = QLabel(_("Browse by"))
        title.setObjectName("sidebarTitle")
        self.clear_button = QPushButton(_("Clear"))
        self.clear_button.setToolTip(_("Show every document again (untick all tags)"))
        self.clear_button.clicked.connect(self.clear)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.clear_button)

        self.tree = QTreeWidget()
        name_view(self.tree, _("Tags to browse by"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(14)  # regions nest five deep: the names keep their room
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._item_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.tree)
        self.rebuild()

    # ---- the vocabulary ----------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Re-read the tags (after the vocabulary changed), keeping ticks and open branches."""
        selected = {tag_id for ids in self.selected().values() for tag_id in ids}
        first_time = not self._items
        expanded = {tag_id for tag_id, item in self._items.items() if item.isExpanded()}
        collapsed_facets = {f for f, item in self._facet_items.items() if not item.isExpanded()}
        self._updating = True
        self.tree.clear()
        self._items.clear()
        self._facet_items.clear()
        for facet in FACETS:
            facet_item = QTreeWidgetItem([facet_title(facet), ""])
            facet_item.setData(0, FACET_ROLE, facet)
            font = facet_item.font(0)
            font.setBold(True)
            facet_item.setFont(0, font)
            facet_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(facet_item)
            self._facet_items[facet] = facet_item
            tags = sorted(self.archive.tags(facet), key=lambda tag: tag_label(tag).casefold())
            known = {tag.id for tag in tags}
            for tag in tags:
                item = QTreeWidgetItem([in_own_direction(tag_label(tag)), ""])
                item.setData(0, TAG_ROLE, tag.id)
                item.setToolTip(0, " — ".join(n for n in (tag.name_en, tag.name_ar) if n))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    0, Qt.CheckState.Checked if tag.id in selected else Qt.CheckState.Unchecked
                )
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
                self._items[tag.id] = item
            for tag in tags:
                item = self._items[tag.id]
                parent = self._items.get(tag.parent_id) if tag.parent_id in known else None
                (parent or facet_item).addChild(item)
            facet_item.setExpanded(facet not in collapsed_facets)
        if first_time:  # open the region tree a few levels, so the nesting shows
            self._expand(self._facet_items["region"], levels=6)
        for tag_id in expanded:
            if tag_id in self._items:
                self._items[tag_id].setExpanded(True)
        self._updating = False

    def _expand(self, item: QTreeWidgetItem, levels: int) -> None:
        if levels <= 0:
            return
        item.setExpanded(True)
        for index in range(item.childCount()):
            self._expand(item.child(index), levels - 1)

    def set_counts(self, counts: dict[int, int]) -> None:
        """Show how many documents of the current result carry each tag; empty ones are greyed."""
        self._updating = True
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        normal = self.palette().color(QPalette.ColorRole.Text)
        for tag_id, item in self._items.items():
            count = counts.get(tag_id, 0)
            item.setText(1, count_text(count) if count else "")
            colour = normal if count or item.checkState(0) == Qt.CheckState.Checked else muted
            item.setForeground(0, colour)
        selected = self.selected()
        for facet, facet_item in self._facet_items.items():
            ticked = len(selected[facet])
            facet_item.setText(1, _("{count} ticked").format(count=count_text(ticked)) if ticked else "")
        self._updating = False

    # ---- ticking -----------------------------------------------------------------------------------
    def selected(self) -> dict[str, list[int]]:
        chosen: dict[str, list[int]] = {facet: [] for facet in FACETS}
        iterator = QTreeWidgetItemIterator(self.tree)
        while item := iterator.value():
            tag_id = item.data(0, TAG_ROLE)
            if tag_id is not None and item.checkState(0) == Qt.CheckState.Checked:
                chosen[self._facet_of(item)].append(tag_id)
            iterator += 1
        return chosen

    def set_checked(self, tag_id: int, checked: bool = True) -> None:
        item = self._items.get(tag_id)
        if item is not None:
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def item_for(self, tag_id: int) -> QTreeWidgetItem | None:
        return self._items.get(tag_id)

    def clear(self) -> None:
        self._updating = True
        for item in self._items.values():
            item.setCheckState(0, Qt.CheckState.Unchecked)
        self._updating = False
        self.selection_changed.emit()

    def _facet_of(self, item: QTreeWidgetItem) -> str:
        while item.parent() is not None:
            item = item.parent()
        return item.data(0, FACET_ROLE)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if not self._updating and column == 0 and item.data(0, TAG_ROLE) is not None:
            self.selection_changed.emit()
