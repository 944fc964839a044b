"""unlock: read an encrypted PDF's text again, with its password, from the archived original."""

from __future__ import annotations

from qirtas.archive.archive import Archive
from qirtas.archive.unlocking import unlock
from qirtas.cli.main import EXIT_OK, archive_path, document_id, emit
from qirtas.cli.output import escape_field
from qirtas.i18n import ngettext
from qirtas.importers.notices import codes, english_texts
from qirtas.importers.workers import DEFAULT_TIMEOUT


def register(subparsers, common) -> None:
    help_text = "re-read an encrypted PDF with its password (the original is untouched)"
    parser = subparsers.add_parser("unlock", parents=[common], help=help_text, description=help_text)
    parser.add_argument("id", type=document_id, metavar="ID")
    parser.add_argument("--password", required=True, help="the PDF's user (open) password")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds allowed to read it (default 120)"
    )
    parser.set_defaults(handler=run_unlock)


def run_unlock(args) -> int:
    with Archive.open(archive_path(args), create=False) as archive:
        document = unlock(archive, args.id, args.password, timeout=args.timeout)
    payload = {
        "id": document.id,
        "title": document.title,
        "status": document.status,
        "pages": document.pages,
        "language": document.language,
        "warnings": english_texts(document.warnings),
        "warning_codes": codes(document.warnings),
    }
    emit(
        args,
        payload,
        ngettext(
            "Document {id} unlocked: {title} ({pages} page)",
            "Document {id} unlocked: {title} ({pages} pages)",
            document.pages,
        ).format(id=document.id, title=escape_field(document.title), pages=document.pages),
    )
    return EXIT_OK
