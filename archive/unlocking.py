"""Reading an encrypted PDF again with its password, from the archived original (CLI and GUI alike)."""

from __future__ import annotations

from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.models import Document, uses_archive
from qirtas.i18n import _
from qirtas.importers import STATUS_ENCRYPTED, ExtractionError
from qirtas.importers.workers import DEFAULT_TIMEOUT, reread


@uses_archive
def unlock(archive: Archive, document_id: int, password: str, timeout: float = DEFAULT_TIMEOUT) -> Document:
    """Re-extract a locked document with `password` (in an isolated worker); the original is untouched.
    Raises ArchiveError with a sentence when the document is not locked or the password does not fit."""
    document = archive.get(document_id)
    if document.status != STATUS_ENCRYPTED:
        raise ArchiveError(
            _("Document {id} is not locked (its status is {status}).").format(
                id=document_id, status=document.status
            )
        )
    extracted = reread(archive.original_path(document), password=password, timeout=timeout)
    if isinstance(extracted, ExtractionError):
        raise ArchiveError(
            _("Document {id} could not be read again: {reason}").format(id=document_id, reason=extracted)
        )
    if extracted.status == STATUS_ENCRYPTED:
        raise ArchiveError(
            _("That password does not open document {id}; nothing was changed.").format(id=document_id)
        )
    return archive.replace_extraction(document_id, extracted, reason="unlocked with a password")
