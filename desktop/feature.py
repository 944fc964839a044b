"""What a feature adds to the main window (`Feature`), and what of the window it may use (`FeatureHost`).

The window builds each class of its `FEATURES` list with itself, keeps them in `window.features` by key
and places what each declares: File actions (before Quit), Tools actions, View-menu list filters, panels
under the tag editor and buttons in the reader's row. A feature sets nothing on the window; the window
names what tests and other features reach (`window.archive_jobs`, `window.suggestions_panel`, …).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:  # types only: the modules named here import nothing of the features
    from qirtas.archive.archive import Archive
    from qirtas.archive.models import Document
    from qirtas.desktop.jobs.session import Session
    from qirtas.desktop.qt import QAction, QObject, QPushButton, QSettings, QSplitter, QStatusBar, QWidget
    from qirtas.desktop.views.browse import BrowseResult, BrowseState
    from qirtas.desktop.views.list_filter import ListFilter


class ReaderSlots(Protocol):
    """The reader (desktop/views/reader.py, not imported: the reader shows a feature's findings)."""

    shown: Any  # Signal(int): a document is shown (0: none)
    document: Document | None
    query: str

    def show_document(self, document_id: int, query: str = "") -> None: ...
    def add_button(self, name: str, button: QPushButton) -> None: ...


class FeatureHost(Protocol):
    """The main window as a feature sees it."""

    session: Session
    archive: Archive
    settings: QSettings
    state: BrowseState
    result: BrowseResult
    reader: ReaderSlots
    right_splitter: QSplitter

    @property
    def archive_total(self) -> int | None: ...
    def statusBar(self) -> QStatusBar: ...
    def current_id(self) -> int | None: ...
    def selected_ids(self) -> list[int]: ...
    def select_document(self, document_id: int) -> bool: ...
    def refresh(self) -> None: ...
    def installEventFilter(self, watcher: QObject) -> None: ...


class Feature:
    """One capability the main window is built with. Subclasses (QObjects too: put QObject first) are
    made with the window, `FeatureClass(window)`, and override what they add; each list is read once."""

    key: ClassVar[str]  # its name in `window.features`

    def file_actions(self) -> list[QAction]:
        """Actions for the File menu, placed before Quit after a separator."""
        return []

    def tools_actions(self) -> list[QAction]:
        """Actions for the Tools menu (made before Help when a feature first has some)."""
        return []

    def view_filters(self) -> list[tuple[str, ListFilter]]:
        """(submenu title, list filter) pairs for the View menu; one list filter restricts at a time."""
        return []

    def side_panels(self) -> list[QWidget]:
        """Panels under the tag editor, each with its share of the height in `window.RIGHT_SHARES`."""
        return []

    def reader_buttons(self) -> dict[str, QPushButton]:
        """Buttons for the reader's row, by name (`reader.extra_buttons`)."""
        return {}

    def retire(self) -> None:
        """The window is closing or being replaced: ignore results still on their way."""
