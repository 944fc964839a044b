"""`verify --repair` and imports never race: a repair waits for no import to run (it is refused while one
does), and an import never removes the temporary files of another that is running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from qirtas.archive.archive import Archive
from qirtas.archive.importing import import_paths
from qirtas.archive.store import sha256_file
from qirtas.archive.verify import verify

from tests.conftest import REPO

QIRTAS = [sys.executable, "-m", "qirtas"]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

# A running import, as far as the store can tell: it holds the import lock and has temp files written.
RUNNING_IMPORT = """
import hashlib, sys, time
from pathlib import Path
from qirtas.archive.store import OriginalsStore
store, ready, stop = OriginalsStore(Path(sys.argv[1])), Path(sys.argv[2]), Path(sys.argv[3])
with store.importing():
    for number in range(3):
        data = f"a file being imported {number}".encode()
        store.write_incoming(hashlib.sha256(data).hexdigest(), data)
    ready.touch()
    while not stop.exists():
        time.sleep(0.05)
"""

REPAIR_LOOP = """
import json, sys, time
from pathlib import Path
from qirtas.cli.main import main
archive, stop, log = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
while not stop.exists():
    status = main(["--archive", archive, "verify", "--repair", "--json"])
    with log.open("a") as out:
        out.write(json.dumps({"status": status, "time": time.time()}) + "\\n")
    time.sleep(0.05)
"""


def _wait_for(path, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.fixture
def running_import(archive, tmp_path):
    ready, stop = tmp_path / "ready", tmp_path / "stop"
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNING_IMPORT, str(archive.originals.root), str(ready), str(stop)],
        cwd=REPO,
        env=ENV,
    )
    _wait_for(ready, process)
    yield
    stop.touch()
    process.wait(timeout=30)


def test_a_repair_while_an_import_runs_is_refused_in_one_sentence_and_touches_nothing(
    archive, running_import
):
    temp_files = archive.originals.leftover_temp_files()
    refused = subprocess.run(
        [*QIRTAS, "--archive", str(archive.path), "verify", "--repair"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=ENV,
        timeout=60,
    )
    assert refused.returncode == 1
    assert "an import is running" in refused.stderr.lower() and refused.stderr.strip().count("\n") == 0
    assert archive.originals.leftover_temp_files() == temp_files


def test_an_import_leaves_the_temp_files_of_another_import_that_is_running(archive, tmp_path, running_import):
    theirs = archive.originals.leftover_temp_files()
    assert len(theirs) == 3
    (tmp_path / "new.txt").write_text("Another import meanwhile.", encoding="utf-8")
    assert len(import_paths(archive, [tmp_path / "new.txt"]).imported) == 1
    assert sorted(archive.originals.leftover_temp_files()) == sorted(theirs)


@pytest.mark.slow
def test_repairs_looping_during_a_2000_file_import_lose_nothing(tmp_path):
    folder, path = tmp_path / "letters", tmp_path / "A"
    folder.mkdir()
    for number in range(2000):
        text = f"Letter {number} about the meeting in Dushanbe. " + "Minutes of the meeting. " * (number % 40)
        (folder / f"{number:04d}.txt").write_text(text, encoding="utf-8")
    Archive.open(path).close()
    stop, log = tmp_path / "stop", tmp_path / "repairs.jsonl"
    repairs = subprocess.Popen(
        [sys.executable, "-c", REPAIR_LOOP, str(path), str(stop), str(log)],
        cwd=REPO,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(log, repairs, 60)  # the repairs are looping before the import starts
        started = time.time()
        imported = subprocess.run(
            [*QIRTAS, "--archive", str(path), "import", str(folder), "--json", "--batch-size", "50"],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=ENV,
            timeout=600,
        )
        ended = time.time()
    finally:
        stop.touch()
        repairs.wait(timeout=120)
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert len(report["imported"]) == 2000 and report["failed"] == []
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    during = [run["status"] for run in runs if started < run["time"] < ended]
    assert len(during) >= 3 and 1 in during, runs  # repairs ran all along, refused while the import ran
    with Archive.open(path, create=False) as archive:
        assert verify(archive).problems == []
        for item in report["imported"]:
            document = archive.get(item["id"])
            assert sha256_file(archive.original_path(document)) == item["sha256"]
        assert archive.count() == 2000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX")
def test_a_forked_reader_does_not_keep_the_archive_locked_after_its_import_ends(tmp_path):
    """An import's readers are forked while it holds the lock: when the import ends (or is killed), a
    repair may run at once, whatever its readers are still doing."""
    from qirtas.archive.store import ArchiveLock

    path = tmp_path / ".qirtas-lock"
    importing = ArchiveLock(path)
    assert importing.acquire(exclusive=False, wait=False)
    started, say_started = os.pipe()
    reader = os.fork()
    if reader == 0:  # the reader: running (its fork hooks have run), still busy when the import ends
        os.write(say_started, b"1")
        time.sleep(3)
        os._exit(0)
    try:
        assert os.read(started, 1) == b"1"
        importing.release()
        repair_lock = ArchiveLock(path)
        assert repair_lock.acquire(exclusive=True, wait=False), "the forked reader still holds the lock"
        repair_lock.release()
    finally:
        os.kill(reader, signal.SIGKILL)
        os.waitpid(reader, 0)
