"""PDF files through pdfminer.six: text with pages and paragraphs, Arabic in logical order, a clear status.

Layout (lines, columns, paragraphs) is in pdf_layout, right-to-left repair in pdf_arabic, the document
information dictionary in pdf_info. Runs in a worker process (see workers.py): pdfminer on a hostile file
may take unbounded time or memory.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from pathlib import Path

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.psexceptions import PSEOF, PSException
from qirtas.i18n.catalog import _
from qirtas.i18n.dates import find_date
from qirtas.i18n.script import document_language
from qirtas.importers.base import (
    STATUS_ENCRYPTED,
    STATUS_NEEDS_OCR,
    STATUS_OCR,
    STATUS_OK,
    Extracted,
    ExtractionError,
    Importer,
    PageProgress,
    registry,
)
from qirtas.importers.notices import warning
from qirtas.importers.ocr import OcrRecord, OcrSettings, PageText, find_engine, install_hint
from qirtas.importers.pdf_info import meaningful_title, read_info
from qirtas.importers.pdf_layout import GlyphDevice, PageLayout, layout_page
from qirtas.importers.pdf_paragraphs import (
    bracket_vote,
    continues_sentence,
    heading_of,
    join_lines,
    line_pitch_ratio,
    paragraph_text,
    paragraphs_of,
    remove_running_lines,
    vocabulary_of,
)

MEDIA_TYPE = "application/pdf"
_DATE_SEARCH_CHARS = 3000

_PDFMINER_LOG = logging.getLogger("pdfminer")
_PDFMINER_LOG.setLevel(logging.ERROR)


class _DamageReport(logging.Handler):
    """Collects what pdfminer says it skipped or guessed while reading one file (its warnings)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if len(self.messages) < 3 and message not in self.messages:
            self.messages.append(message[:160])

    def __enter__(self) -> _DamageReport:
        self._level = _PDFMINER_LOG.level
        _PDFMINER_LOG.setLevel(logging.WARNING)
        _PDFMINER_LOG.addHandler(self)
        _PDFMINER_LOG.propagate = False
        return self

    def __exit__(self, *exc) -> None:
        _PDFMINER_LOG.removeHandler(self)
        _PDFMINER_LOG.setLevel(self._level)
        _PDFMINER_LOG.propagate = True


def looks_like_pdf(head: bytes) -> bool:
    """`%PDF-` within the first 1024 bytes (readers accept junk before the header, and so do we)."""
    return b"%PDF-" in head[:1024]


def extract_pdf(
    path: Path,
    data: bytes | None = None,
    password: str | None = None,
    progress: PageProgress | None = None,
    ocr: OcrSettings | None = None,
    **_options,
) -> Extracted:
    """Read a PDF. A password-protected one comes back as status "encrypted" with no text; pages with no
    text layer are read by OCR (status "ocr"), or the document is "needs_ocr" when OCR is off or not
    installed; one that cannot be read at all raises ExtractionError. `progress` is called after each
    page laid out and after each page OCR'd, with the count of those so far."""
    if data is None:
        data = Path(path).read_bytes()
    if not data:
        raise ExtractionError(_("The file is empty (0 bytes)."))
    if not looks_like_pdf(data[:1024]):
        raise ExtractionError(_("This is not a PDF: it does not start with a PDF header."))
    with _DamageReport() as damage:
        try:
            document = _open(data, password)
        except PDFPasswordIncorrect:
            return _encrypted(password)
        except PDFEncryptionError as error:
            return _encrypted(password, unsupported=str(error).split(":")[0][:120])
        except Exception as error:
            raise ExtractionError(explain(error)) from error
        metadata = _safe_info(document)
        warnings: list[str] = []
        layouts, drawn, unknown = _layout_pages(document, warnings, progress)
    if damage.messages:
        warnings.append(warning("pdf.damaged", reasons="; ".join(damage.messages)))
    record, missing = _ocr(data, password, layouts, ocr or OcrSettings(), warnings, progress)
    read = record.pages if record else {}
    text, page_starts, heading = _assemble(layouts, metadata.get("producer", ""), warnings, read)
    # Imported here, not at the top: importing the text importer first would register it before this
    # one, and a PDF written without binary streams would then be taken for a text file.
    from qirtas.importers.text import guess_title

    status = STATUS_OCR if any(page.text for page in read.values()) else STATUS_OK
    if not any(char.isalnum() for char in text):
        status = STATUS_NEEDS_OCR
        text, page_starts = "", [0] * len(layouts)
        if record is not None:
            warnings.insert(0, warning("ocr.nothing-found", pages=len(read)))
        elif any(layout.pictures for layout in layouts):
            warnings.insert(0, warning("pdf.no-text-layer.pictures"))
        else:
            warnings.insert(0, warning("pdf.no-text-layer.blank"))
    elif blank := [
        number
        for number, layout in enumerate(layouts, 1)
        if layout.pictures and not layout.lines and number - 1 not in read
    ]:
        pages: list[int | str] = [*blank[:10], *(["…"] if len(blank) > 10 else [])]
        warnings.append(warning("pdf.picture-pages", count=len(blank), total=len(layouts), pages=pages))
    if missing:
        warnings.append(warning("ocr.engine-missing", install=install_hint()))
    if status == STATUS_OK and unknown > drawn / 2:
        status = STATUS_NEEDS_OCR
        warnings.append(warning("pdf.unknown-fonts.most"))
    elif status == STATUS_OK and unknown:
        warnings.append(warning("pdf.unknown-fonts.some", count=unknown, total=drawn))
    first_page = text[: page_starts[1]] if len(page_starts) > 1 else text
    if "creation_date" in metadata:
        metadata["pdf_creation_date"] = metadata.pop("creation_date")
    return Extracted(
        text=text,
        media_type=MEDIA_TYPE,
        title=meaningful_title(metadata.get("title", "")) or guess_title(heading) or guess_title(text),
        language=document_language(text),
        status=status,
        date=find_date(first_page[:_DATE_SEARCH_CHARS]),
        page_starts=page_starts,
        metadata=metadata,
        warnings=warnings,
        ocr=record.as_dict(page_starts) if record and status == STATUS_OCR else None,
    )


def _ocr(
    data: bytes,
    password: str | None,
    layouts: list[PageLayout],
    settings: OcrSettings,
    warnings: list[str],
    progress: PageProgress | None,
) -> tuple[OcrRecord | None, bool]:
    """The pages without a text layer (all of them when `settings.force`) read by OCR, and whether OCR
    was wanted but Tesseract is not installed."""
    wanted = [index for index, layout in enumerate(layouts) if settings.force or not layout.lines]
    if not wanted or not settings.enabled:
        return None, False
    engine = find_engine()
    if engine is None:
        return None, True
    from qirtas.importers.ocr.pdf_pages import ocr_pdf_pages  # Pillow and PDFium: only for a scan

    record = ocr_pdf_pages(data, password, wanted, settings, engine, warnings, progress, len(layouts))
    return record, False


def _open(data: bytes, password: str | None) -> PDFDocument:
    """The parsed document; a password that does not fit is dropped if the PDF opens without one (an
    owner password only restricts printing or copying, and a batch password may be meant for others)."""
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)), password=password or "")
    except PDFPasswordIncorrect:
        if not password:
            raise
    return PDFDocument(PDFParser(io.BytesIO(data)), password="")


def _encrypted(password: str | None, unsupported: str = "") -> Extracted:
    if unsupported:
        notice = warning("pdf.encrypted.unsupported", method=unsupported)
    elif password:
        notice = warning("pdf.encrypted.wrong-password")
    else:
        notice = warning("pdf.encrypted.password")
    return Extracted(text="", media_type=MEDIA_TYPE, status=STATUS_ENCRYPTED, warnings=[notice])


def _safe_info(document: PDFDocument) -> dict[str, str]:
    try:
        return read_info(document.info)
    except Exception:
        return {}


def _layout_pages(
    document: PDFDocument, warnings: list[str], progress: PageProgress | None = None
) -> tuple[list[PageLayout], int, int]:
    """Each page laid out, with the number of characters drawn and of those with no known letter."""
    resources = PDFResourceManager(caching=True)
    device = GlyphDevice(resources)
    interpreter = PDFPageInterpreter(resources, device)
    layouts: list[PageLayout] = []
    pages = PDFPage.create_pages(document)
    while True:
        try:
            page = next(pages)
        except StopIteration:
            break
        except Exception as error:
            if not layouts:
                raise ExtractionError(explain(error)) from error
            warnings.append(warning("pdf.page-list-damaged", page=len(layouts), reason=explain(error)))
            break
        try:
            interpreter.process_page(page)
            layouts.append(_without_glyphs(layout_page(device)))
        except Exception as error:
            warnings.append(warning("pdf.page-unreadable", page=len(layouts) + 1, reason=explain(error)))
            layouts.append(PageLayout(width=0, height=0, lines=[]))
        if progress:
            progress(len(layouts))
    if not layouts:
        raise ExtractionError(_("The PDF has no pages (its page list is missing or empty)."))
    return layouts, device.drawn, device.unknown


def _without_glyphs(layout: PageLayout) -> PageLayout:
    """The page with its lines' glyphs dropped once they are laid out: assembling the text needs only
    how many each line had (its units, geometry and direction stay). Glyphs were most of the memory a long
    document held: 20,000 pages of 10 lines needed over 4 GB with them."""
    for line in layout.lines:
        line.glyphs = range(len(line.glyphs))  # type: ignore[assignment]  # a count that len() reads
    return layout


def _assemble(
    layouts: list[PageLayout], producer: str, warnings: list[str], read: dict[int, PageText] | None = None
) -> tuple[str, list[int], str]:
    """The document text (paragraphs separated by a blank line), where each page starts in it, and the
    first page's heading. `read`: the pages OCR'd, by index, whose text stands for their layout's."""
    removed = remove_running_lines(layouts)
    if removed:
        warnings.append(warning("pdf.running-lines", count=removed))
    pitch = line_pitch_ratio(layouts)
    vocabulary = vocabulary_of(layouts, producer)
    mirror = sum(bracket_vote(layout.lines) for layout in layouts) > 0
    # The text is kept in pieces: joining a paragraph that runs over a page break to the whole text so
    # far made a long document quadratic (a 2,000-page one spent most of its time there).
    pieces: list[str] = []
    length = 0
    page_starts = []
    last_lines = None  # the lines of the previous page's last paragraph
    read = read or {}
    for index, layout in enumerate(layouts):
        paragraphs: list[str] = []
        page_start = None
        if index in read:  # an OCR'd page starts its own paragraphs: its text is placed as it is
            paragraphs, last_lines = [read[index].text], None
        for lines in [] if index in read else paragraphs_of(layout, pitch):
            paragraph = unicodedata.normalize("NFC", paragraph_text(lines, mirror, vocabulary)).strip()
            if not paragraph:
                continue
            if not paragraphs and last_lines and pieces and continues_sentence(last_lines, lines[0]):
                # A paragraph running over the page break stays one paragraph.
                tail = _text_end(pieces)
                joined = join_lines(tail, paragraph, vocabulary)
                pieces.append(joined)
                length += len(joined) - len(tail)
                page_start = length - len(paragraph)
                paragraphs.append("")
            else:
                paragraphs.append(paragraph)
            last_lines = lines
        body = "\n\n".join(p for p in paragraphs if p)
        if page_start is None:
            if body and pieces:
                pieces.append("\n\n")
                length += 2
            page_start = length
        elif body:
            pieces.append("\n\n")
            length += 2
        page_starts.append(page_start)
        if body:
            pieces.append(body)
            length += len(body)
        if not paragraphs:
            last_lines = None
    heading = unicodedata.normalize("NFC", heading_of(layouts[0], mirror)) if layouts else ""
    return "".join(pieces), page_starts, heading


_JOIN_CONTEXT = 1000  # characters: join_lines looks at the last word only


def _text_end(pieces: list[str]) -> str:
    """The end of the text, `_JOIN_CONTEXT` characters (or all of it), taken off `pieces`."""
    taken: list[str] = []
    size = 0
    while size < _JOIN_CONTEXT and pieces:
        piece = pieces.pop()
        if size + len(piece) > _JOIN_CONTEXT:  # only its end: the pieces must not grow page after page
            cut = len(piece) - (_JOIN_CONTEXT - size)
            pieces.append(piece[:cut])
            piece = piece[cut:]
        taken.append(piece)
        size += len(piece)
    return "".join(reversed(taken))


def explain(error: BaseException) -> str:
    """pdfminer's reason for failing, in words a person understands."""
    reason = str(error).strip() or type(error).__name__
    if isinstance(error, ExtractionError):
        return reason
    if isinstance(error, PSEOF) or "Unexpected EOF" in reason:
        return _("The PDF ends too early: the file is truncated (an interrupted download or copy?).")
    if isinstance(error, PDFSyntaxError):
        if "No /Root" in reason:
            return _(
                "The file is not a readable PDF: its document catalogue is missing "
                "(the file is damaged, truncated or not really a PDF)."
            )
        return _("The PDF is damaged: its structure cannot be parsed (pdfminer: {reason}).").format(
            reason=reason
        )
    if isinstance(error, PSException):
        return _("The PDF is damaged (pdfminer: {reason}).").format(reason=reason)
    if isinstance(error, MemoryError):
        return _("The PDF needs more memory to read than is allowed.")
    if isinstance(error, RecursionError):
        return _("The PDF is damaged: its objects refer to each other in an endless loop.")
    return _("The PDF could not be read (pdfminer: {kind}: {reason}).").format(
        kind=type(error).__name__, reason=reason
    )


PDF_IMPORTER = Importer(
    name="pdf",
    media_type=MEDIA_TYPE,
    extensions=(".pdf",),
    sniff=looks_like_pdf,
    extract=extract_pdf,
    isolated=True,
)
registry.register(PDF_IMPORTER)
