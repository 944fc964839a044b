"""View-menu choices that restrict the document list to some documents (`window.state.ids`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from qirtas.desktop.lifetime import Lifetime
from qirtas.desktop.qt import QAction, QActionGroup, QObject


class ListFilter(QObject):
    """One exclusive group of checkable choices; "All documents" takes the restriction off.

    A subclass says how the ids of a choice are found (`find`) and what the status bar says once they are
    shown (`message`). One list filter restricts the list at a time: a choice in one resets the others. The
    list follows the archive while a choice holds. A QObject child of the window, so its connection to the
    session ends with the window (a language switch builds a new one).
    """

    def __init__(self, window, all_label: str, choices: list[tuple[str, Hashable]]) -> None:
        super().__init__(window)
        self.window = window
        self._lifetime = Lifetime(window)
        self.group = QActionGroup(window)
        self.group.setExclusive(True)
        self.menu = None
        self.all_action = self._action(all_label, None)
        self.actions = {key: self._action(label, key) for label, key in choices}
        self.all_action.setChecked(True)
        self.choice: Hashable | None = None
        window.session.changed.connect(self._archive_changed)

    # ---- what a subclass says ----------------------------------------------------------------------
    def find(self, choice: Hashable, done: Callable[[list[int]], None]) -> None:
        """Look up the ids of `choice` off the GUI thread and call `done` with them."""
        raise NotImplementedError

    def message(self, choice: Hashable, ids: list[int]) -> str:
        """The status bar's sentence once the documents of `choice` are shown."""
        raise NotImplementedError

    def looking(self, choice: Hashable) -> None:
        """Called when a choice is made, before its ids are looked up (a long look-up says so here)."""

    # ---- the mechanism -----------------------------------------------------------------------------
    def _action(self, text: str, choice: Hashable | None) -> QAction:
        action = QAction(text, self.group)
        action.setCheckable(True)
        action.triggered.connect(lambda _checked=False, choice=choice: self.choose(choice))
        return action

    def install(self, view_menu, title: str) -> None:
        self.menu = view_menu.addMenu(title)
        self.menu.addAction(self.all_action)
        self.menu.addSeparator()
        self.menu.addActions(list(self.actions.values()))
        self.menu.aboutToShow.connect(self._sync)

    def _sync(self) -> None:
        if self.window.state.ids is None:  # Clear search and filters took it off
            self._reset()

    def _reset(self) -> None:
        self.choice = None
        self.all_action.setChecked(True)

    def choose(self, choice: Hashable | None) -> None:
        """Show only the documents of `choice` (None: every document again)."""
        window = self.window
        self.choice = choice
        (self.all_action if choice is None else self.actions[choice]).setChecked(True)
        if choice is None:
            window.state.ids = None
            window.refresh()
            return
        for other in window.list_filters:  # this choice replaces another filter's restriction (the window
            # lists every feature's filters)
            if other is not self:
                other._reset()
        self.looking(choice)
        self._look_up(choice, chosen=True)

    def _look_up(self, choice: Hashable, chosen: bool) -> None:
        self.find(choice, lambda ids: self._found(choice, ids, chosen))

    def _archive_changed(self) -> None:
        """Documents imported, edited or deleted: the restricted list follows."""
        if self.choice is not None and self.window.state.ids is not None:
            self._look_up(self.choice, chosen=False)

    def _found(self, choice: Hashable, ids: list[int], chosen: bool) -> None:
        window = self.window
        if not self._lifetime.alive or self.choice != choice:  # window replaced, or another choice since
            return
        if not chosen:
            if window.state.ids is not None and ids != window.state.ids:
                window.state.ids = ids
                window.refresh()
            return
        window.state.ids = ids
        window.refresh()
        if ids and window.current_id() not in ids:
            window.select_document(ids[0])
        window.statusBar().showMessage(self.message(choice, ids), 15000)
