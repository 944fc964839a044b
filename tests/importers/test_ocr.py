"""OCR: scanned PDFs and images become text with status "ocr", confidence and doubtful words marked;
without the engine they are archived as "needs_ocr" with what to install."""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from qirtas.importers import extract
from qirtas.importers.ocr import OcrSettings, find_engine, read_page
from qirtas.importers.ocr import engine as tesseract
from qirtas.importers.ocr.text import page_text, words_of
from qirtas.importers.pdf import extract_pdf
from qirtas.importers.workers import extract_isolated

STATUS = Path(__file__).parents[1] / "fixtures" / "pdf" / "status"
needs_engine = pytest.mark.skipif(
    find_engine() is None or not {"ara", "eng"} <= find_engine().languages,  # type: ignore[union-attr]
    reason="Tesseract with the ara and eng models is not installed (apt install tesseract-ocr "
    "tesseract-ocr-ara tesseract-ocr-eng)",
)


def scan_image(format: str, dpi: int = 300, **save) -> bytes:
    """The scanned letter of tests/fixtures/pdf/status/scan.pdf as an image file."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(STATUS / "scan.pdf"))
    image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    document.close()
    buffer = io.BytesIO()
    image.save(buffer, format, dpi=(dpi, dpi), **save)
    return buffer.getvalue()


@needs_engine
def test_a_scanned_pdf_is_read_by_ocr_with_its_confidence():
    pages: list[int] = []
    extracted = extract_pdf(STATUS / "scan.pdf", progress=lambda n, **_kind: pages.append(n))
    assert extracted.status == "ocr"
    assert "Scanned letter, 3 March 2019" in extracted.text and "No text layer here." in extracted.text
    assert extracted.date is not None and extracted.date.isoformat() == "2019-03-03"
    assert extracted.warnings == [] and pages == [1, 2]  # laid out, then OCR'd
    ocr = extracted.ocr
    assert ocr is not None and ocr["engine"].startswith("tesseract 5")
    assert ocr["confidence"] > 80 and ocr["threshold"] == 60
    assert ocr["pages"] == [{"page": 0, "confidence": ocr["confidence"], "languages": "eng", "low": []}]


@needs_engine
def test_the_scanned_annex_of_a_born_digital_pdf_takes_its_place_in_page_order():
    extracted = extract_pdf(STATUS / "partly_scanned.pdf")
    assert extracted.status == "ocr" and extracted.pages == 2
    annex = extracted.text[extracted.page_starts[1] :]
    assert annex.startswith("Scanned letter, 3 March 2019") and "Hedayah Centre" in extracted.text
    assert [page["page"] for page in extracted.ocr["pages"]] == [1]  # type: ignore[index]
    assert not any("picture" in warning for warning in extracted.warnings)
    forced = extract_pdf(STATUS / "partly_scanned.pdf", ocr=OcrSettings(force=True))
    assert [page["page"] for page in forced.ocr["pages"]] == [0, 1]  # type: ignore[index]
    assert "Hedayah Centre" in forced.text[: forced.page_starts[1]]


@needs_engine
@pytest.mark.parametrize(
    ("format", "save"), [("PNG", {}), ("JPEG", {"quality": 85}), ("WEBP", {"quality": 90}), ("TIFF", {})]
)
def test_images_are_imported_by_ocr(tmp_path, format, save):
    path = tmp_path / f"letter.{format.lower()}"
    path.write_bytes(scan_image(format, **save))
    extracted = extract(path)
    assert extracted.status == "ocr" and "Scanned letter, 3 March 2019" in extracted.text
    assert extracted.media_type == f"image/{format.lower()}" and extracted.pages == 1
    assert extracted.title == "Scanned letter, 3 March 2019"


@needs_engine
def test_each_page_of_a_multi_page_tiff_is_a_page(tmp_path):
    letter = Image.open(io.BytesIO(scan_image("PNG")))
    blank = Image.new("L", letter.size, 255)
    path = tmp_path / "fax.tif"
    letter.save(path, save_all=True, append_images=[blank, letter], dpi=(300, 300), compression="tiff_lzw")
    pages: list[int] = []
    extracted = extract(path, progress=lambda n, **_kind: pages.append(n))
    assert extracted.pages == 3 and pages == [1, 2, 3]
    first, second, third = (
        extracted.text[a:b]
        for a, b in zip(extracted.page_starts, [*extracted.page_starts[1:], None], strict=True)
    )
    assert "No text layer here." in first and second.strip() == "" and third.startswith("Scanned letter")


def test_without_the_engine_a_scan_needs_ocr_and_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(tesseract.PROGRAM_ENV, "")
    extracted = extract_pdf(STATUS / "scan.pdf")
    assert extracted.status == "needs_ocr" and extracted.text == "" and extracted.ocr is None
    assert "no text layer" in extracted.warnings[0]
    assert "install" in extracted.warnings[1] and "tesseract" in extracted.warnings[1]
    path = tmp_path / "letter.png"
    path.write_bytes(scan_image("PNG"))
    image = extract(path)
    assert image.status == "needs_ocr" and image.pages == 1 and "Tesseract" in image.warnings[0]


def test_ocr_turned_off_leaves_scans_for_later_without_an_install_hint(tmp_path):
    extracted = extract_pdf(STATUS / "partly_scanned.pdf", ocr=OcrSettings(enabled=False))
    assert extracted.status == "ok" and extracted.page_starts[1] == len(extracted.text)
    assert not any("install" in warning for warning in extracted.warnings)


TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


def tsv(*rows: tuple[int, int, int, float, str]) -> str:
    return TSV_HEADER + "".join(
        f"5\t1\t{block}\t{par}\t{line}\t1\t0\t0\t10\t10\t{conf}\t{text}\n"
        for block, par, line, conf, text in rows
    )


def test_low_confidence_words_stay_in_the_text_and_are_listed_by_their_span():
    words = words_of(
        tsv(
            (1, 1, 1, 95, "The"),
            (1, 1, 1, 41, "coun-"),
            (1, 1, 2, 93, "terterrorism"),
            (1, 1, 2, 30, "office"),
            (2, 1, 1, 96, "Annex"),
        )
    )
    page = page_text(words, 60, "eng")
    assert page.text == "The counterterrorism office\n\nAnnex"
    assert [page.text[a:b] for a, b in page.low] == ["coun", "office"]
    assert page.confidence == pytest.approx((95 + 41 + 93 + 30 + 96) / 5, abs=0.1)


def test_arabic_words_get_arabic_punctuation_and_no_stray_direction_marks():
    words = words_of(
        tsv((1, 1, 1, 90, "\u200eالإرهاب,\u200f"), (1, 1, 1, 90, "(UNDP),"), (1, 1, 1, 90, "هل?"))
    )
    assert page_text(words, 60, "ara").text == "الإرهاب، (UNDP), هل؟"


FAKE_TESSERACT = """#!/bin/sh
case "$1" in
  --version) echo "tesseract 5.3.0"; exit 0;;
  --list-langs) printf 'List of available languages (2):\\nara\\neng\\n'; exit 0;;
esac
echo $$ > "{pidfile}"
exec sleep 300
"""


def _recognise_forever(pidfile: str) -> None:
    engine = tesseract.find_engine()
    assert engine is not None
    tesseract.recognise(engine, b"", "eng", 3, 300, timeout=600)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL") or os.name != "posix", reason="POSIX signals")
def test_tesseract_dies_with_the_worker_that_ran_it(tmp_path, monkeypatch):
    pidfile = tmp_path / "pid"
    program = tmp_path / "tesseract"
    program.write_text(FAKE_TESSERACT.format(pidfile=pidfile))
    program.chmod(0o755)
    monkeypatch.setenv(tesseract.PROGRAM_ENV, str(program))
    worker = multiprocessing.get_context("fork").Process(target=_recognise_forever, args=(str(pidfile),))
    worker.start()
    for _ in range(100):
        if pidfile.exists() and pidfile.read_text().strip():
            break
        time.sleep(0.05)
    child = int(pidfile.read_text())
    os.kill(worker.pid, signal.SIGKILL)  # as the pool stops a worker over its time limit
    worker.join(5)
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the Tesseract child outlived its worker")


@needs_engine
def test_the_pool_reads_scans_in_workers_within_their_memory_limit(tmp_path):
    """Two workers get 2048 MB of address space each (on a machine with 8 GB or more); Tesseract, a
    child, inherits the limit and reads an Arabic page inside it."""
    from tests.fixtures.ocr.make_scans import CASES, scan

    arabic = tmp_path / "arabic.png"
    arabic.write_bytes(scan(CASES[0])[0])
    letter = tmp_path / "letter.jpg"
    letter.write_bytes(scan_image("JPEG"))
    outcomes = extract_isolated([arabic, letter], workers=2)
    assert outcomes[arabic].status == "ocr" and "مجلس الأمن" in outcomes[arabic].text
    assert outcomes[letter].status == "ocr" and outcomes[letter].ocr["pages"][0]["languages"] == "eng"


def test_a_latin_run_inside_an_arabic_line_reads_left_to_right():
    """Tesseract lists an Arabic line's words right to left, the Latin run's too."""
    rows = [("وأسست", 2300), ("الشركات", 2100), ("Forum).", 1500), ("Internet", 1300), ("(Global", 1100)]
    rows += [("لمكافحة", 900), ("الإرهاب", 700)]
    text = TSV_HEADER + "".join(f"5\t1\t1\t1\t1\t1\t{left}\t0\t150\t40\t95\t{word}\n" for word, left in rows)
    assert (
        page_text(words_of(text), 60, "ara").text == "وأسست الشركات (Global Internet Forum). لمكافحة الإرهاب"
    )


@needs_engine
def test_the_columns_of_an_arabic_page_are_read_right_column_first():
    from tests.fixtures.ocr.make_scans import CASES, scan

    page = Image.open(io.BytesIO(scan(CASES[0])[0])).convert("L")  # the clean Arabic news page
    first = page.crop((page.width // 2 - 200, 250, page.width - 150, 650))  # its first paragraphs
    later = page.crop((page.width // 2 - 200, 1250, page.width - 150, 1650))
    columns = Image.new("L", (first.width * 2 + 150, first.height + 100), 255)
    columns.paste(later, (30, 50))
    columns.paste(first, (first.width + 120, 50))  # the first paragraphs in the right-hand column
    engine = find_engine()
    assert engine is not None
    text = read_page(columns, 300, OcrSettings(), engine).text
    assert 0 <= text.find("مايو 2016") < text.find("علاوة")


@needs_engine
def test_a_transparent_png_is_read_on_white_and_a_phone_photo_upright(tmp_path):
    letter = Image.open(io.BytesIO(scan_image("PNG")))
    ink = Image.new("RGBA", letter.size, (0, 0, 0, 0))  # transparent black, as drawing programs save it
    ink.putalpha(letter.point(lambda value: 255 - value))
    transparent = tmp_path / "transparent.png"
    ink.save(transparent, dpi=(300, 300))
    assert "Scanned letter" in extract(transparent).text
    turned = letter.rotate(90, expand=True)  # the camera held sideways: EXIF says to turn it back
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    photo = tmp_path / "photo.jpg"
    turned.save(photo, "JPEG", quality=90, dpi=(300, 300), exif=exif)
    assert "Scanned letter" in extract(photo).text


@needs_engine
def test_a_large_arabic_title_the_layout_analysis_passes_over_is_read():
    """LibreOffice's bold 18 pt title: Tesseract's Arabic model returns nothing for it at 300 dpi."""
    from tests.fixtures.ocr.make_scans import rendered

    page = rendered(STATUS.parent / "libreoffice" / "ar_news.pdf", 0, 300)
    top = page.crop((0, 0, page.width, 700))  # the title and the first paragraph
    engine = find_engine()
    assert engine is not None
    text = read_page(top, 300, OcrSettings(), engine).text
    assert text.startswith("مجلس الأمن يدعو إلى مكافحة الإرهاب على الإنترنت\n\n")


@needs_engine
def test_an_english_column_beside_its_arabic_translation_is_read_column_by_column():
    """Plain Tesseract reads the two columns line across line (80 % of characters wrong)."""
    from tests.fixtures.ocr.make_scans import cer, rendered

    pdf = STATUS.parent / "chromium" / "columns_bilingual.pdf"
    engine = find_engine()
    assert engine is not None
    page = read_page(rendered(pdf, 0, 300), 300, OcrSettings(), engine)
    assert cer(extract_pdf(pdf).text, page.text) < 1.0
    assert page.languages == "ara+eng"
    english = read_page(rendered(pdf.with_name("columns_en.pdf"), 0, 300), 300, OcrSettings(), engine)
    assert english.languages == "eng"  # its blank region below the columns is not a language


@needs_engine
def test_a_grainy_scan_in_a_pdf_is_not_cut_into_columns_at_its_margin(tmp_path):
    """The specks in the right margin of a grainy page once made it look like a second column."""
    from tests.fixtures.ocr.make_scans import CASES, cer, scan, truth

    english = next(case for case in CASES if case.name == "english-degraded")
    path = tmp_path / "fax.pdf"
    Image.open(io.BytesIO(scan(english)[0])).save(path, resolution=200)
    extracted = extract_pdf(path)
    assert extracted.ocr is not None and extracted.ocr["pages"][0]["languages"] == "eng"
    assert cer(truth(english), extracted.text) < 1.0


@needs_engine
@pytest.mark.parametrize("angle", [90, 180])
def test_a_page_scanned_on_its_side_or_upside_down_is_read_upright(tmp_path, angle):
    from tests.fixtures.ocr.make_scans import CASES, cer, scan, truth

    english = next(case for case in CASES if case.name == "english-clean")
    whole = Image.open(io.BytesIO(scan(english)[0]))
    top = whole.crop((0, 0, whole.width, whole.height * 2 // 5))  # its first paragraphs: quicker
    engine = find_engine()
    assert engine is not None
    upright = read_page(top, 300, OcrSettings(), engine).text
    assert upright.startswith("Combating the Use of the Internet") and upright in truth(english)
    turned = read_page(top.rotate(angle, expand=True, fillcolor=255), 300, OcrSettings(), engine).text
    assert cer(upright, turned) < 0.5


def test_opening_an_archive_does_not_load_the_ocr_machinery():
    """Pillow, PDFium and the page pipeline load when a scan is read, not at every start of the command
    line or the window (they took ≈100 ms of imports there)."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, qirtas.archive.archive, qirtas.importers;"
            "print(sorted(m for m in ('PIL', 'pypdfium2', 'qirtas.importers.ocr.page') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"
