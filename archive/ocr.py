"""Reading archived documents again with OCR (`qirtas ocr`, the window's "Read text with OCR"): scans
imported before the engine was installed, or read again with other languages. The originals are only read."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qirtas.archive.archive import Archive, ArchiveError, DocumentNotFound
from qirtas.archive.models import Document, uses_archive
from qirtas.archive.store import sha256_file
from qirtas.i18n import _
from qirtas.importers import STATUS_ENCRYPTED, STATUS_OCR, Extracted, ExtractionError
from qirtas.importers.notices import warning_text
from qirtas.importers.pool import ReaderPool
from qirtas.importers.workers import DEFAULT_TIMEOUT, extract_isolated

from qirtas.jobs import Cancel, Cancelled, Progress, stop_if_cancelled

if TYPE_CHECKING:  # the engine's package is imported when OCR runs, not with the archive
    from qirtas.importers.ocr import OcrSettings

AUDIT_ACTION = "ocr"


@dataclass
class OcrRead:
    """A document whose text OCR has replaced."""

    id: int
    title: str
    status: str
    previous_status: str
    confidence: float  # mean over its pages, 0–100
    pages: int
    engine: str


@dataclass
class OcrFailure:
    id: int
    error: str  # one sentence; the document is unchanged


@dataclass
class OcrReport:
    read: list[OcrRead] = field(default_factory=list)
    failed: list[OcrFailure] = field(default_factory=list)
    cancelled: bool = False


def engine_missing() -> str | None:
    """One sentence saying what to install when the OCR engine is not there, else None."""
    from qirtas.importers.ocr.engine import find_engine, install_hint

    if find_engine() is not None:
        return None
    # The import's sentence (importers/notices.py, "ocr.engine-missing"), in the UI language.
    return _(
        "OCR needs the Tesseract engine with its Arabic and English models; install them ({install})."
    ).format(install=install_hint())


def ocr_settings(languages: str | None = None) -> OcrSettings:
    """The settings of a run again: every page OCR'd (its text layer, if any, is replaced). `languages`
    ("ara", "eng+ara"): the models to read every page with, each installed, else ArchiveError."""
    from qirtas.importers.ocr import OcrSettings, find_engine

    if not languages:
        return OcrSettings(force=True)
    engine = find_engine()
    installed = engine.languages if engine is not None else frozenset()
    missing = [name for name in languages.split("+") if name not in installed]
    if missing:
        raise ArchiveError(
            _("Tesseract has no model for {languages} here; the installed ones are {installed}.").format(
                languages="+".join(missing), installed=", ".join(sorted(installed - {"osd"})) or "—"
            )
        )
    return OcrSettings(force=True, languages=languages)


@uses_archive
def ocr_documents(
    archive: Archive,
    document_ids: list[int],
    languages: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int | None = None,
) -> OcrReport:
    """OCR each document's original again in the import worker pool and replace its text (index and
    digest follow), recording an "ocr" audit event. A document that cannot be read is reported and left as
    it was; the others go on. Raises ArchiveError, changing nothing, when the engine is not installed."""
    archive.refuse_writes()
    missing = engine_missing()
    if missing:
        raise ArchiveError(missing)
    settings = ocr_settings(languages)
    wanted = list(dict.fromkeys(document_ids))
    report = OcrReport()
    done = 0
    try:
        size = min(workers or os.cpu_count() or 1, max(1, len(wanted)))
        with ReaderPool(size, timeout=timeout) as pool:  # started once, for every chunk
            for start in range(0, len(wanted), pool.size):
                stop_if_cancelled(cancel)
                originals = _originals(archive, wanted[start : start + pool.size], report)
                outcomes = extract_isolated(
                    list(originals),
                    cancel=cancel,
                    names={path: Path(d.source_name or path.name) for path, d in originals.items()},
                    pool=pool,
                    on_page=None if progress is None else _pages(progress, done, len(wanted)),
                    ocr=settings,
                )
                for path, document in originals.items():
                    if path not in outcomes:  # cancelled while it was being read
                        continue
                    _replace(archive, document, outcomes[path], report)
                    done += 1
                    if progress is not None:
                        progress(done, len(wanted), document.title)
                if len(outcomes) < len(originals):
                    raise Cancelled
    except Cancelled:
        report.cancelled = True
    return report


def _pages(progress: Progress, done: int, total: int) -> Callable[[Path, int], None]:
    """The pages of the document being read, as they are read (`qirtas.jobs.Progress`'s `page`)."""
    return lambda name, page: progress(done, total, str(name), page)


def _originals(archive: Archive, document_ids: list[int], report: OcrReport) -> dict[Path, Document]:
    """The stored originals of these documents that OCR can read, checked against their SHA-256 first
    (OCR'ing a damaged file would replace a good text with garbage); the others go into the report."""
    found: dict[Path, Document] = {}
    for document_id in document_ids:
        try:
            document = archive.get(document_id)
        except DocumentNotFound as error:
            report.failed.append(OcrFailure(document_id, str(error)))
            continue
        problem = _cannot_read(archive, document)
        if problem:
            report.failed.append(OcrFailure(document_id, problem))
        else:
            found[archive.original_path(document)] = document
    return found


def _cannot_read(archive: Archive, document: Document) -> str | None:
    if not (document.media_type == "application/pdf" or document.media_type.startswith("image/")):
        return _("Document {id} is not a PDF or an image: there is nothing in it for OCR to read.").format(
            id=document.id
        )
    path = archive.original_path(document)
    if not path.exists():
        return _("The original of document {id} is missing from the archive; run verify to check it.").format(
            id=document.id
        )
    if sha256_file(path) != document.sha256:
        return _(
            "The original of document {id} no longer matches its SHA-256; run verify to check it."
        ).format(id=document.id)
    return None


def _replace(
    archive: Archive, document: Document, outcome: Extracted | ExtractionError, report: OcrReport
) -> None:
    """Store one OCR reading (text, status, metadata) and its audit event in one transaction."""
    if isinstance(outcome, ExtractionError):
        sentence = _("Document {id} could not be read again: {reason}").format(id=document.id, reason=outcome)
        report.failed.append(OcrFailure(document.id, sentence))
        return
    problem = _unusable(document, outcome)
    if problem is not None:
        report.failed.append(OcrFailure(document.id, problem))
        return
    ocr = outcome.ocr or {}
    pages = [
        {"page": page.get("page"), "confidence": page.get("confidence"), "languages": page.get("languages")}
        for page in ocr.get("pages", [])
    ]
    with archive.db.atomic("IMMEDIATE"):
        reading = _with_corrections(archive, document, outcome)
        replaced = archive.replace_extraction(document.id, reading, reason="read with OCR")
        archive.audit(
            AUDIT_ACTION,
            document.id,
            engine=ocr.get("engine", ""),
            confidence=ocr.get("confidence"),
            threshold=ocr.get("threshold"),
            pages=pages,
            previous_status=document.status,
        )
    report.read.append(
        OcrRead(
            id=document.id,
            title=replaced.title,
            status=replaced.status,
            previous_status=document.status,
            confidence=float(ocr.get("confidence") or 0.0),
            pages=replaced.pages,
            engine=str(ocr.get("engine", "")),
        )
    )


def _with_corrections(archive: Archive, document: Document, outcome: Extracted) -> Extracted:
    """The reading with the archivist's corrections (title, date, language: `update_document`) kept: a new
    reading replaces what the old one gave, not what a person decided."""
    corrected = {
        name
        for event in archive.audit_trail(document.id)
        if event.action == "edited"
        for name in (event.details or {}).get("after", {})
    }
    kept = {name: getattr(document, name) for name in ("title", "date", "language") if name in corrected}
    return dataclasses.replace(outcome, **kept) if kept else outcome


def _unusable(document: Document, outcome: Extracted) -> str | None:
    """Why a reading must not replace the document's text (None: it may)."""
    if outcome.status == STATUS_ENCRYPTED:
        return _("Document {id} is locked: unlock it with its password first.").format(id=document.id)
    if not outcome.ocr or outcome.status != STATUS_OCR:
        hint = f" {warning_text(outcome.warnings[0])}" if outcome.warnings else ""  # the reason, if any
        return _("OCR found no text in document {id}; it was left as it was.").format(id=document.id) + hint
    return None


__all__ = [
    "AUDIT_ACTION",
    "OcrFailure",
    "OcrRead",
    "OcrReport",
    "engine_missing",
    "ocr_documents",
    "ocr_settings",
]
