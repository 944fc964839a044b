"""How long `qirtas --help` and `qirtas --version` take, hyperfine-style: warm-up runs, then the mean and
spread of repeated runs of the real command. Target: under 0.3 s each (issue 16).

    python benchmarks/bench_startup.py [--runs 20] [--target 0.3]
    python -X importtime -m qirtas --help 2>&1 | sort -t'|' -k2 -n | tail   # where the time goes
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

COMMANDS = (["--help"], ["--version"])


def time_command(arguments: list[str], runs: int, warmup: int = 3) -> list[float]:
    command = [sys.executable, "-m", "qirtas", *arguments]
    environ = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    times = []
    for run in range(warmup + runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environ, check=True)
        if run >= warmup:
            times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--target", type=float, default=0.3, help="seconds (mean) each command must stay under"
    )
    args = parser.parse_args()
    failed = False
    for arguments in COMMANDS:
        times = time_command(arguments, args.runs)
        mean, spread = statistics.mean(times), statistics.stdev(times)
        verdict = "ok" if mean < args.target else "TOO SLOW"
        failed |= mean >= args.target
        print(
            f"qirtas {' '.join(arguments):10} {mean * 1000:6.0f} ms ± {spread * 1000:4.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)  {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
