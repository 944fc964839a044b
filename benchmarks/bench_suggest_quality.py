"""Precision and recall of tag suggestions per facet and language, on the held-out paragraphs.

    python benchmarks/bench_suggest_quality.py [--details]

The paragraphs and the tags a careful person gives them are in tests/archive/data/suggest_heldout_*.txt
(UN-style press releases, resolutions, field reports and letters, not the seeds); the vocabulary is the
built-in one (places from CLDR and archive/suggest/places.py, the demo's eight themes). `--details` lists
every wrong and missed tag. tests/archive/test_suggest_heldout.py asserts the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.suggest_heldout import FACETS, LANGUAGES, measure, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--details", action="store_true", help="list every wrong and missed tag")
    args = parser.parse_args()
    started = time.perf_counter()
    scores = measure()
    print(table(scores))
    print(f"({time.perf_counter() - started:.1f} s)")
    if args.details:
        for facet in FACETS:
            for language in LANGUAGES:
                for line in scores[facet, language].wrong:
                    print(f"  {facet:6} {line}")


if __name__ == "__main__":
    main()
