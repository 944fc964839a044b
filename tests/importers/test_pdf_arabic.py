"""Arabic from real PDFs reads in logical order: forms folded, digits and Latin kept, lam-alef repaired."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text
from qirtas.importers.pdf_arabic import bracket_errors, reorder, repair_glyph, repair_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "pdf"
sys.path.insert(0, str(FIXTURES))
import fidelity  # noqa: E402

PRODUCERS = [FIXTURES / "chromium", FIXTURES / "libreoffice"]
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")


@pytest.fixture(scope="module", params=PRODUCERS, ids=["chromium", "libreoffice"])
def arabic_news(request) -> str:
    return fidelity.extracted(request.param / "ar_news.pdf").text


def test_pdfminer_alone_gives_visual_order_and_what_we_give_reads_right():
    raw = extract_text(FIXTURES / "chromium" / "ar_news.pdf")
    assert PRESENTATION_FORMS.search(raw) and "مجلس الأمن" not in raw
    raw = extract_text(FIXTURES / "libreoffice" / "ar_news.pdf")
    assert "مجلس الأمن" not in raw and "\n\n)\n\n" in raw.replace(" ", "")  # a bracket split off its line
    for producer in PRODUCERS:
        text = fidelity.extracted(producer / "ar_news.pdf").text
        assert text.startswith("مجلس الأمن يدعو إلى مكافحة الإرهاب على الإنترنت")
        assert not PRESENTATION_FORMS.search(text)


def test_digits_and_brackets_inside_arabic_lines_keep_their_order(arabic_news):
    assert "الأمم المتحدة 11 مايو 2016 (شينخوا) دعا مبعوث صيني" in arabic_news
    assert "بحلول 30 إبريل 2017." in arabic_news
    assert "تنظيم الدولة (داعش) وتنظيم القاعدة" in arabic_news


def test_latin_words_and_decimals_inside_arabic_lines_keep_their_order(arabic_news):
    assert "وقال ممثل شركة Microsoft في الاجتماع رقم 7690 إن منصات مثل YouTube وFacebook أزالت 1.9 مليون" in (
        arabic_news
    )
    assert "(بحسب تقرير Global Internet Forum)." in arabic_news


def test_lam_alef_ligatures_read_lam_then_alef(arabic_news):
    # LibreOffice draws لأ / لإ / لا as one glyph; reading its letters backwards gives "األمم".
    for word in ("الأمم", "الإرهاب", "والأخذ", "للإنترنت", "خلال", "الاجتماعي", "إحلال"):
        assert word in arabic_news
    assert not re.search("ا[أإآ]ل", arabic_news)


def test_reorder_a_visual_line_with_the_bidi_algorithm():
    # "العدد 42 من Qirtas" drawn left to right: Latin first, then 42, then the Arabic reversed.
    visual = ["Q", "i", "r", "t", "a", "s", " ", "ن", "م", " ", "4", "2", " ", "د", "د", "ع", "ل", "ا"]
    plain, _mirrored = reorder(visual, rtl=True)
    assert plain == "العدد 42 من Qirtas"
    # In a left-to-right paragraph only the Arabic run turns round.
    plain, _mirrored = reorder(["s", "e", "e", " ", "ة", "ق", "ي", "ث", "و", " ", "n", "o", "w"], rtl=False)
    assert plain == "see وثيقة now"


def test_a_multi_letter_glyph_keeps_its_own_order_and_backward_ligatures_are_repaired():
    # One glyph "لأ" inside "الأمم", drawn visually as م م لأ ا.
    plain, _ = reorder(["م", "م", "لأ", "ا"], rtl=True)
    assert plain == "الأمم"
    assert repair_glyph("أل") == "لأ" and repair_glyph("لا") == "لا"
    assert repair_text("األمم واإلرهاب") == "الأمم والإرهاب"
    assert repair_text("ﻻ ﺗﻮﺟﺪ oﬀicial") == "لا توجد official"


def test_brackets_are_mirrored_only_when_the_producer_mapped_the_glyph_it_drew():
    # Some producers give the character a bracket glyph looks like: "(" drawn at the left of an Arabic
    # word that logically ends with ")".
    visual = ["(", "ا", "و", "خ", ")", " ", "ب"]
    plain, mirrored = reorder(visual, rtl=True)
    assert bracket_errors(mirrored) < bracket_errors(plain)
    assert mirrored == "ب (خوا)"


def test_vowel_marks_go_to_their_letter_and_marks_the_pdf_does_not_name_are_counted():
    extracted = fidelity.extracted(FIXTURES / "libreoffice" / "ar_vocalised.pdf")
    for word in ("بَيَانٌ", "رِئَاسِيٌّ", "إِنَّ", "الأُمَمَ", "الثَّقَافَاتِ", "الإِرْهَابِ", "مَسْؤُولِيَّةٌ"):
        assert word in extracted.text
    # LibreOffice maps some damma glyphs to U+0000: they cannot be read back, and the reader is told.
    assert "\x00" not in extracted.text
    assert any(w.startswith("17 of ") and "do not say which letters" in w for w in extracted.warnings)
