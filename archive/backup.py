"""A consistent copy of an archive while it is in use: SQLite's online backup, then the originals it names.

The backup folder is itself an archive (`qirtas.sqlite3` + `originals/`): open it with `--archive`, or copy
it back into place to restore. Backing up into the same folder again copies only new originals. A backup
keeps the identity of its source (a UUID in the archive's metadata), and a backup goes only into an empty
folder or a backup of the same archive: never over another archive's catalogue.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from qirtas.archive.archive import DB_NAME, ORIGINALS, Archive, ArchiveError
from qirtas.archive.store import LOCK_NAME, ArchiveLock, OriginalsStore, flush_to_disk, fsync_folder
from qirtas.i18n.catalog import _

from qirtas.jobs import Cancel, Progress

ORPHANS = "orphans"  # where `verify --repair` sets orphan originals aside
IDENTITY = "archive_id"  # key of the archive's identity in its metadata (the schemainfo table)
# In a backup folder being made, until its database is in place: the identity of the archive it copies,
# so a backup that was killed is resumed by the next one rather than refused.
MAKING = ".qirtas-making-backup"
_PARTIAL_DATABASE = ".qirtas-backup-"  # the database copy before it is moved into place
_BLOCK = 1 << 20


@dataclass
class BackupReport:
    destination: str
    documents: int = 0
    originals_copied: int = 0
    originals_present: int = 0  # already in the destination from an earlier backup
    bytes_copied: int = 0
    missing: list[str] = field(default_factory=list)  # originals the archive itself lacks
    damaged: list[str] = field(default_factory=list)  # originals whose bytes no longer match (not copied)
    integrity: str = ""
    cancelled: bool = False
    identity: str = ""  # of the archive (and so of its backup)

    def to_json(self) -> dict:
        return {
            "destination": self.destination,
            "documents": self.documents,
            "originals_copied": self.originals_copied,
            "originals_present": self.originals_present,
            "bytes_copied": self.bytes_copied,
            "missing": self.missing,
            "damaged": self.damaged,
            "integrity": self.integrity,
            "cancelled": self.cancelled,
            "identity": self.identity,
        }


def archive_identity(database: Path, create: bool = False) -> str | None:
    """The archive's identity (a UUID kept in its metadata), made and stored the first time it is needed
    when `create`; None when there is none, or `database` is not a Qirtas database."""
    connection = sqlite3.connect(database, timeout=30)
    try:
        connection.execute("PRAGMA busy_timeout = 30000")
        if create:
            with contextlib.suppress(sqlite3.OperationalError), connection:  # read-only: none made
                # INSERT OR IGNORE in one transaction: two first backups at once agree on one identity.
                connection.execute(
                    "INSERT OR IGNORE INTO schemainfo (key, value) VALUES (?, ?)",
                    (IDENTITY, str(uuid.uuid4())),
                )
        row = connection.execute("SELECT value FROM schemainfo WHERE key = ?", (IDENTITY,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        connection.close()
    return row[0] if row else None


def _documents(database: Path) -> set[tuple[int, str]]:
    connection = sqlite3.connect(database, timeout=30)
    try:
        return set(connection.execute("SELECT id, sha256 FROM document"))
    finally:
        connection.close()


def _is_backup_of(source: Path, identity: str, destination: Path) -> bool:
    """Whether the archive in `destination` is a backup of `source` (whose identity is `identity`)."""
    theirs = archive_identity(destination / DB_NAME)
    if theirs is not None:
        return theirs == identity
    try:  # a backup made before archives had an identity: ours if each of its documents is ours
        return _documents(destination / DB_NAME) <= _documents(source / DB_NAME)
    except sqlite3.DatabaseError:  # not a Qirtas database at all
        return False


def _check_destination(source: Path, destination: Path, identity: str) -> bool:
    """True when `destination` holds a backup of this archive to refresh (or one that was being made);
    refuses places that are not safe."""
    if destination == source or source in destination.parents or destination in source.parents:
        raise ArchiveError(
            _("Back up to a folder outside the archive: {path} overlaps it.").format(path=destination)
        )
    if not destination.exists():
        return False
    if not destination.is_dir():
        raise ArchiveError(_("{path} is a file; back up into a folder.").format(path=destination))
    if (destination / DB_NAME).exists():
        if _is_backup_of(source, identity, destination):
            return True
        raise ArchiveError(
            _(
                "{path} holds another archive or a backup of another archive; "
                "back up into an empty folder or an earlier backup of this archive."
            ).format(path=destination)
        )
    with contextlib.suppress(OSError):
        if identity and (destination / MAKING).read_text(encoding="utf-8").strip() == identity:
            return True  # a first backup of this archive that was stopped: resume it
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
    progress: Progress | None = None,
    cancel: Cancel | None = None,
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
    identity = archive_identity(source / DB_NAME, create=True) or ""  # "": a read-only archive has none
    existing = _check_destination(source, destination, identity)
    made_folder = not destination.exists()
    created = not existing  # a first backup: undone if it fails or is cancelled
    lock = None
    try:
        destination.mkdir(parents=True, exist_ok=True)
        if identity and not (destination / DB_NAME).exists():
            _write_marker(destination / MAKING, identity)
        # The backup folder is an archive: nobody imports into it or backs up into it meanwhile.
        lock = ArchiveLock(destination / LOCK_NAME)
        if not lock.acquire(exclusive=True, wait=False):
            lock = None
            raise ArchiveError(
                _("Another backup or import is using {path}; try again when it ends.").format(
                    path=destination
                )
            )
        _remove_leftovers(destination)
        report = _backup(source, destination, created, made_folder, progress, cancel)
        report.identity = identity
        return report
    except (OSError, sqlite3.Error) as error:
        if created:
            _remove_new_backup(destination, made_folder)
        reason = getattr(error, "strerror", None) or str(error)
        raise ArchiveError(
            _("The backup to {path} failed: {reason}.").format(path=destination, reason=reason)
        ) from error
    finally:
        if lock is not None:
            lock.release()


def _write_marker(path: Path, identity: str) -> None:
    temp = path.with_name(path.name + ".new")
    temp.write_text(identity, encoding="utf-8")
    os.replace(temp, path)


def _remove_leftovers(destination: Path) -> None:
    """What a killed backup into `destination` left: its database copy and half-copied originals."""
    for partial in destination.glob(f"{_PARTIAL_DATABASE}*"):
        partial.unlink(missing_ok=True)
    for temp in destination.glob(f"{ORIGINALS}/??/.incoming-*"):
        OriginalsStore.discard(temp)


def _backup(
    source: Path,
    destination: Path,
    created: bool,
    made_folder: bool,
    progress: Progress | None,
    cancel: Cancel | None,
) -> BackupReport:
    report = BackupReport(str(destination))
    handle, partial_name = tempfile.mkstemp(prefix=_PARTIAL_DATABASE, suffix=".sqlite3", dir=destination)
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
                _remove_new_backup(destination, made_folder)
            return report
        report.integrity = _integrity(partial)
        os.chmod(partial, stat.S_IMODE((source / DB_NAME).stat().st_mode))
        flush_to_disk([*copied, partial])
        for suffix in ("-wal", "-shm", "-journal"):  # left by opening an earlier backup; stale now
            (destination / (DB_NAME + suffix)).unlink(missing_ok=True)
        os.replace(partial, destination / DB_NAME)
        fsync_folder(destination)
        (destination / MAKING).unlink(missing_ok=True)  # the database now carries the identity
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
    size = 0
    try:
        with os.fdopen(handle, "wb") as out, open(origin, "rb") as inp:
            while block := inp.read(_BLOCK):
                digest.update(block)
                out.write(block)
                size += len(block)
        if digest.hexdigest() != sha:  # never a damaged copy in a backup: the rest is copied, this named
            os.unlink(temp_name)
            report.damaged.append(sha)
            return
        os.chmod(temp_name, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(temp_name, target)
        report.bytes_copied += size
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    copied.append(target)
    report.originals_copied += 1


def _remove_new_backup(destination: Path, remove_folder: bool) -> None:
    """Undo a cancelled or failed first backup: the folder was empty or absent before (originals are
    read-only files)."""
    for folder, _subfolders, names in os.walk(destination, topdown=False):
        for name in names:
            with contextlib.suppress(OSError):
                os.unlink(Path(folder) / name)
        if remove_folder or Path(folder) != destination:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
