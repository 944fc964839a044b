"""Backups never overwrite another archive's backup; what a killed export, backup or import leaves is
cleaned up (or resumed) by the next run of the same command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.backup import backup
from qirtas.archive.importing import import_paths
from qirtas.archive.store import sha256_bytes
from qirtas.archive.verify import verify
from qirtas.importers import Extracted

from tests.conftest import REPO

QIRTAS = [sys.executable, "-m", "qirtas"]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def qirtas(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*QIRTAS, *args], capture_output=True, text=True, cwd=REPO, timeout=120, env=ENV)


def _small_archive(path, count: int) -> None:
    with Archive.open(path) as archive:
        for number in range(count):
            text = f"Letter {number} of the other archive."
            archive.add(NewDocument(text.encode(), Extracted(text, "text/plain"), f"letter-{number}.txt"))


def _titles(path) -> list[str]:
    with Archive.open(path, create=False) as archive:
        return sorted(archive.get(i).title for i in archive.document_ids())


# ---- item 6: a backup never replaces another archive's catalogue ----------------------------------------
def test_backing_up_into_another_archives_backup_is_refused_and_that_backup_is_kept(demo_archive, tmp_path):
    other, other_backup = tmp_path / "B", tmp_path / "B-backup"
    _small_archive(other, 25)
    assert qirtas("--archive", str(other), "backup", str(other_backup)).returncode == 0
    before = _titles(other_backup)
    demo = str(demo_archive.path)
    demo_archive.close()

    refused = qirtas("--archive", demo, "backup", str(other_backup))

    assert refused.returncode == 1
    message = refused.stderr.strip()
    assert message.count("\n") == 0 and "another archive" in message, message
    assert _titles(other_backup) == before and len(before) == 25  # the other catalogue is whole
    assert verify_clean(other_backup)


def test_a_live_archive_or_a_folder_of_papers_is_never_backed_up_into(demo_archive, tmp_path):
    other = tmp_path / "B"
    _small_archive(other, 3)
    before = _titles(other)
    refused = qirtas("--archive", str(demo_archive.path), "backup", str(other))
    assert refused.returncode == 1 and "another archive" in refused.stderr
    assert _titles(other) == before


def test_a_backup_keeps_the_identity_of_its_source_so_a_restored_archive_refreshes_it(demo_archive, tmp_path):
    count = demo_archive.count()
    first = backup(demo_archive.path, tmp_path / "backup")
    assert first.originals_copied == count
    demo_archive.close()
    restored = tmp_path / "restored"
    shutil.copytree(tmp_path / "backup", restored)  # restore as the README says
    with Archive.open(restored, create=False) as archive:
        archive.add(NewDocument(b"written after the restore", Extracted("after", "text/plain"), "after.txt"))
    again = qirtas("--archive", str(restored), "backup", str(tmp_path / "backup"), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["documents"] == count + 1


def test_an_earlier_backup_made_before_archives_had_an_identity_is_still_refreshed(demo_archive, tmp_path):
    """A backup from before identities: its documents are all this archive's, so it is this archive's."""
    import sqlite3

    backup(demo_archive.path, tmp_path / "backup")
    for database in (demo_archive.path / "qirtas.sqlite3", tmp_path / "backup" / "qirtas.sqlite3"):
        connection = sqlite3.connect(database)
        connection.execute("DELETE FROM schemainfo WHERE key = 'archive_id'")
        connection.commit()
        connection.close()
    assert backup(demo_archive.path, tmp_path / "backup").originals_present == demo_archive.count()


def verify_clean(path) -> bool:
    with Archive.open(path, create=False) as archive:
        return verify(archive).problems == []


# ---- item 17: leftovers of killed commands ---------------------------------------------------------------
KILL_BAG_EXPORT = """
import os, signal, sys
from qirtas.archive.bags import export as bag_export
from qirtas.cli.main import main
bag_export._make_bag = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
main(["--archive", sys.argv[1], "export", "--format", "bagit", sys.argv[2]])
"""

KILL_CSV_EXPORT = """
import os, signal, sys
from qirtas.archive import export
from qirtas.cli.main import main
real, rows = export.csv_row, []
def dying_row(record):
    rows.append(record)
    if len(rows) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(record)
export.csv_row = dying_row
main(["--archive", sys.argv[1], "export", "--format", "csv", sys.argv[2]])
"""

KILL_BACKUP = """
import os, signal, sys
from qirtas.archive import backup
copied = []
real = backup._copy_original
def dying_copy(*args):
    real(*args)
    copied.append(1)
    if len(copied) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
backup._copy_original = dying_copy
backup.backup(sys.argv[1], sys.argv[2])
"""


def _hidden(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_killed_bag_export_leaves_a_partial_folder_that_the_next_export_removes(demo_archive, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    demo = str(demo_archive.path)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_BAG_EXPORT, demo, str(out / "bag")], cwd=REPO, env=ENV
    )
    assert killed.returncode != 0 and _hidden(out)  # the kill left its staging folder
    again = qirtas("--archive", demo, "export", "--format", "bagit", str(out / "bag"))
    assert again.returncode == 0, again.stderr
    assert os.listdir(out) == ["bag"]


def test_a_killed_csv_export_leaves_a_temporary_file_that_the_next_export_removes(demo_archive, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    demo = str(demo_archive.path)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_CSV_EXPORT, demo, str(out / "docs.csv")], cwd=REPO, env=ENV
    )
    assert killed.returncode != 0 and _hidden(out)
    again = qirtas("--archive", demo, "export", "--format", "csv", str(out / "docs.csv"))
    assert again.returncode == 0, again.stderr
    assert os.listdir(out) == ["docs.csv"]


def test_a_killed_first_backup_is_resumed_by_the_next_backup(demo_archive, tmp_path):
    destination = tmp_path / "backup"
    demo, count = str(demo_archive.path), demo_archive.count()
    demo_archive.close()  # one archive open at a time in this process
    killed = subprocess.run([sys.executable, "-c", KILL_BACKUP, demo, str(destination)], cwd=REPO, env=ENV)
    assert killed.returncode != 0 and destination.exists()
    resumed = qirtas("--archive", demo, "backup", str(destination), "--json")
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["originals_present"] == 3  # what the killed backup had copied is kept
    assert report["originals_copied"] == count - 3
    assert not list(destination.glob(".qirtas-backup-*"))
    assert not list((destination / "originals").glob("??/.incoming-*"))
    assert verify_clean(destination) and _titles(destination) == _titles(demo)


LEAVE_TEMP_FILES = """
import hashlib, os, sys
from pathlib import Path
from qirtas.archive.store import OriginalsStore
store = OriginalsStore(Path(sys.argv[1]))
for number in range(5):
    data = f"a file whose import crashed {number}".encode()
    store.write_incoming(hashlib.sha256(data).hexdigest(), data)
os._exit(9)  # killed: nothing placed, nothing cleaned
"""


def run_and_die(script: str, *args: str) -> None:
    subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, env=ENV, check=False)


def test_temporary_files_of_a_crashed_import_are_removed_by_the_next_import(archive, tmp_path):
    run_and_die(LEAVE_TEMP_FILES, str(archive.originals.root))
    assert len(archive.originals.leftover_temp_files()) == 5
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "new.txt").write_text("A new letter.", encoding="utf-8")
    report = import_paths(archive, [folder])
    assert len(report.imported) == 1
    assert archive.originals.leftover_temp_files() == []
    assert verify(archive).temp_files == 0
    assert archive.originals.has(sha256_bytes(b"A new letter."))
