"""Import throughput: N generated 3 kB text files end to end, against a raw FTS5 insert of the same texts.

python benchmarks/bench_import.py [--files 2000] [--batch 1000] [--dir /work/benchtmp] [--phases] [--keep]

`--phases` adds where the importing process's time went (waiting for the workers, renames, the disk flush,
inserts, commit) and the CPU time of the importing process and of the workers. `--keep` leaves the files and
the archive in place: deleting 40,000 files slows the file creation of the next run (see below), so runs
made back to back should each keep theirs, in a fresh folder, and delete them all at the end.

On ext4 without a journal (this kind of VM), creating a file skips every inode of its group deleted in the
last 30 s: right after a run (or a test suite) deleted thousands of files nearby, each new original costs
~1 ms of CPU instead of ~0.03 ms. The "creating a file in the store" line shows which case a run was in.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qirtas.archive import archive as archive_module
from qirtas.archive import store
from qirtas.archive.archive import Archive
from qirtas.archive.importing import (
    DEFAULT_BATCH,
    ImportOptions,
    fork_when_alone,
    import_paths,
    pipeline,
    writing,
)
from qirtas.importers.pool import ReaderPool

from tests.support.corpus import write_files


def raw_fts5(texts: list[str], folder: Path) -> float:
    connection = sqlite3.connect(folder / "raw.sqlite3")
    connection.execute("PRAGMA journal_mode=wal")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
    start = time.perf_counter()
    with connection:
        connection.executemany("INSERT INTO t VALUES (?, ?)", ((text[:40], text) for text in texts))
    elapsed = time.perf_counter() - start
    connection.close()
    return len(texts) / elapsed


def file_creation_ms(originals: Path) -> float:
    """What creating one file in the store's folders costs (measured after the import, in the folders it
    filled): on ext4 without a journal, after many deletions nearby by anyone (test suites, benchmarks),
    a new file costs up to 30× its usual 0.03 ms, and every imported original is a new file."""
    folders = sorted(path for path in originals.iterdir() if path.is_dir())
    probes = [folder / f".probe-{os.getpid()}" for folder in folders]
    start = time.perf_counter()
    for probe in probes:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444))
    elapsed = time.perf_counter() - start
    for probe in probes:
        probe.unlink()
    return elapsed * 1000 / max(1, len(probes))


class Phases:
    """Wall time of the importing process's steps, and CPU time of it and of the workers."""

    ORDER = (
        "waiting for the workers",
        "writing batches",
        "  add_batch",
        "    renames into the store (thread)",
        "    inserts (one statement per table)",
        "    waiting for the disk flush",
    )

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.worker_cpu = 0.0

    def time(self, owner, name: str, key: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[key] += time.perf_counter() - start

        setattr(owner, name, timed)

    def install(self) -> None:
        self.time(pipeline._Reader, "_results", "waiting for the workers")
        self.time(writing, "_write_batch", "writing batches")
        self.time(archive_module.Archive, "add_batch", "  add_batch")
        self.time(store.OriginalsStore, "place", "    renames into the store (thread)")
        self.time(archive_module.Archive, "_insert_documents", "    inserts (one statement per table)")
        flush_in_background = store.OriginalsStore.flush_in_background

        def timed_flush(originals, paths, **options):
            wait = flush_in_background(originals, paths, **options)

            def timed_wait():
                start = time.perf_counter()
                try:
                    wait()
                finally:
                    self.seconds["    waiting for the disk flush"] += time.perf_counter() - start

            return timed_wait

        store.OriginalsStore.flush_in_background = timed_flush
        close = ReaderPool.close

        def measured_close(pool):
            for pid in pool.pids():
                self.worker_cpu += _cpu_seconds(pid)
            close(pool)

        ReaderPool.close = measured_close


def _cpu_seconds(pid: int) -> float:
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="files per transaction at most")
    parser.add_argument(
        "--dir",
        help="where to make the temporary archive (the file system matters: see the file creation line)",
    )
    parser.add_argument("--phases", action="store_true", help="also where the time went")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the files and archive in place (deleting them would slow the next run: see above)",
    )
    args = parser.parse_args()
    phases = Phases()
    if args.phases:
        phases.install()
    if args.dir:
        Path(args.dir).mkdir(parents=True, exist_ok=True)
    with (
        contextlib.nullcontext(tempfile.mkdtemp(dir=args.dir))
        if args.keep
        else tempfile.TemporaryDirectory(dir=args.dir)
    ) as temp:
        folder = Path(temp)
        paths = write_files(folder / "in", args.files)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        raw = raw_fts5(texts, folder)
        with Archive.open(folder / "archive") as archive:
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            start = time.perf_counter()
            report = import_paths(
                archive, [folder / "in"], ImportOptions(batch_size=args.batch, start_method=fork_when_alone())
            )
            elapsed = time.perf_counter() - start
            cpu_after = resource.getrusage(resource.RUSAGE_SELF)
            assert len(report.imported) == args.files, report.failed[:3]
            start = time.perf_counter()
            rerun = import_paths(
                archive, [folder / "in"], ImportOptions(batch_size=args.batch, start_method=fork_when_alone())
            )
            rerun_elapsed = time.perf_counter() - start
            assert len(rerun.duplicates) == args.files
            creation = file_creation_ms(archive.originals.root)
        ours = args.files / elapsed
        print(f"{'measure':<46}{'value':>14}")
        print(f"{'files':<46}{args.files:>14,}")
        print(f"{'import end to end (files/s)':<46}{ours:>14,.0f}")
        print(f"{'re-import, all duplicates (files/s)':<46}{args.files / rerun_elapsed:>14,.0f}")
        print(f"{'raw FTS5 insert, same texts (docs/s)':<46}{raw:>14,.0f}")
        print(f"{'ours / raw FTS5':<46}{ours / raw:>14.1%}")
        print(f"{'creating a file in the store (ms, file system)':<46}{creation:>14.3f}")
        if args.phases:
            main_cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("ru_utime", "ru_stime"))
            print(f"{'importing process: seconds in':<46}")
            for key in Phases.ORDER:
                print(f"{'  ' + key:<46}{phases.seconds[key]:>14.3f}")
            print(f"{'CPU ms per file: importing process':<46}{main_cpu * 1000 / args.files:>14.3f}")
            print(f"{'CPU ms per file: workers (all)':<46}{phases.worker_cpu * 1000 / args.files:>14.3f}")


if __name__ == "__main__":
    main()
