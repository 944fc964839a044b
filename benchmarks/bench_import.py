"""Import throughput: N generated 3 kB text files end to end, against a raw FTS5 insert of the same texts.

python benchmarks/bench_import.py [--files 2000] [--batch 250]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.archive import Archive
from archive.importing import ImportOptions, import_paths
from benchmarks.corpus import write_files


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument(
        "--dir",
        help="where to make the temporary archive (the file system matters: /tmp was 10× slower "
        "than /work at creating files on the machine these figures come from)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        folder = Path(temp)
        paths = write_files(folder / "in", args.files)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        raw = raw_fts5(texts, folder)
        with Archive.open(folder / "archive") as archive:
            start = time.perf_counter()
            report = import_paths(archive, [folder / "in"], ImportOptions(batch_size=args.batch))
            elapsed = time.perf_counter() - start
            assert len(report.imported) == args.files, report.failed[:3]
            start = time.perf_counter()
            rerun = import_paths(archive, [folder / "in"], ImportOptions(batch_size=args.batch))
            rerun_elapsed = time.perf_counter() - start
            assert len(rerun.duplicates) == args.files
        ours = args.files / elapsed
        print(f"{'measure':<42}{'value':>14}")
        print(f"{'files':<42}{args.files:>14,}")
        print(f"{'import end to end (files/s)':<42}{ours:>14,.0f}")
        print(f"{'re-import, all duplicates (files/s)':<42}{args.files / rerun_elapsed:>14,.0f}")
        print(f"{'raw FTS5 insert, same texts (docs/s)':<42}{raw:>14,.0f}")
        print(f"{'ours / raw FTS5':<42}{ours / raw:>14.1%}")


if __name__ == "__main__":
    main()
