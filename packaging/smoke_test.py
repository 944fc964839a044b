"""Smoke test of the one-folder bundle (``make bundle-test``): run as a user would, from an empty folder,
with no Python environment around it.

    python packaging/smoke_test.py dist/qirtas/qirtas

Checks ``--version`` (and times it), ``demo`` into a temporary archive, the import of PDFs through the
worker pool (frozen workers must not start a second Qirtas), an Arabic search finding the imported PDF and
``gui --lang ar`` on a virtual screen (Xvfb): alive after a few seconds, gone soon after SIGTERM. Exit 0
when all pass, 1 otherwise; Xvfb missing skips only the window check (said so)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PDFS = REPO / "tests" / "fixtures" / "pdf" / "chromium"
ARABIC_QUERY = "مكافحة الإرهاب"  # in ar_news.pdf ("… في مكافحة الإرهاب."), and in the Arabic seed's theme
ARABIC_PDF = "ar_news.pdf"
GUI_SECONDS = 5.0


class Smoke:
    def __init__(self, executable: Path, home: Path) -> None:
        self.executable = executable
        self.home = home
        self.failures: list[str] = []
        # A bare user: nothing of this repository or its venv on any path, settings and logs in `home`.
        self.env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_RUNTIME_DIR": str(home / "runtime"),
        }
        (home / "runtime").mkdir(mode=0o700)

    def run(self, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.executable), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.home,
            env={**self.env, **env},
        )

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        print(f"{'PASS' if ok else 'FAIL'}  {name}{f'  ({detail})' if detail else ''}", flush=True)
        if not ok:
            self.failures.append(name)
        return ok


def _version(smoke: Smoke) -> None:
    timings, result = [], None
    for _ in range(5):
        start = time.perf_counter()
        result = smoke.run("--version")
        timings.append(time.perf_counter() - start)
    assert result is not None
    smoke.check(
        "--version",
        result.returncode == 0 and result.stdout.startswith("qirtas "),
        f"{result.stdout.strip() or result.stderr.strip()[-200:]}; start time median "
        f"{statistics.median(timings):.2f} s, first {timings[0]:.2f} s",
    )


def _demo_import_search(smoke: Smoke, archive: Path) -> None:
    demo = smoke.run("--archive", str(archive), "demo", "--json")
    if not smoke.check("demo into a temporary archive", demo.returncode == 0, demo.stderr.strip()[-300:]):
        return
    start = time.perf_counter()
    imported = smoke.run("--archive", str(archive), "import", str(PDFS), "--json", timeout=300)
    seconds = time.perf_counter() - start
    try:
        report = json.loads(imported.stdout)
    except json.JSONDecodeError:
        report = {}
    pdfs = sorted(PDFS.glob("*.pdf"))
    done = {Path(entry["path"]).name: entry for entry in report.get("imported", [])}
    smoke.check(
        "import of PDFs through the worker pool",
        imported.returncode == 0
        and len(done) == len(pdfs)
        and done.get(ARABIC_PDF, {}).get("status") == "ok",
        f"{len(done)} of {len(pdfs)} imported in {seconds:.1f} s"
        + (f"; {imported.stderr[-300:]}" if imported.returncode else ""),
    )
    found = smoke.run("--archive", str(archive), "search", ARABIC_QUERY, "--json")
    try:
        results = json.loads(found.stdout).get("results", [])
    except json.JSONDecodeError:
        results = []
    ids = {result.get("id") for result in results}
    smoke.check(
        f"Arabic search {ARABIC_QUERY!r} finds the imported PDF",
        found.returncode == 0 and done.get(ARABIC_PDF, {}).get("id") in ids,
        f"{len(results)} results" + (f"; {found.stderr[-300:]}" if found.returncode else ""),
    )


def _gui(smoke: Smoke, archive: Path) -> None:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        print("SKIP  gui --lang ar under Xvfb (Xvfb is not installed: apt-get install xvfb)")
        return
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as display_number:
            display = ":" + display_number.readline().strip()
        log = smoke.home / "gui.log"
        with log.open("w") as output:
            window = subprocess.Popen(
                [str(smoke.executable), "--archive", str(archive), "gui", "--lang", "ar"],
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=smoke.home,
                env={**smoke.env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
            )
            time.sleep(GUI_SECONDS)
            alive = window.poll() is None
            titles = ""
            if alive and shutil.which("xwininfo"):
                titles = subprocess.run(
                    ["xwininfo", "-root", "-tree", "-display", display], capture_output=True, text=True
                ).stdout
            window.send_signal(signal.SIGTERM)
            try:
                status = window.wait(timeout=15)
            except subprocess.TimeoutExpired:
                window.kill()
                status = "hung after SIGTERM"
        output_text = log.read_text(errors="replace")
        shown = not titles or "Qirtas" in titles or "قرطاس" in titles
        smoke.check(
            f"gui --lang ar on Xvfb {display}: alive after {GUI_SECONDS:.0f} s, a window shown, ends on SIGTERM",
            alive
            and shown
            and status in (0, -signal.SIGTERM)
            and "Traceback" not in output_text
            and "font package" not in output_text,  # desktop/fonts.py warns when a font is missing
            f"exit {status}; window listed: {bool(titles) and shown}"
            + (f"; output: {output_text.strip()[-400:]}" if output_text.strip() else ""),
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description="Smoke test of the one-folder Qirtas bundle.")
    parser.add_argument("executable", type=Path, help="dist/qirtas/qirtas")
    args = parser.parse_args()
    executable = args.executable.resolve()
    if not executable.is_file():
        print(f"{executable} does not exist: run `make bundle` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="qirtas-smoke-") as folder:
        home = Path(folder)
        smoke = Smoke(executable, home)
        archive = home / "archive"
        _version(smoke)
        _demo_import_search(smoke, archive)
        _gui(smoke, archive)
    files = [path for path in executable.parent.rglob("*") if path.is_file() and not path.is_symlink()]
    size = sum(path.stat().st_size for path in files)
    print(f"bundle: {executable.parent} ({size / 2**20:.0f} MiB)")
    if smoke.failures:
        print(f"{len(smoke.failures)} check(s) failed: {', '.join(smoke.failures)}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
