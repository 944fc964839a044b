"""Plain-text files: encoding detection, newline and Unicode normalisation, title, date and language."""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes
from qirtas.i18n import _
from qirtas.i18n.dates import find_date
from qirtas.i18n.script import document_language
from qirtas.importers.base import Extracted, ExtractionError, Importer, registry
from qirtas.importers.notices import warning

MEDIA_TYPE = "text/plain"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The legacy code pages an English/Arabic collection really contains, tried before anything exotic.
_LEGACY = ["cp1256", "iso8859_6", "cp1252"]
# Control characters that make a "text" look binary (all but tab, LF, FF and CR). Being ASCII, each is
# one byte in UTF-8 and no other character's encoding holds such a byte: counted in bytes, in C.
_CONTROL_CHARACTER_BYTES = bytes([*range(9), 11, *range(14, 32), 127])
_CONTROL_SAMPLE = 65536  # characters looked at
_MIXED_WORD = re.compile(r"(?=\w*[\u0621-\u064a])(?=\w*[A-Za-z\u00c0-\u024f])\w+")
_CONTROL_BYTES = bytes([*range(9), *range(14, 32), 127])
_TITLE_MAX = 160
# A text is held in memory several times over while it is decoded, normalised and indexed; larger ones are
# refused with a clear message rather than exhausting a workstation's memory.
MAX_TEXT_MB = int(os.environ.get("QIRTAS_MAX_TEXT_MB", "64"))


def looks_like_text(head: bytes) -> bool:
    """Content sniffing: a BOM, or bytes without NULs and with few control characters."""
    if any(head.startswith(bom) for bom, _encoding in _BOMS):
        return True
    if not head or b"\x00" in head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls <= len(head) // 100


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding name). Raises ExtractionError when it cannot."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise ExtractionError(
                    _("Damaged {encoding} text (at byte {position}).").format(
                        encoding=encoding.upper(), position=error.start
                    )
                ) from error
    if b"\x00" in data:
        raise ExtractionError(_("This is a binary file, not text (it contains NUL bytes)."))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_LEGACY).best() or from_bytes(data).best()
    if best is None:
        raise ExtractionError(
            _("The text encoding could not be recognised; the file may be damaged or binary.")
        )
    encoding = best.encoding
    if encoding in ("cp1256", "iso8859_6"):
        encoding = _better_arabic_code_page(data, encoding)
    return data.decode(encoding), encoding


def readable_file_name(name: str) -> tuple[str, bytes | None]:
    """A file name as a person reads it, and its bytes when they are not UTF-8 (else None).

    POSIX names are bytes; Python shows bytes that are not UTF-8 as lone surrogates, which SQLite, JSON
    and Qt cannot hold. Such names come from zips made on Windows (an Arabic name in windows-1256:
    `b"\\xe3\\xd1\\xcd\\xc8\\xc7.txt"` is مرحبا.txt), so they are read the way a text file's
    bytes are; the bytes themselves are kept beside, so nothing of the name is lost."""
    try:
        name.encode("utf-8")
        return name, None
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        readable, encoding = decode(raw)
    except ExtractionError:
        readable, encoding = "", ""
    if (
        not readable
        or encoding.startswith("utf_16")
        or encoding.startswith("utf-16")
        or _control_characters(readable)
    ):
        readable = raw.decode("utf-8", "replace")
    return readable, raw


def _better_arabic_code_page(data: bytes, guess: str) -> str:
    """windows-1256 and ISO-8859-6 share most Arabic letters. The wrong reading puts Latin letters inside
    Arabic words, fails outright, or loses the lam (ل) and with it the article ال, the commonest pair
    of letters in Arabic text; prefer the reading that looks most like Arabic."""
    penalties = {}
    for encoding in ("cp1256", "iso8859_6"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        penalties[encoding] = 5 * len(_MIXED_WORD.findall(text)) - text.count("ال")
    if not penalties:
        return guess
    return min(penalties, key=lambda encoding: (penalties[encoding], encoding != guess))


def _control_characters(text: str) -> int:
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, _CONTROL_CHARACTER_BYTES))


def normalise(text: str) -> str:
    """CRLF/CR to LF, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def guess_title(text: str) -> str:
    """The first meaningful line, without markdown marks, cut at a word boundary if long."""
    for line in text.splitlines():
        line = line.strip().strip("#*_>-–— \t").strip()
        if sum(char.isalpha() for char in line) < 3:
            continue
        if len(line) > _TITLE_MAX:
            line = line[:_TITLE_MAX].rsplit(" ", 1)[0] + "…"
        return line
    return ""


def extract_text(path: Path, data: bytes | None = None, **_options) -> Extracted:
    """Read a plain-text file. Pure: a path (or its bytes) in, an Extracted value out."""
    if data is None:
        data = Path(path).read_bytes()
    if not data:
        raise ExtractionError(_("The file is empty (0 bytes)."))
    if len(data) > MAX_TEXT_MB * 1024 * 1024:
        raise ExtractionError(
            _(
                "The text file is too large ({size} MB); text files up to {limit} MB are imported "
                "(set QIRTAS_MAX_TEXT_MB to change it)."
            ).format(size=f"{len(data) / 2**20:.0f}", limit=MAX_TEXT_MB)
        )
    raw, encoding = decode(data)
    text = normalise(raw)
    if _control_characters(text[:_CONTROL_SAMPLE]) > len(text[:_CONTROL_SAMPLE]) // 100:
        raise ExtractionError(_("This does not look like text: it is full of control characters."))
    if not text or text.isspace():
        raise ExtractionError(_("The file holds only white space; there is no text to archive."))
    warnings: list[str] = []
    if "\ufffd" in text:
        warnings.append(warning("text.replacement-characters"))
    return Extracted(
        text=text,
        media_type=MEDIA_TYPE,
        title=guess_title(text),
        language=document_language(text),
        date=find_date(text[:1000]),
        metadata={"encoding": encoding},
        warnings=warnings,
    )


TEXT_IMPORTER = Importer(
    name="text",
    media_type=MEDIA_TYPE,
    extensions=(".txt", ".text", ".md", ".csv", ".tsv", ""),
    sniff=looks_like_text,
    extract=extract_text,
)
registry.register(TEXT_IMPORTER)
