"""The main window's actions and menus (File, Edit, View, Help), and the recent-archives list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from qirtas.desktop.dialogs.about import show_about
from qirtas.desktop.dialogs.dialogs import show_search_syntax
from qirtas.desktop.qt import QAction, QActionGroup, QFileDialog, QKeySequence, QMenuBar, QSettings, Qt
from qirtas.i18n import _, current_language
from qirtas.i18n.formatting import digits_setting

if TYPE_CHECKING:
    from qirtas.desktop.jobs.importing import ImportController
    from qirtas.desktop.jobs.session import Session
    from qirtas.desktop.qt import QTableView
    from qirtas.desktop.views.reader import Reader

MAX_RECENT = 8
ORIGINAL_PAGE_SETTING = "reader/original_page"
LANGUAGES = (("en", "English"), ("ar", "العربية"))  # each named in its own language


class CommandsHost(Protocol):
    """The main window as its commands see it (desktop/views/window.py builds MainActions with itself; this
    module does not import the window, which imports it)."""

    session: Session
    reader: Reader
    imports: ImportController
    table: QTableView
    settings: QSettings
    open_archive_requested: Any  # Signal(str, bool)
    language_requested: Any  # Signal(str)
    digits_requested: Any  # Signal(bool)

    def close(self) -> bool: ...
    def focus_search(self) -> None: ...
    def focus_tag_editor(self) -> None: ...
    def delete_selected(self) -> None: ...
    def review_translation(self) -> None: ...
    def show_vocabulary(self) -> None: ...
    def clear_filters(self) -> None: ...


class MainActions:
    """Every command of the main window, with its shortcut; `add_menus` puts them in the menu bar."""

    def __init__(self, window: CommandsHost) -> None:
        self.window = window
        session, reader = window.session, window.reader
        self.new_archive = self._action(
            _("&New archive…"), self.choose_new_archive, QKeySequence.StandardKey.New
        )
        self.open_archive = self._action(
            _("&Open archive…"), self.choose_archive, QKeySequence.StandardKey.Open
        )
        self.import_files = self._action(_("&Import files…"), window.imports.import_files, "Ctrl+I")
        self.import_folder = self._action(_("Import &folder…"), window.imports.import_folder, "Ctrl+Shift+I")
        self.quit = self._action(_("&Quit"), window.close, QKeySequence.StandardKey.Quit)
        self.undo = session.undo_stack.createUndoAction(window, _("&Undo"))
        self.undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo = session.undo_stack.createRedoAction(window, _("&Redo"))
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.find = self._action(_("&Find"), window.focus_search, QKeySequence.StandardKey.Find)
        self.tag = self._action(_("&Tag selected documents"), window.focus_tag_editor, "Ctrl+T")
        self.delete = self._action(_("&Delete documents…"), window.delete_selected)
        self.delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        # Delete belongs to the table: in the search field the key deletes characters.
        self.delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.table.addAction(self.delete)
        self.review = self._action(_("&Review translation…"), window.review_translation, "Ctrl+R")
        self.vocabulary = self._action(_("&Vocabulary…"), window.show_vocabulary, "Ctrl+Shift+V")
        self.clear_filters = self._action(
            _("&Clear search and filters"), window.clear_filters, "Ctrl+Shift+L"
        )
        self.original_page = QAction(_("Show original &page"), window)
        self.original_page.setCheckable(True)
        self.original_page.toggled.connect(reader.page_button.setChecked)
        reader.page_button.toggled.connect(self.original_page.setChecked)
        # Whoever checks scans against their text keeps the page beside it from one session to the next.
        reader.page_button.setChecked(window.settings.value(ORIGINAL_PAGE_SETTING, False, type=bool))
        reader.page_button.toggled.connect(lambda on: window.settings.setValue(ORIGINAL_PAGE_SETTING, on))
        self.search_syntax = self._action(_("&Search syntax"), lambda: show_search_syntax(window))
        self.about = self._action(_("&About Qirtas"), lambda: show_about(window, window.session.archive.path))
        self.languages = QActionGroup(window)
        for code, name in LANGUAGES:
            action = QAction(name, self.languages)
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.setData(code)
            action.triggered.connect(lambda _checked=False, code=code: window.language_requested.emit(code))
        self.arabic_digits = QAction(_("Arabic-Indic digits in the Arabic interface (٠١٢٣)"), window)
        self.arabic_digits.setCheckable(True)
        self.arabic_digits.setChecked(digits_setting() == "arab")
        self.arabic_digits.toggled.connect(window.digits_requested.emit)

    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())  # slots never receive `checked`
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def add_menus(self, menu_bar: QMenuBar) -> None:
        file_menu = menu_bar.addMenu(_("&File"))
        file_menu.addActions([self.new_archive, self.open_archive])
        self.recent_menu = file_menu.addMenu(_("&Recent archives"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.import_files, self.import_folder])
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu = menu_bar.addMenu(_("&Edit"))
        edit_menu.addActions([self.undo, self.redo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.find, self.tag, self.delete])
        edit_menu.addSeparator()
        edit_menu.addActions([self.review, self.vocabulary])
        view_menu = menu_bar.addMenu(_("&View"))
        self.view_menu = view_menu  # panels add their filters here (integrity, review state)
        view_menu.addActions([self.clear_filters, self.original_page])
        language_menu = view_menu.addMenu(_("&Language"))
        language_menu.addActions(self.languages.actions())
        language_menu.addSeparator()
        language_menu.addAction(self.arabic_digits)
        help_menu = menu_bar.addMenu(_("&Help"))
        help_menu.addActions([self.search_syntax, self.about])

    # ---- archives ------------------------------------------------------------------------------------
    def choose_new_archive(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, _("Choose an empty folder for the new archive")
        )
        if folder:
            self.window.open_archive_requested.emit(folder, True)

    def choose_archive(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, _("Open archive folder"))
        if folder:
            self.window.open_archive_requested.emit(folder, False)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = recent_archives(self.window.settings)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(
                lambda _checked=False, path=path: self.window.open_archive_requested.emit(path, False)
            )
        if not recent:
            self.recent_menu.addAction(_("(none yet)")).setEnabled(False)


def recent_archives(settings: QSettings) -> list[str]:
    value = settings.value("recent_archives", [])
    if isinstance(value, str):
        value = [value]
    return [str(path) for path in value or []]


def remember_archive(settings: QSettings, path: Path) -> None:
    recent = [str(path)] + [p for p in recent_archives(settings) if p != str(path)]
    settings.setValue("recent_archives", recent[:MAX_RECENT])
