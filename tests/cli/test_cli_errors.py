"""No traceback reaches a user: each failure of the `qirtas` command is one sentence on stderr, exit 1 or 2."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import peewee
import pytest
import qirtas.cli.errors as cli_errors
from qirtas.archive import schema
from qirtas.cli.main import main

from tests.conftest import REPO, SEED_FILES


@pytest.fixture(autouse=True)
def private_log(tmp_path, monkeypatch):
    """Details of unexpected errors go to a log in the test's folder, never the user's own."""
    folder = tmp_path / "log"
    monkeypatch.setenv("QIRTAS_LOG_DIR", str(folder))
    return folder


def one_sentence(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def import_seeds(capsys, archive: Path) -> None:
    assert main(["--archive", str(archive), "import", *map(str, SEED_FILES[:2])]) == 0
    capsys.readouterr()


# ---- a damaged or full database ----------------------------------------------------------------------
def test_a_file_that_is_not_a_database_is_one_sentence_naming_it(tmp_path, capsys):
    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "qirtas.sqlite3").write_bytes(b"these are not the pages of a database\n" * 200)
    assert main(["--archive", str(folder), "list"]) == 1
    sentence = one_sentence(capsys)
    assert str(folder / "qirtas.sqlite3") in sentence and "backup" in sentence


def test_a_malformed_database_is_one_sentence(tmp_path, capsys):
    folder = tmp_path / "A"
    import_seeds(capsys, folder)
    database = folder / "qirtas.sqlite3"
    pages = bytearray(database.read_bytes())
    for start in range(4096, len(pages), 4096):  # every page after the first: its header and cells
        pages[start : start + 200] = b"\xff" * 200
    database.write_bytes(bytes(pages))
    assert main(["--archive", str(folder), "show", "1"]) == 1
    sentence = one_sentence(capsys)
    assert "damaged" in sentence and str(database) in sentence


def test_a_full_disk_is_one_sentence_not_a_chain_of_four_errors(tmp_path, capsys, monkeypatch):
    """SQLite's own SQLITE_FULL (the database may not grow by a page), seen through peewee's failed
    rollback: the sentence names the full disk, not the last error of the chain."""
    folder = tmp_path / "A"
    import_seeds(capsys, folder)
    connect = schema.connect

    def no_room_to_grow(path, read_only=False):
        db = connect(path, read_only)
        pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
        db.execute_sql(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(schema, "connect", no_room_to_grow)
    words = tmp_path / "words.txt"
    words.write_text(" ".join(f"word{n} term{n * 7}" for n in range(6000)), encoding="utf-8")
    assert main(["--archive", str(folder), "import", str(words)]) == 1
    sentence = one_sentence(capsys)
    assert "full" in sentence and str(folder) in sentence


def test_the_root_of_an_exception_chain_is_what_the_sentence_says():
    try:
        try:
            try:
                raise sqlite3.OperationalError("database or disk is full")
            except sqlite3.OperationalError as full:
                raise peewee.OperationalError("database or disk is full") from full
        except peewee.OperationalError:
            try:
                raise sqlite3.OperationalError("cannot rollback - no transaction is active")
            except sqlite3.OperationalError as rollback:
                raise peewee.OperationalError(*rollback.args) from rollback
    except peewee.OperationalError as outermost:
        chain = cli_errors.exception_chain(outermost)
        problem = cli_errors.describe(outermost, Path("/somewhere/A"))
    assert len(chain) == 4
    assert problem.status == 1 and "full" in problem.sentence and "/somewhere/A" in problem.sentence


def test_no_space_left_for_a_file_names_the_folder_of_that_file(tmp_path, capsys, monkeypatch):
    from qirtas.archive import review_report

    archive = linked_pair(capsys, tmp_path)
    out = tmp_path / "out"
    out.mkdir()

    def disk_full(*_args, dir=None, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(dir, ".review-x.csv"))

    monkeypatch.setattr(review_report.tempfile, "mkstemp", disk_full)
    assert main(["--archive", archive, "review", "1", "--csv", str(out / "review.csv")]) == 1
    sentence = one_sentence(capsys)
    assert "full" in sentence and str(out) in sentence and ".review-" not in sentence


# ---- numbers and paths given on the command line -----------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["show", "99999999999999999999999"],
        ["show", "9223372036854775808"],
        ["show", "0"],
        ["show", "-3"],
        ["tag", "1", "99999999999999999999999", "--theme", "x"],
        ["link", "1", "99999999999999999999999"],
        ["review", "99999999999999999999999"],
        ["suggest", "99999999999999999999999"],
        ["audit", "99999999999999999999999"],
        ["unlock", "99999999999999999999999", "--password", "x"],
        ["search", "cairo", "--limit", "99999999999999999999999"],
    ],
)
def test_an_id_out_of_range_is_a_usage_error_at_argument_parsing(tmp_path, capsys, argv):
    import_seeds(capsys, tmp_path / "A")
    with pytest.raises(SystemExit) as exit_info:
        main(["--archive", str(tmp_path / "A"), *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "OverflowError" not in err
    assert argv[-1] in err or "99999999999999999999999" in err


def test_the_largest_id_sqlite_holds_is_a_missing_document_not_an_error(tmp_path, capsys):
    import_seeds(capsys, tmp_path / "A")
    assert main(["--archive", str(tmp_path / "A"), "show", str(2**63 - 1)]) == 1
    assert "no document" in one_sentence(capsys)


def test_an_archive_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "F").write_text("a file", encoding="utf-8")
    assert main(["--archive", str(tmp_path / "F"), "import", str(SEED_FILES[0])]) == 2
    sentence = one_sentence(capsys)
    assert str(tmp_path / "F") in sentence and "folder" in sentence


def test_an_archive_inside_a_file_is_one_sentence(tmp_path, capsys):
    (tmp_path / "F").write_text("a file", encoding="utf-8")
    assert main(["--archive", str(tmp_path / "F" / "A"), "import", str(SEED_FILES[0])]) == 1
    assert str(tmp_path / "F") in one_sentence(capsys)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_an_archive_that_cannot_be_created_under_proc_is_one_sentence(capsys):
    assert main(["--archive", "/proc/qirtas-archive", "import", str(SEED_FILES[0])]) == 1
    assert "/proc/qirtas-archive" in one_sentence(capsys)


@pytest.mark.parametrize(
    ("number", "word"),
    [(errno.EACCES, "permission"), (errno.EPERM, "permission"), (errno.EROFS, "read-only")],
)
def test_an_archive_that_may_not_be_created_is_one_sentence(tmp_path, capsys, monkeypatch, number, word):
    """A read-only folder (root ignores permission bits, so the refusal is simulated where it happens)."""
    target = tmp_path / "locked" / "A"

    def refuse(self, *args, **kwargs):
        raise OSError(number, os.strerror(number), str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert main(["--archive", str(target), "import", str(SEED_FILES[0])]) == 1
    sentence = one_sentence(capsys)
    assert str(target) in sentence and word in sentence.casefold()


def linked_pair(capsys, tmp_path) -> str:
    english, arabic = tmp_path / "en.txt", tmp_path / "ar.txt"
    english.write_text("The meeting in Cairo.\n\nThe second paragraph.", encoding="utf-8")
    arabic.write_text("الاجتماع في القاهرة.\n\nالفقرة الثانية.", encoding="utf-8")
    archive = str(tmp_path / "A")
    assert main(["--archive", archive, "import", str(english), str(arabic)]) == 0
    assert main(["--archive", archive, "link", "1", "2"]) == 0
    capsys.readouterr()
    return archive


def test_a_review_csv_into_a_missing_folder_is_one_sentence_naming_the_folder(tmp_path, capsys):
    archive = linked_pair(capsys, tmp_path)
    missing = tmp_path / "no such folder"
    assert main(["--archive", archive, "review", "1", "--csv", str(missing / "review.csv")]) == 1
    sentence = one_sentence(capsys)
    assert str(missing) in sentence and ".review-" not in sentence


def test_a_review_csv_onto_a_folder_is_one_sentence(tmp_path, capsys):
    archive = linked_pair(capsys, tmp_path)
    assert main(["--archive", archive, "review", "1", "--csv", str(tmp_path)]) == 1
    assert "folder" in one_sentence(capsys)


# ---- queries -----------------------------------------------------------------------------------------
def test_a_query_with_nothing_to_search_is_a_usage_error(tmp_path, capsys):
    import_seeds(capsys, tmp_path / "A")
    assert main(["--archive", str(tmp_path / "A"), "search", "date:abc"]) == 2
    assert "abc" in one_sentence(capsys)
    assert capsys.readouterr().out == ""


def test_a_bad_query_with_json_says_so_in_the_document_too(tmp_path, capsys):
    import_seeds(capsys, tmp_path / "A")
    assert main(["--archive", str(tmp_path / "A"), "search", "date:abc", "--json"]) == 2
    captured = capsys.readouterr()
    assert "abc" in json.loads(captured.out)["error"] and "Traceback" not in captured.err


def test_an_empty_query_still_lists_everything(tmp_path, capsys):
    import_seeds(capsys, tmp_path / "A")
    assert main(["--archive", str(tmp_path / "A"), "search", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 2


# ---- the unexpected -----------------------------------------------------------------------------------
def test_an_unexpected_error_is_one_sentence_and_its_traceback_goes_to_the_log(
    tmp_path, capsys, monkeypatch, private_log
):
    from qirtas.archive.archive import Archive

    import_seeds(capsys, tmp_path / "A")

    def broken(self, document_id):
        raise RuntimeError("an unforeseen bug")

    monkeypatch.setattr(Archive, "get", broken)
    assert main(["--archive", str(tmp_path / "A"), "show", "1"]) == 1
    sentence = one_sentence(capsys)
    log = private_log / "qirtas.log"
    assert str(log) in sentence and "RuntimeError" in sentence
    details = log.read_text(encoding="utf-8")
    assert "Traceback" in details and "an unforeseen bug" in details


def test_when_the_log_cannot_be_written_the_sentence_still_comes(tmp_path, capsys, monkeypatch):
    from qirtas.archive.archive import Archive

    import_seeds(capsys, tmp_path / "A")
    (tmp_path / "not a folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("QIRTAS_LOG_DIR", str(tmp_path / "not a folder" / "log"))
    monkeypatch.setattr(Archive, "get", lambda self, document_id: 1 / 0)
    assert main(["--archive", str(tmp_path / "A"), "show", "1"]) == 1
    assert "ZeroDivisionError" in one_sentence(capsys)


# ---- the real command --------------------------------------------------------------------------------
def run_qirtas(tmp_path, *argv: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "qirtas", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=120,
    )


def test_the_real_command_prints_no_traceback(tmp_path):
    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "qirtas.sqlite3").write_bytes(b"junk" * 1000)
    damaged = run_qirtas(tmp_path, "--archive", str(folder), "list")
    assert damaged.returncode == 1
    assert "Traceback" not in damaged.stderr and len(damaged.stderr.strip().splitlines()) == 1
    huge = run_qirtas(tmp_path, "--archive", str(folder), "show", "99999999999999999999999")
    assert huge.returncode == 2 and "Traceback" not in huge.stderr
