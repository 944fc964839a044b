"""Suggestions and integrity audit over generated documents (≈3 kB, English and Arabic, from the seeds' words).

    python benchmarks/bench_suggest_audit.py [--documents 5000]

Times `suggest_on_import` (vocabulary read once, known tags and rejections fetched per batch of 200),
the first `audit_archive` (every text checked, kinds cached in `integrity_cache`), a second one (only the
documents with findings re-read), and `document_ids_with(kind)` (the GUI's filter) in a temporary archive.
The generated texts borrow seed 001's words, its injected "缅北禁地" too: about half of them are rightly found
with an unexpected script.

Measured on the 2-core machine, 5,000 documents: suggest_on_import 26.6 s (5.3 ms each); first audit 9.0 s,
second 3.3 s; document_ids_with 0.16 s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qirtas.archive import integrity
from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.suggest import suggest_on_import
from qirtas.i18n.script import document_language
from qirtas.importers import Extracted

from tests.support.corpus import generate_texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=5000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qirtas-bench-suggest-"))
    try:
        archive = Archive.open(folder / "archive")
        texts = generate_texts(args.documents)
        items = [
            NewDocument(
                text.encode("utf-8"),
                Extracted(
                    text=text, media_type="text/plain", language=document_language(text), title=text[:60]
                ),
                f"{index}.txt",
            )
            for index, text in enumerate(texts)
        ]
        for start in range(0, len(items), 1000):
            archive.add_batch(items[start : start + 1000])
        ids = archive.document_ids()
        started = time.perf_counter()
        suggestions = suggest_on_import(archive, ids)
        elapsed = time.perf_counter() - started
        count = sum(len(s) for s in suggestions.values())
        print(f"suggest_on_import: {len(ids)} documents in {elapsed:.2f} s "
              f"({elapsed / len(ids) * 1000:.2f} ms each), {count} suggestions")  # fmt: skip
        for label in ("audit_archive (first)", "audit_archive (again)"):
            started = time.perf_counter()
            report = integrity.audit_archive(archive)
            print(f"{label}: {time.perf_counter() - started:.2f} s, {len(report)} documents with findings")
        started = time.perf_counter()
        found = integrity.document_ids_with(archive, ["mojibake"])
        print(
            f"document_ids_with(mojibake): {(time.perf_counter() - started) * 1000:.1f} ms, {len(found)} ids"
        )
        archive.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
