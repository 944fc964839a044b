"""unlock: read an encrypted PDF's text again, with its password, from the archived original."""

from __future__ import annotations

from archive.archive import Archive
from cli.main import EXIT_OK, CommandError, archive_path, emit
from i18n.catalog import _
from importers import STATUS_ENCRYPTED, ExtractionError
from importers.workers import DEFAULT_TIMEOUT, reread


def register(subparsers, common) -> None:
    help_text = "re-read an encrypted PDF with its password (the original is untouched)"
    unlock = subparsers.add_parser("unlock", parents=[common], help=help_text, description=help_text)
    unlock.add_argument("id", type=int, metavar="ID")
    unlock.add_argument("--password", required=True, help="the PDF's user (open) password")
    unlock.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds allowed to read it (default 120)"
    )
    unlock.set_defaults(handler=run_unlock)


def run_unlock(args) -> int:
    with Archive.open(archive_path(args), create=False) as archive:
        document = archive.get(args.id)
        if document.status != STATUS_ENCRYPTED:
            raise CommandError(
                _("Document {id} is not locked (its status is {status}).").format(
                    id=args.id, status=document.status
                )
            )
        original = archive.original_path(document)
        extracted = reread(original, password=args.password, timeout=args.timeout)
        if isinstance(extracted, ExtractionError):
            raise CommandError(
                _("Document {id} could not be read again: {reason}").format(id=args.id, reason=extracted)
            )
        if extracted.status == STATUS_ENCRYPTED:
            raise CommandError(
                _("That password does not open document {id}; nothing was changed.").format(id=args.id)
            )
        document = archive.replace_extraction(args.id, extracted, reason="unlocked with a password")
    payload = {
        "id": document.id,
        "title": document.title,
        "status": document.status,
        "pages": document.pages,
        "language": document.language,
        "warnings": document.warnings,
    }
    emit(
        args,
        payload,
        _("Document {id} unlocked: {title} ({pages} pages)").format(
            id=document.id, title=document.title, pages=document.pages
        ),
    )
    return EXIT_OK
