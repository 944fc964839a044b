"""What an OCR run is asked to do: passed from the import options down to `extract(…, ocr=…)`."""

from __future__ import annotations

from dataclasses import dataclass

AUTO = "auto"
# 60 Mpx: an A0 poster at 300 dpi is 140 Mpx, A3 at 300 dpi 17 Mpx. Tesseract holds several copies of a
# page (grey, binary, its line images): 60 Mpx stays well inside a worker's 2 GB address space.
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class OcrSettings:
    """Picklable (it travels to the worker processes) and frozen (one value per import)."""

    enabled: bool = True
    # OCR every page, also those with a text layer (`qirtas ocr` run again with other settings).
    force: bool = False
    # "auto": chosen per page from what the page holds; else a Tesseract language string ("ara+eng").
    languages: str = AUTO
    # PDF pages are rendered at this resolution (PDFium: ≈20 ms a page). The clean Arabic fixture page
    # rendered at 150 / 200 / 300 dpi is read with 4.8 / 1.8 / 0.7 % of characters wrong (English 0 %
    # throughout); lower resolutions are upscaled to 300 dpi before reading, so they save no OCR time.
    dpi: int = 300
    # Words Tesseract is less sure of than this (0–100) are kept in the text and listed as "low".
    threshold: float = 60.0
