"""export, import-bag and backup; and the repair half of `verify --repair`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from qirtas.archive.archive import DB_NAME, ORIGINALS, Archive, DocumentFilter
from qirtas.archive.backup import backup
from qirtas.archive.bags.restore import BagRejected, import_bag
from qirtas.archive.export import FORMATS, export
from qirtas.archive.verify import repair, verify
from qirtas.cli.main import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError, UsageError, archive_path, emit
from qirtas.cli.output import STANDARD_OUTPUT, output_path
from qirtas.i18n import _, ngettext


def register(subparsers, common) -> None:
    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(name, parents=[common], help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    exp = add("export", run_export, "export documents as CSV, JSON Lines or a BagIt bag")
    exp.add_argument("--format", required=True, choices=FORMATS)
    exp.add_argument(
        "destination",
        metavar="DEST",
        help="a file (csv, jsonl; - for standard output) or a new folder (bagit)",
    )
    exp.add_argument("--query", help="export only the documents this search finds")
    exp.add_argument("--ids", help="export only these documents: 1,2,7-9")
    exp.add_argument("--lang", help="export only documents in this language")

    bag = add("import-bag", run_import_bag, "restore a bag made by export --format bagit")
    bag.add_argument("bag", metavar="BAG")

    bak = add("backup", run_backup, "copy the archive (database and originals) while it may be in use")
    bak.add_argument("destination", metavar="DEST", help="a new or empty folder, or an earlier backup")


def _open(args, create: bool = False) -> Archive:
    return Archive.open(archive_path(args), create=create)


MAX_IDS = 1_000_000  # in one --ids list: `1-99999999999` would otherwise build 10^11 numbers in memory


def parse_ids(text: str) -> list[int]:
    """`1,2,7-9` → [1, 2, 7, 8, 9]; ValueError (naming the part) for anything else or too many ids."""
    ids: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        first, _dash, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(part)
        start, end = int(first), int(last or first)
        if end - start + len(ids) >= MAX_IDS:
            raise ValueError(f"{part}: more than {MAX_IDS:,} ids")
        ids.extend(range(start, end + 1))
    return ids


def run_export(args) -> int:
    try:
        wanted = parse_ids(args.ids) if args.ids else None
    except ValueError as error:
        print(f"qirtas export: --ids takes numbers and ranges like 1,2,7-9 (not {error})", file=sys.stderr)
        return EXIT_USAGE
    to_standard_output = args.destination == STANDARD_OUTPUT
    if to_standard_output and args.format == "bagit":
        raise UsageError(_("A bag is a folder and cannot go to standard output; name a new folder."))
    with _open(args) as archive:
        ids = archive.document_ids(DocumentFilter(language=args.lang, ids=wanted))
        if args.query:
            found = set(archive.search(args.query, limit=1).ids)
            ids = [i for i in ids if i in found]
        with output_path(args.destination, f".{args.format}") as destination:
            report = export(archive, args.format, destination, ids)
    where = _("standard output") if to_standard_output else report.destination
    emit(
        args,
        report.to_json(),
        "\n".join(
            [
                ngettext(
                    "exported {count} document as {format} to {path}",
                    "exported {count} documents as {format} to {path}",
                    report.documents,
                ).format(count=report.documents, format=report.format, path=where)
            ]
            + [f"  left out, document {item['id']}: {item['detail']}" for item in report.damaged]
        ),
    )
    return EXIT_PROBLEMS if report.damaged else EXIT_OK


def run_import_bag(args) -> int:
    path = archive_path(args).expanduser()
    folder_existed, archive_existed = path.exists(), (path / DB_NAME).exists()
    try:
        with _open(args, create=True) as archive:
            report = import_bag(archive, args.bag)
    except BagRejected:
        if not archive_existed:  # a refused bag leaves no empty archive behind
            _remove_new_archive(path, remove_folder=not folder_existed)
        raise
    emit(
        args,
        report.to_json(),
        f"imported {len(report.imported)}, duplicates {len(report.duplicates)}, "
        f"tags created {report.tags_created}, links {report.links}",
    )
    return EXIT_OK


def _remove_new_archive(path: Path, remove_folder: bool) -> None:
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
        (path / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # only when empty: nothing of anyone's is removed
        (path / ORIGINALS).rmdir()
        if remove_folder:
            path.rmdir()


def run_backup(args) -> int:
    if args.destination == STANDARD_OUTPUT:
        raise UsageError(_("A backup is a folder and cannot go to standard output; name a folder."))
    report = backup(archive_path(args), args.destination)
    lines = [
        ngettext(
            "backed up {count} document to {path}", "backed up {count} documents to {path}", report.documents
        ).format(count=report.documents, path=report.destination)
        + ": "
        + ngettext(
            "{count} original copied, {present} already there",
            "{count} originals copied, {present} already there",
            report.originals_copied,
        ).format(count=report.originals_copied, present=report.originals_present)
    ]
    lines += [f"  missing from the archive: {sha}" for sha in report.missing]
    lines += [f"  damaged in the archive, not copied: {sha}" for sha in report.damaged]
    if report.missing or report.damaged:
        lines.append("  heal them with: qirtas verify --repair --from FOLDER (a backup, a bag or any copy)")
    emit(args, report.to_json(), "\n".join(lines))
    return EXIT_PROBLEMS if report.missing or report.damaged else EXIT_OK


def run_verify_repair(args) -> int:
    """`verify --repair [--from PATH…]`: check, repair what can be repaired, and report what is left."""
    sources = [Path(source).expanduser() for source in getattr(args, "sources", [])]
    for source in sources:
        if not source.exists():
            raise CommandError(
                _("There is no file or folder {path} to take originals from.").format(path=source)
            )
    with _open(args) as archive:
        found = verify(archive)
        if found.cancelled:
            raise CommandError("The check was cancelled; nothing was repaired.")
        repaired = repair(archive, found, sources=sources)
    payload = {
        **found.to_json(),
        "problems": [p.to_json() for p in repaired.remaining],
        "found": [p.to_json() for p in found.problems],
        "repaired": repaired.to_json(),
    }
    lines = [
        f"checked {found.checked}, ok {found.ok}, problems found {len(found.problems)}, "
        f"left after repair {len(repaired.remaining)}",
        f"  search index rebuilt; {len(repaired.orphans_set_aside)} orphan original(s) set aside in orphans/; "
        f"{len(repaired.originals_restored)} original(s) put back; "
        f"{len(repaired.temp_files_removed)} temporary file(s) removed",
    ]
    if sources:
        lines.append(
            f"  {len(repaired.originals_healed)} missing or damaged original(s) put back from copies"
        )
    lines += [f"  {p.kind}: {p.id or ''} {p.sha256 or ''} {p.detail}" for p in repaired.remaining]
    emit(args, payload, "\n".join(lines))
    return EXIT_PROBLEMS if repaired.remaining else EXIT_OK
