"""What an import did with each file: `ImportReport` (imported, duplicates, failed, cancelled)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qirtas.importers.notices import codes, english_texts


@dataclass
class ImportedFile:
    id: int
    path: str
    sha256: str
    language: str
    status: str
    warnings: list[str]


@dataclass
class DuplicateFile:
    path: str
    id: int
    restored: bool = False  # its original was missing or damaged, and this file put it back


@dataclass
class FailedFile:
    path: str
    error: str


@dataclass
class ImportReport:
    imported: list[ImportedFile] = field(default_factory=list)
    duplicates: list[DuplicateFile] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    cancelled: bool = False

    def to_json(self) -> dict:
        return {
            "imported": [
                {
                    **vars(item),
                    "warnings": english_texts(item.warnings),
                    "warning_codes": codes(item.warnings),
                }
                for item in self.imported
            ],
            # "restored" only when true: the keys a plain duplicate has always had stay the same
            "duplicates": [
                {**vars(d)} if d.restored else {"path": d.path, "id": d.id} for d in self.duplicates
            ],
            "failed": [vars(item) for item in self.failed],
            "cancelled": self.cancelled,
        }

    def merge(self, other: ImportReport) -> None:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.cancelled = self.cancelled or other.cancelled
