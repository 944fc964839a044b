"""Large inputs: a 2,000-page PDF and a 200 MB text file imported through the command line; prints the
outcome, the time and the peak resident memory of the importing processes (the CLI and its workers).

    python benchmarks/bench_large.py [--pages 2000] [--text-mb 200] [--timeout 900]

The PDF is made with qpdf (Debian package `qpdf`) by repeating a committed 4-page fixture.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "pdf" / "chromium" / "headers_en.pdf"


def run_import(archive: Path, path: Path, *extra: str, env: dict | None = None) -> tuple[dict, float, float]:
    """Import one file in a child process; returns (report, seconds, peak RSS in MB of the children)."""
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qirtas.cli.main",
            "--archive",
            str(archive),
            "import",
            str(path),
            "--json",
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
    )
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return json.loads(done.stdout), seconds, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--text-mb", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qirtas-bench-large-"))
    rows = []
    try:
        if shutil.which("qpdf"):
            big_pdf = folder / f"pages-{args.pages}.pdf"
            repeats = [str(FIXTURE)] * (args.pages // 4)
            subprocess.run(["qpdf", "--empty", "--pages", *repeats, "--", str(big_pdf)], check=True)
            report, seconds, peak = run_import(folder / "A", big_pdf, "--timeout", str(args.timeout))
            outcome = (
                f"imported, {report['imported'][0]['status']}"
                if report["imported"]
                else report["failed"][0]["error"]
            )
            rows.append(
                (
                    f"PDF, {args.pages:,} pages ({big_pdf.stat().st_size / 2**20:.1f} MB)",
                    outcome,
                    seconds,
                    peak,
                )
            )
        else:
            rows.append(("PDF", "skipped: qpdf is not installed", 0.0, 0.0))
        text = folder / "big.txt"
        line = b"The meeting in Dushanbe discussed countering violent extremism online.\n"
        with open(text, "wb") as handle:
            handle.write(line * (args.text_mb * 2**20 // len(line)))
        for number, (label, env) in enumerate(
            (
                ("text, default limit", None),
                ("text, QIRTAS_MAX_TEXT_MB=400", {**os.environ, "QIRTAS_MAX_TEXT_MB": "400"}),
            )
        ):
            # An archive each: in one, the second run would only find the first one's document.
            report, seconds, peak = run_import(folder / f"B{number}", text, env=env)
            outcome = "imported" if report["imported"] else report["failed"][0]["error"][:70]
            rows.append((f"{args.text_mb} MB {label}", outcome, seconds, peak))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'input':<44}{'seconds':>9}{'peak RSS MB':>13}  outcome")
    for name, outcome, seconds, peak in rows:
        print(f"{name:<44}{seconds:>9.1f}{peak:>13.0f}  {outcome}")
    print("(peak RSS is the largest of the importing processes so far, CLI or worker)")


if __name__ == "__main__":
    main()
