"""The one sentence that ends an export, backup, bag import, verify, repair or OCR run: counts and destination."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qirtas.archive.archive import ArchiveError
from qirtas.archive.backup import BackupReport
from qirtas.archive.bags.restore import BagImportReport
from qirtas.archive.export import ExportReport
from qirtas.archive.ocr import OcrReport
from qirtas.archive.verify import RepairReport, VerifyReport
from qirtas.desktop.labels import count_text, isolated, isolated_code
from qirtas.i18n import _, ngettext


def path_text(path: str | Path) -> str:
    """A path that reads left to right inside a sentence of either language (an isolate, so the sentence
    keeps its own direction and the path its order: /home/أرشيف/export stays in that order)."""
    return isolated_code(str(path))


def format_name(format: str) -> str:
    return {"csv": _("CSV"), "jsonl": _("JSON Lines"), "bagit": _("BagIt bag")}.get(format, format)


def export_sentence(report: ExportReport) -> str:
    if report.cancelled:
        return _("The export was cancelled; nothing was written to {path}.").format(
            path=path_text(report.destination)
        )
    return ngettext(
        "Exported {count} document as {format} to {path}.",
        "Exported {count} documents as {format} to {path}.",
        report.documents,
    ).format(
        count=count_text(report.documents),
        format=format_name(report.format),
        path=path_text(report.destination),
    )


def backup_sentence(report: BackupReport) -> str:
    if report.cancelled:
        return _("The backup was cancelled; the archive itself is unchanged.")
    sentence = ngettext(
        "Backed up {count} document to {path}; {copied} originals copied, {present} already there.",
        "Backed up {count} documents to {path}; {copied} originals copied, {present} already there.",
        report.documents,
    ).format(
        count=count_text(report.documents),
        path=path_text(report.destination),
        copied=count_text(report.originals_copied),
        present=count_text(report.originals_present),
    )
    if report.missing:
        sentence += " " + ngettext(
            "{count} original is missing from the archive itself: run Tools › Verify archive.",
            "{count} originals are missing from the archive itself: run Tools › Verify archive.",
            len(report.missing),
        ).format(count=count_text(len(report.missing)))
    return sentence


def bag_sentence(report: BagImportReport) -> str:
    if report.cancelled:
        return _("The bag import was cancelled; documents restored before that stay in the archive.")
    sentence = ngettext(
        "Imported {count} document from the bag {path}.",
        "Imported {count} documents from the bag {path}.",
        len(report.imported),
    ).format(count=count_text(len(report.imported)), path=path_text(report.bag))
    if report.duplicates:
        sentence += " " + ngettext(
            "{count} was already in the archive.",
            "{count} were already in the archive.",
            len(report.duplicates),
        ).format(count=count_text(len(report.duplicates)))
    return sentence


def problem_phrase(kind: str, count: int) -> str:
    """One kind of problem `verify` found, counted, in words."""
    phrases = {
        "corrupted-original": ngettext(
            "{count} original changed since it was imported",
            "{count} originals changed since they were imported",
            count,
        ),
        "missing-original": ngettext("{count} original is missing", "{count} originals are missing", count),
        "orphan-original": ngettext(
            "{count} stored file belongs to no document", "{count} stored files belong to no document", count
        ),
        "index": ngettext(
            "{count} search index entry is out of step", "{count} search index entries are out of step", count
        ),
        "database": ngettext(
            "the database reports {count} integrity problem",
            "the database reports {count} integrity problems",
            count,
        ),
    }
    phrase = phrases.get(kind) or ngettext("{count} other problem", "{count} other problems", count)
    return phrase.format(count=count_text(count))


def problems_phrase(problems: Sequence) -> str:
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.kind] = counts.get(problem.kind, 0) + 1
    return _("; ").join(problem_phrase(kind, count) for kind, count in counts.items())


def verify_sentence(report: VerifyReport) -> str:
    if report.cancelled:
        return ngettext(
            "Verification was cancelled after {count} original; nothing was changed.",
            "Verification was cancelled after {count} originals; nothing was changed.",
            report.checked,
        ).format(count=count_text(report.checked))
    if not report.problems:
        return ngettext(
            "The {count} original is intact, the database is sound and the search index matches.",
            "All {count} originals are intact, the database is sound and the search index matches.",
            report.checked,
        ).format(count=count_text(report.checked))
    return ngettext(
        "Checked {count} original: {problems}.",
        "Checked {count} originals: {problems}.",
        report.checked,
    ).format(count=count_text(report.checked), problems=problems_phrase(report.problems))


def affected_documents(problems: Sequence, archive=None, limit: int = 8) -> str:
    """The documents a problem concerns, by title (the table shows titles, not ids) when `archive` is given."""
    ids = sorted({problem.id for problem in problems if problem.id is not None})
    if not ids:
        return ""
    names = []
    for document_id in ids[:limit]:
        try:
            title = archive.get(document_id).title if archive is not None else ""
        except ArchiveError:  # deleted meanwhile, or an index entry of a deleted document
            title = ""
        title = title if len(title) <= 60 else title[:59].rstrip() + "…"
        names.append(f"“{isolated(title)}”" if title else count_text(document_id))
    shown = _("; ").join(names) + (" …" if len(ids) > limit else "")
    return _("Documents concerned: {ids}.").format(ids=shown)


def repair_sentence(report: RepairReport, archive_path: Path) -> str:
    parts = [_("Search index rebuilt")] if report.index_rebuilt else []
    if report.orphans_set_aside:
        parts.append(
            ngettext(
                "{count} stored file without a document set aside in {path}",
                "{count} stored files without a document set aside in {path}",
                len(report.orphans_set_aside),
            ).format(
                count=count_text(len(report.orphans_set_aside)), path=path_text(archive_path / "orphans")
            )
        )
    if report.originals_restored:
        parts.append(
            ngettext(
                "{count} original put back", "{count} originals put back", len(report.originals_restored)
            ).format(count=count_text(len(report.originals_restored)))
        )
    if report.temp_files_removed:
        parts.append(
            ngettext(
                "{count} leftover temporary file removed",
                "{count} leftover temporary files removed",
                len(report.temp_files_removed),
            ).format(count=count_text(len(report.temp_files_removed)))
        )
    sentence = _("Repair done: {actions}.").format(actions=_("; ").join(parts) or _("nothing to change"))
    if report.remaining:
        sentence += " " + _(
            "Not repairable here: {problems}. Restore those originals from a backup; nothing was deleted."
        ).format(problems=problems_phrase(report.remaining))
    return sentence


def ocr_sentence(report: OcrReport) -> str:
    """One sentence for the end of a run: how many were read, how many were not, whether it was stopped."""
    sentence = ngettext(
        "Read {count} document with OCR.", "Read {count} documents with OCR.", len(report.read)
    ).format(count=count_text(len(report.read)))
    if report.failed:
        sentence += " " + ngettext(
            "{count} could not be read and was left as it was.",
            "{count} could not be read and were left as they were.",
            len(report.failed),
        ).format(count=count_text(len(report.failed)))
    if report.cancelled:
        sentence += " " + _("Cancelled: the documents not read yet are unchanged.")
    return sentence
