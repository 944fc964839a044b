"""Reading formats with hostile-input risk (PDF, images, OCR) in the reader pool (`importers.pool`): one
task a file, under the pool's time and memory limits; a file whose worker overruns or dies is reported as
failed with a sentence saying why, and the batch goes on. A cancel request ends it within a quarter of a
second.

One PDF is read by one worker, however long: splitting it across workers is not cheap. Its text is
assembled from all its pages together (running headers found by comparing pages, paragraphs that run over
a page break, the document's own words deciding hyphenation, one vote on bracket direction), so pages laid
out elsewhere would have to travel back as glyph layouts, which are many times the size of the text; and
each worker would parse the file's cross-reference table and hold the whole file in memory, inside a
memory share that is then smaller. A batch already keeps every worker busy with files of its own.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qirtas.i18n.catalog import _, current_language, setup_i18n
from qirtas.importers.base import Extracted, ExtractionError
from qirtas.importers.pool import (
    DEFAULT_TIMEOUT,
    MEMORY_LIMIT_ENV,
    OCR_PAGE_ALLOWANCE,
    PAGE_ALLOWANCE,
    ReaderPool,
    WorkerContext,
    WorkerLost,
)

from qirtas.jobs import Cancel

__all__ = ["DEFAULT_TIMEOUT", "MEMORY_LIMIT_ENV", "ReaderHooks", "extract_isolated", "reread"]


@dataclass(frozen=True)
class ReaderHooks:
    """Misbehaviour a test asks of the readers, to prove the limits without a hostile PDF: stall (sleep)
    on, or hog memory for, the file with this name, or stall on one page of a file. Given by the caller
    (a test) with `extract_isolated(…, hooks=…)` or `ImportOptions(reader_hooks=…)`; nothing else sets
    them, and the readers read no environment for them."""

    stall: str = ""
    hog: str = ""
    stall_page: tuple[str, int] = ("", 0)

    def for_file(self, name: Path) -> tuple[bool, bool, int]:
        return (
            bool(self.stall) and name.name == self.stall,
            bool(self.hog) and name.name == self.hog,
            self.stall_page[1] if name.name == self.stall_page[0] else 0,
        )


Outcome = Extracted | ExtractionError


def extract_file(
    context: WorkerContext,
    path: str,
    name: str,
    password: str | None,
    language: str,
    misbehave: tuple[bool, bool, int],
    options: Mapping[str, Any],
) -> Outcome:
    """The reader pool's task for one file: `path` holds the bytes; `name` is the file they are a copy
    of (its name picks the importer when the content does not); `options` go to `extract` (e.g. `ocr`).
    Never raises but for running out of memory, after which the worker ends (its heap may be in pieces)."""
    from qirtas.importers import extract

    if language != current_language():
        setup_i18n(language)  # messages in the language of the person importing
    stall, hog, stall_page = misbehave

    def page_read(pages: int, ocr: bool = False) -> None:  # `ocr`: the page was read by OCR (slower)
        context.progress(pages, OCR_PAGE_ALLOWANCE if ocr else PAGE_ALLOWANCE)
        if pages + 1 == stall_page:
            time.sleep(3600)

    try:
        if stall:
            time.sleep(3600)
        if hog:
            hoard = [bytearray(64 * 1024 * 1024) for _ in range(10_000)]
            del hoard
        data = Path(path).read_bytes()
        result: Outcome = extract(Path(name), data=data, password=password, progress=page_read, **options)
        del data
        return result
    except ExtractionError as error:
        return error
    except MemoryError:
        context.retire = True
        return ExtractionError(_memory_exhausted(context.memory_mb, context.shared_mb))
    except RecursionError:
        return ExtractionError(_("The file is damaged: its parts refer to each other in an endless loop."))
    except Exception as error:  # a bug in an importer must not end the batch
        return ExtractionError(
            _("The file could not be read ({kind}: {reason}).").format(
                kind=type(error).__name__, reason=error
            )
        )


def extract_isolated(
    paths: list[Path],
    timeout: float = DEFAULT_TIMEOUT,
    password: str | None = None,
    workers: int | None = None,
    cancel: Cancel | None = None,
    names: Mapping[Path, Path] | None = None,
    hooks: ReaderHooks | None = None,
    pool: ReaderPool | None = None,
    on_page: Callable[[Path, int], None] | None = None,
    **options: Any,
) -> dict[Path, Extracted | ExtractionError]:
    """Extract each file in the reader pool (`pool`, else one of `workers` processes made for these
    files); every path gets an outcome unless the batch is cancelled (then only the files finished so far
    have one). `names`: for a path that is a copy (the bytes an import hashed, in the archive's store),
    the file it is a copy of. `on_page(file, pages)`: as a file's pages are read (from the pool's thread).
    `options` go to `extract` (e.g. `ocr=OcrSettings(…)`)."""
    queue = list(dict.fromkeys(paths))
    if not queue:
        return {}
    if pool is None:
        with ReaderPool(min(workers or os.cpu_count() or 1, len(queue)), timeout=timeout) as own:
            return extract_isolated(
                queue,
                password=password,
                cancel=cancel,
                names=names,
                hooks=hooks,
                pool=own,
                on_page=on_page,
                **options,
            )
    names = names or {}
    hooks = hooks or ReaderHooks()
    language = current_language()
    futures: dict[Future, Path] = {}
    for path in queue:
        name = names.get(path, path)
        task = (str(path), str(name), password, language, hooks.for_file(name), options)
        pages = None if on_page is None else functools.partial(on_page, name)
        futures[pool.submit(extract_file, *task, priority=0, progress=pages)] = path
    pending = set(futures)
    while pending:
        if cancel and cancel():
            pool.cancel(list(pending))
            break
        _done, pending = wait_for(pending, timeout=0.25, return_when=FIRST_COMPLETED)
    return {
        futures[future]: _outcome(future, pool)
        for future in futures
        if future.done() and future not in pending and not _cancelled(future)
    }


def _cancelled(future: Future) -> bool:
    """Ended without an outcome: cancelled before it ran, or stopped in its worker by a cancel."""
    if future.cancelled():
        return True
    error = future.exception()
    return isinstance(error, WorkerLost) and error.reason == "cancelled"


def _outcome(future: Future, pool: ReaderPool) -> Outcome:
    error = future.exception()
    if error is None:
        return future.result()
    if isinstance(error, WorkerLost):
        if error.reason == "time":
            return ExtractionError(_too_long(error, pool.timeout))
        if error.reason == "memory":
            return ExtractionError(_memory_exhausted(pool.memory_mb, pool.shared_mb))
        return ExtractionError(_crashed(error.exitcode, pool.memory_mb))
    return ExtractionError(
        _("The file could not be read ({kind}: {reason}).").format(kind=type(error).__name__, reason=error)
    )


def _memory_exhausted(memory_mb: int, shared: int) -> str:
    if shared:
        return _(
            "Reading this file needed more memory than a reader may use ({limit} MB: the readers share "
            "{total} MB, at most half of this computer's memory), so it was stopped; the file may be "
            "damaged or built to exhaust readers (import it alone, or set {setting}, to allow more)."
        ).format(limit=memory_mb, total=shared, setting=MEMORY_LIMIT_ENV)
    return _(
        "Reading this file needed more memory than a reader may use ({limit} MB), so it was "
        "stopped; the file may be damaged or built to exhaust readers (set {setting} to allow more)."
    ).format(limit=memory_mb, setting=MEMORY_LIMIT_ENV)


def _too_long(error: WorkerLost, timeout: float) -> str:
    if not error.pages:
        return _(
            "Reading this file took longer than the {seconds} seconds allowed, so it was stopped; the "
            "file may be damaged or built to stall readers (import it alone with a longer --timeout to "
            "try again)."
        ).format(seconds=f"{timeout:g}")
    if error.stalled:
        return _(
            "Reading this file stopped after page {pages}: page {page} took longer than the {seconds} "
            "seconds allowed for a page, so it was stopped; the file may be damaged or built to stall "
            "readers (import it alone with a longer --timeout to try again)."
        ).format(pages=error.pages, page=error.pages + 1, seconds=f"{timeout:g}")
    return _(
        "Reading this file took longer than the {seconds} seconds allowed for its first {pages} pages, so "
        "it was stopped; the file may be damaged or built to stall readers (import it alone with a longer "
        "--timeout to try again)."
    ).format(seconds=f"{error.allowed:.0f}", pages=error.pages)


def _crashed(exitcode: int | None, memory_mb: int) -> str:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit status {exitcode}"
    return _(
        "The reader stopped unexpectedly on this file ({how}): it may need more memory than the {limit} "
        "MB allowed, or be built to crash readers."
    ).format(how=how, limit=memory_mb or "∞")


def reread(
    path: Path, password: str | None = None, timeout: float = DEFAULT_TIMEOUT, **options: Any
) -> Outcome:
    """One file read again in a worker (e.g. an archived original with its password, or with OCR), for
    callers that then hand the result to Archive.replace_extraction (the CLI's `unlock` and `ocr`, the
    GUI). `options` go to `extract` (e.g. `ocr=OcrSettings(force=True)`)."""
    outcome = extract_isolated([path], timeout=timeout, password=password, workers=1, **options)
    return outcome.get(path, ExtractionError(_("Reading the file was interrupted.")))
