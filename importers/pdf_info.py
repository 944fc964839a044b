"""The PDF document information dictionary: text strings and dates decoded for people."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePath

from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

# Info key → metadata key in Qirtas.
INFO_KEYS = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Keywords": "keywords",
    "Creator": "creator",
    "Producer": "producer",
    "CreationDate": "creation_date",
    "ModDate": "modification_date",
}
_DATE_KEYS = {"CreationDate", "ModDate"}
_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz+\-])\s*(\d{2})?'?\s*(\d{2})?'?)?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Titles that name the file or the tool rather than the document.
_FILE_TITLE = re.compile(
    r"(^untitled\b|^microsoft (word|powerpoint|excel) - |^document\d*$|\.(html?|pdf|docx?|odt|txt|rtf|tex|dvi)$)",
    re.IGNORECASE,
)


def decode_string(value: object) -> str:
    """A PDF text string: UTF-16 (with its byte-order mark), UTF-8 (PDF 2.0) or PDFDocEncoding."""
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff") or value.startswith(b"\xff\xfe"):
            text = value.decode("utf-16", errors="replace")
        elif value.startswith(b"\xef\xbb\xbf"):
            text = value[3:].decode("utf-8", errors="replace")
        else:
            text = decode_text(value)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (int, float)):
        text = str(value)
    else:
        return ""
    text = _CONTROL.sub("", text.replace("\x00", "")).strip()
    return unicodedata.normalize("NFC", text)


def parse_pdf_date(text: str) -> dt.datetime | dt.date | None:
    """`D:20181119150000+03'00'` → an aware datetime (a date when only the day is given)."""
    match = _PDF_DATE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone, zone_hours, zone_minutes = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month or 1), int(day or 1))
        tz = None
        if zone in ("Z", "z"):
            tz = dt.UTC
        elif zone in ("+", "-"):
            offset = dt.timedelta(hours=int(zone_hours or 0), minutes=int(zone_minutes or 0))
            tz = dt.timezone(offset if zone == "+" else -offset)
        return dt.datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None


def read_info(info_dicts: list) -> dict[str, str]:
    """Title, author, creator, producer and dates (ISO 8601) from a document's info dictionaries."""
    metadata: dict[str, str] = {}
    for info in info_dicts:
        info = resolve1(info)
        if not isinstance(info, dict):
            continue
        for key, name in INFO_KEYS.items():
            if key not in info or name in metadata:
                continue
            try:
                text = decode_string(info[key])
            except Exception:  # a damaged info entry must not cost the document
                continue
            if key in _DATE_KEYS:
                parsed = parse_pdf_date(text)
                text = parsed.isoformat() if parsed else text
            if text:
                metadata[name] = text
    return metadata


def meaningful_title(title: str) -> str:
    """The info title when it names the document, "" when it is a file name or a placeholder."""
    title = " ".join(title.split())
    if sum(char.isalpha() for char in title) < 3 or _FILE_TITLE.search(title):
        return ""
    if PurePath(title).suffix and " " not in title:
        return ""
    return title
