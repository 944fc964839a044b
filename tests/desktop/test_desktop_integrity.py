"""Integrity badges in the reader, the repaired reading beside the stored text, and the findings filter."""

from __future__ import annotations

import pytest
from qirtas.archive.archive import NewDocument
from qirtas.archive.integrity import Finding
from qirtas.desktop.views.integrity import finding_sentence
from qirtas.importers import Extracted

pytestmark = pytest.mark.usefixtures("qapp")

SEED_001 = 2  # the English news item whose "UN" was replaced by Chinese spam
CLEAN = 1


def add_mojibake(window) -> int:
    original = "The UN’s “smaller platforms” – café and naïve résumé."
    damaged = original.encode("utf-8").decode("sloppy-windows-1252")
    extracted = Extracted(text=damaged, media_type="text/plain", language="en", title="Damaged note")
    document = window.archive.add(NewDocument(damaged.encode("utf-8"), extracted, "damaged.txt"))
    window.refresh()
    return document.id, original, damaged


def test_seed_001_shows_an_unexpected_script_badge_and_a_clean_seed_none(demo_window):
    window = demo_window
    bar = window.reader.integrity
    window.select_document(SEED_001)
    assert bar.isVisibleTo(window.reader)
    assert list(bar.badges) == ["unexpected-script"]
    assert bar.badges["unexpected-script"].text() == "Unexpected script"
    assert "Letters of an unexpected script" in bar.details.text()
    assert "appear 6 times" in bar.details.text()
    assert not bar.repaired_button.isVisibleTo(window.reader)  # nothing a repaired reading would change
    window.select_document(CLEAN)
    assert not bar.isVisibleTo(window.reader) and not bar.badges


def test_the_filter_lists_only_the_documents_with_that_kind(demo_window, qtbot):
    window = demo_window
    total = window.model.rowCount()
    window.integrity_filter.kind_actions["unexpected-script"].trigger()
    qtbot.waitUntil(lambda: window.model.ids() == [SEED_001])
    assert window.current_id() == SEED_001
    assert "1 document with integrity findings (Unexpected script)" in window.statusBar().currentMessage()
    window.integrity_filter.kind_actions["mojibake"].trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    damaged = "The UN’s “smaller platforms”".encode().decode("sloppy-windows-1252")
    extracted = Extracted(text=damaged, media_type="text/plain", language="en", title="Damaged")
    window.session.write(lambda: window.archive.add(NewDocument(damaged.encode(), extracted, "d.txt")))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)  # a new damaged document joins the filtered list
    window.commands.clear_filters.trigger()
    assert window.model.rowCount() == total + 1
    window.integrity_filter.menu.aboutToShow.emit()
    assert window.integrity_filter.all_action.isChecked()


def test_repaired_reading_is_shown_beside_the_stored_text_never_instead(demo_window, qtbot):
    window = demo_window
    document_id, original, damaged = add_mojibake(window)
    window.select_document(document_id)
    bar = window.reader.integrity
    assert "mojibake" in bar.badges and bar.badges["mojibake"].text() == "Mojibake"
    assert bar.repaired_button.isVisibleTo(window.reader)
    assert window.reader.browser.toPlainText().strip() == damaged
    bar.repaired_button.click()
    assert window.reader.browser.toPlainText().strip() == original
    assert bar.note.isVisibleTo(window.reader)
    assert window.archive.get(document_id).text == damaged  # the stored text is untouched
    bar.repaired_button.click()
    assert window.reader.browser.toPlainText().strip() == damaged
    bar.repaired_button.click()
    window.select_document(SEED_001)  # another document starts with its stored text
    assert not bar.repaired_button.isChecked() and not bar.note.isVisibleTo(window.reader)


def test_a_finding_reads_as_a_sentence_of_our_own_not_the_archive_detail():
    finding = Finding("replacement-character", "English detail", "a � b", count=2, field="title")
    assert finding_sentence(finding) == (  # the excerpt isolated: it keeps its own direction
        "In the title: 2 characters were lost when the file was read (shown as �): “\u2068a � b\u2069”."
    )


def test_a_long_text_is_checked_off_the_gui_thread_and_still_badged(demo_window, qtbot):
    window = demo_window
    text = "Cooperation between the 联合国 and the platforms was discussed at length. " * 1200
    extracted = Extracted(text=text, media_type="text/plain", language="en", title="Long report")
    document = window.archive.add(NewDocument(text.encode("utf-8"), extracted, "long.txt"))
    window.refresh()
    window.select_document(document.id)
    bar = window.reader.integrity
    qtbot.waitUntil(lambda: "unexpected-script" in bar.badges)
    assert "appear 1,200 times" in bar.details.text()
    window.select_document(CLEAN)
    assert not bar.badges


def test_after_a_language_switch_the_old_filter_no_longer_follows_the_archive(
    demo_window, gui_app, qtbot, wait_for_writes
):
    old = demo_window
    old.integrity_filter.kind_actions["unexpected-script"].trigger()
    qtbot.waitUntil(lambda: old.model.ids() == [SEED_001])
    gui_app.switch_language("ar")
    new = gui_app.window
    assert new is not old and new.integrity_filter.all_action.isChecked()
    text = "Cooperation between the 联合国 and the platforms."
    extracted = Extracted(text=text, media_type="text/plain", language="en", title="Another")
    new.session.write(lambda: new.archive.add(NewDocument(text.encode(), extracted, "another.txt")))
    wait_for_writes(new.session)
    qtbot.wait(50)  # the old window's filter would have looked again and refreshed a deleted table
    assert new.model.rowCount() == new.archive.count()
    gui_app.switch_language("en")


def test_invisible_characters_and_low_ocr_confidence_have_badges_and_sentences(demo_window):
    window = demo_window
    text = "Countering violent extre\u200bmism online.\fPaqe tw0."
    extracted = Extracted(
        text=text,
        media_type="application/pdf",
        language="en",
        title="Scanned note",
        status="ocr",
        page_starts=[0, text.index("\f") + 1],
        metadata={
            "ocr": {
                "engine": "tesseract",
                "confidence": 52.4,
                "threshold": 60.0,
                "pages": [
                    {"page": 0, "confidence": 81.0, "languages": "eng", "low": []},
                    {"page": 1, "confidence": 23.8, "languages": "eng", "low": [[38, 42]]},
                ],
            }
        },
    )
    document = window.archive.add(NewDocument(text.encode(), extracted, "scan.pdf"))
    window.refresh()
    window.select_document(document.id)
    bar = window.reader.integrity
    assert list(bar.badges) == ["invisible-characters", "low-ocr-confidence"]
    assert [bar.badges[kind].text() for kind in bar.badges] == ["Invisible characters", "Low OCR confidence"]
    details = bar.details.text()
    assert "1 invisible character hides inside words, as in “\u2068extre<U+200B>mism\u2069”" in details
    assert "low mean confidence (52 of 100): compare page 2 with the original." in details
    assert bar.repaired_button.isVisibleTo(window.reader)
