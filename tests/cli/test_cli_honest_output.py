"""Honest plain output (issue 19, point 6): each imported file's outcome and status, a status column, why a
document shows no text and what to run, a sentence when nothing matches, "-" for standard output wherever
a file is written, and a replacement of keywords that says so (or --add)."""

from __future__ import annotations

import json

import pytest
from qirtas.archive.archive import Archive, NewDocument
from qirtas.cli.main import main
from qirtas.importers import Extracted

from tests.conftest import REPO, SEED_FILES

STATUS_PDFS = REPO / "tests" / "fixtures" / "pdf" / "status"


def plain(capsys, *argv: str, status: int = 0) -> str:
    assert main(list(argv)) == status
    return capsys.readouterr().out


@pytest.fixture
def demo(demo_archive) -> str:
    where = str(demo_archive.path)
    demo_archive.close()
    return where


# ---- import, list and show ----------------------------------------------------------------------------
def test_import_names_each_file_its_status_what_to_run_and_the_document_a_duplicate_repeats(tmp_path, capsys):
    where = str(tmp_path / "A")
    encrypted, seed = STATUS_PDFS / "encrypted_user.pdf", SEED_FILES[0]
    out = plain(capsys, "--archive", where, "import", str(encrypted), str(seed))
    assert out.splitlines()[1:4] == [
        f"  document 1 (encrypted): {encrypted}",
        "      This PDF is encrypted, so its text was not read; run qirtas unlock 1 --password PASSWORD to "
        "read it.",
        "      warning: This PDF is protected by a password; the original is archived without its text. "
        "Supply the password with `qirtas unlock ID --password …` (or import with --password).",
    ]
    assert out.splitlines()[4] == f"  document 2 (ok): {seed}"
    again = plain(capsys, "--archive", where, "import", str(seed))
    assert again.splitlines()[1] == f"  duplicate of document 2, not imported again: {seed}"


def test_list_has_a_status_column(tmp_path, capsys):
    where = str(tmp_path / "A")
    plain(capsys, "--archive", where, "import", str(STATUS_PDFS / "encrypted_user.pdf"))
    [line] = plain(capsys, "--archive", where, "list").splitlines()
    assert line.split()[:3] == ["1", "und", "encrypted"]


def add_without_text(archive: Archive, status: str) -> int:
    extracted = Extracted(text="", media_type="application/pdf", title="Scan", status=status)
    return archive.add(NewDocument(b"%PDF-1.4 " + status.encode(), extracted, "scan.pdf")).id


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("needs_ocr", "This document has no text layer (a scan); run qirtas ocr {id} to read its text."),
        ("encrypted", "This PDF is encrypted, so its text was not read; run qirtas unlock {id} --password "),
    ],
)
def test_show_of_a_document_without_text_says_why_and_what_to_run(archive, capsys, status, sentence):
    document = add_without_text(archive, status)
    where = str(archive.path)
    archive.close()
    out = plain(capsys, "--archive", where, "show", str(document))
    assert sentence.format(id=document) in out.splitlines()[-1]
    shown = json.loads(plain(capsys, "--archive", where, "show", str(document), "--json"))
    assert shown["text"] == "" and sentence.format(id=document) in shown["hint"]


# ---- nothing matches ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["reviews", "--state", "approved"], "No document is in the review state “approved”."),
        (["list", "--status", "encrypted"], "No document matches these filters."),
        (["list", "--offset", "50"], "No documents past offset 50: the list has 6."),
        (
            ["search", "zanzibar"],
            "0 found\nNothing matches; check the spelling, use fewer words, or remove a filter.",
        ),
        (["audit", "1"], "checked 1, documents with findings 0, findings 0"),
    ],
)
def test_every_command_says_something_when_nothing_matches(demo, capsys, argv, sentence):
    assert main(["--archive", demo, *argv]) == 0
    assert capsys.readouterr().out.strip() == sentence


def test_list_of_an_empty_archive_says_how_to_fill_it(archive, capsys):
    where = str(archive.path)
    archive.close()
    out = plain(capsys, "--archive", where, "list")
    assert out.strip() == "The archive has no documents yet; add some with: qirtas import PATH"


def test_import_of_a_folder_with_no_files_says_so(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    out = plain(capsys, "--archive", str(tmp_path / "A"), "import", str(tmp_path / "empty"))
    assert out.splitlines()[-1] == "No files were found to import in the paths given."


# ---- "-" is standard output ---------------------------------------------------------------------------
@pytest.mark.parametrize("format", ["jsonl", "csv"])
def test_export_to_dash_writes_standard_output_and_no_file_named_dash(
    demo, capsys, tmp_path, monkeypatch, format
):
    monkeypatch.chdir(tmp_path)
    assert main(["--archive", demo, "export", "--format", format, "-"]) == 0
    captured = capsys.readouterr()
    assert not (tmp_path / "-").exists()
    if format == "jsonl":
        assert [json.loads(line)["id"] for line in captured.out.splitlines()] == [1, 2, 3, 4, 5, 6]
    else:
        assert captured.out.startswith("\ufeffid,") or captured.out.startswith("id,")
    assert captured.err.strip() == f"exported 6 documents as {format} to standard output"


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format", "jsonl", "-", "--json"],  # two JSON streams on one output
        ["export", "--format", "bagit", "-"],  # a folder
        ["backup", "-"],
        ["reviews", "--tmx", "-", "--xliff", "-"],  # two files into one stream
    ],
)
def test_what_cannot_go_to_standard_output_is_refused_in_a_sentence(
    demo, capsys, tmp_path, monkeypatch, argv
):
    monkeypatch.chdir(tmp_path)
    assert main(["--archive", demo, *argv]) == 2
    assert "standard output" in capsys.readouterr().err
    assert not (tmp_path / "-").exists()


def test_review_reports_and_memories_go_to_standard_output(demo, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--archive", demo, "review", "5", "--csv", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.lstrip("\ufeff").startswith("pair,status,comment,")
    assert "pairs reviewed" in captured.err and "pairs reviewed" not in captured.out
    assert main(["--archive", demo, "reviews", "--xliff", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<?xml") and "XLIFF written to standard output" in captured.err
    assert not (tmp_path / "-").exists()


# ---- replacing data says so ---------------------------------------------------------------------------
def test_theme_keywords_say_they_replace_and_add_adds(demo, capsys):
    out = plain(capsys, "--archive", demo, "theme-keywords", "Human rights", "--en", "torture")
    assert out.splitlines()[0] == (
        "The English keywords of “Human rights” were replaced by these (3 dropped); --add adds instead, "
        "--reset restores the defaults."
    )
    out = plain(capsys, "--archive", demo, "theme-keywords", "Human rights", "--en", "detention", "--add")
    assert out.splitlines()[0] == "English keywords added to “Human rights”."
    payload = json.loads(plain(capsys, "--archive", demo, "theme-keywords", "Human rights", "--json"))
    assert payload["themes"][0]["keywords_en"] == ["torture", "detention"]
