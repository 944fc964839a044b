"""The review report of a translation: its pairs, statuses and comments, as rows and as a CSV file.

The rows are shared with the printable PDF (`desktop/review_report_pdf.py`, which needs Qt).
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from qirtas.archive.bilingual import Progress, Review, progress_of

CSV_COLUMNS = (
    "pair",
    "status",
    "comment",
    "en",
    "ar",
    "en_paragraphs",
    "ar_paragraphs",
    "kind",
    "reviewed_at",
)
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ReportPair:
    number: int  # 1-based, as people count
    status: str
    comment: str
    en: str
    ar: str
    en_paragraphs: str  # "3" or "3–4", 1-based; "" when the side has none
    ar_paragraphs: str
    kind: str
    reviewed_at: str


@dataclass
class ReviewReport:
    en_id: int
    ar_id: int
    en_title: str
    ar_title: str
    progress: Progress
    pairs: list[ReportPair]


def _paragraph_span(first: int, count: int) -> str:
    if count == 0:
        return ""
    return str(first + 1) if count == 1 else f"{first + 1}–{first + count}"


def build_report(review: Review) -> ReviewReport:
    """Everything a report shows, read once from the archive."""
    pairs = review.pairs()
    en_title, ar_title = review.titles()
    rows = [
        ReportPair(
            number=pair.position + 1,
            status=pair.status,
            comment=pair.comment,
            en=pair.en_text,
            ar=pair.ar_text,
            en_paragraphs=_paragraph_span(pair.en_first, pair.en_count),
            ar_paragraphs=_paragraph_span(pair.ar_first, pair.ar_count),
            kind=f"{pair.en_count}–{pair.ar_count}",
            reviewed_at=pair.reviewed_at.isoformat() if pair.reviewed_at else "",
        )
        for pair in pairs
    ]
    return ReviewReport(review.en_id, review.ar_id, en_title, ar_title, progress_of(pairs), rows)


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as it is, never runs as a formula (OWASP CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def write_csv(review: Review, destination: str | os.PathLike) -> ReviewReport:
    """Write the report as CSV in UTF-8 with a BOM (so spreadsheet programs read the Arabic)."""
    report = build_report(review)
    destination = Path(destination)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".review-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(CSV_COLUMNS)
            for pair in report.pairs:
                writer.writerow(
                    [
                        pair.number,
                        pair.status,
                        safe_cell(pair.comment),
                        safe_cell(pair.en),
                        safe_cell(pair.ar),
                        pair.en_paragraphs,
                        pair.ar_paragraphs,
                        pair.kind,
                        pair.reviewed_at,
                    ]
                )
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    record_report(review, report, "csv", destination)
    return report


def record_report(review, report, format: str, destination) -> None:
    """The audit event of a written review report (CSV here, PDF from desktop/review_report_pdf.py)."""
    review.archive.audit(
        "review-report",
        review.en_id,
        translation=review.ar_id,
        format=format,
        path=str(destination),
        **report.progress.to_json(),
    )
