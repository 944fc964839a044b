"""A clean vocabulary in the window (issue 19, point 3): a new tag is confirmed in a dialog that names it and
offers the closest existing names; a name that shows nothing cannot be created; the vocabulary manager
counts a region's documents directly and with the places inside, as the sidebar does."""

from __future__ import annotations

import pytest
from qirtas.desktop.dialogs.tagging import NewTagDialog, TagEditor
from qirtas.desktop.qt import QDialog, QDialogButtonBox, QSelectionFlag

pytestmark = pytest.mark.usefixtures("qapp")


def test_a_misspelt_region_offers_the_existing_one_and_using_it_tags_with_it(demo_window, wait_for_writes):
    window = demo_window
    archive = window.archive
    tajikistan = archive.find_tag("region", "Tajikistan")
    regions_before = len(archive.tags("region"))
    dialogs = []

    def answer(self, facet, typed):  # the real dialog, answered by a click on the offered name
        dialog = NewTagDialog(archive, facet, typed, self)
        dialogs.append(dialog)
        [button] = dialog.close_buttons
        assert button.text() == "Use “\u2068Tajikistan — طاجيكستان\u2069”"
        button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.spec()

    window.tag_editor._new_tag = answer.__get__(window.tag_editor, TagEditor)
    window.table.selectionModel().select(
        window.model.index(0, 0), QSelectionFlag.ClearAndSelect | QSelectionFlag.Rows
    )
    editor = window.tag_editor
    editor.facet_combo.setCurrentIndex(editor.facet_combo.findData("region"))
    editor.field.setText("Tajikstan")
    editor.add_button.click()
    wait_for_writes(window.session)
    assert "Tajikstan" in dialogs[0].question.text() and "region" in dialogs[0].question.text()
    document_id = window.selected_ids()[0]
    assert tajikistan.id in [t.id for t in archive.document_tags(document_id)["region"]]
    assert len(archive.tags("region")) == regions_before


def test_the_new_tag_dialog_names_the_tag_and_refuses_invisible_names(demo_window):
    dialog = NewTagDialog(demo_window.archive, "theme", "Atlantis", demo_window)
    assert dialog.question.text() == "No theme is named “\u2068Atlantis\u2069”: create a new theme?"
    assert dialog.close_buttons == []
    create = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert create.isEnabled() and create.text() == "Create new tag"
    for invisible in ("\u200b", " \u2066\u2069 ", "\u3164"):
        dialog.name_en.setText(invisible)
        dialog.name_ar.setText("")
        assert not create.isEnabled(), repr(invisible)
    dialog.name_ar.setText("أتلانتس")
    assert create.isEnabled()


def test_the_vocabulary_manager_shows_direct_counts_and_counts_with_places_inside(demo_window):
    window = demo_window
    window.show_vocabulary()
    manager = window.vocabulary_dialog
    header = manager.tree.headerItem()
    assert [header.text(column) for column in (2, 3)] == ["Tagged directly", "With places inside"]
    archive = window.archive
    world = archive.find_tag("region", "World")
    direct = archive.facet_counts(None)
    inside = archive.facet_counts(None, include_descendants=True)
    assert inside[world.id] > direct.get(world.id, 0)  # the demo tags countries, not the World
    manager.select_tag(world.id)
    item = manager.tree.currentItem()
    assert item.text(2) == str(direct.get(world.id, 0))
    assert item.text(3) == str(inside[world.id])
    theme = archive.tags("theme")[0]
    manager.select_tag(theme.id)
    assert manager.tree.currentItem().text(3) == ""  # themes have nothing inside them


def test_the_offered_name_comes_first_in_the_ui_language(demo_archive):
    from qirtas.desktop.dialogs.tagging import names_ui_first
    from qirtas.i18n import setup_i18n

    tajikistan = demo_archive.find_tag("region", "Tajikistan")
    assert names_ui_first(tajikistan) == "Tajikistan — طاجيكستان"
    setup_i18n("ar")
    try:
        assert names_ui_first(tajikistan) == "طاجيكستان — Tajikistan"
    finally:
        setup_i18n("en")


def test_the_rename_dialog_refuses_a_name_that_shows_nothing(demo_window):
    from qirtas.desktop.dialogs.vocabulary import RenameDialog

    dialog = RenameDialog(demo_window.archive.tags("theme")[0], demo_window)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.name_en.setText("\u200b")
    dialog.name_ar.setText(" \u2066\u2069 ")
    assert not ok.isEnabled()
    dialog.name_ar.setText("حقوق")
    assert ok.isEnabled()
