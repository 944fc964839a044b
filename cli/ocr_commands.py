"""ocr: read documents' text again with OCR from their archived originals (which stay untouched)."""

from __future__ import annotations

import sys

from qirtas.archive.archive import Archive
from qirtas.archive.ocr import OcrReport, ocr_documents
from qirtas.cli.main import EXIT_OK, EXIT_PROBLEMS, archive_path, document_id, emit
from qirtas.cli.output import escape_field
from qirtas.i18n import _, ngettext
from qirtas.i18n.formatting import format_percent
from qirtas.importers.workers import DEFAULT_TIMEOUT

HELP = "read documents' text again with OCR (the originals are untouched)"
DESCRIPTION = (
    "Read documents' text again with OCR from their archived originals: scans imported before the engine "
    "was installed, or read again with other languages. The originals are untouched; each change is in "
    "the audit trail."
)


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("ocr", parents=[common], help=HELP, description=DESCRIPTION)
    parser.add_argument("ids", nargs="+", type=document_id, metavar="ID")
    parser.add_argument(
        "--languages",
        metavar="LANGS",
        help="Tesseract languages for every page, e.g. ara, eng or ara+eng (default: chosen per page)",
    )
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds allowed per page (default 120)"
    )
    parser.set_defaults(handler=run_ocr)


def run_ocr(args) -> int:
    with Archive.open(archive_path(args), create=False) as archive:
        report = ocr_documents(
            archive,
            args.ids,
            languages=args.languages,
            progress=None if getattr(args, "json", False) or not sys.stderr.isatty() else _show_progress,
            timeout=args.timeout,
        )
    emit(args, report_json(report), report_text(report))
    return EXIT_PROBLEMS if report.failed or report.cancelled else EXIT_OK


def _show_progress(done: int, total: int, current: str = "", page: int = 0) -> None:
    where = escape_field(current)[:60] + (" · " + _("page {page}").format(page=page) if page else "")
    print(f"\r{done}/{total} {where}\x1b[K", end="", file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)


def report_json(report: OcrReport) -> dict:
    """--json: {"read": [{"id", "title", "status", "previous_status", "confidence", "pages", "engine"}],
    "failed": [{"id", "error"}], "cancelled"}."""
    return {
        "read": [
            {
                "id": item.id,
                "title": item.title,
                "status": item.status,
                "previous_status": item.previous_status,
                "confidence": round(item.confidence, 1),
                "pages": item.pages,
                "engine": item.engine,
            }
            for item in report.read
        ],
        "failed": [{"id": item.id, "error": item.error} for item in report.failed],
        "cancelled": report.cancelled,
    }


def report_text(report: OcrReport) -> str:
    lines = [
        ngettext(
            "Document {id} read with OCR: {title} ({pages} page, mean confidence {confidence}, {engine})",
            "Document {id} read with OCR: {title} ({pages} pages, mean confidence {confidence}, {engine})",
            item.pages,
        ).format(
            id=item.id,
            title=escape_field(item.title),
            pages=item.pages,
            confidence=format_percent(item.confidence / 100),
            engine=item.engine,
        )
        for item in report.read
    ]
    lines += [
        _("Document {id} not read: {error}").format(id=item.id, error=escape_field(item.error))
        for item in report.failed
    ]
    if report.cancelled:
        lines.append(_("Cancelled; the documents read before that keep their new text."))
    return "\n".join(lines)
