"""OCR of scanned pages with Tesseract: the engine (engine), page images (render), preparation (prepare),
column regions (columns), the language and the reading of a page (page), lines passed over (missed), a
second opinion on doubtful words (reread), words back into text (text), a document's record (record).

`read_page(image, dpi, settings, engine)` reads one page image; `find_engine()` is None when Tesseract is
not installed (OCR is optional); `OcrRecord` gathers the pages of a document into `Extracted.ocr`.

Importing this package is light: Pillow, PDFium and the page pipeline (≈100 ms of imports, on every start
of the command line and the window, since the importers register with `qirtas.importers`) are loaded
when a page is read (`read_page`, `pdf_pages.ocr_pdf_pages`, the image importer).
"""

from __future__ import annotations

from typing import Any

from qirtas.importers.ocr.engine import Engine, EngineFailed, find_engine, install_hint
from qirtas.importers.ocr.record import OcrRecord
from qirtas.importers.ocr.settings import AUTO, MAX_PIXELS, OcrSettings
from qirtas.importers.ocr.text import PageText


def __getattr__(name: str) -> Any:
    if name == "read_page":  # the page pipeline, with Pillow: loaded when first asked for
        from qirtas.importers.ocr.page import read_page

        return read_page
    raise AttributeError(name)


__all__ = [
    "AUTO",
    "MAX_PIXELS",
    "Engine",
    "EngineFailed",
    "OcrRecord",
    "OcrSettings",
    "PageText",
    "find_engine",
    "install_hint",
    "read_page",
]
