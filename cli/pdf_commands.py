"""unlock: read an encrypted PDF's text again, with its password, from the archived original."""

from __future__ import annotations

from archive.archive import Archive
from cli.main import EXIT_OK, CommandError, archive_path, emit
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
            raise CommandError(f"Document {args.id} is not locked (its status is {document.status}).")
        original = archive.original_path(document)
        extracted = reread(original, password=args.password, timeout=args.timeout)
        if isinstance(extracted, ExtractionError):
            raise CommandError(f"Document {args.id} could not be read again: {extracted}")
        if extracted.status == STATUS_ENCRYPTED:
            raise CommandError(f"That password does not open document {args.id}; nothing was changed.")
        document = archive.replace_extraction(args.id, extracted, reason="unlocked with a password")
    payload = {
        "id": document.id,
        "title": document.title,
        "status": document.status,
        "pages": document.pages,
        "language": document.language,
        "warnings": document.warnings,
    }
    emit(args, payload, f"Document {document.id} unlocked: {document.title} ({document.pages} pages)")
    return EXIT_OK
