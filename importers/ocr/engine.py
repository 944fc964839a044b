"""The Tesseract program: found on PATH, run as a child process that dies with its worker.

We call the `tesseract` program directly (as pytesseract does, without it): a child process isolates a
crash of the engine from the worker, is killed with it (PR_SET_PDEATHSIG) when the pool stops a worker
that ran out of time, and stays inside the worker's memory limit (RLIMIT_AS is inherited). tesserocr
would bind the engine in-process: a crash would take the worker, and where no wheel fits it needs the
engine's headers to build. pytesseract adds only a wrapper over the same subprocess, without a way to
set the child's death signal.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

# The setting a test (or a person) uses to point at another program, or at none ("" = not installed).
PROGRAM_ENV = "QIRTAS_TESSERACT"
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Engine:
    program: str
    version: str  # "5.3.0"
    languages: frozenset[str]

    @property
    def name(self) -> str:
        return f"tesseract {self.version}"


class EngineFailed(Exception):
    """Tesseract ran but did not read the page (it crashed, or refused the image)."""


def program() -> str | None:
    configured = os.environ.get(PROGRAM_ENV)
    if configured is not None:
        return shutil.which(configured) if configured else None
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=4)
def _engine(path: str) -> Engine | None:
    try:
        version = _run([path, "--version"], b"", timeout=30).decode("utf-8", "replace")
        listed = _run([path, "--list-langs"], b"", timeout=30).decode("utf-8", "replace")
    except (OSError, EngineFailed, subprocess.TimeoutExpired):
        return None
    found = re.search(r"tesseract\s+v?(\d+\.\d+(?:\.\d+)?)", version)
    languages = frozenset(line.strip() for line in listed.splitlines()[1:] if line.strip())
    return Engine(path, found.group(1) if found else "?", languages)


def find_engine() -> Engine | None:
    """The installed Tesseract, or None when there is none (OCR is optional)."""
    path = program()
    return _engine(path) if path else None


def install_hint() -> str:
    """One sentence saying what to install on this system (English: it goes into a Notice's params)."""
    if sys.platform.startswith("win"):
        return "the UB Mannheim Tesseract installer, with its folder on PATH"
    if sys.platform == "darwin":
        return "brew install tesseract tesseract-lang"
    if shutil.which("dnf"):
        return "dnf install tesseract tesseract-langpack-ara tesseract-langpack-eng"
    return "apt install tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng"


def _die_with(parent: int) -> Callable[[], None]:
    def arrange() -> None:  # runs in the child, between fork and exec
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the worker was killed before the signal was arranged
            os._exit(1)

    return arrange


def _run(command: list[str], stdin: bytes, timeout: float) -> bytes:
    # One OpenMP thread: the pool runs one page per core already, and Tesseract's own threads made workers
    # fight over the cores (an Arabic page took 13 s with its default threads, 1.8 s with one, on this
    # 2-core machine shared with other work).
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    preexec = _die_with(os.getpid()) if sys.platform.startswith("linux") else None
    done = subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=env,
        preexec_fn=preexec,
        check=False,
    )
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EngineFailed(reason[-1][:200] if reason else f"exit status {done.returncode}")
    return done.stdout


def recognise(engine: Engine, png: bytes, languages: str, psm: int, dpi: int, timeout: float) -> str:
    """Tesseract's TSV (one row per word, with its box, line and confidence) for one page image."""
    command = [engine.program, "stdin", "stdout", "-l", languages, "--psm", str(psm), "--dpi", str(dpi)]
    command += ["-c", "preserve_interword_spaces=0", "tsv"]
    return _run(command, png, timeout).decode("utf-8", "replace")


def orientation(engine: Engine, png: bytes, timeout: float) -> int:
    """The rotation (0, 90, 180 or 270 degrees) OSD says makes the page upright; 0 when it cannot tell."""
    if "osd" not in engine.languages:
        return 0
    try:
        out = _run([engine.program, "stdin", "stdout", "--psm", "0"], png, timeout).decode("utf-8", "replace")
    except EngineFailed:
        return 0  # too little text to tell
    rotate = re.search(r"Rotate:\s*(\d+)", out)
    return int(rotate.group(1)) % 360 if rotate else 0
