"""OCR in the window: the reader says a text was read by OCR and marks its unsure words, the Original page
view shows the scan beside the text, and "Read with OCR" turns a waiting scan into searchable text."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextCursor
from PySide6.QtWidgets import QMessageBox
from qirtas.archive.archive import NewDocument
from qirtas.desktop.views.models import COLUMNS
from qirtas.importers import Extracted

from tests.conftest import REPO

SCAN = REPO / "tests" / "fixtures" / "pdf" / "status" / "scan.pdf"  # "Scanned letter, 3 March 2019"
TEXT = "رسالة من الوزارة\nThe meeting was postponed."
LOW = [[6, 8], [21, 28]]  # "من" and "meeting"
READING = {
    "engine": "tesseract 5.3.0",
    "confidence": 83.4,
    "threshold": 60.0,
    "pages": [{"page": 0, "confidence": 83.4, "languages": "ara+eng", "low": LOW}],
}


def page_image() -> bytes:
    """A PNG of a page with a line of text on it: what a scanner would give."""
    image = QImage(600, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(QFont("Noto Sans", 28))
    painter.drawText(40, 120, "The meeting was postponed.")
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def add_read_image(archive) -> int:
    extracted = Extracted(
        text=TEXT, media_type="image/png", status="ocr", language="mixed", page_starts=[0], ocr=READING
    )
    return archive.add(NewDocument(page_image(), extracted, "letter.png")).id


def show(window, document_id: int) -> None:
    window.refresh()
    window.select_document(document_id)
    window.reader.show_document(document_id)


def test_the_reader_says_the_text_was_read_by_ocr_and_marks_the_unsure_words(demo_window):
    document_id = add_read_image(demo_window.session.archive)
    show(demo_window, document_id)
    reader = demo_window.reader
    line = reader.ocr_line.text()
    assert reader.ocr_line.isVisibleTo(demo_window)
    assert "OCR" in line and "tesseract 5.3.0" in line and "83.4" in line
    marked = []
    for start, end in reader._layout.low_positions:
        cursor = QTextCursor(reader.browser.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        marked.append(cursor.selectedText())
        cursor.setPosition(start + 1)
        assert cursor.charFormat().background().color() == QColor("#fdf0dc")
    assert marked == ["من", "meeting"]
    other = next(i for i in demo_window.session.archive.document_ids() if i != document_id)
    reader.show_document(other)
    assert not reader.ocr_line.isVisibleTo(demo_window) and not reader._layout.low_positions


def test_the_original_page_view_shows_the_scanned_image_beside_the_text(demo_window, qtbot):
    document_id = add_read_image(demo_window.session.archive)
    show(demo_window, document_id)
    demo_window.show()
    reader = demo_window.reader
    assert reader.page_button.isVisibleTo(demo_window)
    reader.page_button.setChecked(True)
    qtbot.waitUntil(lambda: reader.image_view.isVisible())
    picture = reader.image_view.picture.pixmap()
    assert not picture.isNull() and picture.width() > 40
    assert reader.pdf_view is None or not reader.pdf_view.isVisible()
    text_side = reader.browser.mapTo(reader, reader.browser.rect().center()).x()
    page_side = reader.image_view.mapTo(reader, reader.image_view.rect().center()).x()
    assert text_side < page_side  # beside the text, not instead of it
    reader.page_button.setChecked(False)
    assert not reader.image_view.isVisible()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_read_with_ocr_turns_a_waiting_scan_into_text_and_the_table_shows_it(demo_window, wait_for_writes):
    archive = demo_window.session.archive
    extracted = Extracted(text="", media_type="application/pdf", status="needs_ocr", page_starts=[0])
    document_id = archive.add(NewDocument(SCAN.read_bytes(), extracted, "fax-0193.pdf")).id
    show(demo_window, document_id)
    feature = demo_window.features["ocr"]
    assert feature.button.isVisibleTo(demo_window) and feature.action in demo_window.tools_menu.actions()
    feature.button.click()
    assert feature.dialog is not None and feature.dialog.isVisible()  # progress, with Cancel
    wait_for_writes(demo_window.session, timeout=120_000)
    assert feature.dialog is None and "Read 1 document with OCR" in feature.outcome
    assert archive.get(document_id).status == "ocr"
    assert "letter" in demo_window.reader.browser.toPlainText().lower()
    assert demo_window.reader.ocr_line.isVisibleTo(demo_window)
    model, row = demo_window.model, demo_window.model.row_of(document_id)
    status_column = next(i for i, column in enumerate(COLUMNS) if column.key == "status")
    assert model.data(model.index(row, status_column)) == "OCR"
    assert feature.button.text() == "Run OCR again"


def test_the_page_beside_the_text_follows_the_text_through_a_multi_page_tiff(demo_window, qtbot):
    pages = [Image.new("L", (400, 560), shade) for shade in (255, 40)]  # a white page, then a dark one
    data = io.BytesIO()
    pages[0].save(data, "TIFF", save_all=True, append_images=pages[1:])
    text = "\n".join(["First page line."] * 60 + ["Second page line."] * 60)
    extracted = Extracted(
        text=text, media_type="image/tiff", status="ocr", page_starts=[0, text.index("Second")], ocr=READING
    )
    document_id = demo_window.session.archive.add(NewDocument(data.getvalue(), extracted, "fax.tiff")).id
    show(demo_window, document_id)
    demo_window.show()
    reader = demo_window.reader
    reader.page_button.setChecked(True)
    qtbot.waitUntil(lambda: reader.image_view.isVisible())
    assert reader.image_view.page == 0 and QColor(reader.image_view.image.pixel(10, 10)).lightness() > 200
    bar = reader.browser.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: reader.image_view.page == 1)
    assert QColor(reader.image_view.image.pixel(10, 10)).lightness() < 100


def test_the_tools_action_reads_only_scans_and_asks_before_a_text_layer_is_replaced(demo_window, monkeypatch):
    archive = demo_window.session.archive
    born_digital = Extracted(text="A report.", media_type="application/pdf", page_starts=[0])
    pdf_id = archive.add(NewDocument(b"%PDF-1.7 a report", born_digital, "report.pdf")).id
    text_id = next(i for i in archive.document_ids() if archive.get(i).media_type == "text/plain")
    feature = demo_window.features["ocr"]
    asked = []
    monkeypatch.setattr(
        "qirtas.desktop.jobs.ocr.QMessageBox.question",
        lambda _parent, _title, text, *rest: asked.append(text) or QMessageBox.StandardButton.No,
    )
    monkeypatch.setattr(demo_window, "selected_ids", lambda: [text_id])
    feature.ocr_selected()
    assert not asked and feature.job is None
    assert "not PDFs or images" in demo_window.statusBar().currentMessage()
    monkeypatch.setattr(demo_window, "selected_ids", lambda: [text_id, pdf_id])
    feature.ocr_selected()
    assert len(asked) == 1 and asked[0].startswith("1 of these documents has a text of its own")
    assert feature.job is None and archive.get(pdf_id).text == "A report."
