"""Per-file CPU cost of what an import worker does for a text file: extract it, then fold and stem it.

Run: `python -m benchmarks.bench_extract [--count N] [--rounds R] [--profile]` — prints ms per file for
generated English and Arabic ≈3 kB texts (benchmarks/corpus.py), steady state (after a warm-up round).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from archive.search import prepare_index
from benchmarks.corpus import generate_texts
from importers.text import extract_text

_PATH = Path("doc.txt")


def worker_cost(data: bytes):
    """What `archive.importing._extract_and_prepare` runs per text file (without the process hop)."""
    extracted = extract_text(_PATH, data)
    return extracted, prepare_index(extracted.title or _PATH.stem, extracted.text)


def _by_language(count: int) -> dict[str, list[bytes]]:
    texts = generate_texts(count * 3)  # one in three is Arabic
    return {
        "en": [text.encode() for index, text in enumerate(texts) if index % 3 != 2][:count],
        "ar": [text.encode() for index, text in enumerate(texts) if index % 3 == 2][:count],
    }


def per_file_ms(datas: list[bytes], rounds: int) -> float:
    """Best of `rounds` timed passes over `datas` (after one warm-up pass), in ms per file."""
    for data in datas:
        worker_cost(data)
    best = float("inf")
    for _round in range(rounds):
        start = time.perf_counter()
        for data in datas:
            worker_cost(data)
        best = min(best, time.perf_counter() - start)
    return best * 1000 / len(datas)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=600, help="files per language")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one pass")
    options = parser.parse_args()
    corpus = _by_language(options.count)
    print(f"{'texts':<10}{'files':>7}{'ms/file':>10}{'files/s/core':>14}")
    for language, datas in corpus.items():
        ms = per_file_ms(datas, options.rounds)
        print(f"{language:<10}{len(datas):>7}{ms:>10.3f}{1000 / ms:>14.0f}")
    if options.profile:
        profile = cProfile.Profile()
        profile.enable()
        for datas in corpus.values():
            for data in datas:
                worker_cost(data)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
