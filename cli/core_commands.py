"""demo, import, list, show, search, tag, verify and gui."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from qirtas.archive.archive import Archive, DocumentFilter
from qirtas.archive.demo import build_demo, lost_sentence, what_a_rebuild_loses
from qirtas.archive.importing import DEFAULT_BATCH, ImportOptions, fork_when_alone, import_paths
from qirtas.archive.importing.report import ImportReport
from qirtas.archive.models import FACETS, Tag
from qirtas.archive.query import parse as parse_query
from qirtas.archive.regions import code_for_name, ensure_region
from qirtas.archive.verify import verify
from qirtas.archive.vocabulary import closest_names
from qirtas.cli.main import (
    EXIT_OK,
    EXIT_PROBLEMS,
    CommandError,
    UsageError,
    archive_path,
    count,
    default_demo_archive,
    document_id,
    emit,
)
from qirtas.cli.output import escape_field, escape_text
from qirtas.i18n import N_, _, ngettext
from qirtas.i18n.script import in_arabic_script, shows_nothing
from qirtas.importers import STATUS_ENCRYPTED, STATUS_NEEDS_OCR
from qirtas.importers.notices import codes, english_texts, warning_text


def register(subparsers, common) -> None:
    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(name, parents=[common], help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    gui = add("gui", run_gui, "open the desktop application")
    gui.add_argument("--lang", choices=["en", "ar"], help="user interface language")

    demo = add("demo", run_demo, "build (or rebuild) the demo archive from seeds/")
    demo.add_argument("--if-absent", action="store_true", help="keep an existing demo archive")
    demo.add_argument(
        "--force", action="store_true", help="rebuild even when the demo holds documents or tags of your own"
    )
    demo.add_argument(
        "--check-clean",
        action="store_true",
        help="only say whether the demo holds anything that did not come from the seeds (exit 1 if so)",
    )

    imp = add("import", run_import, "import files or folders (recursively)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--password", help="password for encrypted PDFs")
    imp.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds allowed per PDF, and per page of it; a PDF may take 1%% more for each page (default 120)",
    )
    imp.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH,
        help=f"files per transaction at most (default {DEFAULT_BATCH}; a batch also ends at 32 MB)",
    )
    imp.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow links that lead out of an imported folder (else they are reported and skipped)",
    )

    lst = add("list", run_list, "list documents, optionally filtered")
    for facet in FACETS:
        lst.add_argument(f"--{facet}", action="append", default=[], metavar="NAME", help=f"{facet} tag")
    lst.add_argument("--lang", help="language code (en, ar, mixed …)")
    lst.add_argument("--status", help="document status (ok, needs_ocr, ocr, encrypted)")
    lst.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    lst.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    lst.add_argument("--limit", type=count)
    lst.add_argument("--offset", type=count, default=0)

    show = add("show", run_show, "show one document")
    show.add_argument("id", type=document_id)

    search = add("search", run_search, "full-text search")
    search.add_argument("query", nargs="*", help='words, "phrases", prefix*, -exclusions, facet:value')
    search.add_argument("--limit", type=count, default=50)
    search.add_argument("--offset", type=count, default=0)

    tag = add("tag", run_tag, "add (or with --remove, take off) event, region and theme tags")
    tag.add_argument("ids", nargs="+", type=document_id, metavar="ID")
    for facet in FACETS:
        tag.add_argument(f"--{facet}", action="append", default=[], metavar="NAME")
    tag.add_argument("--remove", action="store_true", help="remove the named tags instead")
    tag.add_argument(
        "--create",
        action="store_true",
        help="make a new tag of a name no tag has yet (else the closest names are offered); "
        "country and region names CLDR knows need no --create",
    )

    ver = add("verify", run_verify, "re-hash every original and check the database and index")
    ver.add_argument(
        "--repair",
        action="store_true",
        help="rebuild the search index, set orphan originals aside in orphans/, remove crashed-import temp files",
    )
    ver.add_argument(
        "--from",
        dest="sources",
        nargs="+",
        action="extend",
        default=[],
        metavar="PATH",
        help="with --repair: put back missing or damaged originals from copies found here "
        "(a backup, a bag, any folder), recognised by their SHA-256",
    )


def _open(args, create: bool = False) -> Archive:
    return Archive.open(archive_path(args), create=create)


def run_gui(args) -> int:
    from qirtas.desktop.app import run

    path = getattr(args, "archive", None)
    return run(archive=path, language=args.lang)


def run_demo(args) -> int:
    path = getattr(args, "archive", None) or default_demo_archive()
    if args.check_clean:  # `make clean` asks first, and deletes the demo folder only on exit status 0
        lost = what_a_rebuild_loses(path)
        if lost:
            print(f"qirtas: {lost_sentence(path, lost)}", file=sys.stderr)
        emit(args, {"archive": str(path), "clean": not lost, "lost": lost}, "" if lost else f"Clean: {path}")
        return EXIT_PROBLEMS if lost else EXIT_OK
    # Without --force a rebuild that would delete documents, tags or links of the user's is refused
    # (DemoHoldsWork, exit status 1) and the demo is left as it was.
    archive, report = build_demo(path, if_absent=args.if_absent, force=args.force)
    with archive:
        count = archive.count()
    emit(
        args,
        {"archive": str(archive.path), "documents": count, "built": report is not None},
        f"Demo archive with {count} documents: {archive.path}",
    )
    return EXIT_OK


def run_import(args) -> int:
    options = ImportOptions(
        password=args.password,
        timeout=args.timeout,
        batch_size=max(1, args.batch_size),
        follow_symlinks=args.follow_symlinks,
        start_method=fork_when_alone(),
    )
    with _open(args, create=True) as archive:
        report = import_paths(archive, args.paths, options=options)
    emit(args, report.to_json(), "\n".join(import_lines(report)))
    return EXIT_PROBLEMS if report.failed else EXIT_OK


def import_lines(report: ImportReport) -> list[str]:
    """The plain report: the counts, then each file's outcome, its status when it has no text, its
    warnings, and of a duplicate the document it repeats."""
    lines = [
        f"imported {len(report.imported)}, duplicates {len(report.duplicates)}, failed {len(report.failed)}"
    ]
    for item in report.imported:
        lines.append(
            "  "
            + _("document {id} ({status}): {path}").format(
                id=item.id, status=escape_field(item.status), path=escape_field(item.path)
            )
        )
        if (hint := status_hint(item.id, item.status)) is not None:
            lines.append("      " + hint)
        lines += [
            "      " + _("warning: {text}").format(text=escape_field(warning_text(w))) for w in item.warnings
        ]
    for duplicate in report.duplicates:
        sentence = (
            _("duplicate of document {id}, whose missing or damaged original it put back: {path}")
            if duplicate.restored
            else _("duplicate of document {id}, not imported again: {path}")
        )
        lines.append("  " + sentence.format(id=duplicate.id, path=escape_field(duplicate.path)))
    lines += [f"  failed: {escape_field(item.path)}: {escape_field(item.error)}" for item in report.failed]
    if report.cancelled:
        lines.append(_("The import was cancelled; the files imported before that stay."))
    elif not (report.imported or report.duplicates or report.failed):
        lines.append(_("No files were found to import in the paths given."))
    return lines


def status_hint(document_id: int, status: str) -> str | None:
    """Why a document of this status has no text, and the command that gets it (None when it has)."""
    if status == STATUS_ENCRYPTED:
        return _(
            "This PDF is encrypted, so its text was not read; run qirtas unlock {id} --password PASSWORD "
            "to read it."
        ).format(id=document_id)
    if status == STATUS_NEEDS_OCR:
        return _("This document has no text layer (a scan); run qirtas ocr {id} to read its text.").format(
            id=document_id
        )
    return None


# "There is no region named …": the start per facet, so each translates whole, and the end by what helps.
_NO_TAG = {
    "event": N_("There is no event named “{name}”"),
    "region": N_("There is no region named “{name}”"),
    "theme": N_("There is no theme named “{name}”"),
}


def _no_such_tag(archive: Archive, facet: str, name: str, creatable: bool) -> CommandError:
    """The error for a name no tag has, offering the closest names (in --json: "did_you_mean")."""
    names = closest_names(archive, facet, name)
    if names and creatable:
        end = _("; did you mean {names}? (add --create to make a new one)")
    elif names:
        end = _("; did you mean {names}?")
    else:
        end = _("; add --create to make a new one.") if creatable else "."
    text = _(_NO_TAG[facet]).format(name=escape_field(name.strip())) + end.format(names=_(" or ").join(names))
    return CommandError(text, {"did_you_mean": names, "facet": facet, "name": name})


def _resolve_tags(
    archive: Archive, facet: str, names: list[str], create: bool, new: bool = False
) -> list[Tag]:
    """The tags named. A region CLDR knows is made with its parents when `create`; any other name that no
    tag has is made only when `new` too (--create), else refused with the closest names offered."""
    tags = []
    for name in names:
        tag = archive.find_tag(facet, name)
        if tag is None and facet == "region" and (code := code_for_name(name)):
            tag = ensure_region(archive, code) if create else archive.find_tag(facet, code)
        if tag is None and create and new:
            arabic = in_arabic_script(name)
            tag = archive.ensure_tag(facet, "" if arabic else name.strip(), name.strip() if arabic else "")
        if tag is None:
            raise _no_such_tag(archive, facet, name, creatable=create)
        tags.append(tag)
    return tags


def run_list(args) -> int:
    with _open(args) as archive:
        where = DocumentFilter(
            tags={f: [t.id for t in _resolve_tags(archive, f, getattr(args, f), False)] for f in FACETS},
            language=args.lang,
            status=args.status,
            date_from=args.date_from,
            date_to=args.date_to,
        )
        total, documents = archive.list_documents(where, limit=args.limit, offset=args.offset)
    rows = [
        {"id": d.id, "title": d.title, "language": d.language, "status": d.status, "date": _iso(d.date)}
        for d in documents
    ]
    text = "\n".join(
        f"{r['id']:>6}  {r['date'] or '':10}  {escape_field(r['language']):5}  "
        f"{escape_field(r['status']):9}  {escape_field(r['title'])}"
        for r in rows
    )
    emit(args, {"total": total, "documents": rows}, text or _nothing_listed(args, total))
    return EXIT_OK


def _nothing_listed(args, total: int) -> str:
    filtered = any(getattr(args, facet) for facet in FACETS) or any(
        value is not None for value in (args.lang, args.status, args.date_from, args.date_to)
    )
    if total and args.limit == 0:
        return _("{total} documents match; --limit 0 shows none of them.").format(total=total)
    if total:  # --offset past the end
        return _("No documents past offset {offset}: the list has {total}.").format(
            offset=args.offset, total=total
        )
    if filtered:
        return _("No document matches these filters.")
    return _("The archive has no documents yet; add some with: qirtas import PATH")


def _iso(date) -> str | None:
    return date.isoformat() if date else None


def document_json(archive: Archive, document) -> dict:
    tags = archive.document_tags(document.id)
    return {
        "id": document.id,
        "title": document.title,
        "language": document.language,
        "text": document.text,
        "sha256": document.sha256,
        "status": document.status,
        "date": _iso(document.date),
        "tags": {
            facet: [{"id": t.id, "en": t.name_en, "ar": t.name_ar} for t in tags[facet]] for facet in FACETS
        },
        "warnings": english_texts(document.warnings),
        "warning_codes": codes(document.warnings),
        "source_name": document.source_name,
        "media_type": document.media_type,
        "size": document.size,
        "pages": document.pages,
        "page_starts": document.page_starts,
        "metadata": document.metadata,
        "translations": archive.translations(document.id),
        "imported_at": document.imported_at.isoformat() if document.imported_at else None,
        "original": str(archive.original_path(document)),
    }


def run_show(args) -> int:
    with _open(args) as archive:
        payload = document_json(archive, archive.get(args.id))
    # Added key: why a document shows no text and what to run (None when it has text).
    payload["hint"] = None if (payload["text"] or "").strip() else _no_text_hint(payload)
    tag_line = "; ".join(
        f"{f}: {', '.join(escape_field(t['en'] or t['ar']) for t in payload['tags'][f])}" for f in FACETS
    )
    text = (
        f"{escape_field(payload['title'])}\n{payload['date'] or ''} {escape_field(payload['language'])} "
        f"{escape_field(payload['status'])} sha256:{payload['sha256']}\n{tag_line}\n\n"
        f"{escape_text(payload['text']) if payload['hint'] is None else payload['hint']}"
    )
    emit(args, payload, text)
    return EXIT_OK


def _no_text_hint(payload: dict) -> str:
    return status_hint(payload["id"], payload["status"]) or _(
        "This document has no text: its file held none that could be read (status {status})."
    ).format(status=escape_field(payload["status"]))


def run_search(args) -> int:
    query = " ".join(args.query)
    parsed = parse_query(query)
    if not parsed.blank and not parsed.groups and not parsed.has_filters:  # e.g. date:abc alone
        sentence = " ".join(parsed.notes) or _("Type a word to search for.")
        raise UsageError(sentence, {"total": 0, "results": [], "hint": sentence})
    with _open(args) as archive:
        result = archive.search(query, limit=args.limit, offset=args.offset)
    payload = {
        "total": result.total,
        "results": [
            {
                "id": h.id,
                "title": h.title,
                "language": h.language,
                "snippet": h.snippet,
                "score": round(h.score, 4),
            }
            for h in result.hits
        ],
        "hint": result.hint,
    }
    lines = [f"{result.total} found"]
    lines += [f"{h.id:>6}  {escape_field(h.title)}\n        {escape_field(h.snippet)}" for h in result.hits]
    if result.hint:
        lines.append(escape_field(result.hint))
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def run_tag(args) -> int:
    if not any(getattr(args, facet) for facet in FACETS):
        print("qirtas tag: name at least one --event, --region or --theme", file=sys.stderr)
        return 2
    # The core refuses such names too; here they are a usage error, found before anything is written.
    if any(shows_nothing(name) for facet in FACETS for name in getattr(args, facet)):
        raise UsageError(_("A tag name needs visible letters, not only spaces or invisible marks."))
    changed: list[dict[str, Any]] = []
    with _open(args) as archive:
        for document_id in args.ids:
            archive.get(document_id)
        # Every name is resolved before any document is tagged: an unknown one tags nothing.
        resolved = {
            facet: _resolve_tags(archive, facet, getattr(args, facet), not args.remove, args.create)
            for facet in FACETS
        }
        for facet in FACETS:
            for tag in resolved[facet]:
                if args.remove:
                    count = archive.untag_documents(args.ids, tag)
                else:
                    count = archive.tag_documents(args.ids, tag)
                changed.append(
                    {
                        "tag": {"id": tag.id, "facet": facet, "en": tag.name_en, "ar": tag.name_ar},
                        "documents": count,
                    }
                )
    singular, plural = (
        ("{tag}: removed from {count} document", "{tag}: removed from {count} documents")
        if args.remove
        else ("{tag}: added to {count} document", "{tag}: added to {count} documents")
    )
    text = "\n".join(
        ngettext(singular, plural, c["documents"]).format(
            tag=escape_field(c["tag"]["en"] or c["tag"]["ar"]), count=c["documents"]
        )
        for c in changed
    )
    emit(args, {"changed": changed}, text)
    return EXIT_OK


def run_verify(args) -> int:
    if args.repair or args.sources:  # --from implies --repair
        from qirtas.cli.export_commands import run_verify_repair

        return run_verify_repair(args)
    with _open(args) as archive:
        report = verify(archive)
    lines = [f"checked {report.checked}, ok {report.ok}, problems {len(report.problems)}"]
    lines += [f"  {p.kind}: {p.id or ''} {p.sha256 or ''} {p.detail}" for p in report.problems]
    emit(args, report.to_json(), "\n".join(lines))
    return EXIT_PROBLEMS if report.problems else EXIT_OK
