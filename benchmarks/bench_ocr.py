"""OCR: character error rate of plain Tesseract against ours on the scanned fixtures, and pages per second
through the import worker pool with 1 and 2 workers (issue 20, points 3 and 5).

    python benchmarks/bench_ocr.py                 # the CER table and 8 pages of each kind
    python benchmarks/bench_ocr.py --pages 1 --repeat 1 --cases english-clean --small   (the smoke test)
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: tests/ importable

from PIL import Image
from qirtas.importers.ocr import OcrSettings, find_engine, read_page
from qirtas.importers.workers import extract_isolated

from tests.fixtures.ocr.make_scans import CASES, TARGETS, Case, cer, plain, scan, truth


def small(data: bytes) -> bytes:
    """The top of the page: a few lines, for a run that only proves the benchmark works."""
    image = Image.open(io.BytesIO(data))
    buffer = io.BytesIO()
    image.crop((0, 0, image.width, image.height // 6)).save(
        buffer, image.format or "PNG", dpi=image.info.get("dpi")
    )
    return buffer.getvalue()


def quality(cases: list[Case], shrink: bool) -> None:
    engine = find_engine()
    assert engine is not None, "Tesseract is not installed"
    print(
        f"CER (edit distance / reference length, NFKC and whitespace runs folded on both sides), {engine.name}"
    )
    print(f"{'case':<18}{'plain ara+eng':>14}{'ours':>9}{'target':>9}  languages  seconds")
    for case in cases:
        data, dpi = scan(case)
        reference = truth(case)
        if shrink:
            data = small(data)
        started = time.perf_counter()
        page = read_page(Image.open(io.BytesIO(data)), dpi, OcrSettings(), engine)
        seconds = time.perf_counter() - started
        if shrink:  # the reference is the whole page: only the first lines' share is comparable
            reference = reference[: len(page.text)]
        plain_rate, ours = cer(reference, plain(data)), cer(reference, page.text)
        print(
            f"{case.name:<18}{plain_rate:>12.2f} %{ours:>7.2f} %{TARGETS[case.name]:>7.1f} %  {page.languages:<9}  {seconds:.1f}"
        )


def throughput(cases: list[Case], pages: int, shrink: bool, repeat: int) -> None:
    print(
        f"\nPages per second through extract_isolated (images, {pages} pages of each kind, best of {repeat})"
    )
    # The speed-up needs two idle cores: other work on the machine (its load average) takes one away now
    # and then, so 1 and 2 workers take turns and each keeps its best run.
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'scans':<10}{'1 worker':>10}{'2 workers':>11}{'speed-up':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("clean", "degraded"):
            chosen = [case for case in cases if case.degraded == (kind == "degraded")] or cases
            paths = []
            for number in range(pages):
                case = chosen[number % len(chosen)]
                data = scan(case)[0]
                path = Path(folder) / f"{kind}-{number}.{'jpg' if case.degraded else 'png'}"
                path.write_bytes(small(data) if shrink else data)
                paths.append(path)
            rates = [0.0, 0.0]
            for _round in range(repeat):
                for workers in (1, 2):
                    started = time.perf_counter()
                    outcomes = extract_isolated(paths, workers=workers)
                    seconds = time.perf_counter() - started
                    assert all(getattr(each, "status", "") == "ocr" for each in outcomes.values()), outcomes
                    rates[workers - 1] = max(rates[workers - 1], len(paths) / seconds)
            print(f"{kind:<10}{rates[0]:>10.2f}{rates[1]:>11.2f}{rates[1] / rates[0]:>9.2f}×")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8, help="pages of each kind for the throughput")
    parser.add_argument("--cases", nargs="*", default=[case.name for case in CASES])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each pool size; the best counts")
    parser.add_argument("--small", action="store_true", help="the top sixth of each page only (smoke test)")
    args = parser.parse_args(argv)
    cases = [case for case in CASES if case.name in args.cases]
    quality(cases, args.small)
    throughput(cases, args.pages, args.small, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
