"""Refresh constraints.txt (``make lock``): install Qirtas unpinned into a fresh venv and freeze what came.

Only the standard library is used, so it runs with any Python ≥ 3.11; run ``make test`` on the new lock
before committing it (the pins must be versions the suite passed on)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = """\
# Qirtas's lock: the exact versions `make run` and `make test` install (pip install -c constraints.txt).
# Made by `make lock` (packaging/lock.py: a fresh venv, `pip install -e '.[test]'` unpinned, pip freeze),
# then checked with `make test`; tests/project/test_constraints.py fails when the venv drifts from these pins.
"""
# Installed for development only, never by `make run`/`make test`: left out of the lock.
LEFT_OUT = {"pip", "pyinstaller", "pyinstaller-hooks-contrib", "altgraph", "py-spy"}
# Why a pin is what it is, written beside it (canonical name → {version: reason}).
REASONS = {
    "pyside6-essentials": {
        "6.12.0": "kept: PySide6-Pdf exists only as 6.12.0.140, which requires exactly "
        "this release; its None/True refcount bug is worked around by desktop/refcounts.py",
    },
    "shiboken6": {"6.12.0": "goes with PySide6-Essentials 6.12.0 (see there)"},
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def frozen_pins(python: str) -> list[str]:
    """The ``name==version`` lines of a fresh venv with Qirtas and its test extra installed unpinned."""
    with tempfile.TemporaryDirectory(prefix="qirtas-lock-") as folder:
        venv = Path(folder) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", "-e", f"{REPO}[test]"], check=True)
        freeze = subprocess.run(
            [*pip, "freeze", "--all", "--exclude-editable"], check=True, capture_output=True, text=True
        ).stdout
    return [line for line in freeze.splitlines() if "==" in line and not line.startswith("#")]


def render(pins: list[str]) -> str:
    lines = [HEADER]
    for pin in sorted(pins, key=lambda line: canonical(line.split("==")[0])):
        name, version = pin.split("==", 1)
        if canonical(name) in LEFT_OUT:
            continue
        reason = REASONS.get(canonical(name), {}).get(version)
        lines.append(f"{pin}  # {reason}\n" if reason else f"{pin}\n")
    return "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default=str(REPO / "constraints.txt"))
    parser.add_argument("--python", default=sys.executable, help="interpreter for the fresh venv")
    args = parser.parse_args()
    Path(args.output).write_text(render(frozen_pins(args.python)), encoding="utf-8")
    print(f"wrote {args.output}; now run `make test` before committing it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
