"""OCR of scanned pages with Tesseract: the engine (engine), page images (render), preparation (prepare),
column regions (columns), the language and the reading of a page (page), lines passed over (missed), a
second opinion on doubtful words (reread), words back into text (text), a document's record (record).

`read_page(image, dpi, settings, engine)` reads one page image; `find_engine()` is None when Tesseract is
not installed (OCR is optional); `OcrRecord` gathers the pages of a document into `Extracted.ocr`.
"""

from __future__ import annotations

from qirtas.importers.ocr.engine import Engine, EngineFailed, find_engine, install_hint
from qirtas.importers.ocr.page import read_page
from qirtas.importers.ocr.record import OcrRecord
from qirtas.importers.ocr.settings import AUTO, OcrSettings
from qirtas.importers.ocr.text import PageText

__all__ = [
    "AUTO",
    "Engine",
    "EngineFailed",
    "OcrRecord",
    "OcrSettings",
    "PageText",
    "find_engine",
    "install_hint",
    "read_page",
]
