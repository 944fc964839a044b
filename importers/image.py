"""Scanned images — PNG, JPEG, TIFF (one page per frame) and WebP — read by OCR.

Pillow decodes them in a worker process (isolated: a hostile image may take unbounded time or memory);
its decompression-bomb guard is set in ocr/render.py, and each frame is checked against the same bound
before it is decoded.
"""

from __future__ import annotations

import io
import warnings as python_warnings
from pathlib import Path
from typing import TYPE_CHECKING

from qirtas.i18n.catalog import _
from qirtas.i18n.dates import find_date
from qirtas.i18n.script import document_language
from qirtas.importers.base import (
    STATUS_NEEDS_OCR,
    STATUS_OCR,
    Extracted,
    ExtractionError,
    Importer,
    PageProgress,
    registry,
)
from qirtas.importers.notices import warning
from qirtas.importers.ocr import (
    MAX_PIXELS,
    EngineFailed,
    OcrRecord,
    OcrSettings,
    PageText,
    find_engine,
    install_hint,
)

if TYPE_CHECKING:  # Pillow is loaded when an image is read, not when the importers register
    from PIL import Image

_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "TIFF": "image/tiff", "WEBP": "image/webp"}
# Scans that do not say their resolution (or say a screen's 72 dpi) are taken as 300 dpi office scans.
_ASSUMED_DPI = 300


def looks_like_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


def extract_image(
    path: Path,
    data: bytes | None = None,
    progress: PageProgress | None = None,
    ocr: OcrSettings | None = None,
    **_options,
) -> Extracted:
    """The text of each page (frame) by OCR: status "ocr"; "needs_ocr" when OCR is off or not installed."""
    if data is None:
        data = Path(path).read_bytes()
    if not data:
        raise ExtractionError(_("The file is empty (0 bytes)."))
    from qirtas.importers.ocr.page import read_page

    image = _open(data)
    media_type = _FORMATS.get(image.format or "", "image/" + (image.format or "unknown").lower())
    count = getattr(image, "n_frames", 1)
    settings = ocr or OcrSettings()
    engine = find_engine() if settings.enabled else None
    notes: list[str] = []
    if engine is None:
        if settings.enabled:
            notes.append(warning("ocr.engine-missing", install=install_hint()))
        return Extracted("", media_type, status=STATUS_NEEDS_OCR, page_starts=[0] * count, warnings=notes)
    record = OcrRecord(engine, settings.threshold)
    for index in range(count):
        page = _page(image, index, notes)
        if page is not None:
            try:
                record.pages[index] = read_page(page, _dpi(image), settings, engine)
            except EngineFailed as error:
                notes.append(warning("ocr.page-failed", page=index + 1, reason=str(error)))
        if progress:
            progress(index + 1, ocr=True)
    return _document(record, count, media_type, notes)


def _open(data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError
    from qirtas.importers.ocr import render  # noqa: F401  (sets Pillow's pixel bound, MAX_PIXELS)

    try:
        with python_warnings.catch_warnings():
            python_warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ExtractionError(_too_large()) from error
    except UnidentifiedImageError as error:
        raise ExtractionError(
            _("The image is damaged or not really an image: it cannot be decoded.")
        ) from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ExtractionError(
            _("The image is damaged and cannot be decoded ({reason}).").format(reason=error)
        ) from error


def _too_large() -> str:
    return _(
        "The image is too large to read safely (over {pixels} million pixels): it may be built to exhaust "
        "memory."
    ).format(pixels=MAX_PIXELS // 1_000_000)


def _page(image: Image.Image, index: int, notes: list[str]) -> Image.Image | None:
    """Frame `index` decoded in grey; None (with a warning) when it is damaged. A first frame that
    cannot be decoded, or a frame over the pixel bound, fails the file."""
    try:
        image.seek(index)
        if image.width * image.height > MAX_PIXELS:
            raise ExtractionError(_too_large())
        return _grey(image)
    except ExtractionError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        if index == 0 and getattr(image, "n_frames", 1) == 1:
            raise ExtractionError(
                _("The image is damaged or truncated and cannot be decoded ({reason}).").format(reason=error)
            ) from error
        notes.append(warning("ocr.image-unreadable", page=index + 1, reason=str(error)[:200]))
        return None


def _grey(frame: Image.Image) -> Image.Image:
    """The frame upright (a phone's EXIF orientation) in grey, on white where it is transparent (a PNG's
    transparent pixels are often black: dropping the alpha would black out the page)."""
    from PIL import Image, ImageOps

    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        frame = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    elif frame.format == "JPEG":
        frame = ImageOps.exif_transpose(frame)
    return frame.convert("L")


def _dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi", (0, 0))
    try:
        value = round(float(dpi[0]))
    except (TypeError, ValueError, IndexError):
        return _ASSUMED_DPI
    return value if value >= 100 else _ASSUMED_DPI


def _document(record: OcrRecord, count: int, media_type: str, notes: list[str]) -> Extracted:
    from qirtas.importers.text import guess_title  # see pdf.py: registration order

    pieces: list[str] = []
    page_starts: list[int] = []
    length = 0
    for index in range(count):
        text = record.pages.get(index, PageText()).text
        if text and pieces:
            pieces.append("\n\n")
            length += 2
        page_starts.append(length)
        if text:
            pieces.append(text)
            length += len(text)
    text = "".join(pieces)
    if not any(char.isalnum() for char in text):
        notes.insert(0, warning("ocr.nothing-found", pages=count))
        return Extracted("", media_type, status=STATUS_NEEDS_OCR, page_starts=page_starts, warnings=notes)
    return Extracted(
        text=text,
        media_type=media_type,
        title=guess_title(text),
        language=document_language(text),
        status=STATUS_OCR,
        date=find_date(text[:3000]),
        page_starts=page_starts,
        warnings=notes,
        ocr=record.as_dict(page_starts),
    )


IMAGE_IMPORTER = Importer(
    name="image",
    media_type="image/*",
    extensions=(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"),
    sniff=looks_like_image,
    extract=extract_image,
    isolated=True,
)
registry.register(IMAGE_IMPORTER)
