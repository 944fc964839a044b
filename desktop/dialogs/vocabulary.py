"""The vocabulary manager: rename, merge, move a region under another, delete (saying what it touches)."""

from __future__ import annotations

from qirtas.archive import vocabulary
from qirtas.archive.models import FACETS, Tag
from qirtas.desktop.accessible import name_form_fields, name_view
from qirtas.desktop.jobs.session import Session
from qirtas.desktop.labels import (
    count_text,
    facet_title,
    in_own_direction,
    isolated,
    tag_both_names,
    tag_label,
)
from qirtas.desktop.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qirtas.i18n import _, ngettext
from qirtas.i18n.script import shows_a_name

TAG_ROLE = Qt.ItemDataRole.UserRole


def merge_prompt(tag) -> str:
    return _("Merge “{name}” into:").format(name=isolated(tag_label(tag)))


def move_prompt(tag) -> str:
    return _("Place “{name}” inside:").format(name=isolated(tag_label(tag)))


def delete_question(tag, touched: int) -> str:
    return ngettext(
        "Delete the tag “{name}”? It is removed from {count} document; the document itself stays.",
        "Delete the tag “{name}”? It is removed from {count} documents; the documents themselves stay.",
        touched,
    ).format(name=isolated(tag_label(tag)), count=count_text(touched))


class RenameDialog(QDialog):
    def __init__(self, tag: Tag, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Rename tag"))
        self.name_en = QLineEdit(tag.name_en)
        self.name_ar = QLineEdit(tag.name_ar)
        self.name_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        form = QFormLayout()
        form.addRow(_("English name:"), self.name_en)
        form.addRow(_("Arabic name:"), self.name_ar)
        name_form_fields(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_en.textChanged.connect(self._validate)
        self.name_ar.textChanged.connect(self._validate)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._validate()

    def _validate(self) -> None:
        # rename_tag refuses such names too; here OK says so before anything is sent.
        ok = shows_a_name(self.name_en.text(), self.name_ar.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


class VocabularyManager(QDialog):
    """Every tag by facet, with the number of documents carrying it directly and, for a region, with the
    places inside it (World counts every document tagged with a country)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Vocabulary"))
        self.resize(720, 520)
        self.tree = QTreeWidget()
        name_view(self.tree, _("Tags"))
        self.tree.setHeaderLabels([_("English"), _("Arabic"), _("Tagged directly"), _("With places inside")])
        header_item = self.tree.headerItem()
        header_item.setToolTip(2, _("Documents that carry this tag itself"))
        header_item.setToolTip(
            3,
            _(
                "Documents that carry this region or a place inside it, each counted once (as the sidebar counts)"
            ),
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.rename_button = QPushButton(_("Rename…"))
        self.merge_button = QPushButton(_("Merge into…"))
        self.move_button = QPushButton(_("Move under…"))
        self.delete_button = QPushButton(_("Delete…"))
        self.rename_button.clicked.connect(self.rename)
        self.merge_button.clicked.connect(self.merge)
        self.move_button.clicked.connect(self.move)
        self.delete_button.clicked.connect(self.delete)
        buttons = QVBoxLayout()
        for button in (self.rename_button, self.merge_button, self.move_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.tree, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        session.vocabulary_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        current = self.current_tag()
        current_id = current.id if current else None
        archive = self.session.archive
        counts = archive.facet_counts(None)
        with_inside = archive.facet_counts(None, include_descendants=True)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for facet in FACETS:
            facet_item = QTreeWidgetItem([facet_title(facet)])
            facet_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(facet_item)
            tags = sorted(archive.tags(facet), key=lambda tag: tag_label(tag).casefold())
            for tag in tags:
                item = QTreeWidgetItem(
                    [
                        in_own_direction(tag.name_en),
                        in_own_direction(tag.name_ar),
                        count_text(counts.get(tag.id, 0)),
                        count_text(with_inside.get(tag.id, 0)) if facet == "region" else "",
                    ]
                )
                item.setData(0, TAG_ROLE, tag.id)
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
                items[tag.id] = item
            for tag in tags:
                parent = items.get(tag.parent_id) if tag.parent_id else None
                (parent or facet_item).addChild(items[tag.id])
            facet_item.setExpanded(True)
        self.tree.expandAll()
        if current_id in items:
            self.tree.setCurrentItem(items[current_id])
        self._update_buttons()

    def current_tag(self) -> Tag | None:
        item = self.tree.currentItem()
        tag_id = item.data(0, TAG_ROLE) if item is not None else None
        return vocabulary.get_tag(self.session.archive, tag_id) if tag_id is not None else None

    def select_tag(self, tag_id: int) -> None:
        for item in self.tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive):
            if item.data(0, TAG_ROLE) == tag_id:
                self.tree.setCurrentItem(item)
                return

    def _update_buttons(self) -> None:
        tag = self.current_tag()
        for button in (self.rename_button, self.merge_button, self.delete_button):
            button.setEnabled(tag is not None)
        self.move_button.setEnabled(tag is not None and tag.facet == "region")

    def _write(self, work) -> None:
        # Tag ids may disappear (merge, delete): commands on the undo stack would then point at nothing.
        self.session.write(work, on_success=lambda _result: self.session.undo_stack.clear(), vocabulary=True)

    # ---- actions --------------------------------------------------------------------------------------
    def rename(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        dialog = RenameDialog(tag, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name_en, name_ar = dialog.name_en.text(), dialog.name_ar.text()
        archive = self.session.archive
        self._write(lambda: vocabulary.rename_tag(archive, tag.id, name_en, name_ar))

    def _choose(
        self, title: str, label: str, choices: list[tuple[str, int | None]]
    ) -> tuple[bool, int | None]:
        names = [name for name, _tag_id in choices]
        name, ok = QInputDialog.getItem(self, title, label, names, 0, False)
        if not ok or name not in names:
            return False, None
        return True, choices[names.index(name)][1]

    def merge(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        archive = self.session.archive
        below = set(archive.tag_ids_with_descendants([tag.id]))
        others = [
            (tag_both_names(other), other.id)
            for other in sorted(archive.tags(tag.facet), key=lambda t: tag_label(t).casefold())
            if other.id not in below
        ]
        if not others:
            QMessageBox.information(self, _("Merge"), _("There is no other tag of this kind to merge into."))
            return
        ok, target_id = self._choose(
            _("Merge tags"),
            merge_prompt(tag),
            others,
        )
        if ok and target_id is not None:
            self._write(lambda: vocabulary.merge_tags(archive, tag.id, target_id))

    def move(self) -> None:
        tag = self.current_tag()
        if tag is None or tag.facet != "region":
            return
        archive = self.session.archive
        below = set(archive.tag_ids_with_descendants([tag.id]))
        choices: list[tuple[str, int | None]] = [(_("(top level)"), None)]
        choices += [
            (tag_both_names(region), region.id)
            for region in sorted(archive.tags("region"), key=lambda t: tag_label(t).casefold())
            if region.id not in below
        ]
        ok, parent_id = self._choose(_("Move region"), move_prompt(tag), choices)
        if ok:
            self._write(lambda: vocabulary.move_region(archive, tag.id, parent_id))

    def delete(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        archive = self.session.archive
        touched = vocabulary.documents_touched(archive, tag.id)
        question = delete_question(tag, touched)
        answer = QMessageBox.question(
            self,
            _("Delete tag"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda: vocabulary.delete_tag(archive, tag.id))
