"""The main window: facets on the leading side, the document table, the reader and tag editor."""

from __future__ import annotations

from dataclasses import replace

from qirtas.desktop.accessible import name_clear_button
from qirtas.desktop.actions import MainActions
from qirtas.desktop.dialogs.dialogs import search_placeholder, search_syntax_text, show_search_syntax
from qirtas.desktop.dialogs.tagging import TagEditor
from qirtas.desktop.dialogs.theme_keywords import ThemeKeywordsDialog
from qirtas.desktop.dialogs.vocabulary import VocabularyManager
from qirtas.desktop.errors import show_error
from qirtas.desktop.feature import Feature
from qirtas.desktop.jobs.archive_jobs import ArchiveJobs
from qirtas.desktop.jobs.importing import ImportController
from qirtas.desktop.jobs.ocr import OcrAgain
from qirtas.desktop.jobs.session import Session
from qirtas.desktop.jobs.unlocking import Unlocking
from qirtas.desktop.labels import count_text, isolated
from qirtas.desktop.qt import (
    QAction,
    QHBoxLayout,
    QItemSelection,
    QItemSelectionModel,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSettings,
    QSize,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.desktop.screen_fit import available_size, fit_to_screen, initial_size, keep_on_screen
from qirtas.desktop.views.browse import BrowseResult, BrowseState, all_ids, browse, facet_counts
from qirtas.desktop.views.document_table import build_document_table, fit_columns
from qirtas.desktop.views.integrity import IntegrityFilter
from qirtas.desktop.views.list_filter import ListFilter
from qirtas.desktop.views.models import COLUMNS, ID_ROLE, DocumentTableModel
from qirtas.desktop.views.reader import Reader
from qirtas.desktop.views.review_filter import ReviewFilter
from qirtas.desktop.views.sidebar import FacetSidebar
from qirtas.desktop.views.suggestions import Suggestions, SuggestionsPanel
from qirtas.i18n import _, ngettext

SEARCH_DELAY_MS = 250
FIRST_ROWS = 200  # rows shown at once; the rest of a larger result follows from the read thread
SPLITTER_SHARES = [230, 580, 420]  # facets, table, reader: proportions of whatever width the window has
RIGHT_SHARES = [640, 130, 130]  # reader, tag editor, suggested tags: proportions of the height
# What the window is built with, in menu order: each adds its actions, filters, panels and buttons through
# the Feature interface (desktop/feature.py) and is kept in `window.features` by its key.
FEATURES: tuple[type[Feature], ...] = (
    Suggestions,
    IntegrityFilter,
    ArchiveJobs,
    ReviewFilter,
    Unlocking,
    OcrAgain,
)


class MainWindow(QMainWindow):
    open_archive_requested = Signal(str, bool)  # folder, create a new archive
    language_requested = Signal(str)
    digits_requested = Signal(bool)  # True: Arabic-Indic digits in the Arabic interface

    def __init__(self, session: Session, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.archive = session.archive
        self.settings = settings
        self.state = BrowseState()
        self.result = BrowseResult([], {})
        self._archive_total: int | None = None
        self._generation = 0  # which refresh a result arriving from the read thread belongs to
        self.vocabulary_dialog: VocabularyManager | None = None
        self.review_window: QWidget | None = None
        self.setWindowTitle(_("Qirtas — {archive}").format(archive=isolated(self.archive.path.name)))
        self.setAcceptDrops(True)

        self._build_search_bar()
        self.sidebar = FacetSidebar(self.archive)
        self.sidebar.selection_changed.connect(self._facets_changed)
        self.model = DocumentTableModel(self.archive, session.tags, self)
        self.table = self._build_table()
        self.model.sort_requested.connect(self._sort_changed)  # after the view's first sort() call
        self.reader = Reader(self.archive)
        self.reader.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.tag_editor = TagEditor(session)

        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(self.reader)
        self.right_splitter.addWidget(self.tag_editor)
        self.right_splitter.setStretchFactor(0, 1)
        self.right_splitter.setStretchFactor(1, 0)
        self.right_splitter.setCollapsible(0, False)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.sidebar)
        self.main_splitter.addWidget(self.table)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setStretchFactor(2, 1)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(self.search_row)
        layout.addWidget(self.search_hint)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)

        self.counts_label = QLabel()
        self.imports = ImportController(session, settings, self, self.refresh)
        self.imports.document_chosen.connect(self.select_document)
        self.imports.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.imports.progress)

        self.commands = MainActions(self)
        self.commands.add_menus(self.menuBar())
        self.features: dict[str, Feature] = {}
        self.list_filters: list[ListFilter] = []  # one restricts the list at a time
        self.tools_menu: QMenu | None = None  # made (before Help) when a feature has Tools actions
        for feature_class in FEATURES:
            self._attach(feature_class(self))
        session.changed.connect(self.refresh)
        session.vocabulary_changed.connect(self.sidebar.rebuild)
        session.failed.connect(self._write_failed)
        fit_to_screen(self)
        self._share_room()
        self._restore_settings()
        self.refresh()

    # ---- features ------------------------------------------------------------------------------------
    def _attach(self, feature: Feature) -> None:
        """Place what `feature` declares: its File and Tools actions, View filters, panels and buttons."""
        self.features[feature.key] = feature
        file_actions = feature.file_actions()
        if file_actions:
            file_menu = next(
                a.menu() for a in self.menuBar().actions() if self.commands.quit in a.menu().actions()
            )
            separator = file_menu.insertSeparator(self.commands.quit)
            file_menu.insertActions(separator, file_actions)
        tools_actions = feature.tools_actions()
        if tools_actions:
            if self.tools_menu is None:
                self.tools_menu = QMenu(_("&Tools"), self)
                self.menuBar().insertMenu(self.menuBar().actions()[-1], self.tools_menu)  # before Help
            self.tools_menu.addActions(tools_actions)
        for title, list_filter in feature.view_filters():
            list_filter.install(self.commands.view_menu, title)
            self.list_filters.append(list_filter)
        for panel in feature.side_panels():
            self.right_splitter.addWidget(panel)
            self.right_splitter.setStretchFactor(self.right_splitter.count() - 1, 0)  # share: RIGHT_SHARES
        for name, button in feature.reader_buttons().items():
            self.reader.add_button(name, button)

    # The features tests and other modules reach by name.
    @property
    def archive_jobs(self) -> ArchiveJobs:
        return self.features[ArchiveJobs.key]  # type: ignore[return-value]

    @property
    def integrity_filter(self) -> IntegrityFilter:
        return self.features[IntegrityFilter.key]  # type: ignore[return-value]

    @property
    def review_filter(self) -> ReviewFilter:
        return self.features[ReviewFilter.key]  # type: ignore[return-value]

    @property
    def suggestions(self) -> Suggestions:
        return self.features[Suggestions.key]  # type: ignore[return-value]

    @property
    def suggestions_panel(self) -> SuggestionsPanel:
        return self.suggestions.panel

    @property
    def suggest_action(self) -> QAction:
        return self.suggestions.suggest_action

    @property
    def theme_keywords_action(self) -> QAction:
        return self.suggestions.keywords_action

    @property
    def theme_keywords_dialog(self) -> ThemeKeywordsDialog | None:
        return self.suggestions.keywords_dialog

    @property
    def archive_total(self) -> int | None:
        """The number of documents in the archive, when the last refresh counted them."""
        return self._archive_total

    # ---- building ------------------------------------------------------------------------------------
    def _build_search_bar(self) -> None:
        self.search_field = QLineEdit()
        self.search_field.setAccessibleName(_("Search"))
        self.search_field.setClearButtonEnabled(True)
        name_clear_button(self.search_field, _("Clear the search"))
        self.search_field.setPlaceholderText(search_placeholder())
        self.search_field.setToolTip(search_syntax_text())
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._search_now)
        self.search_field.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_field.returnPressed.connect(self._search_now)
        syntax = QToolButton()
        syntax.setText("?")
        syntax.setToolTip(_("Search syntax"))
        syntax.setAccessibleName(_("Search syntax"))
        syntax.clicked.connect(lambda: show_search_syntax(self))
        self.search_row = QHBoxLayout()
        self.search_row.addWidget(self.search_field, 1)
        self.search_row.addWidget(syntax)
        self.search_hint = QLabel()
        self.search_hint.setStyleSheet("color: #a15c00;")
        self.search_hint.setWordWrap(True)
        self.search_hint.hide()

    def _build_table(self) -> QTableView:
        table = build_document_table(self.model)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        return table

    def _share_room(self) -> None:
        """Divide the window's size among the panes in proportion.

        Sizes set before a splitter has its own are stretched or shrunk by the stretch factors alone: on a
        small screen the reader would give up every missing pixel and keep two lines of text.
        """
        chrome = sum(
            widget.sizeHint().height() for widget in (self.menuBar(), self.statusBar(), self.search_field)
        )
        for splitter, shares, room in (
            (self.main_splitter, SPLITTER_SHARES, self.width() - 12),
            (self.right_splitter, RIGHT_SHARES[: self.right_splitter.count()], self.height() - chrome - 12),
        ):
            splitter.setSizes([round(share * room / sum(shares)) for share in shares])

    # ---- the result ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the result (after a search, a facet tick, a sort or a write) keeping the selection.

        A large result shows its first rows at once; the rest of its ids arrive from the read thread.
        """
        selected = self.selected_ids()
        current = self.current_id()
        self._generation += 1
        self.result = browse(self.archive, self.state, first=FIRST_ROWS)
        self.model.set_ids(self.result.ids)
        self.sidebar.set_counts(self.result.counts)
        hint = self.result.hint
        if not hint and self.state.query.strip() and not self.result.ids:
            hint = _("No documents match this search.")
        self.search_hint.setText(hint or "")
        self.search_hint.setVisible(bool(hint))
        restored = self._restore_selection(selected, current)
        self._update_counts(recount=True)
        if not self.result.complete or self.result.counts_pending:
            generation = self._generation
            state = replace(self.state, selected={f: list(ids) for f, ids in self.state.selected.items()})
            pending = None if restored else (selected, current)
            complete = self.result.complete
            self.session.read(
                lambda: (
                    None if complete else all_ids(self.archive, state),
                    facet_counts(self.archive, state),
                ),
                lambda found: self._rest_arrived(generation, *found, pending),
            )

    def _rest_arrived(self, generation: int, ids: list[int] | None, counts: dict[int, int], pending) -> None:
        if generation != self._generation:  # a newer result (or a closed window) replaced it
            return
        self.result.counts, self.result.counts_pending = counts, False
        self.sidebar.set_counts(counts)
        if ids is None:  # only the counts were missing
            return
        known = self.model.ids()
        shown = set(known)
        if ids[: len(known)] == known:
            self.model.append_ids(ids[len(known) :])
        elif self._quick_search_shown() and shown.issubset(ids):
            # A broad search showed its first rows ranked among its newest matches: they stay where the
            # reader saw them (and the selection with them); the others follow in the complete ranking.
            self.model.append_ids([i for i in ids if i not in shown])
        else:  # the archive changed in between
            self.model.set_ids(ids)
        self.result.ids = self.model.ids()
        self.result.total, self.result.total_exact = len(self.result.ids), True
        if pending is not None:
            self._restore_selection(*pending)
        self._update_counts()

    def _quick_search_shown(self) -> bool:
        found = self.result.search
        return found is not None and found.ranked_among is not None and self.state.sort_key is None

    def retire(self) -> None:
        """Ignore results still on their way (the window is closing or being replaced)."""
        self._generation += 1
        for feature in self.features.values():
            feature.retire()

    def _restore_selection(self, selected: list[int], current: int | None) -> bool:
        """Select the same documents again; False when some are not (yet) among the rows."""
        wanted = selected[:1000] + ([current] if current is not None else [])
        rows = {document_id: row for row, document_id in enumerate(self.model.ids())} if wanted else {}
        selection = QItemSelection()
        for document_id in selected[:1000]:
            row = rows.get(document_id)
            if row is not None:
                selection.select(self.model.index(row, 0), self.model.index(row, len(COLUMNS) - 1))
        selection_model = self.table.selectionModel()
        selection_model.blockSignals(True)
        if current is not None and current in rows:
            selection_model.setCurrentIndex(
                self.model.index(rows[current], 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        selection_model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection_model.blockSignals(False)
        if current is not None and current in rows:
            self.reader.show_document(current, self.state.query)
        elif wanted:
            self.reader.clear()
        self.tag_editor.set_documents(self.selected_ids())
        return all(document_id in rows for document_id in wanted)

    def _update_counts(self, recount: bool = False) -> None:
        if recount or self._archive_total is None:
            self._archive_total = self.archive.count()
        total = self._archive_total
        shown, chosen = self.result.total, len(self.selected_ids())
        parts = [
            ngettext("{count} document in the archive", "{count} documents in the archive", total).format(
                count=count_text(total)
            ),
            (
                ngettext("{count} shown", "{count} shown", shown)
                if self.result.total_exact
                else ngettext("more than {count} shown", "more than {count} shown", shown)
            ).format(count=count_text(shown)),
        ]
        if chosen:
            parts.append(
                ngettext("{count} selected", "{count} selected", chosen).format(count=count_text(chosen))
            )
        self.counts_label.setText(" · ".join(parts))

    def _search_now(self) -> None:
        self.search_timer.stop()
        query = self.search_field.text().strip()
        if query == self.state.query:
            return
        self.state.query = query
        self.state.sort_key = None  # a new search starts in order of relevance
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.refresh()
        if self.result.ids and not self.selected_ids():
            self.select_document(self.result.ids[0])

    def _facets_changed(self) -> None:
        self.state.selected = self.sidebar.selected()
        self.refresh()
        if self.result.ids and self.current_id() is None:
            self.select_document(self.result.ids[0])

    def _sort_changed(self, sort_key: str | None, descending: bool) -> None:
        if (sort_key, descending) != (self.state.sort_key, self.state.descending):
            self.state.sort_key, self.state.descending = sort_key, descending
            self.refresh()

    def clear_filters(self) -> None:
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)
        self.state.query = ""
        self.state.ids = None  # the integrity filter too
        self.sidebar.clear()  # emits selection_changed → refresh

    # ---- selection -----------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.id_at(row) for row in rows if row < self.model.rowCount()]

    def current_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_document(self, document_id: int) -> bool:
        """Select and show a document; clears the search and filters when it is not in the result."""
        row = self._row_of(document_id)
        if row is None:
            self.clear_filters()
            row = self._row_of(document_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def _row_of(self, document_id: int) -> int | None:
        row = self.model.row_of(document_id)
        if row is None and not self.result.complete:  # not among the rows shown so far: read them all now
            self._generation += 1
            self._rest_arrived(
                self._generation,
                all_ids(self.archive, self.state),
                facet_counts(self.archive, self.state),
                None,
            )
            row = self.model.row_of(document_id)
        return row

    def _current_changed(self, current, _previous) -> None:
        if current.isValid():
            self.reader.show_document(self.model.id_at(current.row()), self.state.query)
        else:
            self.reader.clear()

    def _selection_changed(self, *_args) -> None:
        self.tag_editor.set_documents(self.selected_ids())
        self._update_counts()

    # ---- commands ------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def focus_tag_editor(self) -> None:
        self.tag_editor.field.setFocus()

    def delete_selected(self) -> None:
        """Delete the selected documents after asking (Delete key)."""
        self.delete_documents(self.selected_ids(), confirm=True)

    def delete_documents(self, ids: list[int], confirm: bool = True) -> None:
        if not ids:
            return
        if confirm:
            question = ngettext(
                "Delete {count} document from the archive? Its original file stays in the store.",
                "Delete {count} documents from the archive? Their original files stay in the store.",
                len(ids),
            ).format(count=count_text(len(ids)))
            answer = QMessageBox.question(
                self,
                _("Delete documents"),
                question,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        archive = self.archive

        def work() -> int:
            for document_id in ids:
                archive.delete_document(document_id)
            return len(ids)

        # Deleted documents cannot be tagged or untagged: earlier tag changes can no longer be undone.
        self.session.write(work, on_success=lambda _count: self.session.undo_stack.clear())

    def review_translation(self) -> None:
        """Open the side-by-side review of the current document and its translation."""
        document_id = self.current_id()
        if document_id is None:
            self.statusBar().showMessage(_("Select a document to review its translation."), 8000)
            return
        from qirtas.desktop.bilingual_view import BilingualView  # loaded when first used, not at start-up

        view = BilingualView(self.session, document_id, self)
        view.setWindowFlag(Qt.WindowType.Window)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.resize(initial_size(available_size(self), view.minimumSizeHint(), QSize(1100, 700)))
        view.show()
        self.review_window = view

    def show_vocabulary(self) -> None:
        if self.vocabulary_dialog is None:
            self.vocabulary_dialog = VocabularyManager(self.session, self)
        self.vocabulary_dialog.reload()
        self.vocabulary_dialog.show()
        self.vocabulary_dialog.raise_()

    # ---- importing -----------------------------------------------------------------------------------
    def _write_failed(self, error: BaseException) -> None:
        show_error(self, error, archive=self.session.archive.path)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.imports.start(paths)

    def carry_over(self, previous: MainWindow) -> None:
        """Take the search, ticks, selection and running import of the window this one replaces."""
        for tag_ids in previous.state.selected.values():
            for tag_id in tag_ids:
                self.sidebar.set_checked(tag_id)  # each tick refreshes
        self.search_field.setText(previous.search_field.text())
        self._search_now()
        current = previous.current_id()
        if current is not None:
            self.select_document(current)
        if previous.imports.job is not None:
            self.imports.adopt(previous.imports.job)

    # ---- state kept between runs ---------------------------------------------------------------------
    def _restore_settings(self) -> None:
        header_saved = self.settings.value("window/table_header") is not None
        for key, restore in (
            ("window/geometry", self.restoreGeometry),
            ("window/main_splitter", self.main_splitter.restoreState),
            ("window/right_splitter", self.right_splitter.restoreState),
            ("window/reader_splitter", self.reader.splitter.restoreState),
            ("window/table_header", self.table.horizontalHeader().restoreState),
        ):
            value = self.settings.value(key)
            if value is not None:
                restore(value)
        keep_on_screen(self)
        # A saved header brings back its session's modes and widths: fit the columns again, keeping the
        # width the person gave the tags.
        fit_columns(self.table, keep_tags_width=header_saved)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/main_splitter", self.main_splitter.saveState())
        self.settings.setValue("window/right_splitter", self.right_splitter.saveState())
        self.settings.setValue("window/reader_splitter", self.reader.splitter.saveState())
        self.settings.setValue("window/table_header", self.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.retire()
        if self.imports.job is not None:
            self.imports.job.cancel()
        self.save_settings()
        super().closeEvent(event)
