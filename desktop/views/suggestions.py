"""Suggested tags with their evidence: a pane that follows the document in the reader, Tools › Suggest tags,
and, after an import, a dialog offering the suggestions for every document just imported."""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache

from qirtas.archive import suggest as suggesting
from qirtas.archive.archive import ArchiveError
from qirtas.archive.regions import code_for_name, region_names
from qirtas.archive.suggest import DocumentSuggestions, Suggestion
from qirtas.archive.suggest.places import CITY_BY_KEY
from qirtas.desktop.accessible import name_view
from qirtas.desktop.dialogs.theme_keywords import ThemeKeywordsDialog
from qirtas.desktop.feature import Feature, FeatureHost
from qirtas.desktop.jobs.session import Session
from qirtas.desktop.labels import count_text, facet_name, in_own_direction, long_date_text
from qirtas.desktop.lifetime import Lifetime
from qirtas.desktop.qt import (
    QAction,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.i18n import _, current_language, ngettext
from qirtas.i18n.script import Direction, paragraph_direction

MARK = "background-color: #ffe08a; color: #000000; font-weight: bold;"


def suggestion_name(suggestion: Suggestion) -> str:
    """The suggested tag's name in the UI language, falling back to the other one."""
    if current_language() == "ar":
        return suggestion.name_ar or suggestion.name_en
    return suggestion.name_en or suggestion.name_ar


def place_name(name_en: str) -> str:
    """A place named in English by the suggester (a region's parent, an event's place) in the UI language."""
    return _place_name(name_en, current_language())


@lru_cache(maxsize=512)
def _place_name(name_en: str, language: str) -> str:
    if language != "ar" or not name_en:
        return name_en
    code = code_for_name(name_en)
    if code:
        return region_names(code)[1] or name_en
    city = next((c for c in CITY_BY_KEY.values() if name_en in (c.name_en, *c.aliases_en)), None)
    return city.name_ar if city is not None and city.name_ar else name_en


def evidence_html(suggestion: Suggestion) -> str:
    """The evidence sentence, escaped, with the words that triggered the suggestion emphasised."""
    evidence = suggestion.evidence
    match = " ".join(suggestion.match.split())
    at = evidence.find(match) if match else -1
    if at < 0 and match:
        at = evidence.casefold().find(match.casefold())
    if at < 0:
        return html.escape(evidence)
    end = at + len(match)
    while end < len(evidence) and evidence[end].isalnum():  # a keyword prefix ("extremis*"): the whole word
        end += 1
    before, found, after = evidence[:at], evidence[at:end], evidence[end:]
    return f'{html.escape(before)}<span style="{MARK}">{html.escape(found)}</span>{html.escape(after)}'


def _paragraph(text_html: str, plain: str) -> str:
    rtl = paragraph_direction(plain, Direction.LTR) == Direction.RTL
    side = "right" if rtl else "left"
    return f'<p dir="{"rtl" if rtl else "ltr"}" align="{side}" style="margin:0">{text_html}</p>'


def suggestion_html(suggestion: Suggestion) -> str:
    """Name, facet and (for an event) date and place, then the evidence."""
    name = suggestion_name(suggestion)
    facts = [facet_name(suggestion.facet)]
    if suggestion.facet == "event":
        facts.append(long_date_text(suggestion.date) or _("no date found"))
        facts.append(place_name(suggestion.place) if suggestion.place else _("no place found"))
    elif suggestion.facet == "region" and suggestion.parent:
        facts.append(_("in {place}").format(place=place_name(suggestion.parent)))
    elif suggestion.facet == "theme" and suggestion.count > 1:
        facts.append(
            ngettext("{count} mention", "{count} mentions", suggestion.count).format(
                count=count_text(suggestion.count)
            )
        )
    head = f"<b>{html.escape(name)}</b> · " + html.escape(" · ".join(facts))
    return _paragraph(head, name) + _paragraph(evidence_html(suggestion), suggestion.evidence)


class SuggestionRow(QFrame):
    """One suggestion: what it proposes, the phrase behind it, Accept and Reject."""

    accept_clicked = Signal(object)
    reject_clicked = Signal(object)

    def __init__(self, suggestion: Suggestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion = suggestion
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(suggestion_html(suggestion))
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.accept_button = QPushButton(_("Accept"))
        self.accept_button.setToolTip(_("Tag the document with it (recorded as an accepted suggestion)"))
        self.accept_button.clicked.connect(lambda: self.accept_clicked.emit(self.suggestion))
        self.reject_button = QPushButton(_("Reject"))
        self.reject_button.setToolTip(_("Not for this document: it will not be suggested for it again"))
        self.reject_button.clicked.connect(lambda: self.reject_clicked.emit(self.suggestion))
        buttons = QVBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addLayout(buttons)


class SuggestionsPanel(QWidget):
    """The suggestions for the document in the reader, read on the read thread each time it changes."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.archive = session.archive
        self.document_id: int | None = None
        self.suggestions: DocumentSuggestions | None = None
        self.rows: list[SuggestionRow] = []
        self._generation = 0
        self._stale = True
        self._lifetime = Lifetime(self)

        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self.set_expanded)
        self.accept_all_button = QPushButton(_("Accept all"))
        self.accept_all_button.setToolTip(_("Accept every suggestion shown for this document"))
        self.accept_all_button.clicked.connect(self.accept_all)
        header = QHBoxLayout()
        header.addWidget(self.toggle)
        header.addStretch(1)
        header.addWidget(self.accept_all_button)

        self.status = QLabel()
        self.status.setStyleSheet("color: #777;")
        self.status.setWordWrap(True)
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(4)
        self.list_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.list_widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll, 1)
        session.changed.connect(self._archive_changed)
        self._show_rows()

    # ---- following the reader ----------------------------------------------------------------------
    def set_expanded(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.scroll.setVisible(on)
        self.status.setVisible(on and bool(self.status.text()))

    def show_document(self, document_id: int | None) -> None:
        document_id = document_id or None
        if document_id == self.document_id and not self._stale:
            return
        self.document_id = document_id
        self.reload()

    def _archive_changed(self) -> None:
        self._stale = True
        self.reload()

    def reload(self) -> None:
        """Read the suggestions again (on the read thread; the pane says so meanwhile)."""
        self._generation += 1
        self._stale = False
        document_id = self.document_id
        if document_id is None:
            self.suggestions = None
            self._show_rows()
            return
        generation, archive = self._generation, self.archive
        self._set_status(_("Looking for suggestions…"))

        def work() -> DocumentSuggestions | None:
            try:
                return suggesting.suggest(archive, document_id)
            except ArchiveError:  # deleted meanwhile
                return None

        self.session.read(work, lambda found: self._arrived(generation, found))

    def _arrived(self, generation: int, found: DocumentSuggestions | None) -> None:
        if generation != self._generation or not self._lifetime.alive:
            return
        self.suggestions = found
        self._show_rows()

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text) and self.toggle.isChecked())

    def _show_rows(self) -> None:
        for row in self.rows:
            self.list_layout.removeWidget(row)
            row.hide()  # at once: a deleted row stays painted until the event loop deletes it
            row.deleteLater()
        self.rows = []
        found = self.suggestions.all() if self.suggestions is not None else []
        for index, suggestion in enumerate(found):
            row = SuggestionRow(suggestion)
            row.accept_clicked.connect(self.accept)
            row.reject_clicked.connect(self.reject)
            self.list_layout.insertWidget(index, row)
            row.show()  # now, not when the layout's queued show arrives (hidden rows are taken ones)
            self.rows.append(row)
        self.toggle.setText(
            _("Suggested tags ({count})").format(count=count_text(len(found)))
            if found
            else _("Suggested tags")
        )
        self.toggle.setArrowType(
            Qt.ArrowType.DownArrow if self.toggle.isChecked() else Qt.ArrowType.RightArrow
        )
        self.accept_all_button.setEnabled(bool(found))
        if self.document_id is None:
            self._set_status(_("Select a document to see the tags suggested for it."))
        elif not found:
            self._set_status(_("No suggestions for this document."))
        else:
            self._set_status("")

    # ---- accepting and rejecting -------------------------------------------------------------------
    def _take_away(self, chosen: Sequence[Suggestion]) -> None:
        """Hide the rows at once; the suggestions are read again when the write has been made."""
        keys = {suggestion.key for suggestion in chosen}
        for row in self.rows:
            if row.suggestion.key in keys:
                row.hide()
        self._stale = True

    def accept(self, suggestion: Suggestion) -> None:
        self.accept_many([suggestion])

    def accept_all(self) -> None:
        if self.suggestions is not None:
            self.accept_many(self.suggestions.all())

    def accept_many(self, chosen: Sequence[Suggestion]) -> None:
        document_id, archive = self.document_id, self.archive
        if document_id is None or not chosen:
            return
        chosen = list(chosen)
        self._take_away(chosen)
        self.session.write(
            lambda: [suggesting.accept(archive, document_id, suggestion) for suggestion in chosen],
            vocabulary=True,  # an accepted region, event or theme may be a new tag
        )

    def reject(self, suggestion: Suggestion) -> None:
        document_id, archive = self.document_id, self.archive
        if document_id is None:
            return
        self._take_away([suggestion])
        self.session.write(lambda: suggesting.reject(archive, document_id, suggestion))


# ---- after an import --------------------------------------------------------------------------------

SUGGESTION_ROLE = Qt.ItemDataRole.UserRole


class ImportSuggestionsDialog(QDialog):
    """The suggestions for each document just imported: tick the right ones, Accept ticked."""

    document_chosen = Signal(int)

    def __init__(self, session: Session, document_ids: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.document_ids = list(document_ids)
        self.found: dict[int, DocumentSuggestions] = {}
        self._lifetime = Lifetime(self)
        self.setWindowTitle(_("Suggested tags for the imported documents"))
        self.resize(820, 520)
        self.summary = QLabel(_("Looking for suggestions…"))
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        name_view(self.tree, _("Suggested tags"))
        self.tree.setHeaderLabels([_("Document or suggested tag"), _("Evidence")])
        self.tree.setColumnWidth(0, 320)
        self.tree.itemClicked.connect(self._clicked)
        self.accept_button = QPushButton(_("Accept ticked"))
        self.accept_button.setEnabled(False)
        self.accept_button.clicked.connect(self.accept_ticked)
        self.tick_all_button = QPushButton(_("Tick all"))
        self.tick_all_button.clicked.connect(lambda: self.tick_all(True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.tick_all_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def load(self) -> None:
        archive, ids = self.session.archive, self.document_ids
        self.session.read(lambda: suggesting.suggest_on_import(archive, ids), self._arrived)

    def _arrived(self, found: dict[int, DocumentSuggestions]) -> None:
        if not self._lifetime.alive:
            return
        self.found = found
        self.tree.clear()
        total = 0
        for document_id, suggestions in found.items():
            if not len(suggestions):
                continue
            try:
                title = self.session.archive.get(document_id).title
            except ArchiveError:
                continue
            top = QTreeWidgetItem([in_own_direction(title), ""])
            top.setData(0, SUGGESTION_ROLE, document_id)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for suggestion in suggestions.all():
                item = QTreeWidgetItem(
                    [_("{facet}: {name}").format(facet=facet_name(suggestion.facet), name=suggestion_name(suggestion)),
                     in_own_direction(suggestion.evidence)]
                )  # fmt: skip
                item.setToolTip(1, suggestion.evidence)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                item.setData(0, SUGGESTION_ROLE, (document_id, suggestion))
                top.addChild(item)
                total += 1
            top.setExpanded(True)
        self.summary.setText(
            ngettext(
                "{count} suggestion for the documents just imported. Tick the right ones and accept them;"
                " click a document to read it.",
                "{count} suggestions for the documents just imported. Tick the right ones and accept them;"
                " click a document to read it.",
                total,
            ).format(count=count_text(total))
            if total
            else _("No suggestions for the documents just imported.")
        )
        self.accept_button.setEnabled(bool(total))
        self.tick_all_button.setEnabled(bool(total))

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, SUGGESTION_ROLE)
        document_id = data if isinstance(data, int) else data[0] if data else None
        if document_id is not None:
            self.document_chosen.emit(document_id)

    def _items(self) -> list[QTreeWidgetItem]:
        return [
            self.tree.topLevelItem(i).child(j)
            for i in range(self.tree.topLevelItemCount())
            for j in range(self.tree.topLevelItem(i).childCount())
        ]

    def tick_all(self, on: bool = True) -> None:
        for item in self._items():
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def accept_ticked(self) -> None:
        chosen = [
            item.data(0, SUGGESTION_ROLE)
            for item in self._items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]
        if not chosen:
            return
        archive = self.session.archive
        for item in self._items():
            if item.checkState(0) == Qt.CheckState.Checked:
                item.setDisabled(True)
                item.setCheckState(0, Qt.CheckState.Unchecked)
        self.session.write(
            lambda: [
                suggesting.accept(archive, document_id, suggestion) for document_id, suggestion in chosen
            ],
            on_success=lambda tags: self.summary.setText(
                ngettext("{count} suggestion accepted.", "{count} suggestions accepted.", len(tags)).format(
                    count=count_text(len(tags))
                )
            ),
            vocabulary=True,
        )


def offer_import_suggestions(session: Session, report_dialog) -> None:
    """Give the import report a "Suggest tags…" button for the documents it imported."""
    ids = [item.id for item in report_dialog.report.imported]
    buttons = report_dialog.findChild(QDialogButtonBox)
    if not ids or buttons is None:
        return
    button = QPushButton(_("Suggest tags…"))
    button.setToolTip(_("Regions, events and themes found in the imported texts, each with its evidence"))
    buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)

    def open_dialog() -> None:
        dialog = ImportSuggestionsDialog(session, ids, report_dialog)
        dialog.document_chosen.connect(report_dialog.document_chosen.emit)
        report_dialog.suggestions_dialog = dialog
        dialog.load()
        dialog.show()

    button.clicked.connect(open_dialog)
    report_dialog.suggest_button = button


class Suggestions(Feature):
    """The pane under the tag editor, following the reader; Tools › Suggest tags and › Theme keywords."""

    key = "suggestions"

    def __init__(self, window: FeatureHost) -> None:
        self.window = window
        self.panel = SuggestionsPanel(window.session)
        window.reader.shown.connect(self.panel.show_document)
        self.suggest_action = QAction(_("&Suggest tags"), self.panel)
        self.suggest_action.setShortcut(QKeySequence("Ctrl+Shift+G"))
        self.suggest_action.setToolTip(_("Show the regions, events and themes this document's text suggests"))
        self.suggest_action.triggered.connect(lambda _checked=False: self.suggest_now())
        self.keywords_action = QAction(_("&Theme keywords…"), self.panel)
        self.keywords_action.setToolTip(
            _("The words and phrases, in English and Arabic, that suggest each theme")
        )
        self.keywords_action.triggered.connect(lambda _checked=False: self.edit_keywords())
        self.keywords_dialog: ThemeKeywordsDialog | None = None  # the last one opened

    def side_panels(self) -> list[QWidget]:
        return [self.panel]

    def tools_actions(self) -> list[QAction]:
        return [self.suggest_action, self.keywords_action]

    def suggest_now(self) -> None:
        window, panel = self.window, self.panel
        if window.current_id() is None:
            window.statusBar().showMessage(_("Select a document to suggest tags for it."), 8000)
            return
        panel.toggle.setChecked(True)
        sizes = window.right_splitter.sizes()
        if sizes[2] < 120:  # collapsed: give it room
            window.right_splitter.setSizes([max(sizes[0] - 220, 200), sizes[1], 220])
        panel.document_id = window.current_id()
        panel.reload()

    def edit_keywords(self) -> None:
        dialog = ThemeKeywordsDialog(self.window.session, self.panel.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.keywords_dialog = dialog
        dialog.show()
