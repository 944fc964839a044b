"""The text importer: encodings, normalisation, title, language, and a clear error for bad input."""

from __future__ import annotations

import codecs
import os

import pytest
from qirtas.importers import ExtractionError, extract

from tests.conftest import SEED_FILES

ARABIC_SEED = next(p for p in SEED_FILES if p.name.startswith("002"))
ENGLISH_SEED = next(p for p in SEED_FILES if p.name.startswith("004"))  # curly quotes, en dash
ENGLISH_ACCENTED = "Michèle Coninsx met the café owners in Zürich – “naïve” façades.\n"


def _seed_text(path):
    return path.read_text(encoding="utf-8")


ROUND_TRIPS = [
    (ARABIC_SEED, "utf-8"),
    (ARABIC_SEED, "utf-8-sig"),
    (ARABIC_SEED, "utf-16"),
    (ARABIC_SEED, "cp1256"),
    (ARABIC_SEED, "iso-8859-6"),
    (ENGLISH_SEED, "utf-8"),
    (ENGLISH_SEED, "utf-8-sig"),
    (ENGLISH_SEED, "utf-16"),
    (ENGLISH_SEED, "cp1252"),
]


@pytest.mark.parametrize(("seed", "encoding"), ROUND_TRIPS, ids=lambda v: getattr(v, "name", v))
def test_every_supported_encoding_reads_back_exactly(tmp_path, seed, encoding):
    text = _seed_text(seed)
    path = tmp_path / f"doc-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    assert extract(path).text == text


def test_accented_latin_in_windows_1252(tmp_path):
    path = tmp_path / "accented.txt"
    path.write_bytes((ENGLISH_ACCENTED * 5).encode("cp1252"))
    assert extract(path).text == ENGLISH_ACCENTED * 5


def test_short_arabic_in_iso_8859_6_is_not_read_as_windows_1256(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("مرحبا بالعالم".encode("iso-8859-6"))
    assert extract(path).text == "مرحبا بالعالم"


def test_crlf_and_cr_become_lf_and_text_is_nfc(tmp_path):
    path = tmp_path / "windows.txt"
    decomposed = "Cafe\u0301 one\r\nline two\rline three"
    path.write_bytes(decomposed.encode("utf-8"))
    assert extract(path).text == "Café one\nline two\nline three"


def test_title_is_the_first_meaningful_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("\n\n***\n# Experts met in Dushanbe\n\nBody text.\n", encoding="utf-8")
    assert extract(path).title == "Experts met in Dushanbe"


def test_language_per_document(tmp_path):
    english = extract(ENGLISH_SEED)
    arabic = extract(ARABIC_SEED)
    mixed_path = tmp_path / "mixed.txt"
    mixed_path.write_text(_seed_text(ENGLISH_SEED)[:1500] + "\n\n" + _seed_text(ARABIC_SEED)[:1500], "utf-8")
    assert (english.language, arabic.language, extract(mixed_path).language) == ("en", "ar", "mixed")


def test_injected_cjk_spam_does_not_make_an_english_text_mixed():
    spammed = next(p for p in SEED_FILES if p.name.startswith("001"))
    assert extract(spammed).language == "en"


def test_date_stated_in_the_text(tmp_path):
    assert str(extract(ARABIC_SEED).date) == "2016-05-11"


def test_content_sniffing_reads_text_without_an_extension(tmp_path):
    path = tmp_path / "NOTES"
    path.write_text("Meeting notes from Dushanbe.\n", encoding="utf-8")
    assert extract(path).text.startswith("Meeting notes")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n\t ", "white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "image is damaged"),  # sniffed
        (b"\x00\x01\x02\x03" * 300, "binary"),
    ],
    ids=["zero-bytes", "blank", "png-named-txt", "nul-junk"],
)
def test_bad_input_gets_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=message):
        extract(path)


def test_random_bytes_named_txt_are_refused(tmp_path):
    path = tmp_path / "random.txt"
    path.write_bytes(bytes(b for b in os.urandom(8000) if b) + b"\x00")
    with pytest.raises(ExtractionError):
        extract(path)


def test_broken_utf16_after_bom_is_refused(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    with pytest.raises(ExtractionError, match="UTF-16"):
        extract(path)
