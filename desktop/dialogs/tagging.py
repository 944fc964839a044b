"""Tagging the selected documents: completion over both languages, new tags, undo and redo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qirtas.archive.archive import Archive
from qirtas.archive.models import FACETS, Tag
from qirtas.archive.vocabulary import closest_tags, document_tag_ids, get_tag
from qirtas.desktop.accessible import name_form_fields, name_view
from qirtas.desktop.jobs.session import Session
from qirtas.desktop.labels import (
    count_text,
    facet_name,
    isolated,
    tag_both_names,
    tag_label,
)
from qirtas.desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStandardItem,
    QStandardItemModel,
    Qt,
    QUndoCommand,
    QVBoxLayout,
    QWidget,
)
from qirtas.i18n import _, ngettext
from qirtas.i18n.normalize import normalize
from qirtas.i18n.script import in_arabic_script, shows_a_name

_CHUNK = 20_000


@dataclass
class TagSpec:
    """A tag to apply: an existing one (`tag_id`) or one to create with these names."""

    facet: str
    tag_id: int | None = None
    name_en: str = ""
    name_ar: str = ""
    parent_id: int | None = None

    def resolve(self, archive: Archive) -> Tag:
        if self.tag_id is not None:
            tag = get_tag(archive, self.tag_id)
            if tag is not None:
                return tag
        parent = get_tag(archive, self.parent_id) if self.parent_id else None
        tag = archive.ensure_tag(self.facet, self.name_en, self.name_ar, parent=parent)
        self.tag_id = tag.id
        return tag

    def describe(self) -> str:
        return self.name_en or self.name_ar


def _documents_with(archive: Archive, document_ids: Sequence[int], tag_id: int) -> set[int]:
    having: set[int] = set()
    for start in range(0, len(document_ids), _CHUNK):
        chunk = document_ids[start : start + _CHUNK]
        having.update(i for i, tag_ids in document_tag_ids(archive, chunk).items() if tag_id in tag_ids)
    return having


class TagDocumentsCommand(QUndoCommand):
    """Add (or remove) one tag on several documents; undo touches exactly the documents that changed."""

    def __init__(self, session: Session, document_ids: Sequence[int], spec: TagSpec, add: bool = True):
        super().__init__()
        self.session = session
        self.document_ids = list(document_ids)
        self.spec = spec
        self.add = add
        # Which documents this command really changes: found by its first run on the write thread and
        # kept for undo and redo (writes run in order, so later runs always see it).
        self.changed: list[int] = []
        self._measured = False
        name = spec.describe() or _("a tag")
        count = len(self.document_ids)
        if add:
            text = ngettext(
                "Tag {count} document with “{name}”", "Tag {count} documents with “{name}”", count
            )
        else:
            text = ngettext(
                "Remove “{name}” from {count} document", "Remove “{name}” from {count} documents", count
            )
        self.setText(text.format(count=count_text(count), name=name))

    def _apply(self, adding: bool) -> None:
        archive = self.session.archive

        def work() -> int:
            tag = self.spec.resolve(archive)
            if not self._measured:
                having = _documents_with(archive, self.document_ids, tag.id)
                self.changed = [i for i in self.document_ids if (i in having) != self.add]
                self._measured = True
            if adding:
                return archive.tag_documents(self.changed, tag)
            return archive.untag_documents(self.changed, tag)

        self.session.write(work, vocabulary=self.spec.tag_id is None)

    def redo(self) -> None:
        self._apply(self.add)

    def undo(self) -> None:
        self._apply(not self.add)


_FOLDED_ROLE = Qt.ItemDataRole.UserRole + 1


class TagCompleter(QCompleter):
    """Completes tag names typed in English or Arabic; `tag_for(text)` finds the tag chosen."""

    def __init__(self, archive: Archive, parent=None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.facet: str | None = None
        self._by_text: dict[str, Tag] = {}
        self.setModel(QStandardItemModel(self))
        # Matched on the search normaliser's folding, so الامارات finds الإمارات and cafe finds Café.
        self.setCompletionRole(_FOLDED_ROLE)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.reload()

    def set_facet(self, facet: str | None) -> None:
        self.facet = facet
        self.reload()

    def reload(self) -> None:
        self._by_text = {tag_both_names(tag): tag for tag in self.archive.tags(self.facet)}
        model = self.model()
        model.clear()
        for text in sorted(self._by_text, key=str.casefold):
            item = QStandardItem(text)
            item.setData(normalize(text), _FOLDED_ROLE)
            model.appendRow(item)

    def splitPath(self, path: str) -> list[str]:
        return [normalize(path)]

    def pathFromIndex(self, index) -> str:
        return index.data(Qt.ItemDataRole.DisplayRole) or ""

    def tag_for(self, text: str) -> Tag | None:
        text = text.strip()
        if text in self._by_text:
            return self._by_text[text]
        for facet in [self.facet] if self.facet else FACETS:
            tag = self.archive.find_tag(facet, text)
            if tag is not None:
                return tag
        return None


def tag_entry(
    archive: Archive, parent: QWidget, placeholder: str
) -> tuple[QComboBox, QLineEdit, TagCompleter]:
    """The kind of tag and its name, completed from the vocabulary of that kind: what the tag editor and
    the import's quick tagging both ask."""
    facet_combo = QComboBox()
    facet_combo.setAccessibleName(_("Kind of tag to add"))
    for facet in FACETS:
        facet_combo.addItem(facet_name(facet), facet)
    field = QLineEdit()
    field.setAccessibleName(_("Tag to add"))
    field.setPlaceholderText(placeholder)
    completer = TagCompleter(archive, parent)
    completer.set_facet(FACETS[0])
    field.setCompleter(completer)
    facet_combo.currentIndexChanged.connect(lambda _index: completer.set_facet(facet_combo.currentData()))
    return facet_combo, field, completer


def names_ui_first(tag: Tag) -> str:
    """ "طاجيكستان — Tajikistan" in the Arabic UI, "Tajikistan — طاجيكستان" in the English one."""
    first = tag_label(tag)
    second = tag.name_en if first == tag.name_ar else tag.name_ar
    return f"{first} — {second}" if second and second != first else first


def new_tag_question(facet: str, typed: str, close_names: bool) -> str:
    """The dialog's first line: the name typed is not a tag yet (one sentence per case, to translate)."""
    if close_names:
        questions = {
            "event": _("No event is named “{name}”: create a new event, or use a close name?"),
            "region": _("No region is named “{name}”: create a new region, or use a close name?"),
            "theme": _("No theme is named “{name}”: create a new theme, or use a close name?"),
        }
    else:
        questions = {
            "event": _("No event is named “{name}”: create a new event?"),
            "region": _("No region is named “{name}”: create a new region?"),
            "theme": _("No theme is named “{name}”: create a new theme?"),
        }
    return questions[facet].format(name=isolated(typed.strip()))


class NewTagDialog(QDialog):
    """Confirms a new tag: names the tag typed, offers the closest existing names instead (a misspelt
    "Tajikstan" is Tajikistan), and asks its English and Arabic names (and, for a region, where it lies)."""

    def __init__(self, archive: Archive, facet: str, typed: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New {facet} tag").format(facet=facet_name(facet).lower()))
        self.facet = facet
        self.chosen: Tag | None = None  # an existing tag picked instead of a new one
        arabic = in_arabic_script(typed)
        self.name_en = QLineEdit("" if arabic else typed)
        self.name_ar = QLineEdit(typed if arabic else "")
        self.name_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.parent_combo = QComboBox()
        self.parent_combo.setAccessibleName(_("Inside region"))
        self.parent_combo.addItem(_("(top level)"), None)
        if facet == "region":
            regions = sorted(archive.tags("region"), key=lambda t: tag_label(t).casefold())
            for region in regions:
                self.parent_combo.addItem(tag_both_names(region), region.id)
        close = closest_tags(archive, facet, typed) if typed.strip() else []
        self.question = QLabel(new_tag_question(facet, typed, bool(close)))
        self.question.setWordWrap(True)
        self.close_buttons: list[QPushButton] = []
        close_row = QHBoxLayout()
        for tag in close:
            button = QPushButton(_("Use “{name}”").format(name=isolated(names_ui_first(tag))))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, tag=tag: self.use_existing(tag))
            close_row.addWidget(button)
            self.close_buttons.append(button)
        close_row.addStretch(1)
        form = QFormLayout()
        form.addRow(QLabel(_("A tag has a name in each language; one may stay empty for now.")))
        form.addRow(_("English name:"), self.name_en)
        form.addRow(_("Arabic name:"), self.name_ar)
        if facet == "region":
            form.addRow(_("Inside:"), self.parent_combo)
        name_form_fields(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create new tag"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_en.textChanged.connect(self._validate)
        self.name_ar.textChanged.connect(self._validate)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        if self.close_buttons:
            layout.addLayout(close_row)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._validate()

    def _validate(self) -> None:
        # The archive refuses such names too; here the button says so before anything is sent.
        ok = shows_a_name(self.name_en.text(), self.name_ar.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def use_existing(self, tag: Tag) -> None:
        self.chosen = tag
        self.accept()

    def spec(self) -> TagSpec:
        if self.chosen is not None:
            tag = self.chosen
            return TagSpec(tag.facet, tag_id=tag.id, name_en=tag.name_en, name_ar=tag.name_ar)
        return TagSpec(
            self.facet,
            name_en=self.name_en.text().strip(),
            name_ar=self.name_ar.text().strip(),
            parent_id=self.parent_combo.currentData(),
        )


class TagEditor(QWidget):
    """The tags of the selected documents, with a field to add one to all of them at once."""

    ask_new_tag = None  # replaced in tests: (archive, facet, typed, parent) -> TagSpec | None

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.document_ids: list[int] = []
        self.heading = QLabel()
        self.list = QListWidget()
        name_view(self.list, _("Tags of the selected documents"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setMaximumHeight(120)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Remove the chosen tags from every selected document"))
        self.remove_button.clicked.connect(self.remove_chosen)
        self.facet_combo, self.field, self.completer = tag_entry(
            session.archive, self, _("Add a tag (English or Arabic name)…")
        )
        self.field.returnPressed.connect(self.add_typed)
        self.add_button = QPushButton(_("Add"))
        self.add_button.clicked.connect(self.add_typed)
        add_row = QHBoxLayout()
        add_row.addWidget(self.facet_combo)
        add_row.addWidget(self.field, 1)
        add_row.addWidget(self.add_button)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.list, 1)
        remove_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(remove_row)
        layout.addLayout(add_row)
        session.vocabulary_changed.connect(self.completer.reload)
        self.set_documents([])

    def set_documents(self, document_ids: Sequence[int]) -> None:
        self.document_ids = list(document_ids)
        count = len(self.document_ids)
        self.heading.setText(
            ngettext("Tags of {count} selected document", "Tags of {count} selected documents", count).format(
                count=count_text(count)
            )
            if count
            else _("Select documents to tag them.")
        )
        for widget in (self.list, self.remove_button, self.facet_combo, self.field, self.add_button):
            widget.setEnabled(bool(count))
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        if not self.document_ids or len(self.document_ids) > 5_000:
            return
        counts: dict[int, int] = {}
        tags: dict[int, Tag] = {}
        for tag_ids in document_tag_ids(self.session.archive, self.document_ids).values():
            for tag_id in tag_ids:
                tag = self.session.tags.get(tag_id)
                if tag is not None:
                    counts[tag_id] = counts.get(tag_id, 0) + 1
                    tags[tag_id] = tag
        total = len(self.document_ids)
        for tag_id, tag in sorted(tags.items(), key=lambda item: (item[1].facet, tag_label(item[1]))):
            text = _("{facet}: {name}").format(facet=facet_name(tag.facet), name=isolated(tag_label(tag)))
            if counts[tag_id] < total:
                text = _("{tag} (on {count} of {total})").format(
                    tag=text, count=count_text(counts[tag_id]), total=count_text(total)
                )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, tag_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, tag.facet)
            item.setToolTip(tag_both_names(tag))
            self.list.addItem(item)

    def add_typed(self) -> None:
        text = self.field.text().strip()
        if not text or not self.document_ids:
            return
        facet = self.facet_combo.currentData()
        tag = self.completer.tag_for(text)
        if tag is not None:
            spec = TagSpec(tag.facet, tag_id=tag.id, name_en=tag.name_en, name_ar=tag.name_ar)
        else:
            spec = self._new_tag(facet, text)
            if spec is None:
                return
        self.apply(spec, add=True)
        self.field.clear()

    def _new_tag(self, facet: str, typed: str) -> TagSpec | None:
        if self.ask_new_tag is not None:
            return self.ask_new_tag(self.session.archive, facet, typed, self)
        dialog = NewTagDialog(self.session.archive, facet, typed, self)
        return dialog.spec() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def remove_chosen(self) -> None:
        for item in self.list.selectedItems():
            tag_id = item.data(Qt.ItemDataRole.UserRole)
            tag = get_tag(self.session.archive, tag_id)
            if tag is not None:
                self.apply(
                    TagSpec(tag.facet, tag_id=tag.id, name_en=tag.name_en, name_ar=tag.name_ar), add=False
                )

    def apply(self, spec: TagSpec, add: bool) -> None:
        self.session.undo_stack.push(TagDocumentsCommand(self.session, self.document_ids, spec, add))


__all__ = ["NewTagDialog", "TagCompleter", "TagDocumentsCommand", "TagEditor", "TagSpec"]
