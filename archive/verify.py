"""Fixity and consistency checks of an archive: originals re-hashed, database and index checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from archive import search
from archive.archive import Archive
from archive.models import Document
from archive.store import sha256_file


@dataclass
class Problem:
    kind: str  # corrupted-original, missing-original, orphan-original, database, index
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

    def to_json(self) -> dict:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "problems": [p.to_json() for p in self.problems],
            "cancelled": self.cancelled,
        }


def verify(
    archive: Archive,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> VerifyReport:
    """Re-hash every original, run SQLite's integrity check, and compare originals, documents and index."""
    report = VerifyReport()
    integrity = [row[0] for row in archive.db.execute_sql("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        report.problems.append(Problem("database", "; ".join(integrity)[:500]))
    documents = list(Document.select(Document.id, Document.sha256).tuples())
    stored = archive.originals.all_hashes()
    for index, (document_id, sha) in enumerate(documents):
        if cancel and cancel():
            report.cancelled = True
            break
        report.checked += 1
        path = archive.originals.path_for(sha)
        if sha not in stored:
            report.problems.append(
                Problem("missing-original", "The original file is missing.", document_id, sha)
            )
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
    return report
