"""Keeping None, True and False alive under PySide6 6.12.0 (no Qt imported here).

That release returns None from every void method, and True from every `Signal.emit`, without taking a
reference: each call takes one reference from the interpreter's shared singleton, and after some
thousands of calls CPython frees it and aborts ("none_dealloc: deallocating None"). Python 3.12 makes
these objects immortal (PEP 683); on 3.11 we give them a reference count they cannot use up.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40  # references added once; a decrement per call would need years to use them up
_pinned = False


def pin_singletons() -> None:
    """Give None, True and False a reserve of references (once per process; harmless if not needed)."""
    global _pinned
    if _pinned or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _RESERVE
    _pinned = True
