"""`qirtas ocr ID…`: plain and --json output, a failure per document, and the engine missing."""

from __future__ import annotations

import json
import shutil

import pytest
from qirtas.archive.archive import Archive, NewDocument
from qirtas.cli.main import main
from qirtas.importers import Extracted

from tests.conftest import REPO

SCAN = REPO / "tests" / "fixtures" / "pdf" / "status" / "scan.pdf"  # "Scanned letter, 3 March 2019"
needs_engine = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def archive_with_unread_scan(folder) -> tuple[str, int]:
    """An archive holding the scan as an import without the engine left it (needs_ocr, no text)."""
    with Archive.open(folder) as archive:
        extracted = Extracted(text="", media_type="application/pdf", status="needs_ocr", page_starts=[0])
        document_id = archive.add(NewDocument(SCAN.read_bytes(), extracted, "fax-0193.pdf")).id
    return str(folder), document_id


@needs_engine
def test_ocr_json_reports_each_document_read_and_each_failure(tmp_path, capsys):
    folder, document_id = archive_with_unread_scan(tmp_path / "A")
    status = main(["--archive", folder, "ocr", str(document_id), "999", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1  # one of the two could not be read
    (read,) = report["read"]
    assert set(read) >= {"id", "title", "status", "previous_status", "confidence", "pages", "engine"}
    assert (read["id"], read["status"], read["previous_status"]) == (document_id, "ocr", "needs_ocr")
    assert read["engine"].startswith("tesseract") and 0 < read["confidence"] <= 100
    assert report["failed"] == [{"id": 999, "error": "There is no document 999 in this archive."}]
    assert report["cancelled"] is False
    assert main(["--archive", folder, "search", "letter", "--json"]) == 0
    assert [hit["id"] for hit in json.loads(capsys.readouterr().out)["results"]] == [document_id]


@needs_engine
def test_ocr_prints_one_line_per_document_with_its_confidence(tmp_path, capsys):
    folder, document_id = archive_with_unread_scan(tmp_path / "A")
    assert main(["--archive", folder, "ocr", str(document_id), "--languages", "eng"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Document {document_id} read with OCR: Scanned letter, 3 March 2019 (1 page, ")
    assert ", mean confidence " in out and "%, tesseract " in out
    assert main(["--archive", folder, "list", "--status", "ocr", "--json"]) == 0
    assert [d["id"] for d in json.loads(capsys.readouterr().out)["documents"]] == [document_id]


def test_without_the_engine_ocr_says_what_to_install_and_changes_nothing(tmp_path, capsys, monkeypatch):
    folder, document_id = archive_with_unread_scan(tmp_path / "A")
    monkeypatch.setenv("QIRTAS_TESSERACT", "")
    assert main(["--archive", folder, "ocr", str(document_id), "--json"]) == 1
    captured = capsys.readouterr()
    assert "Tesseract" in json.loads(captured.out)["error"]
    assert captured.err.count("\n") == 1 and "install" in captured.err
    with Archive.open(folder, create=False) as archive:
        assert archive.get(document_id).status == "needs_ocr"
        assert [e.action for e in archive.audit_trail(document_id)] == ["imported"]


@needs_engine
def test_a_language_without_its_model_is_refused_before_anything_is_read(tmp_path, capsys):
    folder, document_id = archive_with_unread_scan(tmp_path / "A")
    assert main(["--archive", folder, "ocr", str(document_id), "--languages", "ara+xyz"]) == 1
    assert "no model for xyz" in capsys.readouterr().err
