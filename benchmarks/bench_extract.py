"""Per-file CPU cost of what an import worker does for a text file: extract it, then fold and stem it.

Run: `python -m benchmarks.bench_extract [--count N] [--rounds R] [--profile]` — prints ms per file for
generated English and Arabic ≈3 kB texts: those of benchmarks/corpus.py (what bench_import imports) and
those of bench_search (Zipf-distributed words with a long tail of invented ones, so caches miss more).
"first" is the first pass in a fresh process (empty caches), "steady" the best later pass.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

from qirtas.archive.search import prepare_index
from qirtas.importers.text import extract_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: tests/ importable

from tests.support.corpus import generate_texts

_PATH = Path("doc.txt")


def worker_cost(data: bytes):
    """What `archive.importing.reading.read_file` runs per text file (without the process hop)."""
    extracted = extract_text(_PATH, data)
    return extracted, prepare_index(extracted.title or _PATH.stem, extracted.text)


def _corpora(count: int) -> dict[str, list[bytes]]:
    from benchmarks import bench_search

    texts = generate_texts(count * 3)  # one in three is Arabic
    rng = random.Random(11)
    english, arabic = bench_search._vocabulary(random.Random(0))
    samplers = {
        "en": bench_search._zipf_sampler(english, rng)[0],
        "ar": bench_search._zipf_sampler(arabic, rng)[0],
    }

    def zipf(language: str) -> list[bytes]:
        documents = (bench_search._document(rng, samplers[language], language) for _ in range(count))
        return [f"{title}\n\n{text}".encode() for title, text in documents]

    return {
        "en": [text.encode() for index, text in enumerate(texts) if index % 3 != 2][:count],
        "ar": [text.encode() for index, text in enumerate(texts) if index % 3 == 2][:count],
        "en zipf": zipf("en"),
        "ar zipf": zipf("ar"),
    }


def per_file_ms(datas: list[bytes], rounds: int) -> tuple[float, float]:
    """ms per file of the first pass over `datas` and of the best of `rounds` passes after it."""
    times = []
    for _round in range(rounds + 1):
        start = time.perf_counter()
        for data in datas:
            worker_cost(data)
        times.append(time.perf_counter() - start)
    return times[0] * 1000 / len(datas), min(times[1:]) * 1000 / len(datas)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=600, help="files per language")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one pass")
    options = parser.parse_args()
    corpus = _corpora(options.count)
    print(f"{'texts':<10}{'files':>7}{'first ms':>10}{'steady ms':>11}{'files/s/core':>14}")
    for name, datas in corpus.items():
        first, steady = per_file_ms(datas, options.rounds)
        print(f"{name:<10}{len(datas):>7}{first:>10.3f}{steady:>11.3f}{1000 / steady:>14.0f}")
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
