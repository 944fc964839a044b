"""Tagging several documents with undo and redo, new tags in both languages, and the vocabulary manager."""

from __future__ import annotations

import pytest
from qirtas.archive import vocabulary
from qirtas.archive.archive import ArchiveError
from qirtas.desktop.dialogs.tagging import TagSpec
from qirtas.desktop.qt import QInputDialog, QMessageBox, QSelectionFlag

pytestmark = pytest.mark.usefixtures("qapp")


def select_rows(window, rows):
    model, selection = window.model, window.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(model.index(row, 0), QSelectionFlag.Select | QSelectionFlag.Rows)
    return window.selected_ids()


def themes_of(archive, document_id):
    return {tag.name_en for tag in archive.document_tags(document_id)["theme"]}


def test_tag_several_documents_then_undo_and_redo(demo_window, wait_for_writes):
    window = demo_window
    ids = select_rows(window, [0, 1, 2])
    assert window.tag_editor.heading.text() == "Tags of 3 selected documents"
    already = [i for i in ids if "Human rights" in themes_of(window.archive, i)]
    window.tag_editor.facet_combo.setCurrentIndex(window.tag_editor.facet_combo.findData("theme"))
    window.tag_editor.field.setText("حقوق الإنسان")  # the Arabic name completes to the same tag
    window.tag_editor.add_button.click()
    wait_for_writes(window.session)
    assert all("Human rights" in themes_of(window.archive, i) for i in ids)
    assert window.commands.undo.isEnabled()
    assert "Human rights" in window.commands.undo.text() or "حقوق" in window.commands.undo.text()

    window.commands.undo.trigger()
    wait_for_writes(window.session)
    # Undo removes the tag only where it was added: a document that had it keeps it.
    assert [i for i in ids if "Human rights" in themes_of(window.archive, i)] == already
    window.commands.redo.trigger()
    wait_for_writes(window.session)
    assert all("Human rights" in themes_of(window.archive, i) for i in ids)
    assert window.selected_ids() == ids  # the selection survives the refresh


def test_removing_a_tag_from_the_selection_is_undoable(demo_window, wait_for_writes):
    window = demo_window
    total = window.archive.count()
    ids = select_rows(window, list(range(total)))
    item = next(
        window.tag_editor.list.item(i)
        for i in range(window.tag_editor.list.count())
        if "Terrorist use of the Internet" in window.tag_editor.list.item(i).text()
    )
    assert f"(on 3 of {total})" in item.text()
    item.setSelected(True)
    window.tag_editor.remove_button.click()
    wait_for_writes(window.session)
    assert not any("Terrorist use of the Internet" in themes_of(window.archive, i) for i in ids)
    window.commands.undo.trigger()
    wait_for_writes(window.session)
    assert sum("Terrorist use of the Internet" in themes_of(window.archive, i) for i in ids) == 3


def test_a_new_tag_asks_for_both_names(demo_window, wait_for_writes):
    window = demo_window
    ids = select_rows(window, [0, 3])
    asked = []

    def ask(archive, facet, typed, parent):
        asked.append((facet, typed))
        return TagSpec(facet, name_en="Water", name_ar="المياه")

    window.tag_editor.ask_new_tag = ask
    window.tag_editor.facet_combo.setCurrentIndex(window.tag_editor.facet_combo.findData("theme"))
    window.tag_editor.field.setText("Water")
    window.tag_editor.field.returnPressed.emit()
    wait_for_writes(window.session)
    assert asked == [("theme", "Water")]
    tag = window.archive.find_tag("theme", "المياه")
    assert tag is not None and tag.name_en == "Water"
    assert all("Water" in themes_of(window.archive, i) for i in ids)
    assert window.tag_editor.completer.tag_for("المياه").id == tag.id


def test_the_completer_offers_tags_in_both_languages(demo_window):
    completer = demo_window.tag_editor.completer
    completer.set_facet("region")
    completer.setCompletionPrefix("دوشان")
    assert completer.currentCompletion() == "Dushanbe — دوشانبي"
    completer.setCompletionPrefix("dusha")
    assert completer.currentCompletion() == "Dushanbe — دوشانبي"


def test_vocabulary_manager_merge_move_and_delete(demo_window, monkeypatch, wait_for_writes):
    window = demo_window
    archive = window.archive
    window.show_vocabulary()
    manager = window.vocabulary_dialog
    cooperation = archive.find_tag("theme", "International cooperation")
    human_rights = archive.find_tag("theme", "Human rights")

    manager.select_tag(human_rights.id)
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda *args: ("International cooperation — التعاون الدولي", True)
    )
    manager.merge()
    wait_for_writes(window.session)
    assert vocabulary.get_tag(archive, human_rights.id) is None
    assert "Human rights" not in [t.name_en for t in archive.tags("theme")]

    dushanbe = archive.find_tag("region", "Dushanbe")
    manager.select_tag(dushanbe.id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("(top level)", True))
    manager.move()
    wait_for_writes(window.session)
    assert vocabulary.get_tag(archive, dushanbe.id).parent_id is None
    assert window.sidebar.item_for(dushanbe.id).parent() is window.sidebar._facet_items["region"]

    questions = []

    def answer(_parent, _title, text, *_args):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    manager.select_tag(cooperation.id)
    manager.delete()
    wait_for_writes(window.session)
    assert "removed from 2 documents" in questions[0]
    assert vocabulary.get_tag(archive, cooperation.id) is None
    assert window.sidebar.item_for(cooperation.id) is None


def test_vocabulary_functions_refuse_what_would_break_the_tree(demo_archive):
    central_asia = demo_archive.find_tag("region", "Central Asia")
    dushanbe = demo_archive.find_tag("region", "Dushanbe")
    theme = demo_archive.tags("theme")[0]
    with pytest.raises(ArchiveError):
        vocabulary.move_region(demo_archive, central_asia.id, dushanbe.id)  # under its own child
    with pytest.raises(ArchiveError):
        vocabulary.merge_tags(demo_archive, theme.id, dushanbe.id)  # different facets
    other = demo_archive.tags("theme")[1]
    with pytest.raises(ArchiveError):
        vocabulary.rename_tag(demo_archive, theme.id, other.name_en, "")
    renamed = vocabulary.rename_tag(demo_archive, theme.id, "Renamed", "معاد تسميته")
    assert demo_archive.find_tag("theme", "معاد تسميته").id == renamed.id
    actions = [event.action for event in demo_archive.audit_trail()]
    assert "tag-renamed" in actions


def test_the_completer_ignores_hamza_diacritics_and_case(demo_window):
    completer = demo_window.tag_editor.completer
    completer.set_facet("region")
    completer.setCompletionPrefix("الامارات")  # typed without the hamza of الإمارات
    assert completer.currentCompletion().endswith("الإمارات العربية المتحدة")
    completer.setCompletionPrefix("UNITED ARAB")
    assert completer.currentCompletion().startswith("United Arab Emirates")
