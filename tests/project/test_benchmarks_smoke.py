"""Every benchmark runs at a tiny size, so none can rot (a renamed function, a changed API) unnoticed.
Their figures mean nothing at these sizes; the targets are checked by running them at full size."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

# benchmark → the arguments of a run that takes seconds
TINY = {
    "bench_alignment": ["--repeat", "1"],
    "bench_crash": ["--files", "30", "--trials", "1"],
    "bench_export_backup": ["--documents", "40"],
    "bench_extract": ["--count", "10", "--rounds", "1"],
    "bench_gui": ["--count", "300"],
    "bench_import": ["--files", "200"],
    "bench_language": ["--repeat", "1"],
    "bench_large": ["--pages", "20", "--text-mb", "1"],
    "bench_ocr": ["--pages", "1", "--repeat", "1", "--cases", "english-clean", "--small"],
    "bench_pdf": ["--files", "2", "--pages", "2"],
    "bench_scale": ["--files", "50", "--documents", "200"],
    "bench_search": ["--documents", "300", "--queries", "10"],
    "bench_startup": ["--runs", "2", "--target", "30"],
    "bench_suggest_audit": ["--documents", "30"],
    "bench_suggest_quality": [],
}


def test_every_benchmark_is_listed_here():
    scripts = {path.stem for path in (REPO / "benchmarks").glob("bench_*.py")}
    assert scripts == set(TINY), "add the new benchmark (or remove the old one) in TINY"


@pytest.mark.parametrize("name", sorted(TINY))
def test_the_benchmark_runs_at_a_tiny_size(name, tmp_path):
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QIRTAS_LOG_DIR": str(tmp_path / "log")}
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / f"{name}.py"), *TINY[name]],  # as the README runs them
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert run.stdout.strip(), "a benchmark prints its table"
