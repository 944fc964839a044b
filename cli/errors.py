"""Whatever stops a command becomes one sentence (naming the path and what to do) and an exit status;
the traceback of anything unforeseen goes to a log file, never to the terminal."""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import peewee
from qirtas.i18n import _

from qirtas.logs import log_exception

EXIT_PROBLEMS, EXIT_USAGE = 1, 2


@dataclass(frozen=True)
class Problem:
    sentence: str
    status: int = EXIT_PROBLEMS


def exception_chain(error: BaseException) -> list[BaseException]:
    """`error` and the exceptions it was raised from or while handling, outermost first."""
    chain: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and all(link is not seen for seen in chain):
        chain.append(link)
        link = link.__cause__ or link.__context__
    return chain


def describe(error: BaseException, archive: Path | None) -> Problem | None:
    """The sentence for the first known kind of failure found from the root of the chain outwards."""
    for link in reversed(exception_chain(error)):
        problem = _known(link, archive)
        if problem is not None:
            return problem
    return None


def hides_a_storage_problem(error: BaseException, archive: Path | None) -> Problem | None:
    """A full disk or a damaged database under an error that carries its own sentence: worth saying
    instead, as the outer sentence ("could not save …") would not tell the user what to do."""
    for link in reversed(exception_chain(error)[1:]):
        if _database_message(link) in ("full", "damaged") or _errno(link) in _FULL:
            return _known(link, archive)
    return None


# ---- what is known ------------------------------------------------------------------------------------
_DATABASE_MESSAGES = {
    "database or disk is full": "full",
    "file is not a database": "damaged",
    "database disk image is malformed": "damaged",
    "malformed database schema": "damaged",
    "file is encrypted or is not a database": "damaged",
    "database is locked": "busy",
    "database table is locked": "busy",
    "attempt to write a readonly database": "read-only",
    "unable to open database file": "cannot open",
    "disk i/o error": "disk",
}
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _database_message(error: BaseException) -> str | None:
    if not isinstance(error, sqlite3.Error | peewee.PeeweeException):
        return None
    message = str(error).casefold()
    return next((kind for text, kind in _DATABASE_MESSAGES.items() if text in message), None)


def _errno(error: BaseException) -> int | None:
    return error.errno if isinstance(error, OSError) else None


def _known(error: BaseException, archive: Path | None) -> Problem | None:
    if isinstance(error, OverflowError) or "too large to convert to sqlite" in str(error).casefold():
        return Problem(
            _("A number on the command line is too large; ids and counts are below {limit}.").format(
                limit=2**63
            ),
            EXIT_USAGE,
        )
    kind = _database_message(error)
    if kind is not None:
        return _database_problem(kind, archive)
    if isinstance(error, OSError) and error.errno is not None:
        return _os_problem(error, archive)
    return None


def _database_problem(kind: str, archive: Path | None) -> Problem:
    folder = archive or Path(".")
    database = folder / "qirtas.sqlite3"
    sentences = {
        "full": _("The disk holding {path} is full; free some space and run the command again."),
        "damaged": _(
            "The archive database {path} is damaged or is not a Qirtas database; restore the archive "
            "from a backup (made with qirtas backup)."
        ),
        "busy": _("The archive {path} is in use by another program; close it there and try again."),
        "read-only": _(
            "The archive {path} cannot be written to; check its permissions, or copy it to a folder "
            "you may write to."
        ),
        "cannot open": _(
            "Could not open the archive database {path}; check that its folder exists and that you may "
            "read and write it."
        ),
        "disk": _(
            "The disk reported an error reading or writing {path}; copy the archive somewhere safe and "
            "check the disk."
        ),
    }
    path = database if kind in ("damaged", "cannot open") else folder
    return Problem(sentences[kind].format(path=path))


def _os_problem(error: OSError, archive: Path | None) -> Problem | None:
    number = error.errno
    path = Path(error.filename) if error.filename else archive
    if number in _FULL:  # the folder, not the (often temporary) file that could not be written
        folder = Path(error.filename).parent if error.filename else archive
        return Problem(
            _("The disk holding {path} is full; free some space and run the command again.").format(
                path=folder
            )
        )
    if path is None:
        return None
    if number in (errno.EACCES, errno.EPERM):
        sentence = _(
            "Permission denied for {path}; change its permissions or choose a place you may write to."
        )
    elif number == errno.EROFS:
        sentence = _("The disk of {path} is read-only; choose a folder on a disk you may write to.")
    elif number == errno.ENOENT:
        missing = _missing_folder(path)
        if missing is not None:
            return Problem(
                _("There is no folder {folder}; create it first or choose another place.").format(
                    folder=missing
                )
            )
        sentence = _("Could not find or create {path}; check that the path is right.")
    elif number == errno.ENOTDIR:
        sentence = _("Part of the path {path} is a file, not a folder; choose another place.")
    elif number == errno.EISDIR:
        sentence = _("The path {path} is a folder; give the name of a file.")
    elif number == errno.ENAMETOOLONG:
        sentence = _("The path {path} is too long; choose a shorter name.")
    elif number == errno.EIO:
        sentence = _(
            "The disk reported an error reading or writing {path}; copy the archive somewhere safe and "
            "check the disk."
        )
    else:
        return None
    return Problem(sentence.format(path=path))


def _missing_folder(path: Path) -> Path | None:
    """The highest missing folder above `path` (a file cannot be made in a folder that is not there)."""
    missing = None
    for folder in path.parents:
        if folder.exists():
            break
        missing = folder
    return missing


# ---- the unforeseen ------------------------------------------------------------------------------------
def log_unexpected(error: BaseException) -> Path | None:
    """Write the traceback to the log file (`qirtas.logs`, shared with the window); that file, or None
    when there is none to write to."""
    return log_exception("unexpected error in the qirtas command", error)


def unexpected(error: BaseException) -> Problem:
    kind = type(error).__name__
    where = log_unexpected(error)
    if where is None:
        return Problem(
            _("Something unexpected went wrong ({kind}: {reason}); please report it.").format(
                kind=kind, reason=str(error).splitlines()[0] if str(error) else kind
            )
        )
    return Problem(
        _("Something unexpected went wrong ({kind}); the details are in {path}.").format(
            kind=kind, path=where
        )
    )
