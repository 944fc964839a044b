"""View › Documents by review state: the document list restricted to translations in one review state."""

from __future__ import annotations

from qirtas.archive.bilingual import documents_in_review_state
from qirtas.desktop.feature import Feature
from qirtas.desktop.labels import count_text
from qirtas.desktop.views.list_filter import ListFilter
from qirtas.i18n import N_, _, ngettext

STATE_LABELS = {
    "unreviewed": N_("Not reviewed yet"),
    "in_progress": N_("Review in progress"),
    "needs_revision": N_("Needs revision"),
    "approved": N_("Approved"),
    "none": N_("Without a translation"),
}


class ReviewFilter(ListFilter, Feature):
    """View › Documents by review state: one checkable choice per review state; "All documents" takes the
    filter off."""

    key = "review_filter"

    def __init__(self, window) -> None:
        super().__init__(
            window,
            _("All documents (no review filter)"),
            [(_(label), state) for state, label in STATE_LABELS.items()],
        )

    def view_filters(self) -> list[tuple[str, ListFilter]]:
        return [(_("Documents by &review state"), self)]

    def show_state(self, state: str | None) -> None:
        """Show only the documents in review `state` (None: every document again)."""
        self.choose(state)

    def find(self, state, done) -> None:
        archive = self.window.archive
        self.window.session.read(lambda: documents_in_review_state(archive, state), done)

    def message(self, state, ids: list[int]) -> str:
        return ngettext("{count} document: {state}.", "{count} documents: {state}.", len(ids)).format(
            count=count_text(len(ids)), state=_(STATE_LABELS[state])
        )
