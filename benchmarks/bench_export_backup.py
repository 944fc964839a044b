"""Export (csv, jsonl, bagit), import-bag, backup and verify on a generated archive; prints a table.

python -m benchmarks.bench_export_backup [--documents 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from qirtas.archive.archive import Archive
from qirtas.archive.backup import backup
from qirtas.archive.bags.restore import import_bag
from qirtas.archive.export import export
from qirtas.archive.importing import import_paths
from qirtas.archive.verify import repair, verify

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: tests/ importable

from tests.support.corpus import write_files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=2000)
    count = parser.parse_args().documents
    rows: list[tuple[str, float]] = []

    def timed(label: str, action):
        start = time.perf_counter()
        result = action()
        rows.append((label, time.perf_counter() - start))
        return result

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        write_files(root / "in", count)
        with Archive.open(root / "A") as archive:
            import_paths(archive, [root / "in"])
            tag = archive.ensure_tag("theme", "Benchmarks", "قياس الأداء")
            archive.tag_documents(archive.document_ids(), tag)
            timed("export csv", lambda: export(archive, "csv", root / "out.csv"))
            timed("export jsonl", lambda: export(archive, "jsonl", root / "out.jsonl"))
            timed("export bagit", lambda: export(archive, "bagit", root / "bag"))
            found = timed("verify", lambda: verify(archive))
            timed("verify --repair (after verify)", lambda: repair(archive, found))
        timed("backup (first)", lambda: backup(root / "A", root / "backup"))
        timed("backup (again, nothing new)", lambda: backup(root / "A", root / "backup"))
        with Archive.open(root / "B") as restored:
            timed("import-bag into a new archive", lambda: import_bag(restored, root / "bag"))
            assert restored.count() == count
    print(f"{count} documents of ≈3 kB")
    print(f"{'step':36} {'seconds':>8} {'docs/s':>8}")
    for label, seconds in rows:
        print(f"{label:36} {seconds:8.2f} {count / seconds:8.0f}")


if __name__ == "__main__":
    main()
