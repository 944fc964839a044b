"""Paragraph alignment benchmark: accuracy on perturbed seed pairs and time on long documents.

    python benchmarks/bench_alignment.py [--repeat 40]

Accuracy: the demo pair (seeds 004 and 005, 13 paragraphs each) with one paragraph removed from either
side (22 cases) and two neighbouring paragraphs joined on either side (20 cases), aligned three ways:
lengths only, lengths with number/date/Latin-word anchors, and with the names lexicon too. A case counts
when the expected bead (1–0, 0–1, 2–1 or 1–2) is found and every other paragraph is paired 1–1.
Speed: the pair repeated to 52 … 13·repeat paragraphs a side.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qirtas.archive import alignment
from qirtas.i18n.script import split_paragraphs

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def load() -> tuple[list[str], list[str]]:
    en = split_paragraphs((SEEDS / "004_00ceb56a319de781.txt").read_text(encoding="utf-8"))
    ar = split_paragraphs((SEEDS / "005_ar_dushanbe.txt").read_text(encoding="utf-8"))
    return en, ar


def cases(en: list[str], ar: list[str]):
    for k in range(2, len(en)):  # paragraphs 0 and 1 are the same title twice
        yield "missing", en[:k] + en[k + 1 :], ar, (k, 0, k, 1)
        yield "missing", en, ar[:k] + ar[k + 1 :], (k, 1, k, 0)
    for k in range(2, len(en) - 1):
        yield "joined", [*en[:k], en[k] + " " + en[k + 1], *en[k + 2 :]], ar, (k, 1, k, 2)
        yield "joined", en, [*ar[:k], ar[k] + " " + ar[k + 1], *ar[k + 2 :]], (k, 2, k, 1)


def accuracy(en: list[str], ar: list[str], lexicon, anchors: bool) -> dict[str, tuple[int, int]]:
    saved = alignment.ANCHOR_BONUS, alignment.ANCHOR_PENALTY
    if not anchors:
        alignment.ANCHOR_BONUS = alignment.ANCHOR_PENALTY = 0.0
    try:
        scores: dict[str, list[int]] = {}
        for kind, left, right, expected in cases(en, ar):
            beads = [
                (b.en_first, b.en_count, b.ar_first, b.ar_count)
                for b in alignment.align(left, right, lexicon)
            ]
            others = [b for b in beads if b != expected]
            good = expected in beads and all(b[1] == b[3] == 1 for b in others)
            tally = scores.setdefault(kind, [0, 0])
            tally[0] += good
            tally[1] += 1
        return {kind: (good, total) for kind, (good, total) in scores.items()}
    finally:
        alignment.ANCHOR_BONUS, alignment.ANCHOR_PENALTY = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    en, ar = load()
    lexicon = alignment.Lexicon()
    for label, names, anchors in (
        ("lengths only", None, False),
        ("lengths + numbers/dates/Latin", None, True),
        ("lengths + anchors + names", lexicon, True),
    ):
        result = accuracy(en, ar, names, anchors)
        print(f"{label:32} " + "  ".join(f"{k}: {g}/{t}" for k, (g, t) in result.items()))
    for repeat in sorted({4, 16, args.repeat}):
        left, right = en * repeat, ar * repeat
        start = time.perf_counter()
        beads = alignment.align(left, right, lexicon)
        elapsed = time.perf_counter() - start
        exact = sum(1 for b in beads if b.en_count == b.ar_count == 1)
        print(f"{len(left):5} paragraphs a side: {elapsed:6.2f} s, {exact}/{len(left)} paired 1–1")


if __name__ == "__main__":
    main()
