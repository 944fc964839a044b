"""Hostile images end in a document or a one-sentence reason, within the limits, and the batch goes on."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from qirtas.importers import ExtractionError, extract
from qirtas.importers.ocr import find_engine
from qirtas.importers.workers import extract_isolated


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A 10-gigapixel PNG in 200 bytes: its header says so, its data is one compressed row."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * (width // 8 + 1)))
        + png_chunk(b"IEND", b"")
    )


def text_page(text: str = "Scanned letter, 3 March 2019", size: tuple[int, int] = (1200, 400)) -> Image.Image:
    from PIL import ImageFont

    page = Image.new("L", size, 255)
    ImageDraw.Draw(page).text((40, 150), text, fill=0, font=ImageFont.load_default(size=48))
    return page


def encoded(image: Image.Image, format: str, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, dpi=(300, 300), **save)
    return buffer.getvalue()


def sentence(error: ExtractionError) -> str:
    message = str(error)
    assert message[:1].isupper() and message.endswith((".", ")")) and "\n" not in message
    assert "Traceback" not in message
    return message


def test_a_decompression_bomb_is_refused_before_it_is_decoded(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png())
    assert path.stat().st_size < 300
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    assert "too large" in sentence(raised.value) and "million pixels" in str(raised.value)


def test_a_bomb_hidden_in_a_later_tiff_page_is_refused_too(tmp_path):
    path = tmp_path / "bomb.tif"
    small = Image.new("1", (100, 100), 1)
    big = Image.new("1", (9000, 9000), 1)  # 81 Mpx: over the bound, 10 MB in memory here, 4 kB on disk
    small.save(path, save_all=True, append_images=[big], compression="group4")
    assert path.stat().st_size < 100_000
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    assert "too large" in sentence(raised.value)


@pytest.mark.parametrize("format", ["PNG", "JPEG", "WEBP", "TIFF"])
def test_a_truncated_image_fails_with_a_reason(tmp_path, format):
    whole = encoded(text_page(), format)
    path = tmp_path / f"cut.{format.lower()}"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    assert "damaged" in sentence(raised.value)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"\xff\xd8\xff\xe0" + b"\x00" * 300,
        b"II*\x00" + b"\xff" * 64,
    ],
)
def test_a_corrupt_image_fails_with_a_reason(tmp_path, data):
    path = tmp_path / "corrupt.img"
    path.write_bytes(data)
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    assert "damaged" in sentence(raised.value) or "not really an image" in str(raised.value)


def five_hundred_page_tiff(path: Path) -> None:
    """Page 1 and page 500 have a line of text; the 498 between are blank."""
    letter = text_page()
    blank = Image.new("1", letter.size, 1)
    pages = [blank] * 498 + [letter.convert("1")]
    letter.convert("1").save(path, save_all=True, append_images=pages, compression="group4", dpi=(300, 300))


@pytest.mark.skipif(find_engine() is None, reason="Tesseract is not installed (apt install tesseract-ocr)")
def test_a_500_page_tiff_becomes_a_500_page_document_with_progress_on_every_page(tmp_path):
    path = tmp_path / "fax.tif"
    five_hundred_page_tiff(path)
    pages: list[int] = []
    extracted = extract(path, progress=lambda n, **_kind: pages.append(n))
    assert extracted.status == "ocr" and extracted.pages == 500 and pages == list(range(1, 501))
    assert extracted.text.count("Scanned letter") == 2
    assert extracted.text.rindex("Scanned letter") == extracted.page_starts[499]


@pytest.mark.skipif(find_engine() is None, reason="Tesseract is not installed (apt install tesseract-ocr)")
def test_a_batch_of_hostile_images_goes_on_in_the_reader_pool(tmp_path):
    files = {
        "bomb.png": bomb_png(),
        "truncated.jpg": encoded(text_page(), "JPEG")[:2000],
        "corrupt.webp": b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 64,
        "letter.png": encoded(text_page(), "PNG"),
    }
    paths = []
    for name, data in files.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    outcomes = extract_isolated(paths, workers=2, timeout=60)
    by_name = {path.name: outcome for path, outcome in outcomes.items()}
    assert set(by_name) == set(files)
    for name in ("bomb.png", "truncated.jpg", "corrupt.webp"):
        assert isinstance(by_name[name], ExtractionError), name
        sentence(by_name[name])
    letter = by_name["letter.png"]
    assert not isinstance(letter, ExtractionError) and "Scanned letter" in letter.text


def wall_sized_pdf(points: int = 14_400) -> bytes:
    """One empty page of 200 × 200 inches (14,400 pt): 3.6 gigapixels at 300 dpi."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % (points, points),
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return body + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


@pytest.mark.skipif(find_engine() is None, reason="Tesseract is not installed (apt install tesseract-ocr)")
def test_a_wall_sized_pdf_page_is_drawn_within_the_pixel_bound(tmp_path):
    from qirtas.importers.ocr import render

    drawn = []
    original = render.pypdfium2.PdfPage.render

    def measured(page, **options):
        bitmap = original(page, **options)
        drawn.append(bitmap.width * bitmap.height)
        return bitmap

    path = tmp_path / "wall.pdf"
    path.write_bytes(wall_sized_pdf())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render.pypdfium2.PdfPage, "render", measured)
        extracted = extract(path)
    assert extracted.status == "needs_ocr" and "OCR found no text" in extracted.warnings[0]
    assert drawn and max(drawn) <= render.MAX_PIXELS
