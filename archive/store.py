"""The content-addressed store of originals: each file byte-for-byte, named by its SHA-256, read-only."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import random
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_CHUNK = 1 << 20
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_incoming_numbers = itertools.count()  # with the pid, names this process's temp files uniquely
LOCK_NAME = ".qirtas-lock"  # in the archive folder: imports hold it shared, a repair exclusive


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_digest(title: str | None, text: str | None) -> str:
    """The SHA-256 of a document's stored title and text (UTF-8, a NUL between): what `verify` checks
    them against. Kept by the `document` table's triggers on every path that writes them."""
    data = f"{title or ''}\x00{text or ''}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def flush_to_disk(paths: Sequence[str | os.PathLike[str]]) -> None:
    """One durable flush for a batch of written files and their folders."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:  # pragma: no cover - platforms without sync()
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


class OriginalsStore:
    """`<archive>/originals/ab/abcdef…`. Writing is two-phase so a batch needs one flush:
    `stage()` each file (temp file, then rename into place), then `flush_to_disk()` once. An import
    splits `stage()` in two: workers `write_incoming()`, the committing process `place()`s."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._root = str(self.root)
        self._folders: set[str] = set()  # fan-out folders known to exist (saves a syscall per file)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return os.path.exists(f"{self._root}{os.sep}{sha256[:2]}{os.sep}{sha256}")

    def stage(self, sha256: str, data: bytes, durable: bool = False) -> Path:
        """Write the original under its hash (atomically, via a temp file and rename); read-only after.
        With `durable`, fsync the file and its folder now; otherwise the caller flushes the batch."""
        target = self.path_for(sha256)
        if target.exists():
            return target
        return Path(self.place(sha256, self.write_incoming(sha256, data, durable=durable), durable=durable))

    def write_incoming(self, sha256: str, data: bytes, durable: bool = False) -> str:
        """Write an original's bytes to a read-only temp file `.incoming-…` in the folder where it will
        live, and return its path; `place()` then moves it into place. Safe to call from any process:
        an import worker does it, so only a rename is left for the process that commits."""
        folder = f"{self._root}{os.sep}{sha256[:2]}"  # strings: Path objects cost more than the write
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        while True:
            temp = f"{folder}{os.sep}.incoming-{sha256[:16]}-{os.getpid()}-{next(_incoming_numbers)}"
            try:
                handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, _READ_ONLY)
            except FileExistsError:  # left by a crashed process that had the same pid
                continue
            except FileNotFoundError:  # the folder went away since (an archive made again in its place)
                os.makedirs(folder, exist_ok=True)
                continue
            break
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            if hasattr(os, "fchmod"):  # not on Windows before Python 3.13
                os.fchmod(handle, _READ_ONLY)  # whatever the umask
            if durable:
                os.fsync(handle)
        except BaseException:
            os.close(handle)
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        os.close(handle)
        return temp

    def place(self, sha256: str, incoming: str | os.PathLike, durable: bool = False) -> str:
        """Move a file from `write_incoming` to its place and return that; when the original is already
        there (another import won the race), the temp file is removed instead: an original is never
        overwritten. (Plain strings: `Path` objects were a tenth of the cost of a batch's renames.)"""
        folder = f"{self._root}{os.sep}{sha256[:2]}"
        target = f"{folder}{os.sep}{sha256}"
        if os.path.exists(target):
            self.discard(incoming)
        else:
            os.replace(incoming, target)
            if durable:
                fsync_folder(Path(folder))
        return target

    @staticmethod
    def discard(incoming: str | os.PathLike) -> None:
        """Remove a temp file from `write_incoming` that will not be placed (gone already is fine)."""
        try:
            os.unlink(incoming)
        except FileNotFoundError:
            pass
        except PermissionError:  # Windows refuses to delete a read-only file
            os.chmod(incoming, stat.S_IWUSR | stat.S_IRUSR)
            os.unlink(incoming)

    def stage_many(self, files: list[tuple[str, bytes]], durable: bool = False) -> list[Path]:
        """`stage()` many originals; several at a time, since creating a file mostly waits on the disk."""
        if len(files) < 8:
            return [self.stage(sha, data, durable=durable) for sha, data in files]
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="qirtas-store") as pool:
            return list(pool.map(lambda file: self.stage(file[0], file[1], durable=durable), files))

    def flush(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        flush_to_disk(paths)

    def flush_in_background(
        self, paths: Sequence[str | os.PathLike[str]], place: Sequence[tuple[str, str | os.PathLike]] = ()
    ) -> Callable[[], None]:
        """Start in a thread `place()` of each (sha256, temp file) in `place`, then `flush()` of those and
        `paths` (system calls that mostly wait on the disk), and return the function that waits for it to
        end, raising what it raised: the caller prepares its transaction meanwhile and commits only after
        the wait."""
        failure: list[BaseException] = []

        def run() -> None:
            try:
                placed = [self.place(sha256, incoming) for sha256, incoming in place]
                self.flush([*paths, *placed])
            except BaseException as error:  # handed to the waiting caller
                failure.append(error)

        thread = threading.Thread(target=run, name="qirtas-flush", daemon=True)
        thread.start()

        def wait() -> None:
            thread.join()
            if failure:
                raise failure.pop()  # once: a second wait (e.g. in a `finally`) just returns

        return wait

    def restore_from(self, sha256: str, source: str | os.PathLike) -> bool:
        """Put back a missing or damaged original from a copy found elsewhere (a backup, a bag, any
        file), streamed through a temp file; True when `source` held exactly those bytes and now the
        store does. The one other time an original is overwritten: its bytes were not the right ones."""
        folder = self.root / sha256[:2]
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".incoming-{sha256[:16]}-{os.getpid()}-{next(_incoming_numbers)}"
        digest = hashlib.sha256()
        try:
            with open(source, "rb") as inp, open(temp, "xb") as out:
                while chunk := inp.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha256:  # the copy changed since it was hashed
                self.discard(temp)
                return False
            os.chmod(temp, _READ_ONLY)
            target = self.path_for(sha256)
            with contextlib.suppress(FileNotFoundError):
                os.chmod(target, stat.S_IWUSR | stat.S_IRUSR)  # Windows cannot replace a read-only file
            os.replace(temp, target)
        except BaseException:
            self.discard(temp)
            raise
        fsync_folder(folder)
        return True

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def all_hashes(self) -> set[str]:
        """Every stored original's hash (from its file name)."""
        return {
            path.name
            for path in self.root.glob("??/*")
            if path.is_file() and not path.name.startswith(".") and len(path.name) == 64
        }

    def leftover_temp_files(self) -> list[Path]:
        return list(self.root.glob("??/.incoming-*"))

    def remove_temp_files(self) -> list[Path]:
        """Remove every `.incoming-*` file; only safe while holding `exclusive()` (no import is running)."""
        removed = self.leftover_temp_files()
        for temp in removed:
            self.discard(temp)
        return removed

    def lock(self) -> ArchiveLock:
        return ArchiveLock(self.root.parent / LOCK_NAME)

    @contextlib.contextmanager
    def importing(self) -> Iterator[None]:
        """Held by an import while it writes temp files and places originals it has not committed yet:
        shared, so imports run side by side, and a repair (which would take those for leftovers and
        orphans) waits for none to run. An import that finds no other running first removes the temp
        files dead imports left."""
        lock = self.lock()
        if lock.acquire(exclusive=True, wait=False):
            try:
                self.remove_temp_files()
            finally:
                lock.release()
        lock.acquire(exclusive=False, wait=True)
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        """Try to hold the store alone (no import running, none can start); yields whether it is held."""
        lock = self.lock()
        held = lock.acquire(exclusive=True, wait=False)
        try:
            yield held
        finally:
            if held:
                lock.release()


# Lock files held by this process. A forked child (an import's reader) gets copies of their descriptors,
# and an flock lives as long as any copy: an import killed with SIGKILL left its readers holding the
# archive for a moment, and the repair that came next was refused. Children close their copies at once.
_held_locks: set[int] = set()


def _forget_locks_in_child() -> None:
    for handle in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(handle)
    _held_locks.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


class ArchiveLock:
    """An advisory lock file, shared or exclusive; the operating system drops it when a process dies.

    POSIX: `flock`. Windows has only exclusive byte-range locks (`msvcrt.locking`): a shared holder locks
    one byte at a random offset of `_SLOTS`, an exclusive holder all of them, so it waits for every shared
    one and they for it."""

    _SLOTS = 1 << 20

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._handle: int | None = None
        self._range = (0, 0)  # Windows: the offset and length locked

    def acquire(self, exclusive: bool, wait: bool) -> bool:
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT | _BINARY, 0o666)
        try:
            held = self._lock(handle, exclusive, wait)
        except BaseException:
            os.close(handle)
            raise
        if not held:
            os.close(handle)
            return False
        self._handle = handle
        _held_locks.add(handle)
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        _held_locks.discard(handle)
        try:
            if sys.platform == "win32":  # pragma: no cover - Windows
                import msvcrt

                os.lseek(handle, self._range[0], os.SEEK_SET)
                msvcrt.locking(handle, msvcrt.LK_UNLCK, self._range[1])
        finally:
            os.close(handle)  # POSIX: closing drops the flock

    def _lock(self, handle: int, exclusive: bool, wait: bool) -> bool:
        if sys.platform != "win32":
            import fcntl

            flags = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
            try:
                fcntl.flock(handle, flags)
            except BlockingIOError:
                return False
            return True
        import msvcrt  # pragma: no cover - Windows

        while True:  # pragma: no cover - Windows
            self._range = (0, self._SLOTS + 1) if exclusive else (random.randint(1, self._SLOTS), 1)
            os.lseek(handle, self._range[0], os.SEEK_SET)
            try:
                msvcrt.locking(handle, msvcrt.LK_NBLCK, self._range[1])
                return True
            except OSError:
                if not wait:
                    return False
                time.sleep(0.1)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a leftover's owner, by the pid in its name)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows: os.kill(pid, 0) would end the process there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def fsync_folder(path: Path) -> None:
    """Make a folder's new entries (renamed files) durable, where the platform lets a folder be opened."""
    with contextlib.suppress(OSError):  # some platforms cannot open folders
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
