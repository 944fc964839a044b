"""Archives, errors, About, and the language switch while an import runs."""

from __future__ import annotations

import pytest
from qirtas.desktop.errors import error_sentence
from qirtas.desktop.qt import QMessageBox, Qt, QTest

pytestmark = pytest.mark.usefixtures("qapp")


def test_a_search_the_archive_cannot_read_explains_itself(demo_window):
    demo_window.search_field.setText("region:Narnia internet")
    demo_window._search_now()
    assert demo_window.model.rowCount() == 0
    assert "Narnia" in demo_window.search_hint.text()
    demo_window.search_field.setText('"security council')
    demo_window._search_now()
    assert "quote" in demo_window.search_hint.text()


def test_opening_a_folder_that_is_not_an_archive_says_so_and_keeps_the_window(
    gui_app, demo_window, tmp_path, monkeypatch
):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text))
    junk = tmp_path / "holiday photos"
    junk.mkdir()
    (junk / "beach.jpg").write_bytes(b"\xff\xd8\xff")
    assert not gui_app.open_archive(junk, create=False)
    assert "no Qirtas archive" in warnings[0] or "archive" in warnings[0]
    assert "Traceback" not in warnings[0]
    assert gui_app.window is demo_window and demo_window.model.rowCount() == demo_window.archive.count()


def test_new_archive_opens_empty_and_is_remembered(gui_app, demo_window, tmp_path):
    demo_path = str(demo_window.archive.path)
    total = demo_window.archive.count()
    assert gui_app.open_archive(tmp_path / "fresh", create=True)
    window = gui_app.window
    assert window.model.rowCount() == 0
    assert "0 documents in the archive" in window.counts_label.text()
    assert "fresh" in window.windowTitle()
    recent = [str(p) for p in gui_app.settings.value("recent_archives")]
    assert recent[:2] == [str((tmp_path / "fresh").resolve()), demo_path]
    assert gui_app.open_archive(demo_path, create=False)
    assert gui_app.window.model.rowCount() == total


def test_a_failed_write_is_shown_as_a_sentence(demo_window, monkeypatch, wait_for_writes):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text))

    def broken():
        raise RuntimeError("database exploded\nTraceback (most recent call last): ...")

    demo_window.session.write(broken)
    wait_for_writes(demo_window.session)
    assert shown and "RuntimeError" in shown[0] and "Traceback" not in shown[0]
    denied = error_sentence(PermissionError(13, "Permission denied", "/archive"))
    assert denied.startswith("Permission denied for") and "/archive" in denied


def test_about_names_the_versions(demo_window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown.append(text))
    demo_window.commands.about.trigger()
    for name in ("Qirtas", "Python", "Qt", "SQLite", "peewee"):
        assert name in shown[0]


def test_typing_arabic_in_the_tag_field_completes_the_region(demo_window):
    demo_window.table.selectRow(0)
    editor = demo_window.tag_editor
    editor.facet_combo.setCurrentIndex(editor.facet_combo.findData("region"))
    editor.field.setFocus()
    for char in "دوشان":  # qtbot.keyClicks aborts on non-ASCII; one key event per character
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, editor.field, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier
        )
    assert editor.field.text() == "دوشان"
    assert editor.completer.currentCompletion() == "Dushanbe — دوشانبي"


def test_switching_language_keeps_the_search_ticks_and_a_running_import(
    gui_app, demo_window, tmp_path, qtbot, wait_for_writes
):
    from qirtas.archive.importing import ImportOptions

    folder = tmp_path / "incoming"
    folder.mkdir()
    for number in range(30):
        (folder / f"note-{number}.txt").write_text(f"Field note {number}\n\nWells and water.\n")
    total = demo_window.archive.count()
    theme = demo_window.archive.find_tag("theme", "Social media")
    demo_window.sidebar.set_checked(theme.id)
    job = demo_window.imports.start([str(folder)], ImportOptions(batch_size=5))
    gui_app.switch_language("ar")
    window = gui_app.window
    assert window is not demo_window
    assert window.state.selected["theme"] == [theme.id]
    assert window.imports.job is job
    qtbot.waitUntil(lambda: window.imports.report_dialog is not None, timeout=30_000)
    wait_for_writes(window.session)
    assert len(window.imports.report_dialog.report.imported) == 30
    window.sidebar.clear()
    assert window.model.rowCount() == total + 30


def test_qt_can_be_called_all_day():
    """PySide6 6.12.0 takes a reference to None on every void call and to True on every emit;
    without the reserve desktop.refcounts gives them, CPython frees None and aborts."""
    import sys

    from qirtas.desktop.qt import QObject, Signal

    class Ticker(QObject):
        ticked = Signal(int)

    ticker = Ticker()
    for number in range(30_000):  # more than None's and True's own counts in this process
        ticker.setObjectName("ticker")  # a void method
        ticker.ticked.emit(number)
    assert sys.getrefcount(None) > 1 << 30 and sys.getrefcount(True) > 1 << 30


def test_review_translation_opens_the_pair_of_the_current_document(demo_window):
    from qirtas.desktop.bilingual_view import BilingualView

    arabic = next(i for i in demo_window.model.ids() if demo_window.archive.translations(i))
    demo_window.select_document(arabic)
    demo_window.commands.review.trigger()
    view = demo_window.review_window
    assert isinstance(view, BilingualView) and view.isWindow() and view.isVisible()
    assert view.document_id == arabic
    view.close()


def test_the_window_and_the_command_line_say_a_storage_failure_in_the_same_words(tmp_path):
    import peewee
    from qirtas.cli.errors import describe

    for error in (
        peewee.OperationalError("database or disk is full"),
        peewee.DatabaseError("database disk image is malformed"),
        PermissionError(13, "Permission denied", str(tmp_path / "out.csv")),
    ):
        shown = error_sentence(error, tmp_path)
        said = describe(error, tmp_path)
        assert said is not None and str(tmp_path) in said.sentence
        assert shown.translate(dict.fromkeys(range(0x2066, 0x206A))) == said.sentence
