"""A consistent copy of an archive while it is in use: SQLite's online backup, then the originals it names.

The backup folder is itself an archive (`qirtas.sqlite3` + `originals/`): open it with `--archive`, or copy
it back into place to restore. Backing up into the same folder again copies only new originals.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qirtas.archive.archive import DB_NAME, ORIGINALS, Archive, ArchiveError
from qirtas.archive.store import flush_to_disk
from qirtas.i18n.catalog import _

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

ORPHANS = "orphans"  # where `verify --repair` sets orphan originals aside
_BLOCK = 1 << 20


@dataclass
class BackupReport:
    destination: str
    documents: int = 0
    originals_copied: int = 0
    originals_present: int = 0  # already in the destination from an earlier backup
    bytes_copied: int = 0
    missing: list[str] = field(default_factory=list)  # originals the archive itself lacks
    integrity: str = ""
    cancelled: bool = False

    def to_json(self) -> dict:
        return {
            "destination": self.destination,
            "documents": self.documents,
            "originals_copied": self.originals_copied,
            "originals_present": self.originals_present,
            "bytes_copied": self.bytes_copied,
            "missing": self.missing,
            "integrity": self.integrity,
            "cancelled": self.cancelled,
        }


def _check_destination(source: Path, destination: Path) -> bool:
    """True when `destination` holds an earlier backup to refresh; refuses places that are not safe."""
    if destination == source or source in destination.parents or destination in source.parents:
        raise ArchiveError(
            _("Back up to a folder outside the archive: {path} overlaps it.").format(path=destination)
        )
    if not destination.exists():
        return False
    if not destination.is_dir():
        raise ArchiveError(_("{path} is a file; back up into a folder.").format(path=destination))
    if (destination / DB_NAME).exists():
        return True
    if any(destination.iterdir()):
        raise ArchiveError(
            _("{path} is not empty and holds no earlier backup; choose an empty folder.").format(
                path=destination
            )
        )
    return False


def backup(
    archive_path: str | os.PathLike | Archive,
    destination: str | os.PathLike,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> BackupReport:
    """Copy the archive at `archive_path` to `destination`, consistently, while others may write to it.

    The database is copied first with SQLite's online backup API, in one step, so the copy is one
    committed state. Every original that state refers to is already on disk (originals are written
    before the documents that name them are committed) and never changes, so copying them afterwards
    gives a consistent pair. The database copy is moved into place last: until then an earlier backup
    in the same folder stays whole.
    """
    if isinstance(archive_path, Archive):
        archive_path = archive_path.path
    source = Path(archive_path).expanduser().resolve()
    destination = Path(destination).expanduser().absolute()
    if not (source / DB_NAME).is_file():
        raise ArchiveError(_("There is no Qirtas archive in {path}.").format(path=source))
    _check_destination(source, destination)
    created = not destination.exists()
    try:
        return _backup(source, destination, created, progress, cancel)
    except (OSError, sqlite3.Error) as error:
        if created:
            _remove_new_backup(destination)
        reason = getattr(error, "strerror", None) or str(error)
        raise ArchiveError(
            _("The backup to {path} failed: {reason}.").format(path=destination, reason=reason)
        ) from error


def _backup(
    source: Path, destination: Path, created: bool, progress: ProgressFn | None, cancel: CancelFn | None
) -> BackupReport:
    destination.mkdir(parents=True, exist_ok=True)
    report = BackupReport(str(destination))
    handle, partial_name = tempfile.mkstemp(prefix=".qirtas-backup-", suffix=".sqlite3", dir=destination)
    os.close(handle)
    partial = Path(partial_name)
    try:
        hashes = _copy_database(source / DB_NAME, partial)
        report.documents = len(hashes)
        total = len(hashes) + 1
        if progress:
            progress(1, total)
        copied: list[Path] = []
        for done, sha in enumerate(hashes, 2):
            if cancel and cancel():
                report.cancelled = True
                break
            _copy_original(source, destination, sha, report, copied)
            if progress:
                progress(done, total)
        if report.cancelled:
            partial.unlink(missing_ok=True)
            if created:
                _remove_new_backup(destination)
            return report
        report.integrity = _integrity(partial)
        os.chmod(partial, stat.S_IMODE((source / DB_NAME).stat().st_mode))
        flush_to_disk([*copied, partial])
        for suffix in ("-wal", "-shm", "-journal"):  # left by opening an earlier backup; stale now
            (destination / (DB_NAME + suffix)).unlink(missing_ok=True)
        os.replace(partial, destination / DB_NAME)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return report


def _copy_database(source_db: Path, target: Path) -> list[str]:
    """SQLite's online backup of the live database into `target`; the SHA-256 of every document in it."""
    source = sqlite3.connect(source_db, timeout=30)
    try:
        source.execute("PRAGMA busy_timeout = 30000")
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1): the whole database as of one moment, even while others write (WAL).
            source.backup(copy, pages=-1)
            hashes = [row[0] for row in copy.execute("SELECT sha256 FROM document ORDER BY id")]
            copy.commit()
        finally:
            copy.close()
    finally:
        source.close()
    return hashes


def _integrity(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()
    if rows != ["ok"]:
        raise ArchiveError(
            _("The copy of the database failed its integrity check: {detail}").format(
                detail="; ".join(rows)[:300]
            )
        )
    return "ok"


def _copy_original(
    source: Path, destination: Path, sha: str, report: BackupReport, copied: list[Path]
) -> None:
    relative = Path(ORIGINALS) / sha[:2] / sha
    target = destination / relative
    origin = source / relative
    if not origin.exists() and (source / ORPHANS / sha).exists():
        origin = source / ORPHANS / sha  # set aside by a repair that raced an import; still the right bytes
    if target.exists() and origin.exists() and target.stat().st_size == origin.stat().st_size:
        report.originals_present += 1  # content-addressed and never changed: the same file
        return
    if not origin.exists():
        report.missing.append(sha)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
    digest = hashlib.sha256()
    try:
        with os.fdopen(handle, "wb") as out, open(origin, "rb") as inp:
            while block := inp.read(_BLOCK):
                digest.update(block)
                out.write(block)
                report.bytes_copied += len(block)
        if digest.hexdigest() != sha:
            raise ArchiveError(
                _(
                    "The original {sha} is damaged in the archive; run qirtas verify before backing up."
                ).format(sha=sha)
            )
        os.chmod(temp_name, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    copied.append(target)
    report.originals_copied += 1


def _remove_new_backup(destination: Path) -> None:
    """Undo a cancelled first backup into a folder this call created (originals are read-only files)."""
    for folder, _subfolders, names in os.walk(destination, topdown=False):
        for name in names:
            with contextlib.suppress(OSError):
                os.unlink(Path(folder) / name)
        with contextlib.suppress(OSError):
            os.rmdir(folder)
