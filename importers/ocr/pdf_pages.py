"""The pages of a PDF that have no text layer, rendered and read by OCR."""

from __future__ import annotations

import pypdfium2
from qirtas.importers.base import PageProgress
from qirtas.importers.notices import warning
from qirtas.importers.ocr.engine import Engine, EngineFailed
from qirtas.importers.ocr.page import read_page
from qirtas.importers.ocr.record import OcrRecord
from qirtas.importers.ocr.render import pdf_pages
from qirtas.importers.ocr.settings import OcrSettings


def ocr_pdf_pages(
    data: bytes,
    password: str | None,
    indexes: list[int],
    settings: OcrSettings,
    engine: Engine,
    warnings: list[str],
    progress: PageProgress | None = None,
    pages_done: int = 0,
) -> OcrRecord:
    """Each page of `indexes` read by OCR; `progress(pages_done + n, ocr=True)` after the n-th (the pool's
    time limit is per page, with an OCR page's allowance). A page the engine fails on is left empty, with a warning."""
    record = OcrRecord(engine, settings.threshold)
    try:
        for index, image, dpi in pdf_pages(data, password, indexes, settings.dpi):
            try:
                record.pages[index] = read_page(image, dpi, settings, engine)
            except EngineFailed as error:
                warnings.append(warning("ocr.page-failed", page=index + 1, reason=str(error)))
            pages_done += 1
            if progress:
                progress(pages_done, ocr=True)
    except pypdfium2.PdfiumError as error:
        warnings.append(warning("ocr.render-failed", reason=str(error)[:200]))
    return record
