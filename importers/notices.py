"""The warnings importers give, as codes with parameters: stored so, shown in the reader's language.

`warning(code, **params)` is the English sentence (a `Notice`, a `str`) that remembers both; the archive
stores `stored(w)` ({"code", "params", "text"}); `warning_text(entry)` writes a stored entry in the
interface language (or English for the command line), and an old English sentence as it was stored.
"""

from __future__ import annotations

from typing import Any

from qirtas.i18n import N_
from qirtas.i18n.messages import Notice, Template, Wrap, render

WARNINGS: dict[str, Template] = {
    "pdf.damaged": Template(
        N_(
            "Parts of this PDF are damaged and were skipped or guessed, so some text may be missing "
            "(pdfminer: {reasons})."
        )
    ),
    "pdf.no-text-layer.pictures": Template(
        N_(
            "This PDF has no text layer (it looks like a scan or pictures of pages): it is archived, "
            "but its text can be searched only after OCR."
        )
    ),
    "pdf.no-text-layer.blank": Template(
        N_(
            "This PDF has no text layer (its pages are blank, drawn as shapes, or damaged): it is "
            "archived, but its text can be searched only after OCR."
        )
    ),
    "pdf.picture-pages": Template(
        lambda ngettext, n: ngettext(
            "{count} of {total} pages is a picture without a text layer (page {pages}); it needs OCR "
            "before its text can be searched.",
            "{count} of {total} pages are pictures without a text layer (page {pages}); they need OCR "
            "before their text can be searched.",
            n,
        )
    ),
    "pdf.unknown-fonts.most": Template(
        N_(
            "Most of this PDF's characters come from fonts that do not say which letters they draw; "
            "the text is incomplete and needs OCR."
        )
    ),
    "pdf.unknown-fonts.some": Template(
        lambda ngettext, n: ngettext(
            "{count} of {total} characters comes from a font that does not say which letter it draws; "
            "it is missing from the text.",
            "{count} of {total} characters come from fonts that do not say which letters they draw; "
            "they are missing from the text.",
            n,
        )
    ),
    "pdf.encrypted.unsupported": Template(
        N_(
            "This PDF is encrypted with a method that cannot be read here ({method}); the original is "
            "archived, without its text."
        )
    ),
    "pdf.encrypted.wrong-password": Template(
        N_(
            "This PDF is protected by a password and the password given does not open it; the original "
            "is archived without its text. Supply the right one with `qirtas unlock ID --password …`."
        )
    ),
    "pdf.encrypted.password": Template(
        N_(
            "This PDF is protected by a password; the original is archived without its text. Supply the "
            "password with `qirtas unlock ID --password …` (or import with --password)."
        )
    ),
    "pdf.page-list-damaged": Template(N_("The PDF's page list is damaged after page {page}: {reason}")),
    "pdf.page-unreadable": Template(N_("Page {page} could not be read and is left empty: {reason}")),
    "pdf.running-lines": Template(
        lambda ngettext, n: ngettext(
            "{count} repeated header, footer or page-number line was left out of the text.",
            "{count} repeated header, footer or page-number lines were left out of the text.",
            n,
        )
    ),
    "ocr.engine-missing": Template(
        N_("OCR needs the Tesseract engine with its Arabic and English models; install them ({install}).")
    ),
    "ocr.nothing-found": Template(
        lambda ngettext, n: ngettext(
            "OCR found no text on the {pages} page without a text layer.",
            "OCR found no text on the {pages} pages without a text layer.",
            n,
        ),
        count="pages",
    ),
    "ocr.page-failed": Template(N_("Page {page} could not be read by OCR and is left empty: {reason}")),
    "ocr.render-failed": Template(N_("The scanned pages could not be drawn for OCR: {reason}")),
    "ocr.image-unreadable": Template(
        N_("Page {page} of the image could not be decoded and is left empty: {reason}")
    ),
    "text.replacement-characters": Template(
        N_("The text contains replacement characters (�): some characters were lost before import.")
    ),
}


def warning(code: str, **params: Any) -> Notice:
    """The importer warning `code` with its parameters (numbers as numbers, page lists as lists)."""
    return Notice(code, WARNINGS[code], **params)


def stored(entry: str | dict[str, Any]) -> str | dict[str, Any]:
    """How a warning is kept in the archive: {"code", "params", "text"}, or a plain sentence as it was."""
    return entry.record() if isinstance(entry, Notice) else entry


def warning_code(entry: str | dict[str, Any]) -> dict[str, Any] | None:
    """{"code", "params"} of a warning, None for a sentence stored before warnings had codes."""
    if isinstance(entry, Notice):
        return {"code": entry.code, "params": entry.params}
    if isinstance(entry, dict) and "code" in entry:
        return {"code": entry["code"], "params": entry.get("params", {})}
    return None


def warning_text(entry: str | dict[str, Any], english: bool = False, wrap: Wrap | None = None) -> str:
    """A warning as a sentence in the interface language (`english` for the command line and exports);
    `wrap` isolates the titles and reasons inside it. Old sentences and unknown codes show their text."""
    coded = warning_code(entry)
    template = WARNINGS.get(coded["code"]) if coded else None
    if coded and template is not None:
        return render(
            template, coded["params"], language="en" if english else None, wrap=None if english else wrap
        )
    if isinstance(entry, dict):
        return str(entry.get("text", ""))
    return str(entry)


def english_texts(entries: list) -> list[str]:
    """The warnings of a document as English sentences: the `warnings` of the command line's and the
    exports' JSON, as they always were."""
    return [warning_text(entry, english=True) for entry in entries or []]


def codes(entries: list) -> list[dict[str, Any] | None]:
    """The warnings' {"code", "params"} beside `english_texts` (None for a sentence without a code)."""
    return [warning_code(entry) for entry in entries or []]


def from_records(texts: list, coded: list | None) -> list[str | dict[str, Any]]:
    """Stored warnings again from an export's `warnings` and `warning_codes` (a bag being imported)."""
    entries: list[str | dict[str, Any]] = []
    for index, text in enumerate(texts or []):
        code = coded[index] if coded and index < len(coded) else None
        if isinstance(text, dict) or not isinstance(code, dict) or "code" not in code:
            entries.append(text)
        else:
            entries.append({"code": code["code"], "params": code.get("params", {}), "text": text})
    return entries


__all__ = [
    "WARNINGS",
    "codes",
    "english_texts",
    "from_records",
    "stored",
    "warning",
    "warning_code",
    "warning_text",
]
