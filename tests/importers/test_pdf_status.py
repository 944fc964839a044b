"""Every kind of PDF a person meets ends in a document with a clear status, or a failure in plain words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qirtas.cli.main import main
from qirtas.importers import STATUS_ENCRYPTED, STATUS_NEEDS_OCR, STATUS_OK, ExtractionError
from qirtas.importers.ocr import OcrSettings, find_engine
from qirtas.importers.pdf import extract_pdf

STATUS = Path(__file__).parents[1] / "fixtures" / "pdf" / "status"


def run(capsys, *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_a_user_password_pdf_is_archived_as_encrypted_without_text():
    extracted = extract_pdf(STATUS / "encrypted_user.pdf")
    assert extracted.status == STATUS_ENCRYPTED and extracted.text == ""
    assert "password" in extracted.warnings[0] and "unlock" in extracted.warnings[0]
    wrong = extract_pdf(STATUS / "encrypted_user.pdf", password="guess")
    assert wrong.status == STATUS_ENCRYPTED and "does not open" in wrong.warnings[0]


def test_the_right_password_opens_it():
    extracted = extract_pdf(STATUS / "encrypted_user.pdf", password="qirtas")
    assert extracted.status == STATUS_OK and "Hedayah Centre" in extracted.text


def test_an_owner_password_only_pdf_opens_without_asking_even_with_a_batch_password():
    for password in (None, "meant-for-another-file"):
        extracted = extract_pdf(STATUS / "encrypted_owner.pdf", password=password)
        assert extracted.status == STATUS_OK and "Hedayah Centre" in extracted.text


def test_a_pdf_without_a_text_layer_needs_ocr_when_ocr_is_off():
    extracted = extract_pdf(STATUS / "scan.pdf", ocr=OcrSettings(enabled=False))
    assert extracted.status == STATUS_NEEDS_OCR and extracted.text == "" and extracted.pages == 1
    assert "OCR" in extracted.warnings[0]


def test_a_scanned_page_among_text_pages_is_named_in_a_warning_when_ocr_is_off():
    extracted = extract_pdf(STATUS / "partly_scanned.pdf", ocr=OcrSettings(enabled=False))
    assert extracted.status == STATUS_OK and extracted.pages == 2 and "Hedayah Centre" in extracted.text
    assert extracted.page_starts[1] == len(extracted.text)  # page 2 has no text
    assert any(
        "1 of 2 pages is a picture" in warning and "(page 2)" in warning for warning in extracted.warnings
    )


@pytest.mark.parametrize(
    ("name", "words"),
    [("empty.pdf", "empty"), ("truncated.pdf", "truncated"), ("corrupt.pdf", "damaged")],
)
def test_broken_files_fail_with_a_reason_a_person_understands(name, words):
    with pytest.raises(ExtractionError) as raised:
        extract_pdf(STATUS / name)
    message = str(raised.value)
    assert words in message and message.endswith((".", ")")) and "Traceback" not in message


def test_statuses_show_in_the_import_report_and_in_show(tmp_path, capsys):
    archive = str(tmp_path / "A")
    code, report = run(capsys, "--archive", archive, "import", str(STATUS), "--json")
    assert code == 1  # some files failed
    statuses = {Path(item["path"]).name: item["status"] for item in report["imported"]}
    scanned = "ocr" if find_engine() else "needs_ocr"  # tests/importers/test_ocr.py covers both
    assert statuses == {
        "encrypted_owner.pdf": "ok",
        "encrypted_user.pdf": "encrypted",
        "scan.pdf": scanned,
        "partly_scanned.pdf": scanned,
    }
    failed = {Path(item["path"]).name: item["error"] for item in report["failed"]}
    assert set(failed) == {"empty.pdf", "truncated.pdf", "corrupt.pdf"}
    assert "truncated" in failed["truncated.pdf"]

    ids = {Path(item["path"]).name: item["id"] for item in report["imported"]}
    _code, shown = run(capsys, "--archive", archive, "show", str(ids["scan.pdf"]), "--json")
    assert shown["status"] == scanned
    # Still findable by what is known about it.
    _code, found = run(capsys, "--archive", archive, "list", "--status", scanned, "--json")
    assert ids["scan.pdf"] in [d["id"] for d in found["documents"]]

    locked = str(ids["encrypted_user.pdf"])
    _code, shown = run(capsys, "--archive", archive, "show", locked, "--json")
    assert shown["status"] == "encrypted" and shown["text"] == "" and "password" in shown["warnings"][0]
    assert main(["--archive", archive, "unlock", locked, "--password", "wrong"]) == 1
    assert "does not open" in capsys.readouterr().err
    code, unlocked = run(capsys, "--archive", archive, "unlock", locked, "--password", "qirtas", "--json")
    assert code == 0 and unlocked["status"] == "ok" and unlocked["pages"] == 1
    _code, shown = run(capsys, "--archive", archive, "show", locked, "--json")
    assert shown["status"] == "ok" and "Hedayah Centre" in shown["text"]
    _code, found = run(capsys, "--archive", archive, "search", "Hedayah", "--json")
    assert int(locked) in [hit["id"] for hit in found["results"]]


def test_import_with_a_password_opens_the_encrypted_file_at_once(tmp_path, capsys):
    code, report = run(
        capsys, "--archive", str(tmp_path / "A"), "import", str(STATUS / "encrypted_user.pdf"),
        "--password", "qirtas", "--json",
    )  # fmt: skip
    assert code == 0 and report["imported"][0]["status"] == "ok"
