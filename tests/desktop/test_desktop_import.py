"""Importing from the window: rows appear, the report shows every file, Cancel keeps what was committed."""

from __future__ import annotations

import pytest
from qirtas.archive.importing import ImportOptions

pytestmark = pytest.mark.usefixtures("qapp")

ENGLISH = "Water rights in the Fergana valley\n\nThe meeting in Dushanbe discussed shared rivers.\n"
ARABIC = "حقوق المياه في وادي فرغانة\n\nناقش الاجتماع في دوشنبه الأنهار المشتركة.\n"


@pytest.fixture
def empty_window(gui_app, tmp_path):
    assert gui_app.open_archive(tmp_path / "new-archive", create=True)
    return gui_app.window


def make_folder(tmp_path, count: int = 0):
    folder = tmp_path / "incoming"
    (folder / "sub").mkdir(parents=True)
    (folder / "water.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "sub" / "مياه.txt").write_text(ARABIC, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    for number in range(count):
        (folder / f"note-{number:03}.txt").write_text(f"Field note number {number}\n\nAbout wells.\n")
    return folder


def test_importing_a_folder_shows_the_rows_and_a_report(empty_window, tmp_path, qtbot, wait_for_writes):
    window = empty_window
    folder = make_folder(tmp_path)
    job = window.imports.start([str(folder)])
    assert window.imports.progress.isVisibleTo(window)
    with qtbot.waitSignal(job.finished, timeout=15_000):
        pass
    wait_for_writes(window.session)
    assert window.model.rowCount() == 2
    report = window.imports.report_dialog
    assert report is not None and report.isVisible()
    assert report.groups["imported"].childCount() == 2
    assert report.groups["failed"].childCount() == 1
    failed = report.groups["failed"].child(0)
    assert failed.text(0).endswith("empty.txt") and failed.text(1)  # a reason, in words
    assert not window.imports.progress.isVisibleTo(window)

    # Clicking a file in the report shows its document.
    arabic_item = next(
        report.groups["imported"].child(i)
        for i in range(2)
        if report.groups["imported"].child(i).text(0).endswith("مياه.txt")
    )
    report.tree.itemClicked.emit(arabic_item, 0)
    assert window.reader.document is not None
    assert window.reader.document.title == "حقوق المياه في وادي فرغانة"

    # Importing the same folder again: everything is a duplicate, nothing new.
    job = window.imports.start([str(folder)])
    with qtbot.waitSignal(job.finished, timeout=15_000):
        pass
    wait_for_writes(window.session)
    assert window.model.rowCount() == 2
    assert window.imports.report_dialog.groups["duplicates"].childCount() == 2


def test_tag_everything_just_imported_in_one_step(empty_window, tmp_path, qtbot, wait_for_writes):
    from qirtas.desktop.dialogs.tagging import TagSpec

    window = empty_window
    job = window.imports.start([str(make_folder(tmp_path))])
    with qtbot.waitSignal(job.finished, timeout=15_000):
        pass
    wait_for_writes(window.session)
    window.imports.report_dialog.tag_all(
        TagSpec("event", name_en="Fergana water talks", name_ar="محادثات مياه فرغانة")
    )
    wait_for_writes(window.session)
    tag = window.archive.find_tag("event", "محادثات مياه فرغانة")
    assert tag is not None and tag.name_en == "Fergana water talks"
    for document_id in window.model.ids():
        assert [t.id for t in window.archive.document_tags(document_id)["event"]] == [tag.id]
    assert window.sidebar.item_for(tag.id) is not None  # the new event is in the sidebar, with its count
    assert window.sidebar.item_for(tag.id).text(1) == "2"


def test_cancel_keeps_the_batches_already_committed(empty_window, tmp_path, qtbot, wait_for_writes):
    window = empty_window
    folder = make_folder(tmp_path, count=40)
    job = window.imports.start([str(folder)], ImportOptions(batch_size=10))
    # Cancel once the first batch is committed (progress reports the files done so far).
    job.progressed.connect(
        lambda done, _total, _current, _page: done >= 10 and window.imports.progress.cancel_button.click()
    )
    with qtbot.waitSignal(job.finished, timeout=15_000):
        pass
    wait_for_writes(window.session)
    report = job.report
    assert report.cancelled
    committed = len(report.imported)
    assert 0 < committed < 42
    assert window.model.rowCount() == committed == window.archive.count()
    assert "cancelled" in window.imports.report_dialog.summary.text()


def test_a_dropped_pdf_is_imported_and_its_page_shows_beside_the_text(empty_window, qtbot, wait_for_writes):
    from pathlib import Path

    from qirtas.desktop.qt import QDropEvent, QMimeData, QPointF, Qt, QUrl

    window = empty_window
    pdf = Path(__file__).parents[1] / "fixtures" / "pdf" / "chromium" / "bilingual.pdf"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert window.imports.job is not None
    with qtbot.waitSignal(window.imports.job.finished, timeout=30_000):
        pass
    wait_for_writes(window.session)
    assert window.model.rowCount() == 1
    window.select_document(window.model.id_at(0))
    reader = window.reader
    assert reader.document.media_type == "application/pdf"
    pages = reader.document.pages
    assert pages >= 1
    assert len(reader.page_positions) == (pages if pages > 1 else 0)  # "— Page n —" where pages start
    assert reader.page_button.isVisibleTo(window)
    reader.page_button.setChecked(True)
    assert window.commands.original_page.isChecked()
    assert reader.pdf_view.isVisibleTo(window)
    assert reader.pdf_view.document().pageCount() == reader.document.pages
