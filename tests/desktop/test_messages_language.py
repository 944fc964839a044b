"""Messages in the reader's language: import warnings stored as codes and shown in the UI language (old
English sentences still shown), the CLI and --json in English with stable codes beside, Babel for dates,
percentages and sizes, ngettext for the CLI's counts, Qt's own dialogs translated."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest
from qirtas.desktop.labels import date_text, percent_text, warning_lines
from qirtas.i18n import setup_i18n
from qirtas.i18n.formatting import format_file_size, set_digits
from qirtas.importers.notices import codes, english_texts, from_records, warning, warning_text


@pytest.fixture
def arabic():
    setup_i18n("ar")
    yield
    setup_i18n("en")
    set_digits("latn")


def test_a_warning_is_english_text_with_its_code_and_survives_the_worker_processes():
    notice = warning("pdf.running-lines", count=27)
    assert notice == "27 repeated header, footer or page-number lines were left out of the text."
    again = pickle.loads(pickle.dumps(notice))
    assert again.code == "pdf.running-lines" and again.params == {"count": 27} and again == notice
    assert notice.record() == {"code": "pdf.running-lines", "params": {"count": 27}, "text": str(notice)}


def test_stored_warnings_are_shown_in_the_arabic_ui(arabic):
    stored = warning("pdf.running-lines", count=27).record()
    text = warning_text(stored)
    assert "repeated" not in text and "27" in text and "سطر" in text
    assert warning_text(stored, english=True).startswith("27 repeated header")
    set_digits("arab")
    assert "٢٧" in warning_text(stored)


def test_old_english_sentences_still_show(arabic):
    old = "The PDF is damaged (pdfminer: bad xref)."
    assert warning_text(old) == old
    assert old in warning_lines([old])[0]


def test_imported_pdf_keeps_the_code_in_the_archive_and_the_json(archive, tmp_path):
    from qirtas.archive.importing import import_paths
    from qirtas.importers.base import Extracted

    extracted = Extracted(
        text="x", media_type="text/plain", warnings=[warning("text.replacement-characters")]
    )
    source = tmp_path / "note.txt"
    source.write_text("some text \ufffd here", encoding="utf-8")
    report = import_paths(archive, [source])
    document = archive.get(report.imported[0].id)
    assert document.warnings == [warning("text.replacement-characters").record()]
    payload = report.to_json()["imported"][0]
    assert payload["warnings"] == [str(extracted.warnings[0])]
    assert payload["warning_codes"] == [{"code": "text.replacement-characters", "params": {}}]
    json.dumps(payload)
    texts, coded = english_texts(document.warnings), codes(document.warnings)  # an export's two keys
    assert from_records(texts, coded) == document.warnings


def test_table_dates_percentages_and_sizes_go_through_babel(arabic):
    assert date_text(dt.date(2020, 12, 9)) == "9 ديسمبر 2020"
    set_digits("arab")
    assert percent_text(231, 1000) == "٢٣٫١٪"
    assert format_file_size(475) == "٤٧٥ بايت"
    setup_i18n("en")
    set_digits("latn")
    assert date_text(dt.date(2020, 12, 9)) == "9 Dec 2020"
    assert percent_text(231, 1000) == "23.1%"
    assert format_file_size(475) == "475 bytes" and format_file_size(1) == "1 byte"


def test_cli_counts_use_plurals(archive, tmp_path, capsys):
    from qirtas.archive.importing import import_paths
    from qirtas.cli.main import main

    source = tmp_path / "note.txt"
    source.write_text("Water rights in Central Asia.", encoding="utf-8")
    document_id = import_paths(archive, [source]).imported[0].id
    archive.close()
    main(["--archive", str(archive.path), "tag", str(document_id), "--theme", "Water", "--create"])
    out = capsys.readouterr().out
    assert "Water: added to 1 document" in out and "(s)" not in out


def test_qt_file_dialog_labels_are_translated(qapp):
    from qirtas.desktop.qt import QApplication
    from qirtas.desktop.qt_translations import install_qt_catalogs

    installed = install_qt_catalogs(qapp, "ar")
    try:
        for source in ("&Look in:", "Files of &type:"):
            assert QApplication.translate("QFileDialog", source) != source
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
    assert QApplication.translate("QFileDialog", "&Look in:") == "&Look in:"
