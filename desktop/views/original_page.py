"""The Original page view of an image file: the scanned page beside the text OCR read from it (a PDF's
pages are shown by QtPdf's own view)."""

from __future__ import annotations

from pathlib import Path

from qirtas.desktop.qt import QImage, QImageReader, QLabel, QPixmap, QScrollArea, Qt, QWidget
from qirtas.i18n import _


class PageImage(QScrollArea):
    """One page of an image file, as wide as the view: the scan beside the text OCR read from it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Original page"))
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self.picture)
        self.path: Path | None = None
        self.page = -1
        self.image = QImage()

    def load(self, path: Path, page: int = 0) -> None:
        self.path, self.page = path, -1
        self.show_page(page)

    def show_page(self, page: int) -> None:
        """Read `page` of the file (the last one when it has fewer); Qt's reader refuses images over its
        allocation limit (256 MB), so a decompression bomb shows nothing instead of taking the memory."""
        if self.path is None or page == self.page:
            return
        reader = QImageReader(str(self.path))
        reader.setAutoTransform(True)
        if page and reader.imageCount() > 1:
            reader.jumpToImage(min(page, reader.imageCount() - 1))
        self.image, self.page = reader.read(), page
        self._scale()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._scale()

    def _scale(self) -> None:
        if self.image.isNull():
            self.picture.setText(_("The page image cannot be shown."))
            return
        width = max(50, self.viewport().width() - 4)
        scaled = self.image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(QPixmap.fromImage(scaled))
