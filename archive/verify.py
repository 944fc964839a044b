"""Fixity and consistency checks of an archive: originals re-hashed, database and index checked."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qirtas.archive import search
from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.models import Document, tuples, uses_archive
from qirtas.archive.store import sha256_file, text_digest
from qirtas.i18n import _
from qirtas.importers import STATUS_ENCRYPTED, ExtractionError
from qirtas.importers.workers import DEFAULT_TIMEOUT, reread

from qirtas.jobs import Cancel, Progress

ORPHANS = "orphans"  # <archive>/orphans/: originals no document refers to, set aside by a repair
# A temporary file younger than this may be an import still writing in another process: a repair
# leaves it for a later run rather than break that import.
TEMP_GRACE_SECONDS = 60.0


@dataclass
class Problem:
    kind: str  # corrupted-original, missing-original, orphan-original, database, index, text
    detail: str
    id: int | None = None
    sha256: str | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "sha256": self.sha256, "detail": self.detail}


@dataclass
class VerifyReport:
    checked: int = 0
    ok: int = 0
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False
    temp_files: int = 0  # left by an import that crashed (or is running): not a problem, repair removes

    def to_json(self) -> dict:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "problems": [p.to_json() for p in self.problems],
            "cancelled": self.cancelled,
            "temp_files": self.temp_files,
        }


@uses_archive
def verify(
    archive: Archive,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> VerifyReport:
    """Re-hash every original, run SQLite's integrity check, and compare originals, documents and index."""
    report = VerifyReport()
    integrity = [row[0] for row in archive.db.execute_sql("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        report.problems.append(Problem("database", "; ".join(integrity)[:500]))
    documents = list(tuples(Document.select(Document.id, Document.sha256)))
    stored = archive.originals.all_hashes()
    for index, (document_id, sha) in enumerate(documents):
        if cancel and cancel():
            report.cancelled = True
            break
        report.checked += 1
        path = archive.originals.path_for(sha)
        if sha not in stored:
            detail = "The original file is missing."
            if (archive.path / ORPHANS / sha).is_file():
                detail += " A copy is in orphans/: verify --repair puts it back."
            report.problems.append(Problem("missing-original", detail, document_id, sha))
        elif (actual := sha256_file(path)) != sha:
            report.problems.append(
                Problem(
                    "corrupted-original",
                    f"The original changed: its SHA-256 is now {actual}.",
                    document_id,
                    sha,
                )
            )
        else:
            report.ok += 1
        if progress:
            progress(index + 1, len(documents))
    referenced = {sha for _id, sha in documents}
    for sha in sorted(stored - referenced):
        report.problems.append(Problem("orphan-original", "An original no document refers to.", None, sha))
    document_ids = {document_id for document_id, _sha in documents}
    indexed = search.indexed_ids()
    for document_id in sorted(document_ids - indexed):
        report.problems.append(
            Problem("index", "The document is missing from the search index.", document_id)
        )
    for document_id in sorted(indexed - document_ids):
        report.problems.append(Problem("index", "The search index holds a deleted document.", document_id))
    for document_id in _changed_texts():
        report.problems.append(
            Problem(
                "text",
                "The stored title or text no longer matches its digest (changed outside Qirtas, or damaged "
                "on the disk); verify --repair reads it again from the original.",
                document_id,
            )
        )
    for document_id in search.changed_index_rows():
        report.problems.append(
            Problem(
                "index",
                "The search index row no longer matches its digest; verify --repair rebuilds the index.",
                document_id,
            )
        )
    report.temp_files = len(archive.originals.leftover_temp_files())
    return report


def _changed_texts() -> list[int]:
    """Ids of the documents whose title and text no longer match the digest written with them."""
    rows = Document.select(Document.id, Document.title, Document.text, Document.text_sha256).tuples()
    return [
        document_id
        for document_id, title, text, digest in rows.iterator()
        if digest is not None and text_digest(title, text) != digest
    ]


@dataclass
class RepairReport:
    index_rebuilt: bool = False
    orphans_set_aside: list[str] = field(default_factory=list)  # SHA-256 of each, now in orphans/
    originals_restored: list[str] = field(default_factory=list)  # taken back from orphans/
    # Missing or damaged originals put back from a copy found in the folders given: {"sha256", "from"}
    originals_healed: list[dict] = field(default_factory=list)
    temp_files_removed: list[str] = field(default_factory=list)
    left_for_later: list[str] = field(default_factory=list)  # temp files young enough to be in use
    texts_rederived: list[int] = field(
        default_factory=list
    )  # ids whose text was read again from the original
    remaining: list[Problem] = field(default_factory=list)  # what a repair cannot fix

    def to_json(self) -> dict:
        return {
            "index_rebuilt": self.index_rebuilt,
            "orphans_set_aside": self.orphans_set_aside,
            "originals_restored": self.originals_restored,
            "originals_healed": self.originals_healed,
            "temp_files_removed": self.temp_files_removed,
            "left_for_later": self.left_for_later,
            "texts_rederived": self.texts_rederived,
        }


@uses_archive
def repair(
    archive: Archive,
    found: VerifyReport,
    temp_grace_seconds: float = TEMP_GRACE_SECONDS,
    progress: Progress | None = None,
    sources: Sequence[str | os.PathLike[str]] = (),
) -> RepairReport:
    """Fix what `verify` found that can be fixed without losing anything.

    With `sources` (a backup, a bag, any folders or files), missing and damaged originals are put back
    from the files there whose SHA-256 a document needs.

    Rebuilds the search index; moves originals no document refers to into `<archive>/orphans/` (and
    takes an original back from there when a document needs it); removes the temporary files of a
    crashed import. An original that a document refers to is never moved or deleted, and corrupted or
    missing originals and database damage are reported, not "fixed".

    A repair holds the store alone (`OriginalsStore.exclusive`): while an import runs (in any process)
    it is refused, since that import's temp files and the originals it placed but has not committed yet
    would look like leftovers and orphans; an import that starts meanwhile waits for the repair to end.
    Orphans are judged while holding the database's write lock too, so no document is committed
    meanwhile by a writer that does not take the store lock (one file added by the window, a bag).
    """
    archive.refuse_writes()
    with archive.originals.exclusive() as alone:
        if not alone:
            raise ArchiveError(_("An import is running in this archive; try again when it ends."))
        return _repair(archive, found, temp_grace_seconds, progress, sources)


def _repair(
    archive: Archive,
    found: VerifyReport,
    temp_grace_seconds: float,
    progress: Progress | None,
    sources: Sequence[str | os.PathLike[str]],
) -> RepairReport:
    result = RepairReport()
    steps = 3
    orphan_folder = archive.path / ORPHANS
    now = time.time()

    def recent(path: Path) -> bool:
        with contextlib.suppress(OSError):
            return now - path.stat().st_mtime < temp_grace_seconds
        return False

    _rederive_texts(archive, found, result)
    # The write lock keeps another process from committing a document while its original is judged.
    with archive.db.atomic("IMMEDIATE"):
        referenced = {sha for (sha,) in tuples(Document.select(Document.sha256))}
        for sha in sorted(archive.originals.all_hashes() - referenced):
            orphan_folder.mkdir(exist_ok=True)
            os.replace(archive.originals.path_for(sha), orphan_folder / sha)
            result.orphans_set_aside.append(sha)
        for sha in sorted(referenced - archive.originals.all_hashes()):
            kept = orphan_folder / sha
            if kept.is_file() and sha256_file(kept) == sha:
                target = archive.originals.path_for(sha)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(kept, target)
                result.originals_restored.append(sha)
        if progress:
            progress(1, steps)
        for temp in archive.originals.leftover_temp_files():
            if recent(temp):
                result.left_for_later.append(temp.name)
                continue
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            result.temp_files_removed.append(temp.name)
        if progress:
            progress(2, steps)
        search.rebuild_index(archive.db)
        result.index_rebuilt = True
        archive.audit("repaired", None, **result.to_json())
    if sources:
        result.originals_healed = heal_originals(archive, found, sources)
        if result.originals_healed:
            archive.audit("originals-healed", None, originals=result.originals_healed)
    if progress:
        progress(3, steps)
    fixed = set(result.orphans_set_aside) | set(result.originals_restored)
    healed = {item["sha256"] for item in result.originals_healed}
    for problem in found.problems:
        if (
            problem.kind == "index"
            or (problem.kind == "text" and problem.id in result.texts_rederived)
            or (problem.kind in ("orphan-original", "missing-original") and problem.sha256 in fixed)
            or (problem.kind in ("missing-original", "corrupted-original") and problem.sha256 in healed)
        ):
            continue
        result.remaining.append(problem)
    return result


def _rederive_texts(archive: Archive, found: VerifyReport, result: RepairReport) -> None:
    """Read again from its original (in an isolated worker, as at import) each document whose stored text
    no longer matches its digest. An encrypted PDF's text needs its password (`qirtas unlock`): left."""
    damaged = {p.sha256 for p in found.problems if p.kind in ("missing-original", "corrupted-original")}
    for problem in found.problems:
        if problem.kind != "text" or problem.id is None:
            continue
        document = archive.get(problem.id)
        if document.sha256 in damaged:
            continue  # an original that cannot be trusted cannot give the text back
        extracted = reread(archive.original_path(document), timeout=DEFAULT_TIMEOUT)
        if isinstance(extracted, ExtractionError) or extracted.status == STATUS_ENCRYPTED:
            continue
        archive.replace_extraction(problem.id, extracted, reason="its stored text did not match its digest")
        result.texts_rederived.append(problem.id)


@uses_archive
def heal_originals(
    archive: Archive, found: VerifyReport, sources: Sequence[str | os.PathLike[str]]
) -> list[dict]:
    """Put back each missing or damaged original from the first file in `sources` (walked; only regular
    files of a size some needed original has are hashed) that has its SHA-256."""
    damaged = {p.sha256 for p in found.problems if p.kind == "corrupted-original" and p.sha256}
    stored = archive.originals.all_hashes()
    needed = {
        sha: size
        for sha, size in tuples(Document.select(Document.sha256, Document.size))
        if sha not in stored or sha in damaged
    }
    sizes = Counter(needed.values())
    healed: list[dict] = []
    for path in _files(sources):
        if not needed:
            break
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or not sizes[info.st_size]:
                continue
            sha = sha256_file(path)
            if sha in needed and archive.originals.restore_from(sha, path):
                healed.append({"sha256": sha, "from": str(path)})
                sizes[needed.pop(sha)] -= 1
        except OSError:  # unreadable: another copy may do
            continue
    return healed


def _files(sources: Sequence[str | os.PathLike[str]]) -> Iterator[str]:
    for source in sources:
        if os.path.isfile(source):
            yield os.fspath(source)
            continue
        for folder, folders, names in os.walk(source):
            folders.sort()
            for name in sorted(names):
                yield os.path.join(folder, name)
