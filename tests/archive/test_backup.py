"""backup: a consistent copy while another process writes, restored as the README says, refreshed cheaply."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from qirtas.archive.archive import Archive, ArchiveError, NewDocument
from qirtas.archive.backup import backup
from qirtas.archive.models import Document, Tag
from qirtas.archive.store import sha256_file
from qirtas.archive.verify import verify
from qirtas.cli.main import main
from qirtas.importers import Extracted

from tests.conftest import REPO

WRITER = """
import pathlib, sys
from qirtas.archive.archive import Archive
from qirtas.archive.importing import import_paths

archive_path, folder, stop = map(pathlib.Path, sys.argv[1:4])
with Archive.open(archive_path) as archive:
    rounds = 0
    while not stop.exists():
        batch = folder / f"round-{rounds}"
        batch.mkdir(parents=True)
        for number in range(20):
            text = f"Round {rounds}, file {number}. " + "Minutes of the meeting on the archive. " * 60
            (batch / f"{number}.txt").write_text(text, encoding="utf-8")
        import_paths(archive, [batch])
        rounds += 1
        (folder / "rounds").write_text(str(rounds))
"""


def _state() -> tuple[dict, dict]:
    documents = {d.id: {name: getattr(d, name) for name in Document._meta.fields} for d in Document.select()}
    tags = {t.id: (t.facet, t.name_en, t.name_ar, t.parent_id, t.code, t.date, t.place) for t in Tag.select()}
    return documents, tags


def _check_backup(path) -> int:
    """The backup opens as an archive, passes SQLite's check, and holds every original it names, unchanged."""
    with Archive.open(path, create=False) as copy:
        assert copy.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        for document in Document.select(Document.sha256):
            assert sha256_file(copy.original_path(document)) == document.sha256
        assert verify(copy).problems == []
        return copy.count()


def test_a_backup_restores_to_the_same_archive(demo_archive, tmp_path, capsys):
    before = _state()
    source = str(demo_archive.path)
    demo_archive.close()
    count = len(before[0])
    status = main(["--archive", source, "backup", str(tmp_path / "backup"), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0 and report["documents"] == report["originals_copied"] == count
    # Restoring, as the README says: copy the backup folder to where the archive should be, and open it.
    shutil.copytree(tmp_path / "backup", tmp_path / "restored")
    assert _check_backup(tmp_path / "restored") == count
    with Archive.open(tmp_path / "restored", create=False) as restored:
        assert _state() == before
        assert restored.search("Dushanbe").total == 1


def test_backing_up_again_copies_only_what_is_new(demo_archive, tmp_path):
    count = demo_archive.count()
    first = backup(demo_archive.path, tmp_path / "backup")
    assert first.originals_copied == count
    again = backup(demo_archive.path, tmp_path / "backup")
    assert (again.originals_copied, again.originals_present) == (0, count)
    demo_archive.add(NewDocument(b"a late addition", Extracted("a late addition", "text/plain"), "late.txt"))
    third = backup(demo_archive.path, tmp_path / "backup")
    assert (third.originals_copied, third.originals_present, third.documents) == (1, count, count + 1)
    demo_archive.close()
    assert _check_backup(tmp_path / "backup") == count + 1


def test_a_backup_refuses_places_that_would_overwrite_or_loop(demo_archive, tmp_path):
    with pytest.raises(ArchiveError, match="outside the archive"):
        backup(demo_archive.path, demo_archive.path / "backup")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "letter.txt").write_text("mine")
    with pytest.raises(ArchiveError, match="not empty"):
        backup(demo_archive.path, tmp_path / "papers")
    assert os.listdir(tmp_path / "papers") == ["letter.txt"]


def test_a_cancelled_first_backup_leaves_no_half_backup(demo_archive, tmp_path):
    calls = []
    report = backup(
        demo_archive.path, tmp_path / "backup", cancel=lambda: bool(calls.append(1)) or len(calls) > 2
    )
    assert report.cancelled and not (tmp_path / "backup").exists()


def test_a_backup_taken_while_another_process_imports_is_consistent(tmp_path):
    archive_path, folder, stop = tmp_path / "A", tmp_path / "incoming", tmp_path / "stop"
    Archive.open(archive_path).close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(archive_path), str(folder), str(stop)], env=env
    )
    try:
        deadline = time.monotonic() + 60
        while not ((folder / "rounds").exists() and int((folder / "rounds").read_text() or 0) >= 2):
            assert writer.poll() is None, "the writer stopped"
            assert time.monotonic() < deadline, "the writer made no progress"
            time.sleep(0.05)
        reports = [backup(archive_path, tmp_path / f"backup-{n}") for n in range(3)]
        assert writer.poll() is None  # still writing while every backup was taken
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    counts = [_check_backup(tmp_path / f"backup-{n}") for n in range(3)]
    assert counts == [r.documents for r in reports] and all(count >= 40 for count in counts)
    assert counts == sorted(counts)
    with Archive.open(archive_path, create=False) as source:
        assert source.count() >= counts[-1]
