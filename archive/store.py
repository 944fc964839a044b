"""The content-addressed store of originals: each file byte-for-byte, named by its SHA-256, read-only."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def flush_to_disk(paths: list[Path]) -> None:
    """One durable flush for a batch of written files and their folders."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:  # pragma: no cover - platforms without sync()
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


class OriginalsStore:
    """`<archive>/originals/ab/abcdef…`. Writing is two-phase so a batch needs one flush:
    `stage()` each file (temp file, then rename into place), then `flush_to_disk()` once."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._folders: set[Path] = set()  # fan-out folders known to exist (saves a syscall per file)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def stage(self, sha256: str, data: bytes, durable: bool = False) -> Path:
        """Write the original under its hash (atomically, via a temp file and rename); read-only after.
        With `durable`, fsync the file and its folder now; otherwise the caller flushes the batch."""
        target = self.path_for(sha256)
        if target.exists():
            return target
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        handle, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                if durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.chmod(temp_name, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(temp_name, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        if durable:
            _fsync_dir(target.parent)
        return target

    def stage_many(self, files: list[tuple[str, bytes]], durable: bool = False) -> list[Path]:
        """`stage()` many originals; several at a time, since creating a file mostly waits on the disk."""
        if len(files) < 8:
            return [self.stage(sha, data, durable=durable) for sha, data in files]
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="qirtas-store") as pool:
            return list(pool.map(lambda file: self.stage(*file, durable=durable), files))

    def flush(self, paths: list[Path]) -> None:
        flush_to_disk(paths)

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


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some platforms cannot open folders
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
