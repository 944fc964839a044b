"""Kill an import at random moments and check the archive after each kill (shared by the crash test and
`benchmarks/bench_crash.py`)."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QIRTAS = [sys.executable, "-m", "qirtas.cli.main"]


def document_count(archive: Path) -> int:
    connection = sqlite3.connect(f"file:{archive / 'qirtas.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        return connection.execute("SELECT count(*) FROM document").fetchone()[0]
    finally:
        connection.close()


def consistent_count(archive: Path) -> int:
    """The archive opens, SQLite's check passes and every document's original is there, unchanged;
    returns the number of documents. Raises AssertionError otherwise."""
    from qirtas.archive.archive import Archive
    from qirtas.archive.models import Document
    from qirtas.archive.store import sha256_file
    from qirtas.archive.verify import verify

    # Bound: the caller may have another archive open (the GUI test), and these are model queries.
    with Archive.open(archive, create=False) as opened, opened.bound():
        assert opened.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        serious = [p for p in verify(opened).problems if p.kind != "orphan-original"]
        assert serious == [], serious
        for document in Document.select(Document.sha256):
            assert sha256_file(opened.original_path(document)) == document.sha256
        return opened.count()


def kill_trials(archive: Path, folder: Path, trials: int, batch_size: int = 3, seed: int = 2026) -> list[int]:
    """Run `qirtas import folder` `trials` times, each killed with SIGKILL soon after it commits its first
    batch; after each kill the archive is checked. Returns the document count after each trial."""
    rng = random.Random(seed)
    counts = []
    for _trial in range(trials):
        before = document_count(archive)
        process = subprocess.Popen(
            [*QIRTAS, "--archive", str(archive), "import", str(folder), "--batch-size", str(batch_size)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while process.poll() is None and document_count(archive) == before and time.monotonic() < deadline:
            time.sleep(0.01)  # wait until this run commits its first batch, then kill it soon after
        time.sleep(rng.uniform(0, 0.05))  # soon: workers read ahead, so a run ends quickly after that
        process.send_signal(signal.SIGKILL)
        process.wait()
        counts.append(consistent_count(archive))
    return counts
