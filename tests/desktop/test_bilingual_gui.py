"""The side-by-side review through the GUI (pytest-qt): keys, comments, progress, mirroring, linking."""

from __future__ import annotations

import csv

import pytest
from qirtas.archive import bilingual
from qirtas.archive.bilingual import APPROVED, NEEDS_REVISION, UNREVIEWED, Review
from qirtas.desktop.qt import QApplication, Qt
from qirtas.i18n import setup_i18n

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def view(demo_session, qtbot, written):
    from qirtas.desktop.bilingual_view import BilingualView

    widget = BilingualView(demo_session, 6)  # the Arabic side: the English still goes first
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    show_active(qtbot, widget)
    written()  # the pairs come from the write thread (aligned there the first time)
    widget.table.setFocus()
    return widget


@pytest.fixture
def written(demo_session, wait_for_writes):
    """Wait until the view's writes have run and their results are shown."""
    return lambda: wait_for_writes(demo_session)


def show_active(qtbot, widget) -> None:
    """Shown and active, as when a person works in it (shortcuts act in the active window)."""
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)


def statuses(archive) -> list[str]:
    return [p.status for p in Review.open(archive, 5).pairs()]


def type_text(qtbot, widget, text: str) -> None:
    """Type into a widget, Arabic too (qtbot.keyClicks aborts on non-ASCII characters)."""
    from PySide6.QtTest import QTest

    for char in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier
        )


def cell(view, row: int, column: int):
    return view.model.index(row, column)


def test_each_side_reads_in_its_own_direction_and_font(view):
    from qirtas.desktop.bilingual_view import AR_COLUMN, DIRECTION_ROLE, EN_COLUMN

    assert view.model.rowCount() == 13
    assert view.model.data(cell(view, 2, EN_COLUMN)).startswith("Dushanbe hosted")
    assert view.model.data(cell(view, 2, AR_COLUMN)).startswith("استضافت دوشانبي")
    arabic_alignment = Qt.AlignmentFlag(
        view.model.data(cell(view, 2, AR_COLUMN), Qt.ItemDataRole.TextAlignmentRole)
    )
    assert (
        arabic_alignment & Qt.AlignmentFlag.AlignRight and arabic_alignment & Qt.AlignmentFlag.AlignAbsolute
    )
    assert view.model.data(cell(view, 2, AR_COLUMN), DIRECTION_ROLE) == "rtl"
    assert view.model.data(cell(view, 2, EN_COLUMN), DIRECTION_ROLE) == "ltr"
    arabic_font = view.model.data(cell(view, 2, AR_COLUMN), Qt.ItemDataRole.FontRole)
    latin_font = view.model.data(cell(view, 2, EN_COLUMN), Qt.ItemDataRole.FontRole)
    assert arabic_font.families()[0] == "Amiri" and latin_font.families()[0] == "Noto Sans"
    # English on the left, Arabic on the right; both in one row, so they scroll together.
    assert view.table.columnViewportPosition(EN_COLUMN) < view.table.columnViewportPosition(AR_COLUMN)
    assert view.en_title.text().startswith("Experts from") and "دوشانبي" in view.ar_title.text()


def test_keyboard_review_approves_moves_on_and_records_a_comment(view, qtbot, demo_archive, written):
    assert view.current_row() == 0 and view.progress_bar.value() == 0
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    assert view.current_row() == 1  # approving moves to the next pair
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert view.current_row() == 2
    qtbot.keyClick(view.table, Qt.Key.Key_K)
    qtbot.keyClick(view.table, Qt.Key.Key_R)
    assert view.comment.hasFocus()  # needing revision asks why
    qtbot.keyClicks(view.comment, "Title: ")  # letters typed here are text, not shortcuts
    type_text(qtbot, view.comment, "العنوان مختصر")
    qtbot.keyClick(view.comment, Qt.Key.Key_Return)
    assert view.table.hasFocus()
    written()
    pairs = Review.open(demo_archive, 5).pairs()
    assert pairs[0].status == APPROVED
    assert (pairs[1].status, pairs[1].comment) == (NEEDS_REVISION, "Title: العنوان مختصر")
    assert view.progress_bar.value() == 2 and view.progress_bar.maximum() == 13
    assert "2 of 13 pairs reviewed" in view.progress_label.text()
    # N jumps over reviewed pairs to the next one nobody has looked at.
    view.select_row(0)
    qtbot.keyClick(view.table, Qt.Key.Key_N)
    assert view.current_row() == 2
    qtbot.keyClick(view.table, Qt.Key.Key_U)  # nothing to undo there: it stays unreviewed
    written()
    assert statuses(demo_archive)[:3] == [APPROVED, NEEDS_REVISION, UNREVIEWED]


def test_moving_to_another_pair_keeps_a_typed_comment(view, qtbot, demo_archive, written):
    view.select_row(4)
    view.comment.setFocus()
    qtbot.keyClicks(view.comment, "check the OSCE unit name")
    view.table.setFocus()  # leaving the field saves it
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.current_row() == 5 and view.comment.text() == ""
    written()
    assert Review.open(demo_archive, 5).pairs()[4].comment == "check the OSCE unit name"
    view.select_row(4)
    assert view.comment.text() == "check the OSCE unit name"


def test_approving_every_pair_fills_the_progress_bar_and_n_says_so(view, qtbot, demo_archive, written):
    for _ in range(13):  # each key moves on at once; the writes follow in order
        qtbot.keyClick(view.table, Qt.Key.Key_A)
    written()
    assert view.progress_bar.value() == view.progress_bar.maximum() == 13
    assert bilingual.documents_in_review_state(demo_archive, "approved") == [5, 6]
    qtbot.keyClick(view.table, Qt.Key.Key_N)
    assert "Every pair has been reviewed" in view.notice.text()


def test_merge_and_split_from_the_keyboard(view, qtbot, written):
    view.select_row(3)
    qtbot.keyClick(view.table, Qt.Key.Key_M)
    written()
    assert view.model.rowCount() == 12 and view.current_row() == 3
    assert view.model.pairs[3].en_count == 2
    qtbot.keyClick(view.table, Qt.Key.Key_S)
    written()
    assert view.model.rowCount() == 13
    qtbot.keyClick(view.table, Qt.Key.Key_S)  # one paragraph a side: refused with a sentence
    written()
    assert view.model.rowCount() == 13 and "nothing to split" in view.notice.text()


def test_the_arabic_ui_mirrors_the_columns_and_keeps_each_side_in_its_direction(demo_session, qtbot, written):
    from qirtas.desktop.bilingual_view import AR_COLUMN, EN_COLUMN, BilingualView

    setup_i18n("ar")
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        widget = BilingualView(demo_session, 5)
        qtbot.addWidget(widget)
        widget.resize(1100, 700)
        show_active(qtbot, widget)
        written()
        assert widget.layoutDirection() == Qt.LayoutDirection.RightToLeft
        en_x = widget.table.viewport().mapTo(
            widget, widget.table.visualRect(cell(widget, 0, EN_COLUMN)).center()
        )
        ar_x = widget.table.viewport().mapTo(
            widget, widget.table.visualRect(cell(widget, 0, AR_COLUMN)).center()
        )
        assert en_x.x() > ar_x.x()  # mirrored: the English column now sits on the right
        alignment = Qt.AlignmentFlag(
            widget.model.data(cell(widget, 2, EN_COLUMN), Qt.ItemDataRole.TextAlignmentRole)
        )
        assert alignment & Qt.AlignmentFlag.AlignLeft and alignment & Qt.AlignmentFlag.AlignAbsolute
        widget.select_row(2)
        qtbot.keyClick(widget.table, Qt.Key.Key_A)
        assert widget.current_row() == 3  # the current pair is kept in a mirrored view too
    finally:
        setup_i18n("en")
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_a_document_without_translation_offers_candidates_and_links_one(demo_session, qtbot, written):
    from qirtas.desktop.bilingual_view import BilingualView

    demo_archive = demo_session.archive
    bilingual.unlink(demo_archive, 5, 6)
    widget = BilingualView(demo_session, 5)
    qtbot.addWidget(widget)
    assert widget.pages.currentWidget() is widget.link_page
    assert widget.candidate_list.count() == 1
    assert "دوشانبي" in widget.candidate_list.item(0).text()
    assert "70" in widget.candidate_list.item(0).toolTip()
    with qtbot.waitSignal(widget.changed):
        widget.link_button.click()
    assert demo_archive.translations(5) == [6]
    written()
    assert widget.pages.currentWidget() is widget.review_page and widget.model.rowCount() == 13


def test_a_document_with_nothing_like_a_translation_says_so(demo_session, qtbot):
    from qirtas.desktop.bilingual_view import BilingualView

    widget = BilingualView(demo_session, 1)
    qtbot.addWidget(widget)
    assert widget.pages.currentWidget() is widget.link_page
    assert widget.candidate_list.count() == 0 and not widget.link_button.isEnabled()


def test_the_report_exports_as_csv_and_pdf_from_the_view(view, qtbot, tmp_path, written, demo_archive):
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    with qtbot.waitSignal(view.report_written) as report:
        view.export_report(tmp_path / "review.csv")
    with open(report.args[0], encoding="utf-8-sig", newline="") as written_csv:
        rows = list(csv.DictReader(written_csv))
    assert [r["status"] for r in rows[:2]] == [APPROVED, UNREVIEWED]
    with qtbot.waitSignal(view.report_written):
        view.export_report(tmp_path / "review.pdf")
    pdf = tmp_path / "review.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and "review.pdf" in view.notice.text()
    recorded = [e for e in demo_archive.audit_trail(5) if e.action == "review-report"]
    assert [e.details["format"] for e in recorded][-2:] == ["csv", "pdf"]


def test_a_text_edited_elsewhere_is_realigned_before_any_status_is_written(
    view, qtbot, demo_archive, written
):
    from qirtas.importers import Extracted

    view.select_row(4)
    document = demo_archive.get(5)
    edited = (
        "An editor's note opens the English text now, long enough to stand as a paragraph of its own.\n\n"
    )
    demo_archive.replace_extraction(
        5, Extracted(edited + document.text, "text/plain", language="en", title=document.title), "edited"
    )
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    written()
    assert "aligned again" in view.notice.text()
    assert all(status == UNREVIEWED for status in statuses(demo_archive))  # nothing approved by mistake
    assert view.model.rowCount() == 14 and view.model.pairs[0].ar_count == 0


def test_a_document_with_two_translations_chooses_between_them(demo_session, qtbot, written):
    from qirtas.desktop.bilingual_view import BilingualView

    bilingual.link(demo_session.archive, 5, 3)  # a second (wrong, but linked) Arabic document
    widget = BilingualView(demo_session, 5)
    qtbot.addWidget(widget)
    written()
    assert not widget.translation_choice.isHidden() and widget.translation_choice.count() == 2
    assert widget.review.ar_id == 3  # the first linked id
    widget.translation_choice.setCurrentIndex(1)
    widget.translation_choice.activated.emit(1)
    written()
    assert widget.review.ar_id == 6 and "دوشانبي" in widget.ar_title.text()
    assert widget.model.rowCount() == 13
