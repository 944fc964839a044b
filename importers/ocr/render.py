"""Page images without Qt: PDF pages through PDFium (pypdfium2), image files through Pillow.

PDFium renders a text page at 300 dpi in grey in about 0.05 s (QtPdf ≈0.1 s, and importers must not
import Qt). Pillow's decompression-bomb guard is set here on purpose: a page over MAX_PIXELS is refused
before its pixels are decoded.
"""

from __future__ import annotations

from collections.abc import Iterator

import pypdfium2
from PIL import Image
from qirtas.importers.ocr.settings import MAX_PIXELS

Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow warns above this and raises DecompressionBombError at twice


def pdf_pages(
    data: bytes, password: str | None, indexes: list[int], dpi: int
) -> Iterator[tuple[int, Image.Image, int]]:
    """(index, grey image, dpi) for each page asked for; a page too large for `dpi` is rendered at the
    resolution that fits MAX_PIXELS."""
    document = pypdfium2.PdfDocument(data, password=password or None)
    try:
        for index in indexes:
            page = document[index]
            try:
                width, height = page.get_size()  # points
                fitting = (MAX_PIXELS / max(1.0, width * height)) ** 0.5 * 72
                page_dpi = max(1, min(dpi, int(fitting)))
                bitmap = page.render(scale=page_dpi / 72, grayscale=True)
                yield index, bitmap.to_pil().convert("L"), page_dpi
            finally:
                page.close()
    finally:
        document.close()
