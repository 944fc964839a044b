"""`ocr_documents`: a scan imported before the engine was installed becomes searchable text, its original
untouched and the change in the audit trail; without the engine, one sentence and nothing changed."""

from __future__ import annotations

import hashlib
import io
import shutil

import pytest
from PIL import Image
from qirtas.archive.archive import ArchiveError, NewDocument
from qirtas.archive.importing import import_paths
from qirtas.archive.ocr import ocr_documents
from qirtas.importers import Extracted

from tests.conftest import REPO

SCAN = REPO / "tests" / "fixtures" / "pdf" / "status" / "scan.pdf"  # "Scanned letter, 3 March 2019"
needs_engine = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def add_unread_scan(archive) -> int:
    """The scan as an import without the engine left it: no text, status needs_ocr."""
    data = SCAN.read_bytes()
    extracted = Extracted(text="", media_type="application/pdf", status="needs_ocr", page_starts=[0])
    return archive.add(NewDocument(data, extracted, "fax-0193.pdf")).id


@needs_engine
def test_a_scan_read_with_ocr_is_found_by_search_and_its_original_is_untouched(archive):
    document_id = add_unread_scan(archive)
    assert archive.search("letter").total == 0
    original = archive.original_path(archive.get(document_id))
    before = original.read_bytes()
    seen = []
    report = ocr_documents(archive, [document_id], progress=lambda done, total, current="": seen.append(done))
    assert not report.failed and [item.id for item in report.read] == [document_id]
    document = archive.get(document_id)
    assert document.status == "ocr"
    assert "letter" in document.text.lower()
    assert archive.search("letter").ids == [document_id]
    assert original.read_bytes() == before
    assert hashlib.sha256(before).hexdigest() == document.sha256 == original.name
    ocr = document.metadata["ocr"]
    assert ocr["engine"].startswith("tesseract") and 0 < ocr["confidence"] <= 100
    event = [e for e in archive.audit_trail(document_id) if e.action == "ocr"][-1]
    assert event.details["previous_status"] == "needs_ocr"
    assert event.details["engine"] == ocr["engine"] and event.details["confidence"] == ocr["confidence"]
    assert event.details["pages"][0]["page"] == 0
    assert seen == [1]


@needs_engine
def test_the_archivists_corrections_survive_a_new_reading(archive):
    document_id = add_unread_scan(archive)
    archive.update_document(document_id, title="Letter from the ministry")
    ocr_documents(archive, [document_id])
    document = archive.get(document_id)
    assert document.status == "ocr" and document.title == "Letter from the ministry"


@needs_engine
def test_a_failure_is_reported_and_the_other_documents_go_on(archive):
    document_id = add_unread_scan(archive)
    text = NewDocument(b"plain words", Extracted(text="plain words", media_type="text/plain"), "note.txt")
    text_id = archive.add(text).id
    report = ocr_documents(archive, [text_id, 999, document_id])
    assert [item.id for item in report.read] == [document_id]
    failed = {item.id: item.error for item in report.failed}
    assert "not a PDF or an image" in failed[text_id] and "no document 999" in failed[999]
    assert archive.get(text_id).text == "plain words"


def test_without_the_engine_one_sentence_says_what_to_install_and_nothing_changes(archive, monkeypatch):
    monkeypatch.setenv("QIRTAS_TESSERACT", "")  # the engine's setting for "not installed"
    document_id = add_unread_scan(archive)
    trail = len(archive.audit_trail(document_id))
    with pytest.raises(ArchiveError) as raised:
        ocr_documents(archive, [document_id])
    sentence = str(raised.value)
    assert "Tesseract" in sentence and "install" in sentence and sentence.count(". ") == 0
    document = archive.get(document_id)
    assert (document.status, document.text) == ("needs_ocr", "")
    assert len(archive.audit_trail(document_id)) == trail


def test_a_changed_original_is_refused_before_it_is_read(archive, monkeypatch):
    document_id = add_unread_scan(archive)
    original = archive.original_path(archive.get(document_id))
    original.chmod(0o644)
    original.write_bytes(original.read_bytes() + b"\n% damaged")
    monkeypatch.setattr("qirtas.archive.ocr.engine_missing", lambda: None)
    report = ocr_documents(archive, [document_id])
    assert not report.read and "no longer matches its SHA-256" in report.failed[0].error
    assert archive.get(document_id).status == "needs_ocr"


def test_a_cancelled_run_changes_nothing(archive, monkeypatch):
    document_id = add_unread_scan(archive)
    monkeypatch.setattr("qirtas.archive.ocr.engine_missing", lambda: None)
    report = ocr_documents(archive, [document_id], cancel=lambda: True)
    assert report.cancelled and not report.read and not report.failed
    assert archive.get(document_id).status == "needs_ocr"


def test_a_document_keeps_its_ocr_reading_until_a_reading_without_ocr_replaces_it(archive):
    reading = {"engine": "tesseract 5.3.0", "confidence": 91.0, "pages": []}
    extracted = Extracted(text="word", media_type="image/png", status="ocr", ocr=reading)
    # A file name that was not UTF-8 (its byte 0xE9 kept as a surrogate) keeps its bytes across re-reads.
    document_id = archive.add(NewDocument(b"\x89PNG fake", extracted, "caf\udce9.png")).id
    assert archive.get(document_id).metadata["ocr"]["confidence"] == 91.0
    again = Extracted(text="word", media_type="image/png", status="needs_ocr")
    document = archive.replace_extraction(document_id, again, reason="test")
    assert "ocr" not in document.metadata
    assert archive.get(document_id).metadata["source_name_bytes"] == "636166e92e706e67"


@needs_engine
def test_a_blank_scan_is_reported_and_keeps_its_status(archive):
    blank = io.BytesIO()
    Image.new("L", (1240, 1754), 255).save(blank, "PDF", resolution=150)
    extracted = Extracted(text="", media_type="application/pdf", status="needs_ocr", page_starts=[0])
    document_id = archive.add(NewDocument(blank.getvalue(), extracted, "blank.pdf")).id
    report = ocr_documents(archive, [document_id])
    assert not report.read and "OCR found no text in document" in report.failed[0].error
    assert archive.get(document_id).status == "needs_ocr"
    assert [e.action for e in archive.audit_trail(document_id)] == ["imported"]


@needs_engine
def test_an_import_keeps_what_ocr_said_of_each_scanned_page(archive):
    partly = REPO / "tests" / "fixtures" / "pdf" / "status" / "partly_scanned.pdf"  # a text page, then a scan
    document = archive.get(import_paths(archive, [partly]).imported[0].id)
    ocr = document.metadata["ocr"]
    assert document.status == "ocr" and [page["page"] for page in ocr["pages"]] == [1]
    assert ocr["engine"].startswith("tesseract") and ocr["pages"][0]["confidence"] == ocr["confidence"]


# ---- hostile cases (DEVELOPERS.md point 7): a read-only archive, a second archive, a full disk --------
def test_a_read_only_archive_is_refused_and_left_as_it_was(archive, monkeypatch):
    from qirtas.archive.archive import Archive

    document_id = add_unread_scan(archive)
    where = archive.path
    archive.close()
    with Archive.open(where, create=False, read_only=True) as read_only, pytest.raises(ArchiveError):
        ocr_documents(read_only, [document_id])
    with Archive.open(where, create=False) as again:
        assert again.get(document_id).status == "needs_ocr"


@needs_engine
def test_with_two_archives_open_the_reading_goes_to_the_archive_asked(archive, tmp_path):
    from qirtas.archive.archive import Archive

    first_id = add_unread_scan(archive)
    with Archive.open(tmp_path / "second") as second:
        second_id = add_unread_scan(second)
        report = ocr_documents(second, [second_id])
        assert [item.id for item in report.read] == [second_id]
        assert second.get(second_id).status == "ocr"
    assert archive.get(first_id).status == "needs_ocr" and archive.search("letter").total == 0


@needs_engine
def test_a_full_disk_while_storing_a_reading_keeps_the_document_as_it_was(archive, monkeypatch):
    import sqlite3

    document_id = add_unread_scan(archive)

    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(type(archive), "replace_extraction", full)
    with pytest.raises(sqlite3.OperationalError):
        ocr_documents(archive, [document_id])
    monkeypatch.undo()
    assert archive.get(document_id).status == "needs_ocr"
    assert not [event for event in archive.audit_trail(document_id) if event.action == "ocr"]
