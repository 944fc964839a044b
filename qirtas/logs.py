"""The log file that every layer's warnings and errors go to, and the crash file of hard crashes; set up the
same way by the command line and the window (`setup_logging`)."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
from pathlib import Path

LOG_NAME = "qirtas.log"
CRASH_NAME = "crash.log"
MAX_BYTES, BACKUPS = 1_000_000, 3  # qirtas.log, qirtas.log.1 … .3: at most 4 MB
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

logger = logging.getLogger(
    "qirtas"
)  # the parent of every module's logger (qirtas.archive.…, qirtas.desktop.…)
_crash_file = None  # kept open: faulthandler writes to its descriptor when the process dies


def log_folder() -> Path:
    """The platform's log folder for Qirtas (platformdirs), or QIRTAS_LOG_DIR when set."""
    override = os.environ.get("QIRTAS_LOG_DIR")
    if override:
        return Path(override).expanduser().absolute()
    from platformdirs import user_log_dir

    return Path(user_log_dir("Qirtas", appauthor=False))


def log_path() -> Path:
    return log_folder() / LOG_NAME


def setup_logging() -> Path | None:
    """Send the warnings and errors of every `qirtas.…` logger to the rotating `qirtas.log`, and hard
    crashes (a segfault in Qt, an abort) to `crash.log` beside it. Safe to call again (the folder may have
    changed); returns the log file, or None when it cannot be written (logging must never stop Qirtas)."""
    handler = file_handler()
    if handler is not None:
        _record_crashes(Path(handler.baseFilename).parent / CRASH_NAME)
    return Path(handler.baseFilename) if handler is not None else None


class LogFileHandler(logging.handlers.RotatingFileHandler):
    """The handler writing `qirtas.log`: its own class, so that it is told from the others on the logger."""

    qirtas_log = True


def file_handler() -> LogFileHandler | None:
    """The handler writing `qirtas.log` in today's log folder, created on first use."""
    wanted = log_path()
    for existing in list(logger.handlers):
        if isinstance(existing, LogFileHandler):
            if Path(existing.baseFilename) == wanted:
                return existing
            logger.removeHandler(existing)  # the log folder moved (QIRTAS_LOG_DIR in tests)
            existing.close()
    try:
        wanted.parent.mkdir(parents=True, exist_ok=True)
        handler = LogFileHandler(
            wanted, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
        if not os.access(wanted.parent, os.W_OK):
            raise PermissionError(wanted.parent)
    except OSError:
        return None
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger.addHandler(handler)
    return handler


def current_log() -> Path | None:
    """The log file `setup_logging` set up, or None before it (or when it could not)."""
    handlers = [handler for handler in logger.handlers if isinstance(handler, LogFileHandler)]
    return Path(handlers[0].baseFilename) if handlers else None


def log_exception(message: str, error: BaseException) -> Path | None:
    """Write `error`'s traceback to the log file only (never to a terminal handler); that file, or None."""
    try:
        handler = file_handler()
        if handler is None:
            return None
        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 0, message, (), (type(error), error, error.__traceback__)
        )
        handler.handle(record)
        handler.flush()
        return Path(handler.baseFilename)
    except Exception:  # a log that cannot be written must not hide what the user is told
        return None


def _record_crashes(crash_file: Path) -> None:
    """faulthandler into `crash_file`, unless someone already chose where crashes go (python -X
    faulthandler, PYTHONFAULTHANDLER, pytest)."""
    global _crash_file
    if faulthandler.is_enabled() and _crash_file is None:
        return
    if _crash_file is not None and Path(_crash_file.name) == crash_file:
        return
    try:
        opened = crash_file.open("a", encoding="utf-8")
    except OSError:
        return
    faulthandler.enable(file=opened, all_threads=True)
    if _crash_file is not None:
        _crash_file.close()
    _crash_file = opened
