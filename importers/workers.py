"""Running importers of formats with hostile-input risk (PDF) away from the caller.

First version: extraction in this process, one file after another, errors caught per file. The PDF
issue replaces this with a pool of worker processes with per-file time and memory limits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from importers.base import Extracted, ExtractionError


def extract_isolated(
    paths: list[Path],
    timeout: float = 120.0,
    password: str | None = None,
    workers: int | None = None,
    cancel: Callable[[], bool] | None = None,
) -> dict[Path, Extracted | ExtractionError]:
    from importers import extract

    outcomes: dict[Path, Extracted | ExtractionError] = {}
    for path in paths:
        try:
            outcomes[path] = extract(path, password=password)
        except ExtractionError as error:
            outcomes[path] = error
        except Exception as error:
            outcomes[path] = ExtractionError(f"The file could not be read ({type(error).__name__}: {error}).")
    return outcomes
