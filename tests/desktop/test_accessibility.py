"""Every interactive widget has a name a screen reader can announce, in the English and the Arabic UI."""

from __future__ import annotations

import pytest
from qirtas.desktop.qt import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    Qt,
    QTabBar,
    QTest,
    QTextEdit,
    QWidget,
)

from tests.conftest import show_demo_window

pytestmark = pytest.mark.usefixtures("qapp")

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QSlider,
    QTabBar,
)


def unnamed(root: QWidget) -> tuple[int, list[str]]:
    """How many visible interactive widgets `root` holds, and those a screen reader could not name.

    A button's own text names it; anything else (a field with a placeholder too) needs an accessible name.
    """
    seen, missing = 0, []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root):
            continue
        seen += 1
        if widget.accessibleName().strip():
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        parent = widget.parentWidget()
        missing.append(
            f"{type(widget).__name__} in {type(parent).__name__ if parent else '-'}"
            f" (tooltip {widget.toolTip()[:40]!r}, placeholder {getattr(widget, 'placeholderText', str)()!r})"
        )
    return seen, missing


def assert_all_named(root: QWidget, qtbot, least: int) -> None:
    qtbot.waitExposed(root)
    seen, missing = unnamed(root)
    assert not missing, f"{type(root).__name__}: {len(missing)} of {seen} without a name: {missing}"
    assert seen >= least, f"{type(root).__name__}: only {seen} interactive widgets were checked"


@pytest.fixture(params=["en", "ar"])
def window(request, gui_app, demo_template, tmp_path, qtbot):
    return show_demo_window(gui_app, demo_template, tmp_path, qtbot, request.param)


def test_the_main_window_names_every_control(window, qtbot):
    translated = next(i for i in window.model.ids() if window.archive.translations(i))
    window.select_document(translated)
    window.search_field.setText("Dushanbe")  # the field's clear button shows
    qtbot.wait(400)  # the search, the suggestions and the counts arrive
    window.clear_filters()
    window.select_document(translated)
    assert_all_named(window, qtbot, least=16)
    assert window.search_field.accessibleName() == window.search_field.accessibleName().strip() != ""
    assert window.table.horizontalHeader().accessibleName()


def test_the_review_window_names_every_control(window, qtbot):
    translated = next(i for i in window.model.ids() if window.archive.translations(i))
    window.select_document(translated)
    window.review_translation()
    assert_all_named(window.review_window, qtbot, least=8)
    window.review_window.close()
    # the other page: a document without a translation lists the possible ones
    from qirtas.desktop.bilingual_view import BilingualView

    lonely = next(
        i
        for i in window.model.ids()
        if not window.archive.translations(i) and window.archive.get(i).language in ("en", "ar")
    )
    view = BilingualView(window.session, lonely)
    qtbot.addWidget(view)
    view.show()
    assert_all_named(view, qtbot, least=1)


def test_the_vocabulary_and_tag_dialogs_name_every_control(window, qtbot):
    from qirtas.desktop.dialogs.tagging import NewTagDialog
    from qirtas.desktop.dialogs.theme_keywords import ThemeKeywordsDialog
    from qirtas.desktop.dialogs.vocabulary import RenameDialog
    from qirtas.desktop.jobs.importing import QuickTagDialog

    window.show_vocabulary()
    assert_all_named(window.vocabulary_dialog, qtbot, least=5)
    region = window.archive.tags("region")[0]
    for dialog, least in (
        (NewTagDialog(window.archive, "region", "دوشنبه", window), 4),
        (RenameDialog(region, window), 4),
        (QuickTagDialog(window.session, 3, window), 4),
        (ThemeKeywordsDialog(window.session, window), 5),
    ):
        dialog.show()
        assert_all_named(dialog, qtbot, least)
        dialog.close()


def test_the_import_report_and_export_dialog_name_every_control(window, qtbot, tmp_path, wait_for_writes):
    from qirtas.desktop.jobs.archive_jobs import ExportDialog
    from qirtas.desktop.views.suggestions import ImportSuggestionsDialog

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "water.txt").write_text("Water rights\n\nThe meeting in Dushanbe.\n", encoding="utf-8")
    (incoming / "empty.txt").write_bytes(b"")
    job = window.imports.start([str(incoming)])
    with qtbot.waitSignal(job.finished, timeout=15_000):
        pass
    wait_for_writes(window.session)
    report = window.imports.report_dialog
    assert report is not None
    assert_all_named(report, qtbot, least=3)
    report.close()
    for dialog, least in (
        (ImportSuggestionsDialog(window.session, window.model.ids()[:3], window), 3),
        (ExportDialog({"all": 9, "result": 4, "selection": 1}, window), 4),
    ):
        dialog.show()
        assert_all_named(dialog, qtbot, least)
        dialog.close()


def test_escape_closes_the_review_window_keeping_a_typed_comment(window, qtbot, wait_for_writes):
    from qirtas.archive.bilingual import Review

    translated = next(i for i in window.model.ids() if window.archive.translations(i))
    window.select_document(translated)
    window.review_translation()
    view = window.review_window
    qtbot.waitExposed(view)
    wait_for_writes(window.session)  # the pairs arrive from the write thread
    view.select_row(0)
    view.comment.setFocus()
    view.comment.setText("check the date")  # typed, Enter not pressed
    with qtbot.waitSignal(view.destroyed, timeout=3000):  # WA_DeleteOnClose
        QTest.keyClick(view.comment, Qt.Key.Key_Escape)
    wait_for_writes(window.session)
    pairs = Review.open(window.archive, translated).pairs()
    assert pairs[0].comment == "check the date"


def test_escape_from_the_pair_table_closes_the_review(demo_session, qtbot):
    from qirtas.desktop.bilingual_view import BilingualView

    view = BilingualView(demo_session, 6)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitActive(view)  # as when a person works in it: the Escape shortcut acts in the active window
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Escape)
    assert not view.isVisible()
