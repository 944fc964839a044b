"""File → Extracted(text, metadata, warnings). Pure functions of a file: no Qt, no database."""

from __future__ import annotations

from pathlib import Path

from qirtas.i18n.catalog import _
from qirtas.importers import image as _image  # noqa: F401  (registers the image importer, before text)
from qirtas.importers import pdf as _pdf  # noqa: F401  (registers the PDF importer, sniffed first)
from qirtas.importers import text as _text  # noqa: F401  (registers the text importer)
from qirtas.importers.base import (
    STATUS_ENCRYPTED,
    STATUS_NEEDS_OCR,
    STATUS_OCR,
    STATUS_OK,
    Extracted,
    ExtractionError,
    Importer,
    registry,
)

SNIFF_BYTES = 4096


def importer_for(path: Path, head: bytes) -> Importer:
    importer = registry.for_file(Path(path), head)
    if importer is None:
        raise ExtractionError(
            _("This kind of file is not supported (only text, PDF and PNG, JPEG, TIFF or WebP images are).")
        )
    return importer


def extract(path: Path, data: bytes | None = None, **options) -> Extracted:
    """Pick the importer by content (then extension) and read the file."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    return importer_for(path, data[:SNIFF_BYTES]).extract(path, data=data, **options)


__all__ = [
    "STATUS_ENCRYPTED",
    "STATUS_NEEDS_OCR",
    "STATUS_OCR",
    "STATUS_OK",
    "Extracted",
    "ExtractionError",
    "Importer",
    "extract",
    "importer_for",
    "registry",
]
