"""The OCR part of an Extracted: which pages were read, how surely, and where the doubtful words are."""

from __future__ import annotations

from dataclasses import dataclass, field

from qirtas.importers.ocr.engine import Engine
from qirtas.importers.ocr.text import PageText


@dataclass
class OcrRecord:
    engine: Engine
    threshold: float
    pages: dict[int, PageText] = field(default_factory=dict)  # by 0-based page index

    def as_dict(self, page_starts: list[int]) -> dict:
        """Extracted.ocr: {"engine", "confidence", "threshold", "pages": [{"page", "confidence",
        "languages", "low"}]}, the low spans moved to where each page starts in the document's text."""
        scored = [page for page in self.pages.values() if page.words]
        words = sum(page.words for page in scored)
        mean = sum(page.confidence * page.words for page in scored) / words if words else 0.0
        return {
            "engine": self.engine.name,
            "confidence": round(mean, 1),
            "threshold": self.threshold,
            "pages": [
                {
                    "page": index,
                    "confidence": page.confidence,
                    "languages": page.languages,
                    "low": [[page_starts[index] + a, page_starts[index] + b] for a, b in page.low],
                }
                for index, page in sorted(self.pages.items())
            ],
        }
