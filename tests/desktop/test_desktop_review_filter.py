"""View › Documents by review state lists the translations in the chosen state, and follows reviews."""

from __future__ import annotations

from qirtas.archive.bilingual import Review


def _pair_ids(window):
    archive = window.session.archive
    english = next(d for d in archive.list_documents()[1] if d.source_name.startswith("004"))
    return english.id, archive.translations(english.id)[0]


def _shown_ids(window):
    return [window.model.id_at(row) for row in range(window.model.rowCount())]


def test_filter_by_review_state_and_follow_a_review(demo_window, qtbot, wait_for_writes):
    window = demo_window
    en_id, ar_id = _pair_ids(window)
    window.review_filter.show_state("unreviewed")
    qtbot.waitUntil(lambda: sorted(_shown_ids(window)) == sorted([en_id, ar_id]), timeout=10_000)
    window.review_filter.show_state("approved")
    qtbot.waitUntil(lambda: _shown_ids(window) == [], timeout=10_000)

    review = Review(window.session.archive, en_id, ar_id)
    for index in range(len(review.pairs())):
        review.set_review(index, status="approved")
    window.session.changed.emit()  # as after a review made in the bilingual view
    qtbot.waitUntil(lambda: sorted(_shown_ids(window)) == sorted([en_id, ar_id]), timeout=10_000)

    window.review_filter.show_state(None)
    qtbot.waitUntil(lambda: len(_shown_ids(window)) == window.session.archive.count(), timeout=10_000)


def test_one_list_filter_at_a_time_and_the_last_choice_holds_after_a_change(demo_window, qtbot):
    window = demo_window
    en_id, ar_id = _pair_ids(window)
    window.review_filter.show_state("unreviewed")
    qtbot.waitUntil(lambda: sorted(_shown_ids(window)) == sorted([en_id, ar_id]), timeout=10_000)
    window.integrity_filter.kind_actions["unexpected-script"].trigger()  # seed 001's injected Chinese
    qtbot.waitUntil(lambda: len(_shown_ids(window)) == 1 and en_id not in _shown_ids(window), timeout=10_000)
    assert window.review_filter.all_action.isChecked()
    shown = _shown_ids(window)
    window.session.changed.emit()  # the review filter no longer answers changes with its own list
    qtbot.wait(300)
    assert _shown_ids(window) == shown
