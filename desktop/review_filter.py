"""View › Documents by review state: the document list restricted to translations in one review state."""

from __future__ import annotations

from archive.bilingual import documents_in_review_state
from desktop.labels import count_text
from desktop.lifetime import Lifetime
from desktop.qt import QAction, QActionGroup, QObject
from i18n import N_, _, ngettext

STATE_LABELS = {
    "unreviewed": N_("Not reviewed yet"),
    "in_progress": N_("Review in progress"),
    "needs_revision": N_("Needs revision"),
    "approved": N_("Approved"),
    "none": N_("Without a translation"),
}


class ReviewFilter(QObject):
    """One checkable choice per review state; "All documents" takes the filter off."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._lifetime = Lifetime(window)
        self.group = QActionGroup(window)
        self.group.setExclusive(True)
        self.all_action = self._action(_("All documents (no review filter)"), None)
        self.state_actions = {state: self._action(_(label), state) for state, label in STATE_LABELS.items()}
        self.all_action.setChecked(True)
        self.state: str | None = None
        window.session.changed.connect(self._archive_changed)

    def _action(self, text: str, state: str | None) -> QAction:
        action = QAction(text, self.group)
        action.setCheckable(True)
        action.triggered.connect(lambda _checked=False, state=state: self.show_state(state))
        return action

    def install(self, view_menu) -> None:
        menu = view_menu.addMenu(_("Documents by &review state"))
        menu.addAction(self.all_action)
        menu.addSeparator()
        menu.addActions(list(self.state_actions.values()))
        menu.aboutToShow.connect(self._sync)

    def _sync(self) -> None:
        if self.window.state.ids is None:  # Clear search and filters (or another filter) took it off
            self.state = None
            self.all_action.setChecked(True)

    def show_state(self, state: str | None) -> None:
        """Show only the documents in review `state` (None: every document again)."""
        self.state = state
        (self.state_actions[state] if state else self.all_action).setChecked(True)
        if state is None:
            self.window.state.ids = None
            self.window.refresh()
            return
        integrity = getattr(self.window, "integrity_filter", None)
        if integrity is not None:  # one list restriction at a time: this choice replaces that one
            integrity.kinds = None
            integrity.all_action.setChecked(True)
        self._look_up(state, chosen=True)

    def _look_up(self, state: str, chosen: bool) -> None:
        archive = self.window.archive
        self.window.session.read(
            lambda: documents_in_review_state(archive, state), lambda ids: self._found(state, ids, chosen)
        )

    def _archive_changed(self) -> None:
        if self.state is not None and self.window.state.ids is not None:
            self._look_up(self.state, chosen=False)

    def _found(self, state: str, ids: list[int], chosen: bool) -> None:
        window = self.window
        if not self._lifetime.alive or self.state != state:
            return
        if not chosen and (window.state.ids is None or ids == window.state.ids):
            return
        window.state.ids = ids
        window.refresh()
        if chosen:
            if ids and window.current_id() not in ids:
                window.select_document(ids[0])
            window.statusBar().showMessage(
                ngettext("{count} document: {state}.", "{count} documents: {state}.", len(ids)).format(
                    count=count_text(len(ids)), state=_(STATE_LABELS[state])
                ),
                15000,
            )


def install_review_filter(window) -> ReviewFilter:
    """Add the filter to the View menu (the menu that holds Clear search and filters)."""
    review_filter = ReviewFilter(window)
    review_filter.install(window.commands.view_menu)
    window.review_filter = review_filter
    return review_filter
