"""The one contract of long work — an import, an export, a backup, a verification, a bag — from the core to
the window and the command line.

- `progress(done, total, current, page)`: how far it is (`current`: the file or document being handled, ""
  when there is nothing to name; `page`: the pages of it read so far, for a long file read page by page —
  a scan being OCR'd —, else 0). Called from the thread doing the work or the reader pool's; the window
  forwards it as a signal.
- `cancel()`: polled between steps; when it returns True the work stops where stopping is safe and returns
  its report with `cancelled` set (what an import committed stays; a bag or a first backup keeps nothing).
  Inside, a step raises `Cancelled` to unwind to its entry point, which turns it into that report: a caller
  never sees the exception.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int, current: str = "", page: int = 0, /) -> None: ...


Cancel = Callable[[], bool]


class Cancelled(Exception):
    """Raised inside long work when `cancel()` said so; caught by the work's entry point."""


def stop_if_cancelled(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled
