"""Scale benchmark, one command: import throughput at 20,000 files, then search and desktop figures on
one generated 100,000-document archive. Each part prints its own table.

    python benchmarks/bench_scale.py [--files 20000] [--documents 100000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def part(title: str, *command: str) -> float:
    print(f"\n=== {title}", flush=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, *command], check=True, cwd=HERE.parent)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qirtas-bench-scale-"))
    try:
        timings = {
            "import": part(f"import of {args.files:,} generated 3 kB files", str(HERE / "bench_import.py"),
                           "--files", str(args.files)),
            "search": part(f"search on {args.documents:,} documents", str(HERE / "bench_search.py"),
                           "--documents", str(args.documents), "--keep", str(folder)),
            "desktop": part("desktop on the same archive", str(HERE / "bench_gui.py"),
                            "--count", str(args.documents), "--archive", str(folder / "archive")),
        }  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n=== wall time per part")
    for name, seconds in timings.items():
        print(f"{name:<12}{seconds:>10.0f} s")


if __name__ == "__main__":
    main()
