"""Translators' deliverables: the reviewed pairs as TMX 1.4b and XLIFF 2.0, and their review read back.

TMX holds the approved pairs (all with `all_pairs`), one `<tu>` each, the status and review date as
`<prop>`s and the comment as a `<note>`. XLIFF 2.0 holds every pair of a review, one `<file>` per review,
the status as the segment's `state` (unreviewed → initial, needs_revision → translated, approved → final)
and the comment as a `<note>`. `import_review` reads either (told apart by content) into one review: the
pairs are matched by their two texts, whitespace-normalised; what matches nothing is reported.
Files are written with xml.etree; files read are refused if they declare a DTD or entities.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from qirtas.archive.archive import ArchiveError
from qirtas.archive.bilingual import APPROVED, NEEDS_REVISION, UNREVIEWED, Review
from qirtas.archive.models import REVIEW_STATUSES, ReviewPair

from qirtas import __version__

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
STATUS_PROP = "x-qirtas-status"
REVIEWED_AT_PROP = "x-qirtas-reviewed-at"
PAIR_PROP = "x-qirtas-pair"
XLIFF_STATES = {UNREVIEWED: "initial", NEEDS_REVISION: "translated", APPROVED: "final"}
STATUS_OF_XLIFF_STATE = {
    "initial": UNREVIEWED,
    "translated": NEEDS_REVISION,
    "reviewed": APPROVED,
    "final": APPROVED,
}
LANGUAGES = ("en", "ar")
# Characters XML 1.0 cannot hold (controls other than tab and newlines, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ET.register_namespace("", XLIFF_NS)


class TranslationMemoryError(ArchiveError):
    """A file that is not a TMX or XLIFF 2.0 file Qirtas can read."""


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can hold it (a character it cannot becomes U+FFFD)."""
    return _NOT_XML.sub("\ufffd", text)


def normalised(text: str) -> str:
    """The text pairs are matched by: XML-safe, whitespace runs as one space, trimmed."""
    return " ".join(xml_text(text).split())


# ---- export ------------------------------------------------------------------------------------------
def _exported(pairs: list[ReviewPair], all_pairs: bool) -> list[ReviewPair]:
    wanted = [p for p in pairs if p.en_text and p.ar_text]  # a paragraph alone translates nothing
    return wanted if all_pairs else [p for p in wanted if p.status == APPROVED]


def _tmx_date(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def build_tmx(reviews: Iterable[Review], all_pairs: bool = False) -> tuple[ET.ElementTree, int]:
    """A TMX 1.4b document of the reviews' pairs (approved ones unless `all_pairs`), and how many."""
    now = _tmx_date(dt.datetime.now(dt.UTC))
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "Qirtas",
            "creationtoolversion": __version__,
            "segtype": "paragraph",
            "o-tmf": "qirtas",
            "adminlang": "en",
            "srclang": "en",
            "datatype": "plaintext",
            "creationdate": now,
        },
    )
    body = ET.SubElement(root, "body")
    units = 0
    for review in reviews:
        for pair in _exported(review.pairs(), all_pairs):
            created = _tmx_date(pair.reviewed_at) if pair.reviewed_at else now
            unit = ET.SubElement(
                body, "tu", tuid=f"{review.en_id}-{review.ar_id}-{pair.position + 1}", creationdate=created
            )
            if pair.comment:
                ET.SubElement(unit, "note").text = xml_text(pair.comment)
            props = {
                STATUS_PROP: pair.status,
                PAIR_PROP: f"{review.en_id}:{review.ar_id}:{pair.position + 1}",
            }
            if pair.reviewed_at:
                props[REVIEWED_AT_PROP] = pair.reviewed_at.isoformat()
            for name, value in props.items():
                ET.SubElement(unit, "prop", type=name).text = value
            for language, text in zip(LANGUAGES, (pair.en_text, pair.ar_text), strict=True):
                variant = ET.SubElement(unit, "tuv", {XML_LANG: language})
                ET.SubElement(variant, "seg").text = xml_text(text)
            units += 1
    return ET.ElementTree(root), units


def build_xliff(reviews: Iterable[Review], source: str = "en") -> tuple[ET.ElementTree, int]:
    """An XLIFF 2.0 document, one `<file>` per review, every pair a unit; `source` is "en" or "ar"."""
    if source not in LANGUAGES:
        raise ArchiveError(f"The source language is en or ar, not {source!r}.")
    target = "ar" if source == "en" else "en"
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", version="2.0", srcLang=source, trgLang=target)
    units = 0
    for review in reviews:
        titles = dict(zip(LANGUAGES, review.titles(), strict=True))
        file = ET.SubElement(
            root,
            f"{{{XLIFF_NS}}}file",
            id=f"review-{review.en_id}-{review.ar_id}",
            original=xml_text(titles[source]),
        )
        for pair in review.pairs():
            texts = {"en": pair.en_text, "ar": pair.ar_text}
            unit = ET.SubElement(file, f"{{{XLIFF_NS}}}unit", id=f"pair-{pair.position + 1}")
            if pair.comment:
                notes = ET.SubElement(unit, f"{{{XLIFF_NS}}}notes")
                ET.SubElement(notes, f"{{{XLIFF_NS}}}note", category="review").text = xml_text(pair.comment)
            segment = ET.SubElement(unit, f"{{{XLIFF_NS}}}segment", state=XLIFF_STATES[pair.status])
            ET.SubElement(segment, f"{{{XLIFF_NS}}}source").text = xml_text(texts[source])
            ET.SubElement(segment, f"{{{XLIFF_NS}}}target").text = xml_text(texts[target])
            units += 1
    return ET.ElementTree(root), units


def write_xml(tree: ET.ElementTree, destination: str | os.PathLike) -> None:
    """Write `tree` as UTF-8 with a declaration, whole or not at all."""
    destination = Path(destination)
    ET.indent(tree)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".tm-", suffix=destination.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            tree.write(stream, encoding="UTF-8", xml_declaration=True)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_tmx(reviews: list[Review], destination: str | os.PathLike, all_pairs: bool = False) -> int:
    """Write the reviews' pairs as TMX; returns how many units; recorded in each review's audit trail."""
    tree, units = build_tmx(reviews, all_pairs)
    write_xml(tree, destination)
    _record(reviews, "tmx", destination, units, all_pairs=all_pairs)
    return units


def export_xliff(reviews: list[Review], destination: str | os.PathLike, source: str = "en") -> int:
    """Write the reviews' pairs as XLIFF 2.0; returns how many units; recorded in the audit trail."""
    tree, units = build_xliff(reviews, source)
    write_xml(tree, destination)
    _record(reviews, "xliff", destination, units, source=source)
    return units


def _record(reviews: list[Review], format: str, destination, units: int, **details) -> None:
    for review in reviews:
        review.audit("review-exported", format=format, path=str(destination), units=units, **details)


# ---- import ------------------------------------------------------------------------------------------
@dataclass
class Segment:
    """One unit of an imported file: its two texts, the status it gives (None: none) and its notes."""

    unit: str
    en: str
    ar: str
    status: str | None
    comment: str | None


@dataclass
class ImportReport:
    format: str
    units: int = 0
    updated: list[int] = field(default_factory=list)  # pair numbers (1-based) whose review changed
    unchanged: int = 0
    unmatched: list[Segment] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "units": self.units,
            "matched": len(self.updated) + self.unchanged,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unmatched": [{"unit": s.unit, "en": s.en, "ar": s.ar} for s in self.unmatched],
        }


def parse_safely(data: bytes) -> ET.Element:
    """The root of an XML document that declares no DTD and no entity (refused: a hostile file cannot make
    the parser expand entities or read other files)."""

    def refuse(*_args: object) -> int:
        raise TranslationMemoryError("The file declares a DTD or entities; Qirtas does not read such files.")

    scanner = expat.ParserCreate()
    scanner.StartDoctypeDeclHandler = refuse
    scanner.EntityDeclHandler = refuse
    scanner.UnparsedEntityDeclHandler = refuse
    scanner.ExternalEntityRefHandler = refuse
    try:
        scanner.Parse(data, True)
        return ET.fromstring(data)
    except (expat.ExpatError, ET.ParseError) as error:
        raise TranslationMemoryError(f"The file is not well-formed XML ({error}).") from None


def _text_of(element: ET.Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def read_segments(data: bytes) -> tuple[str, list[Segment]]:
    """("tmx" or "xliff", the units of the file), told apart by the root element."""
    root = parse_safely(data)
    if root.tag == "tmx":
        return "tmx", _tmx_segments(root)
    if root.tag == f"{{{XLIFF_NS}}}xliff":
        return "xliff", _xliff_segments(root)
    if root.tag.endswith("xliff"):
        raise TranslationMemoryError("Only XLIFF 2.0 is read; this file is another XLIFF version.")
    raise TranslationMemoryError("The file is neither TMX nor XLIFF 2.0.")


def _tmx_segments(root: ET.Element) -> list[Segment]:
    segments = []
    for number, unit in enumerate(root.iter("tu"), start=1):
        texts: dict[str, str] = {}
        for variant in unit.iter("tuv"):
            language = (variant.get(XML_LANG) or variant.get("lang") or "").lower().split("-")[0]
            texts[language] = _text_of(variant.find("seg"))
        props = {prop.get("type"): (prop.text or "").strip() for prop in unit.findall("prop")}
        status = props.get(STATUS_PROP)
        notes = [(note.text or "").strip() for note in unit.findall("note")]
        segments.append(
            Segment(
                unit.get("tuid") or str(number),
                texts.get("en", ""),
                texts.get("ar", ""),
                status if status in REVIEW_STATUSES else None,
                "\n".join(n for n in notes if n),
            )
        )
    return segments


def _xliff_segments(root: ET.Element) -> list[Segment]:
    source = (root.get("srcLang") or "en").lower().split("-")[0]
    segments = []
    ns = {"x": XLIFF_NS}
    for file in root.findall("x:file", ns):
        for unit in file.iter(f"{{{XLIFF_NS}}}unit"):
            notes = [(note.text or "").strip() for note in unit.findall("x:notes/x:note", ns)]
            parts = unit.findall("x:segment", ns)
            texts = [
                "".join(_text_of(p.find(f"x:{side}", ns)) for p in parts) for side in ("source", "target")
            ]
            states = {p.get("state", "initial") for p in parts}
            status = STATUS_OF_XLIFF_STATE.get(states.pop()) if len(states) == 1 else None
            en, ar = texts if source != "ar" else texts[::-1]
            segments.append(
                Segment(
                    f"{file.get('id')}/{unit.get('id')}", en, ar, status, "\n".join(n for n in notes if n)
                )
            )
    return segments


def import_review(review: Review, source: str | os.PathLike | bytes) -> ImportReport:
    """Set the statuses and comments of `review`'s pairs from a TMX or XLIFF 2.0 file (a path or its
    bytes): each unit is matched to the pair with the same two texts, whitespace-normalised; a unit's
    notes become the pair's comment; units that match no pair are reported, nothing is written for them."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    format, segments = read_segments(data)
    report = ImportReport(format, units=len(segments))
    with review.archive.db.atomic("IMMEDIATE"):
        _apply(review, segments, report)
        review.audit(
            "review-imported", format=format, units=report.units, updated=len(report.updated),
            unmatched=len(report.unmatched),
        )  # fmt: skip
    return report


def _apply(review: Review, segments: list[Segment], report: ImportReport) -> None:
    by_texts: dict[tuple[str, str], list[ReviewPair]] = {}
    for pair in review.pairs():
        by_texts.setdefault((normalised(pair.en_text), normalised(pair.ar_text)), []).append(pair)
    for segment in segments:
        candidates = by_texts.get((normalised(segment.en), normalised(segment.ar)))
        if not candidates:
            report.unmatched.append(segment)
            continue
        pair = candidates.pop(0)
        status = segment.status if segment.status != pair.status else None
        comment = segment.comment if segment.comment != pair.comment else None
        if status is None and comment is None:
            report.unchanged += 1
            continue
        review.set_review(pair.position, status=status, comment=comment, expected=pair)
        report.updated.append(pair.position + 1)
