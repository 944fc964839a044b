"""What an import is asked to do: `ImportOptions`, and the limits of a batch and of a file."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass
from typing import Any

from qirtas.importers.workers import ReaderHooks

DEFAULT_BATCH = 1000  # files per transaction at most ...
BATCH_BYTES = 32 * 1024 * 1024  # ... and bytes of new originals (one disk flush per batch: ≈50 ms)
DEFAULT_MAX_BYTES = int(os.environ.get("QIRTAS_MAX_FILE_MB", "256")) * 1024 * 1024


@dataclass
class ImportOptions:
    batch_size: int = DEFAULT_BATCH
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 120.0
    password: str | None = None
    workers: int | None = None
    follow_symlinks: bool = False  # links out of an imported folder (else reported, not followed)
    # How the reading processes start: the caller's choice, since only it knows whether forking is safe
    # (the command line, one thread and no Qt: "fork", ready in milliseconds). None: a fork server where
    # there is one (a threaded Qt process must not fork), else spawn.
    start_method: str | None = None
    reader_hooks: ReaderHooks | None = None  # tests only: see importers.workers.ReaderHooks
    # How scanned pages and images are read (`importers.ocr.OcrSettings`); None: the defaults.
    ocr: Any = None

    def extract_options(self) -> dict[str, Any]:
        """The keyword options every isolated reading of this import passes to `importers.extract`."""
        return {} if self.ocr is None else {"ocr": self.ocr}


def fork_when_alone() -> str | None:
    """ "fork" for a caller that knows it is a plain process (the command line, a script, a benchmark): on
    Linux, with no other thread running, forked readers are ready in milliseconds with the importers
    already loaded. None (the fork server) otherwise. A caller with Qt or threads passes None itself."""
    if (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    ):
        return "fork"
    return None
