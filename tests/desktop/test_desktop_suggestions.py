"""The suggestions pane: evidence shown, accept and reject in one click, Accept all, and after an import."""

from __future__ import annotations

import pytest
from qirtas.archive.models import DocumentTag, Tag
from qirtas.archive.suggest import suggest
from qirtas.desktop.views.suggestions import evidence_html

pytestmark = pytest.mark.usefixtures("qapp")

INTERNATIONAL_COOPERATION = 1  # seed 000: names Saudi Arabia, Bahrain, Egypt…
DUSHANBE_ARABIC = 6  # seed 005, in Arabic


def show(window, qtbot, document_id):
    panel = window.suggestions_panel
    assert window.select_document(document_id)
    qtbot.waitUntil(lambda: panel.suggestions is not None and panel.suggestions.document_id == document_id)
    return panel


def row_named(panel, name):
    return next(row for row in panel.rows if row.suggestion.name_en == name and not row.isHidden())


def regions_of(archive, document_id):
    return {tag.name_en for tag in archive.document_tags(document_id)["region"]}


def test_each_suggestion_shows_its_evidence_with_the_words_emphasised(demo_window, qtbot):
    panel = show(demo_window, qtbot, INTERNATIONAL_COOPERATION)
    row = row_named(panel, "Saudi Arabia")
    assert row.accept_button.text() == "Accept" and row.reject_button.text() == "Reject"
    text = row.label.text()
    assert "<b>Saudi Arabia</b> · Region" in text
    assert "Saudi Arabia</span>" in text and "background-color" in text  # the phrase marked in its sentence
    event = next(row for row in panel.rows if row.suggestion.facet == "event")
    assert "· Event ·" in event.label.text()
    assert panel.toggle.text() == f"Suggested tags ({len(panel.rows)})"


def test_accepting_a_suggestion_tags_the_document_as_suggested(demo_window, qtbot, wait_for_writes):
    window = demo_window
    panel = show(window, qtbot, INTERNATIONAL_COOPERATION)
    assert "Saudi Arabia" not in regions_of(window.archive, INTERNATIONAL_COOPERATION)
    row_named(panel, "Saudi Arabia").accept_button.click()
    wait_for_writes(window.session)
    assert "Saudi Arabia" in regions_of(window.archive, INTERNATIONAL_COOPERATION)
    tag = Tag.get(Tag.name_en == "Saudi Arabia")
    link = DocumentTag.get(DocumentTag.document == INTERNATIONAL_COOPERATION, DocumentTag.tag == tag)
    assert link.suggested
    assert "Saudi Arabia" in window.reader.tags.text()  # the reader's tag list refreshed
    assert window.sidebar.item_for(tag.id) is not None  # a new tag appears among the facets
    qtbot.waitUntil(lambda: not any(r.suggestion.name_en == "Saudi Arabia" for r in panel.rows))
    assert panel.rows  # the others are still proposed


def test_rejecting_a_suggestion_removes_it_for_good(demo_window, qtbot, wait_for_writes):
    window = demo_window
    panel = show(window, qtbot, INTERNATIONAL_COOPERATION)
    before = len(panel.rows)
    row_named(panel, "Bahrain").reject_button.click()
    assert not row_named_or_none(panel, "Bahrain")  # gone at once
    wait_for_writes(window.session)
    qtbot.waitUntil(lambda: len(panel.rows) == before - 1)
    assert "Bahrain" not in regions_of(window.archive, INTERNATIONAL_COOPERATION)
    assert all(s.name_en != "Bahrain" for s in suggest(window.archive, INTERNATIONAL_COOPERATION).all())


def row_named_or_none(panel, name):
    return next((row for row in panel.rows if row.suggestion.name_en == name and not row.isHidden()), None)


def test_accept_all_then_nothing_is_left_to_suggest(demo_window, qtbot, wait_for_writes):
    window = demo_window
    panel = show(window, qtbot, DUSHANBE_ARABIC)
    names = {s.name_en for s in panel.suggestions.region}
    assert {"Tajikistan", "Russia"} <= names
    arabic = row_named(panel, "Tajikistan").label.text()
    assert 'dir="rtl"' in arabic and "طاجيكستان</span>" in arabic  # Arabic evidence reads right to left
    panel.accept_all_button.click()
    wait_for_writes(window.session)
    qtbot.waitUntil(lambda: not panel.rows and panel.status.text() == "No suggestions for this document.")
    assert names <= regions_of(window.archive, DUSHANBE_ARABIC)
    assert not panel.accept_all_button.isEnabled()


def test_tools_suggest_tags_opens_the_pane_on_the_current_document(demo_window, qtbot):
    window = demo_window
    panel = window.suggestions_panel
    panel.toggle.setChecked(False)
    assert not panel.scroll.isVisibleTo(panel)
    window.select_document(INTERNATIONAL_COOPERATION)
    window.suggest_action.trigger()
    assert panel.scroll.isVisibleTo(panel)
    qtbot.waitUntil(lambda: panel.suggestions is not None and len(panel.rows) > 3)


def test_evidence_markup_escapes_the_text():
    class Fake:
        evidence = "<script> & Cairo"
        match = "Cairo"

    assert evidence_html(Fake()) == '&lt;script&gt; &amp; <span style="{}">Cairo</span>'.format(
        "background-color: #ffe08a; color: #000000; font-weight: bold;"
    )


def test_after_an_import_the_report_offers_the_suggestions(demo_window, qtbot, wait_for_writes, tmp_path):
    window = demo_window
    new = tmp_path / "note.txt"
    new.write_text(
        "Experts met in Nairobi, Kenya, and in Singapore to discuss human rights online.\n", encoding="utf-8"
    )
    window.imports.start([str(new)])
    qtbot.waitUntil(lambda: window.imports.report_dialog is not None, timeout=20_000)
    report = window.imports.report_dialog
    report.suggest_button.click()
    dialog = report.suggestions_dialog
    qtbot.waitUntil(lambda: dialog.accept_button.isEnabled())
    assert "suggestions for the documents just imported" in dialog.summary.text()
    top = dialog.tree.topLevelItem(0)
    names = [top.child(i).text(0) for i in range(top.childCount())]
    assert "Region: Kenya" in names and "Region: Singapore" in names
    dialog.tick_all(True)
    dialog.accept_ticked()
    wait_for_writes(window.session)
    document_id = window.archive.document_ids()[-1]
    assert {"Kenya", "Singapore"} <= regions_of(window.archive, document_id)
    qtbot.waitUntil(lambda: "accepted" in dialog.summary.text())
    report.close()


def test_in_the_arabic_ui_a_suggested_place_and_its_parent_read_in_arabic():
    from qirtas.archive.suggest import Suggestion
    from qirtas.desktop.views.suggestions import suggestion_html
    from qirtas.i18n import setup_i18n

    region = Suggestion(
        "region", "region:TJ", "Tajikistan", "طاجيكستان", "وعقد في طاجيكستان", "طاجيكستان", 0, 9
    )
    region.parent = "Central Asia"
    try:
        setup_i18n("ar")
        shown = suggestion_html(region)
    finally:
        setup_i18n("en")
    assert "<b>طاجيكستان</b>" in shown and "وسط آسيا" in shown and "Central Asia" not in shown
    assert "in Central Asia" in suggestion_html(region)


def test_theme_keywords_edited_in_the_dialog_change_the_suggestions(demo_window, qtbot, wait_for_writes):
    window = demo_window
    seed_001 = 2
    panel = show(window, qtbot, seed_001)
    assert "Hate speech" not in {s.name_en for s in panel.suggestions.theme}
    window.theme_keywords_action.trigger()
    dialog = window.theme_keywords_dialog
    hate = next(t.tag_id for t in dialog.themes if t.name_en == "Hate speech")
    dialog.select_theme(hate)
    assert "hate speech" in dialog.english.toPlainText().casefold()
    assert dialog.state.text() == "The default keywords."
    dialog.english.setPlainText("hate speech\nwebinar")
    dialog.save_button.click()
    wait_for_writes(window.session)
    assert dialog.state.text() == "Edited keywords." and dialog.current().en == ["hate speech", "webinar"]
    qtbot.waitUntil(lambda: any(r.suggestion.name_en == "Hate speech" for r in panel.rows))
    row = row_named(panel, "Hate speech")
    assert "webinar</span>" in row.label.text()
    dialog.defaults_button.click()
    wait_for_writes(window.session)
    qtbot.waitUntil(lambda: not any(r.suggestion.name_en == "Hate speech" for r in panel.rows))
    dialog.close()


def test_suggestions_arriving_after_a_language_switch_are_dropped(demo_window, gui_app, qtbot):
    import threading

    session = demo_window.session
    gate = threading.Event()
    session.reads.submit(None, gate.wait)  # hold the read thread: the suggestions queue behind
    demo_window.select_document(INTERNATIONAL_COOPERATION)
    gui_app.switch_language("ar")  # the old window (and its pane) is deleted meanwhile
    qtbot.wait(20)
    gate.set()
    qtbot.waitUntil(lambda: not session.reads.busy)  # the late result must not touch the deleted pane
    panel = gui_app.window.suggestions_panel
    gui_app.window.select_document(INTERNATIONAL_COOPERATION)
    qtbot.waitUntil(lambda: panel.suggestions is not None and len(panel.rows) > 3)
    gui_app.switch_language("en")
