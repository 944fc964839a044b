"""Pages, paragraphs, hyphenation, columns, running headers and document information from real PDFs."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from qirtas.importers import registry
from qirtas.importers.pdf_info import decode_string, meaningful_title, parse_pdf_date
from qirtas.importers.pdf_paragraphs import join_lines

FIXTURES = Path(__file__).parents[1] / "fixtures" / "pdf"
sys.path.insert(0, str(FIXTURES))
import fidelity  # noqa: E402

CHROMIUM = FIXTURES / "chromium"
LIBREOFFICE = FIXTURES / "libreoffice"


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_pdf_is_recognised_by_content_before_the_text_importer():
    pdf = next(importer for importer in registry if importer.name == "pdf")
    assert pdf.isolated and pdf.media_type == "application/pdf"
    data = (LIBREOFFICE / "en_conference.pdf").read_bytes()
    assert registry.for_file(Path("letter.txt"), data[:4096]).name == "pdf"
    # A PDF with nothing binary in its head is still a PDF, not a text file.
    assert registry.for_file(Path("x.bin"), b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n").name == "pdf"


def test_pages_are_kept_and_page_starts_point_at_each_page():
    extracted = fidelity.extracted(CHROMIUM / "headers_en.pdf")
    assert extracted.pages == 4
    assert extracted.page_starts[0] == 0
    assert extracted.page_starts == sorted(extracted.page_starts)
    # Page 2 begins with the words printed at the top of page 2 (under the running header).
    second = extracted.text[extracted.page_starts[1] :]
    assert second and not second.startswith("\n")


def test_paragraphs_have_no_line_breaks_inside_and_follow_the_source():
    extracted = fidelity.extracted(LIBREOFFICE / "en_conference.pdf")
    found = paragraphs(extracted.text)
    source = (FIXTURES / "sources" / "en_conference.txt").read_text(encoding="utf-8").strip()
    assert found == re.split(r"\n\s*\n", source)
    assert all("\n" not in paragraph for paragraph in found)


def test_words_hyphenated_at_a_line_end_are_rejoined_and_real_compounds_keep_their_hyphen():
    text = fidelity.extracted(CHROMIUM / "en_conference.pdf").text
    # Chromium broke these long words at soft hyphens, printing "‐" at the end of a line.
    for word in ("association", "highlighting", "understanding", "countering"):
        assert re.search(rf"\b{word}\b", text)
    assert "\u2010" not in text and "\u00ad" not in text
    assert "Counter-Terrorism" in text
    assert "identity-based" in fidelity.extracted(CHROMIUM / "headers_en.pdf").text


def test_line_joining_rules():
    assert join_lines("the partici-", "pation of") == "the participation of"
    assert join_lines("the partici\u00ad", "pation") == "the participation"
    assert join_lines("National Counter-", "Terrorism Committee") == "National Counter-Terrorism Committee"
    assert join_lines("end of a", "line") == "end of a line"
    assert join_lines("中国饮料", "有限公司") == "中国饮料有限公司"


def test_two_newspaper_columns_are_read_column_by_column():
    text = fidelity.extracted(CHROMIUM / "columns_en.pdf").text
    found = paragraphs(text)
    assert found[0].startswith("Experts from Central Asia")
    order = [
        text.index(s)
        for s in (
            "The key objective",
            "According to the OSCE",
            "Terrorist groups",
            "Therefore,",
            "The experts meeting",
        )
    ]
    assert order == sorted(order)
    # The paragraph that runs from the foot of the left column to the head of the right one stays whole.
    assert any(p.startswith("Terrorist groups") and p.endswith("actively developed.") for p in found)


def test_english_and_arabic_side_by_side_come_out_column_after_column():
    found = paragraphs(fidelity.extracted(CHROMIUM / "columns_bilingual.pdf").text)
    assert [p[:12] for p in found[1:3]] == ["The Security", "The Deputy S"]
    assert found[3].startswith("أشار مجلس الأمن") and found[4].startswith("دعا نائب الأمين العام")


@pytest.mark.parametrize("producer", [CHROMIUM, LIBREOFFICE], ids=["chromium", "libreoffice"])
def test_mixed_pages_come_out_paragraph_by_paragraph_in_reading_order(producer):
    extracted = fidelity.extracted(producer / "bilingual.pdf")
    found = paragraphs(extracted.text)
    assert len(found) == 8
    assert [bool(re.search("[\u0600-\u06ff]", p)) for p in found] == [False, True] * 4
    assert extracted.language == "mixed"


def test_a_diagonal_watermark_is_read_apart_and_does_not_break_the_text_under_it():
    found = paragraphs(fidelity.extracted(CHROMIUM / "watermark_en.pdf").text)
    assert found[-1] == "CONFIDENTIAL DRAFT"
    assert len(found) == 5 and all("CONFIDENTIAL" not in p for p in found[:-1])


def test_a_running_header_is_kept_once_and_page_numbers_are_dropped():
    extracted = fidelity.extracted(CHROMIUM / "headers_en.pdf")
    assert extracted.text.count("Qirtas fixture: Digital Diplomacy briefing") == 1
    assert "Page 1 of 4" not in extracted.text and "of 4" not in extracted.text
    assert any("header" in warning for warning in extracted.warnings)


def test_document_information_is_decoded_and_the_creation_date_is_not_the_document_date():
    extracted = fidelity.extracted(LIBREOFFICE / "ar_news.pdf")
    assert (
        extracted.metadata["title"] == "مجلس الأمن يدعو إلى مكافحة الإرهاب على الإنترنت"
    )  # UTF-16 in the file
    assert extracted.metadata["producer"].startswith("LibreOffice")
    created = dt.datetime.fromisoformat(extracted.metadata["pdf_creation_date"])
    assert created.tzinfo is not None and created.year >= 2024
    assert extracted.date == dt.date(2016, 5, 11)  # stated on the first page
    assert extracted.title == extracted.metadata["title"]
    assert extracted.language == "ar"


def test_a_title_that_is_a_file_name_gives_way_to_the_first_line():
    extracted = fidelity.extracted(CHROMIUM / "headers_en.pdf")
    assert extracted.metadata["title"] == "page.html"
    assert extracted.title == "Qirtas fixture: Digital Diplomacy briefing" or extracted.title.startswith(
        "Breakout"
    )
    assert meaningful_title("Microsoft Word - report.doc") == ""
    assert meaningful_title("Annual report 2019") == "Annual report 2019"


def test_pdf_strings_and_dates_decode():
    assert decode_string("\ufeffق".encode("utf-16-be")) == "ق"
    assert decode_string(b"\xfe\xff\x06\x42\x06\x31") == "قر"
    assert decode_string(b"caf\xe9") == "café"  # PDFDocEncoding
    assert parse_pdf_date("D:20181119150000+03'00'") == dt.datetime(
        2018, 11, 19, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))
    )
    assert parse_pdf_date("D:20050526155503-05'00'").utcoffset() == dt.timedelta(hours=-5)
    assert parse_pdf_date("D:20200101") == dt.date(2020, 1, 1)
    assert parse_pdf_date("D:20201231235959Z").tzinfo == dt.UTC
    assert parse_pdf_date("yesterday") is None


def test_text_is_nfc_with_ligatures_folded():
    for pdf in [*CHROMIUM.glob("*.pdf"), *LIBREOFFICE.glob("*.pdf")]:
        text = fidelity.extracted(pdf).text
        assert not re.search("[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufefe]", text), pdf.name
    assert "conflict" in fidelity.extracted(CHROMIUM / "headers_en.pdf").text  # "ﬂ" in the PDF
