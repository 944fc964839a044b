"""link, unlink, link-candidates, review (pairs, statuses, comments, merge/split, CSV) and reviews."""

from __future__ import annotations

import argparse
import os

from qirtas.archive import bilingual
from qirtas.archive.archive import Archive, DocumentFilter
from qirtas.archive.models import REVIEW_STATUSES, ReviewPair
from qirtas.archive.review_report import write_csv
from qirtas.archive.translation_candidates import candidates
from qirtas.archive.translation_memory import ImportReport, export_tmx, export_xliff, import_review
from qirtas.cli.export_commands import parse_ids
from qirtas.cli.main import (
    EXIT_OK,
    EXIT_PROBLEMS,
    CommandError,
    UsageError,
    archive_path,
    count,
    document_id,
    emit,
    position,
)
from qirtas.cli.output import STANDARD_OUTPUT, escape_field, escape_text, output_path
from qirtas.i18n import _

STATUS_WORDS = {"approved": "approved", "needs_revision": "needs revision", "unreviewed": "unreviewed"}


def register(subparsers, common) -> None:
    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(name, parents=[common], help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    lnk = add("link", run_link, "link two documents as translations of each other (and align them)")
    lnk.add_argument("first", type=document_id, metavar="A")
    lnk.add_argument("second", type=document_id, metavar="B")
    lnk.add_argument("--force", action="store_true", help="link them even if both are in the same language")

    unl = add("unlink", run_unlink, "remove a translation link (its aligned pairs and their review go too)")
    unl.add_argument("first", type=document_id, metavar="A")
    unl.add_argument("second", type=document_id, metavar="B")

    cand = add("link-candidates", run_candidates, "suggest documents that may be this one's translation")
    cand.add_argument("id", type=document_id)
    cand.add_argument("--limit", type=count, default=10)

    rev = add("review", run_review, "the aligned pairs of a document and its translation, with their review")
    rev.add_argument("id", type=document_id)
    rev.add_argument(
        "--with", dest="translation", type=document_id, metavar="ID", help="which translation (if several)"
    )
    rev.add_argument(
        "--pair", type=position, metavar="N", help="the pair (1-based) to set --status/--comment on"
    )
    rev.add_argument("--status", choices=REVIEW_STATUSES)
    rev.add_argument("--comment", help='a comment on the pair ("" clears it)')
    rev.add_argument("--merge", type=position, metavar="N", help="merge pair N with the pair after it")
    rev.add_argument("--split", type=position, metavar="N", help="split pair N after its first paragraph(s)")
    rev.add_argument(
        "--at",
        type=count,
        nargs=2,
        metavar=("EN", "AR"),
        help="with --split: paragraphs kept in the first part",
    )
    rev.add_argument(
        "--realign", action="store_true", help="align again (reviewed, unchanged pairs are kept)"
    )
    rev.add_argument(
        "--csv", metavar="OUT", help="write the review report as CSV (UTF-8 with BOM; - for standard output)"
    )
    rev.add_argument(
        "--pdf",
        metavar="OUT",
        help="write the review report as PDF (laid out by Qt, offscreen; - for standard output)",
    )
    rev.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        help="set statuses and comments from a TMX or XLIFF 2.0 file (pairs matched by their texts)",
    )
    add_memory_options(rev)

    revs = add("reviews", run_reviews, "documents with translations and their review state")
    revs.add_argument("--state", choices=bilingual.REVIEW_STATES, help="only documents in this state")
    revs.add_argument(
        "--ids", metavar="1,2,7-9", help="only these documents (with --tmx/--xliff: a selection)"
    )
    add_memory_options(revs)


def add_memory_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tmx", metavar="OUT", help="write the approved pairs as TMX 1.4b (- for standard output)"
    )
    parser.add_argument(
        "--xliff", metavar="OUT", help="write every pair and its review as XLIFF 2.0 (- for standard output)"
    )
    parser.add_argument("--all-pairs", action="store_true", help="with --tmx: every pair, not only approved")
    parser.add_argument(
        "--source", choices=("en", "ar"), default="en", help="with --xliff: the source language (default en)"
    )


def _open(args) -> Archive:
    return Archive.open(archive_path(args), create=False)


def run_link(args) -> int:
    with _open(args) as archive:
        try:
            created = bilingual.link(archive, args.first, args.second, allow_same_language=args.force)
        except bilingual.SameLanguage as error:
            raise CommandError(
                f"Documents {args.first} and {args.second} are both in the same language ({error.language}), "
                "so neither looks like the other's translation; add --force to link them anyway."
            ) from None
        review = bilingual.Review.open(archive, args.first, args.second)
        pairs = review.pairs()
        payload = {
            "linked": [args.first, args.second],
            "created": created,
            "en": review.en_id,
            "ar": review.ar_id,
            "pairs": len(pairs),
            "translations": archive.translations(args.first),
        }
    state = "linked" if created else "already linked"
    emit(args, payload, f"{args.first} and {args.second} {state}: {len(pairs)} aligned pairs")
    return EXIT_OK


def run_unlink(args) -> int:
    with _open(args) as archive:
        discarded = bilingual.unlink(archive, args.first, args.second)
    payload = {"unlinked": [args.first, args.second], "discarded_reviews": discarded}
    emit(args, payload, f"{args.first} and {args.second} unlinked ({discarded} reviewed pairs discarded)")
    return EXIT_OK


def run_candidates(args) -> int:
    with _open(args) as archive:
        found = candidates(archive, args.id, limit=args.limit)
    payload = {"id": args.id, "candidates": [c.to_json() for c in found]}
    lines = [
        f"{c.id:>6}  {c.score:5.1f}  {escape_field(c.language):5}  {escape_field(c.title)}" for c in found
    ]
    emit(args, payload, "\n".join(lines) or "no likely translation found")
    return EXIT_OK


def pair_json(pair: ReviewPair) -> dict:
    return {
        "index": pair.position + 1,
        "en": pair.en_text,
        "ar": pair.ar_text,
        "status": pair.status,
        "comment": pair.comment,
        "kind": f"{pair.en_count}-{pair.ar_count}",
        "en_paragraphs": [pair.en_first + 1, pair.en_count],
        "ar_paragraphs": [pair.ar_first + 1, pair.ar_count],
        "manual": pair.manual,
        "reviewed_at": pair.reviewed_at.isoformat() if pair.reviewed_at else None,
    }


def run_review(args) -> int:
    changes = sum(x is not None for x in (args.merge, args.split)) + bool(args.realign)
    if changes > 1:
        raise CommandError("Use one of --merge, --split and --realign at a time.")
    if (args.status is not None or args.comment is not None) and args.pair is None:
        raise CommandError("Name the pair to review with --pair N.")
    if args.at and args.split is None:
        raise CommandError("--at goes with --split.")
    refuse_two_standard_outputs(args)
    with _open(args) as archive:
        review = bilingual.Review.open(archive, args.id, args.translation)
        if args.merge is not None:
            review.merge(args.merge - 1)
        elif args.split is not None:
            en_at, ar_at = args.at or (None, None)
            review.split(args.split - 1, en_at, ar_at)
        elif args.realign:
            review.realign()
        if args.pair is not None:
            review.set_review(args.pair - 1, status=args.status, comment=args.comment)
        imported = import_review(review, args.import_file) if args.import_file else None
        exported = export_memory(args, [review])
        report = None
        if args.csv:
            with output_path(args.csv, ".csv") as path:
                write_csv(review, path)
            report = {"format": "csv", "path": args.csv}
        if args.pdf:
            with output_path(args.pdf, ".pdf") as path:
                write_pdf_report(review, path)
            report = {"format": "pdf", "path": args.pdf}
        pairs = review.pairs()
        progress = bilingual.progress_of(pairs)
        en_title, ar_title = review.titles()
    payload = {
        "en": {"id": review.en_id, "title": en_title},
        "ar": {"id": review.ar_id, "title": ar_title},
        "pairs": [pair_json(p) for p in pairs],
        "progress": progress.to_json(),
    }
    if report is not None:
        payload["report"] = report
    payload.update(exported)
    lines = [
        f"{escape_field(en_title)}  ⇄  {escape_field(ar_title)}",
        f"{progress.reviewed} of {progress.total} pairs reviewed",
    ]
    for pair in pairs:
        lines.append(f"\n[{pair.position + 1}] {STATUS_WORDS[pair.status]}  {escape_field(pair.comment)}")
        lines.append(f"  EN: {escape_text(pair.en_text)}")
        lines.append(f"  AR: {escape_text(pair.ar_text)}")
    lines += memory_lines(exported)
    if imported is not None:
        payload["import"] = imported.to_json()
        lines += import_lines(args.import_file, imported)
    emit(args, payload, "\n".join(lines))
    return EXIT_PROBLEMS if imported is not None and imported.unmatched else EXIT_OK


def refuse_two_standard_outputs(args) -> None:
    """Two files written to "-" would run into each other on standard output."""
    named = [
        f"--{name}" for name in ("csv", "pdf", "tmx", "xliff") if getattr(args, name, None) == STANDARD_OUTPUT
    ]
    if len(named) > 1:
        raise UsageError(
            _("Only one file can go to standard output (-), not those of {options}.").format(
                options=", ".join(named)
            )
        )


def export_memory(args, reviews: list[bilingual.Review]) -> dict:
    """--tmx and --xliff: write the files ("-": standard output); their JSON entries
    ({"tmx": {"path", "units"}, …})."""
    written = {}
    if args.tmx:
        with output_path(args.tmx, ".tmx") as path:
            written["tmx"] = {"path": args.tmx, "units": export_tmx(reviews, path, args.all_pairs)}
    if args.xliff:
        with output_path(args.xliff, ".xlf") as path:
            written["xliff"] = {"path": args.xliff, "units": export_xliff(reviews, path, args.source)}
    return written


def memory_lines(written: dict) -> list[str]:
    return [
        f"{kind.upper()} written to {_where(entry['path'])}: "
        + (f"{entry['units']} pair" if entry["units"] == 1 else f"{entry['units']} pairs")
        for kind, entry in written.items()
    ]


def _where(path: str) -> str:
    return _("standard output") if path == STANDARD_OUTPUT else escape_field(path)


def import_lines(path: str, imported: ImportReport) -> list[str]:
    summary = imported.to_json()
    lines = [
        f"\nImported {escape_field(path)} ({imported.format.upper()}): {summary['units']} units, "
        f"{len(imported.updated)} updated, {imported.unchanged} unchanged, {len(imported.unmatched)} not matched"
    ]
    for segment in imported.unmatched:
        lines.append(f"  not matched: {escape_field(segment.unit)}  EN: {escape_field(segment.en[:80])}")
    return lines


def write_pdf_report(review: bilingual.Review, destination: str) -> None:
    """The PDF review report, laid out by Qt on the offscreen platform (no window, no display needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qirtas.desktop.review_report_pdf import gui_application, write_pdf

    gui_application()
    write_pdf(review, destination)


def run_reviews(args) -> int:
    try:
        selection = set(parse_ids(args.ids)) if args.ids else None
    except ValueError as error:
        raise UsageError(f"--ids takes numbers and ranges like 1,2,7-9 (not {error})") from None
    refuse_two_standard_outputs(args)
    with _open(args) as archive:
        progress = bilingual.review_progress(archive)
        states = {i: bilingual.review_state(p) for i, p in progress.items()}
        if args.state == "none":
            ids = bilingual.documents_in_review_state(archive, "none")
        else:
            ids = sorted(i for i, state in states.items() if args.state in (None, state))
        if selection is not None:
            ids = [i for i in ids if i in selection]
        _total, documents = archive.list_documents(DocumentFilter(ids=ids))
        chosen = None if args.state is None and selection is None else ids
        exported = export_memory(args, bilingual.linked_reviews(archive, chosen))
        rows = [
            {
                "id": d.id,
                "title": d.title,
                "language": d.language,
                "review_state": states.get(d.id, "none"),
                "progress": progress[d.id].to_json() if d.id in progress else None,
                "translations": archive.translations(d.id),
            }
            for d in documents
        ]
    lines = [f"{r['id']:>6}  {r['review_state']:15}  {escape_field(r['title'])}" for r in rows]
    if not rows:
        lines = [_nothing_in_review(args.state, selection is not None)]
    emit(args, {"total": len(rows), "documents": rows, **exported}, "\n".join(lines + memory_lines(exported)))
    return EXIT_OK


def _nothing_in_review(state: str | None, selected: bool) -> str:
    """What `reviews` says when no document is listed: which condition matched none."""
    if state is not None:
        return _("No document is in the review state “{state}”.").format(state=state)
    if selected:
        return _("None of these documents has a linked translation.")
    return _("No document has a linked translation yet; link two with: qirtas link A B")
