"""Storage failures a person can act on — a full disk, a damaged, busy or read-only database, a path the
system refused — as one sentence naming the path and what to do. The command line and the window both say
them (`cli/errors.py`, `desktop/errors.py`); found from the root of an exception's chain outwards, since
the outermost exception (a failed rollback, "could not save …") rarely says what to do."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable
from pathlib import Path

import peewee
from qirtas.i18n import _

Show = Callable[[Path], str]  # how a path is written into a sentence


def exception_chain(error: BaseException) -> list[BaseException]:
    """`error` and the exceptions it was raised from or while handling, outermost first."""
    chain: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and all(link is not seen for seen in chain):
        chain.append(link)
        link = link.__cause__ or link.__context__
    return chain


def storage_problem(error: BaseException, archive: Path | None, show: Show = str) -> str | None:
    """The sentence for the first storage failure found from the root of the chain outwards: a database
    SQLite refused (full, damaged, busy, read-only, …; said only when `archive` is known) or a path the
    system refused (full, permission, read-only disk, missing folder, …). `show` writes a path into the
    sentence (the window isolates it, so that it reads left to right in an Arabic sentence)."""
    for link in reversed(exception_chain(error)):
        sentence = _known(link, archive, show)
        if sentence is not None:
            return sentence
    return None


def hidden_storage_problem(error: BaseException, archive: Path | None, show: Show = str) -> str | None:
    """A full disk or a damaged database under an error that carries its own sentence: worth saying
    instead, as the outer sentence ("could not save …") would not tell the user what to do."""
    for link in reversed(exception_chain(error)[1:]):
        if _database_message(link) in ("full", "damaged") or _errno(link) in _FULL:
            return _known(link, archive, show)
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


def _known(error: BaseException, archive: Path | None, show: Show) -> str | None:
    kind = _database_message(error)
    if kind is not None:
        return None if archive is None else _database_problem(kind, archive, show)
    if isinstance(error, OSError) and error.errno is not None:
        return _os_problem(error, archive, show)
    return None


def _database_problem(kind: str, folder: Path, show: Show) -> str:
    database = folder / "qirtas.sqlite3"
    sentences = {
        "full": _("The disk holding {path} is full; free some space and try again."),
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
    return sentences[kind].format(path=show(path))


def _os_problem(error: OSError, archive: Path | None, show: Show) -> str | None:
    number = error.errno
    path = Path(error.filename) if error.filename else archive
    if number in _FULL:  # the folder, not the (often temporary) file that could not be written
        folder = Path(error.filename).parent if error.filename else archive
        if folder is None:
            return _("The disk is full; free some space and try again.")
        return _("The disk holding {path} is full; free some space and try again.").format(path=show(folder))
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
            return _("There is no folder {folder}; create it first or choose another place.").format(
                folder=show(missing)
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
    return sentence.format(path=show(path))


def _missing_folder(path: Path) -> Path | None:
    """The highest missing folder above `path` (a file cannot be made in a folder that is not there)."""
    missing = None
    for folder in path.parents:
        if folder.exists():
            break
        missing = folder
    return missing
