"""What an importer returns, how it fails, and the registry that picks one for a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Document statuses an importer can give. A failure is not a status: it raises ExtractionError and the
# file is reported under "failed" without becoming a document.
STATUS_OK = "ok"
STATUS_NEEDS_OCR = "needs_ocr"
STATUS_ENCRYPTED = "encrypted"
STATUS_OCR = "ocr"  # some page's text was read by OCR (Extracted.ocr says which and how surely)
# How an importer says how far it got: `progress(pages)` after each page read, `progress(pages, ocr=True)`
# after a page read by OCR (the reader pool allows such a page more time: `importers.pool`).
PageProgress = Callable[..., None]

STATUSES = (STATUS_OK, STATUS_NEEDS_OCR, STATUS_ENCRYPTED, STATUS_OCR)


@dataclass
class Extracted:
    """The text and metadata read from one file."""

    text: str
    media_type: str
    title: str = ""
    language: str = "und"
    status: str = STATUS_OK
    date: dt.date | None = None
    # Character offsets in `text` where each page starts (PDF); empty for unpaged formats.
    page_starts: list[int] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # For an OCR'd document: {"engine": "tesseract 5.3.0", "confidence": mean word confidence 0–100,
    # "threshold": under it a word is low, "pages": [{"page": 0-based index, "confidence", "languages":
    # "ara"|"eng"|"ara+eng", "low": [[start, end], …] spans in `text` of low-confidence words}]}.
    ocr: dict | None = None

    @property
    def pages(self) -> int:
        return len(self.page_starts)


class ExtractionError(Exception):
    """A file that cannot become a document; the message is shown to the user as it is."""


@dataclass(frozen=True)
class Importer:
    """One file format: how to recognise it and the pure function that reads it."""

    name: str
    media_type: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    extract: Callable[..., Extracted]
    # Formats whose parser may hang or blow up on hostile input run in an isolated worker process.
    isolated: bool = False


class Registry:
    def __init__(self) -> None:
        self._importers: list[Importer] = []

    def register(self, importer: Importer) -> None:
        self._importers.append(importer)

    def __iter__(self):
        return iter(self._importers)

    def for_file(self, path: Path, head: bytes) -> Importer | None:
        """Content first (magic bytes), then the extension as a tie-breaker."""
        for importer in self._importers:
            if importer.sniff(head):
                return importer
        suffix = path.suffix.lower()
        for importer in self._importers:
            if suffix in importer.extensions:
                return importer
        return None


registry = Registry()
