"""Text-integrity audit: damage in a stored text that a person should see — and a repaired reading where one
can be made (the original file and the stored text are never changed).

Kinds: unexpected-script (CJK spam inside an English text), mojibake (UTF-8 read as windows-1252/1256 and
saved again), replacement-character (U+FFFD), presentation-forms (Arabic glyph codes left by a PDF),
visual-order (Arabic stored backwards, as PDF extractors produce it: one finding per line),
invisible-characters (zero-width and other invisible characters inside words, which hide them from
search) and low-ocr-confidence (a text OCR read with a low mean confidence, naming its low pages).

    check_document(document) -> [Finding]             pure, for one document
    audit_archive(archive, ids=None, kinds=None)      -> AuditReport {document id: [Finding]}
    document_ids_with(archive, kinds)                 ids for a filter: DocumentFilter(ids=…)
    kinds_for_documents(archive, ids)                 {id: [kind]} for badges in a table
    repaired_reading(text)                            the text with every repair made, to show beside it

The archive keeps which kinds each document has (table `integrity_cache`, created on first use and refreshed
for documents modified since), so filtering a large archive does not re-read every text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ftfy
import ftfy.bad_codecs  # registers the sloppy-windows-125x codecs
from peewee import JOIN, CharField, DateTimeField, IntegerField
from qirtas.archive.archive import Archive
from qirtas.archive.hidden_text import (
    invisible_in_words,
    logical,
    remove_invisible,
    shown_readably,
    visual_lines,
)
from qirtas.archive.models import BaseModel, Document, tuples, uses_archive, utcnow
from qirtas.archive.suggest.text import excerpt
from qirtas.i18n import N_
from qirtas.i18n.script import script_of

from qirtas.jobs import Progress

KINDS = (
    "unexpected-script",
    "mojibake",
    "replacement-character",
    "presentation-forms",
    "visual-order",
    "invisible-characters",
    "low-ocr-confidence",
)
# Badge texts; translate with `_` where shown.
KIND_LABELS = {
    "unexpected-script": N_("Unexpected script"),
    "mojibake": N_("Mojibake"),
    "replacement-character": N_("Lost characters"),
    "presentation-forms": N_("Arabic presentation forms"),
    "visual-order": N_("Arabic in visual order"),
    "invisible-characters": N_("Invisible characters"),
    "low-ocr-confidence": N_("Low OCR confidence"),
}
DETECTOR_VERSION = 2  # 2: visual order judged per line, invisible characters, low OCR confidence

# A document OCR read with a mean confidence under this (Tesseract's 0–100) is listed for a person to
# compare with its original. The OCR marks words under 60 as low (OcrSettings.threshold); a page whose
# mean is under 70 has so many such words that a search for what it says is likely to miss. A judgement,
# not a measurement: change it here when the OCR benchmark's scans say otherwise.
LOW_OCR_CONFIDENCE = 70.0

_SCRIPT_NAMES = {"cjk": "CJK", "kana": "Japanese kana", "hangul": "Hangul"}
# Scripts flagged inside an English or Arabic text. Cyrillic, Greek or Hebrew names and quotations are
# ordinary there; a run of Chinese in an English news item is not (seed 001: "UN" replaced by spam).
_FOREIGN_SCRIPTS = set(_SCRIPT_NAMES)
_LANGUAGE_NAMES = {"en": "an English", "ar": "an Arabic", "mixed": "an English/Arabic"}
_TOKEN = re.compile(r"\S+")
_PRESENTATION = re.compile("[\ufb50-\ufd3d\ufd40-\ufdef\ufe70-\ufefc]")  # not ﴾﴿ nor word ligatures like ﷺ
_BROKEN_LAM_ALEF = re.compile(r"(?<![\u0621-\u064a])([وفبك]?)ا([أإآ])ل")


@dataclass
class Finding:
    kind: str
    detail: str  # one sentence for a person
    excerpt: str  # where it is, as stored
    start: int = 0
    end: int = 0
    count: int = 1
    field: str = "text"  # or "title"
    repaired: str | None = None  # a repaired reading of the excerpt, where one can be made
    pages: list[int] | None = None  # 1-based pages the finding is about (low OCR confidence)

    def to_json(self, document_id: int | None = None) -> dict:
        payload: dict[str, object] = {
            "id": document_id,
            "kind": self.kind,
            "detail": self.detail,
            "excerpt": self.excerpt,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "count": self.count,
        }
        if self.repaired is not None:
            payload["repaired"] = self.repaired
        if self.pages is not None:
            payload["pages"] = self.pages
        return payload


# ---- detectors --------------------------------------------------------------------------------------


_EAST_ASIAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f"
_EAST_ASIAN_RUN = re.compile(f"[{_EAST_ASIAN}]+(?: [{_EAST_ASIAN}]+)*")


def _script_runs(text: str) -> Iterable[tuple[str, int, int]]:
    """Runs of CJK, kana or Hangul letters (single spaces inside a run allowed), with the script of each."""
    for match in _EAST_ASIAN_RUN.finditer(text):
        yield script_of(match.group()[0]) or "cjk", match.start(), match.end()


def find_unexpected_scripts(text: str, language: str, field: str = "text") -> list[Finding]:
    """Runs of CJK, kana or Hangul (two letters or more) in an English or Arabic text or title."""
    if language not in _LANGUAGE_NAMES:
        return []
    grouped: dict[str, list[tuple[str, int, int]]] = {}
    for script, start, end in _script_runs(text):
        if script not in _FOREIGN_SCRIPTS or len(text[start:end].replace(" ", "")) < 2:
            continue
        grouped.setdefault(text[start:end], []).append((script, start, end))
    findings = []
    for run, places in grouped.items():

        def glued(place: tuple[str, int, int]) -> bool:
            script, _start, end = place
            return end < len(text) and text[end].isalpha() and script_of(text[end]) != script

        shown = next((place for place in places if glued(place)), places[0])
        script, start, end = shown
        times = "once" if len(places) == 1 else f"{len(places)} times"
        detail = (
            f"{_SCRIPT_NAMES.get(script, script)} text “{run}” {times} in "
            f"{_LANGUAGE_NAMES[language]} {'title' if field == 'title' else 'text'}"
        )
        if glued(shown):
            detail += ", run into the next word: it looks like a word was replaced (injected spam?)"
        findings.append(
            Finding("unexpected-script", detail, excerpt(text, start, end), start, end, len(places), field)
        )
    return findings


def _reencode(piece: str) -> tuple[str, str] | None:
    """(repaired, encoding) when `piece` is UTF-8 that was read as windows-1252 or -1256."""
    if piece.isascii():
        return None
    for codec, label in (("sloppy-windows-1252", "windows-1252"), ("sloppy-windows-1256", "windows-1256")):
        try:
            repaired = piece.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != piece and not any(unicodedata.category(c) in ("Cc", "Co", "Cn") for c in repaired):
            return repaired, label
    return None


def _code_page_chars(first: int, last: int) -> str:
    chars: set[str] = set()
    for codec in ("sloppy-windows-1252", "sloppy-windows-1256"):
        chars.update(bytes(range(first, last + 1)).decode(codec))
    return "".join(sorted(chars))


# UTF-8 read with a code page always leaves a lead byte's character before a continuation byte's: a quick
# test that spares the slow re-reading of healthy lines and words.
_MOJIBAKE_PAIR = re.compile(
    f"[{re.escape(_code_page_chars(0xC2, 0xF4))}][{re.escape(_code_page_chars(0x80, 0xBF))}]"
)


def repair_mojibake(text: str) -> str:
    """A repaired reading: each line re-read as UTF-8 where it was decoded with the wrong code page."""
    lines = []
    for line in text.split("\n"):
        if not _MOJIBAKE_PAIR.search(line):
            lines.append(line)
            continue
        whole = _reencode(line)
        if whole:
            lines.append(whole[0])
            continue
        line = _TOKEN.sub(lambda m: (_reencode(m.group()) or (m.group(),))[0], line)
        lines.append(ftfy.fix_encoding(line))
    return "\n".join(lines)


def find_mojibake(text: str, field: str = "text") -> list[Finding]:
    count, first, encodings = 0, None, set()
    position = 0
    for line in text.split("\n"):
        if _MOJIBAKE_PAIR.search(line):
            whole = _reencode(line)
            hits = []
            if whole:
                hits = [
                    (m.start(), m.end(), whole[1]) for m in _TOKEN.finditer(line) if not m.group().isascii()
                ]
            else:
                for match in _TOKEN.finditer(line):
                    token = _reencode(match.group()) if _MOJIBAKE_PAIR.search(match.group()) else None
                    if token:
                        hits.append((match.start(), match.end(), token[1]))
                if not hits and ftfy.fix_encoding(line) != line:
                    hits = [(0, len(line), "windows-1252")]
            for start, end, encoding in hits:
                count += 1
                encodings.add(encoding)
                if first is None:
                    first = (position + start, position + end)
        position += len(line) + 1
    if first is None:
        return []
    start, end = first
    shown = excerpt(text, start, end)
    detail = (
        f"{count} word(s) of UTF-8 text read as {' or '.join(sorted(encodings))} and saved again "
        f"(mojibake such as “{text[start:end]}” for “{repair_mojibake(text[start:end])}”)"
    )
    return [Finding("mojibake", detail, shown, start, end, count, field, repaired=repair_mojibake(shown))]


def find_replacement_characters(text: str, field: str = "text") -> list[Finding]:
    count = text.count("\ufffd")
    if not count:
        return []
    start = text.index("\ufffd")
    detail = f"{count} replacement character(s) (�): characters were lost when the file was decoded"
    return [
        Finding(
            "replacement-character", detail, excerpt(text, start, start + 1), start, start + 1, count, field
        )
    ]


def _fold_presentation(text: str) -> str:
    """Presentation forms back to letters (ﻻ → لا), leaving ﷺ and ﴾﴿, which are meant."""
    return _PRESENTATION.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


def find_presentation_forms(text: str, field: str = "text") -> list[Finding]:
    matches = list(_PRESENTATION.finditer(text))
    if not matches:
        return []
    start, end = matches[0].span()
    shown = excerpt(text, start, end)
    detail = (
        f"{len(matches)} Arabic presentation form(s) (glyph codes such as U+{ord(text[start]):04X}) "
        "left by a PDF: search and sorting may miss these words"
    )
    return [
        Finding(
            "presentation-forms", detail, shown, start, end, len(matches), field, _fold_presentation(shown)
        )
    ]


def find_visual_order(text: str, field: str = "text") -> list[Finding]:
    """One finding per line of Arabic stored backwards, each with its logical reading; and the
    lam-alefs written backwards."""
    findings = []
    position = 0
    for line, visual in zip(text.split("\n"), visual_lines(text), strict=True):
        if visual:
            start, end = position, position + len(line)
            detail = "a line of Arabic stored in visual order (reversed), as PDF extraction leaves it"
            findings.append(
                Finding(
                    "visual-order",
                    detail,
                    excerpt(text, start, end),
                    start,
                    end,
                    1,
                    field,
                    logical(line.strip()),
                )
            )
        position += len(line) + 1
    broken = list(_BROKEN_LAM_ALEF.finditer(text))
    if broken:
        start, end = broken[0].span()
        shown = excerpt(text, start, end)
        hamza = broken[0].group(2)
        detail = f"{len(broken)} word(s) with the lam-alef written backwards (“ا{hamza}ل” for “ال{hamza}”)"
        repaired = _BROKEN_LAM_ALEF.sub(lambda m: m.group(1) + "ال" + m.group(2), shown)
        findings.append(Finding("visual-order", detail, shown, start, end, len(broken), field, repaired))
    return findings


def find_invisible_characters(text: str, field: str = "text") -> list[Finding]:
    """Invisible characters inside words (`extre\u200bmism`): the word reads whole but is not found."""
    matches = invisible_in_words(text)
    if not matches:
        return []
    first = matches[0]
    word_start = first.start()
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word_end = first.end()
    while word_end < len(text) and not text[word_end].isspace():
        word_end += 1
    word = text[word_start:word_end]
    count = sum(len(match.group()) for match in matches)
    detail = (
        f"{count} invisible character(s) inside words, such as “{shown_readably(word)}”: "
        "the word looks whole but is not stored whole, so a search may miss it"
    )
    shown = excerpt(text, word_start, word_end)
    return [
        Finding(
            "invisible-characters",
            detail,
            shown,
            word_start,
            word_end,
            count,
            field,
            repaired=remove_invisible(shown),
        )
    ]


def repaired_reading(text: str) -> str:
    """The whole text with every repair the audit can make: mojibake re-read, presentation forms folded,
    every visual-order line put in logical order, backwards lam-alefs turned, invisible characters taken
    out of words. For showing beside the stored text; nothing is written back."""
    text = remove_invisible(_fold_presentation(repair_mojibake(text)))
    lines = text.split("\n")
    lines = [
        logical(line) if visual else line for line, visual in zip(lines, visual_lines(text), strict=True)
    ]
    return _BROKEN_LAM_ALEF.sub(lambda m: m.group(1) + "ال" + m.group(2), "\n".join(lines))


def check_text(text: str, language: str = "und", field: str = "text") -> list[Finding]:
    """Every finding in one text (a document's text or title)."""
    return [
        *find_unexpected_scripts(text, language, field),
        *find_mojibake(text, field),
        *find_replacement_characters(text, field),
        *find_presentation_forms(text, field),
        *find_visual_order(text, field),
        *find_invisible_characters(text, field),
    ]


def find_low_ocr_confidence(document: Document, threshold: float = LOW_OCR_CONFIDENCE) -> list[Finding]:
    """A document OCR read with a mean confidence under `threshold`, naming the pages under it
    (`Document.metadata["ocr"]`: {"confidence", "pages": [{"page", "confidence", "low": [[start, end]…]}]})."""
    ocr = (document.metadata or {}).get("ocr") if isinstance(document.metadata, dict) else None
    if not isinstance(ocr, dict):
        return []
    try:
        confidence = float(ocr["confidence"])
        pages = [
            (int(page["page"]), float(page["confidence"]), page.get("low") or [])
            for page in ocr.get("pages") or []
        ]
    except (KeyError, TypeError, ValueError):
        return []  # metadata of another shape says nothing the audit can read
    if confidence >= threshold:
        return []
    low_pages = [(number, low) for number, page_confidence, low in pages if page_confidence < threshold]
    text = document.text or ""
    spans = [span for _number, low in low_pages for span in low if _is_span(span, len(text))]
    start, end = spans[0] if spans else (0, 0)
    shown = excerpt(text, start, end) if text else ""
    numbers = [number + 1 for number, _low in low_pages]
    detail = (
        f"read by OCR ({ocr.get('engine') or 'unknown engine'}) with a mean confidence of {confidence:.0f}, "
        f"under {threshold:.0f}"
        + (f"; low pages: {', '.join(map(str, numbers))}" if numbers else "")
        + "; compare the text with the original"
    )
    return [Finding("low-ocr-confidence", detail, shown, start, end, max(1, len(numbers)), pages=numbers)]


def _is_span(span, length: int) -> bool:
    return (
        isinstance(span, list | tuple)
        and len(span) == 2
        and all(isinstance(x, int) for x in span)
        and 0 <= span[0] <= span[1] <= length
    )


def check_document(document: Document) -> list[Finding]:
    """Findings in a document's text and title. A title taken from the text (the first line of a text
    file) adds "also in the title" to the text's finding; a title of its own gets findings of its own."""
    text = document.text or ""
    findings = [*check_text(text, document.language), *find_low_ocr_confidence(document)]
    title = (document.title or "").strip()
    for finding in check_text(title, document.language, field="title"):
        same = next((f for f in findings if f.kind == finding.kind), None)
        if same is not None and title in text:
            same.detail += " (also in the title)"
        else:
            findings.append(finding)
    return findings


# ---- across the archive -----------------------------------------------------------------------------


class IntegrityCheck(BaseModel):
    """Which kinds of finding a document had when it was last checked (a cache; safe to drop)."""

    document_id = IntegerField(primary_key=True)
    modified_at = DateTimeField(null=True)  # the document's, when checked
    # When it was checked, to the second like modified_at: an edit in that same second is caught next time.
    checked_at = DateTimeField(default=utcnow)
    version = IntegerField(default=DETECTOR_VERSION)
    kinds = CharField(default="")  # " mojibake unexpected-script " — spaces around each kind

    class Meta:
        table_name = "integrity_cache"


class AuditReport(dict):
    """{document id: [Finding]} for documents with findings; `checked` counts every document looked at."""

    checked: int = 0


def _refresh(archive: Archive, ids: Sequence[int] | None = None, progress: Progress | None = None) -> int:
    """Check the documents (of `ids`, or all) added or modified since their last check; returns how many.

    Writes only when something changed, so badges and filters cost one query on an audited archive.
    """
    if not archive.db.table_exists(IntegrityCheck._meta.table_name):
        with archive.db.atomic("IMMEDIATE"):
            IntegrityCheck.create_table(safe=True)
    if ids is None:
        orphans = IntegrityCheck.select(IntegrityCheck.document_id).where(
            IntegrityCheck.document_id.not_in(Document.select(Document.id))
        )
        if orphans.exists():
            with archive.db.atomic("IMMEDIATE"):
                IntegrityCheck.delete().where(IntegrityCheck.document_id.in_(orphans)).execute()
    stale_query = (
        Document.select(Document.id)
        .join(IntegrityCheck, JOIN.LEFT_OUTER, on=(IntegrityCheck.document_id == Document.id))
        .where(
            IntegrityCheck.document_id.is_null()
            | (IntegrityCheck.modified_at != Document.modified_at)
            | (Document.modified_at >= IntegrityCheck.checked_at)
            | (IntegrityCheck.version != DETECTOR_VERSION)
        )
    )
    if ids is not None:
        stale_query = stale_query.where(Document.id.in_(list(ids)))
    stale = [row[0] for row in tuples(stale_query)]
    for start in range(0, len(stale), 500):
        rows = []
        for document in Document.select().where(Document.id.in_(stale[start : start + 500])):
            kinds = sorted({f.kind for f in check_document(document)})
            rows.append(
                {
                    "document_id": document.id,
                    "modified_at": document.modified_at,
                    "checked_at": utcnow(),
                    "version": DETECTOR_VERSION,
                    "kinds": f" {' '.join(kinds)} " if kinds else "",
                }
            )
        with archive.db.atomic("IMMEDIATE"):
            IntegrityCheck.insert_many(rows).on_conflict_replace().execute()
        if progress:
            progress(min(start + 500, len(stale)), len(stale))
    return len(stale)


@uses_archive
def document_ids_with(archive: Archive, kinds: Iterable[str] | None = None) -> list[int]:
    """Documents with a finding of any of `kinds` (every kind when None), for `DocumentFilter(ids=…)`."""
    _refresh(archive)
    query = IntegrityCheck.select(IntegrityCheck.document_id).where(IntegrityCheck.kinds != "")
    wanted = list(kinds or [])
    if wanted:
        condition = None
        for kind in wanted:
            clause = IntegrityCheck.kinds.contains(f" {kind} ")
            condition = clause if condition is None else condition | clause
        query = query.where(condition)
    return [row[0] for row in tuples(query.order_by(IntegrityCheck.document_id))]


@uses_archive
def kinds_for_documents(archive: Archive, document_ids: Sequence[int]) -> dict[int, list[str]]:
    """The kinds of finding of each document (for badges); documents not checked yet are checked now."""
    _refresh(archive, document_ids)
    result: dict[int, list[str]] = {i: [] for i in document_ids}
    query = IntegrityCheck.select().where(IntegrityCheck.document_id.in_(list(document_ids)))
    for row in query:
        result[row.document_id] = row.kinds.split()
    return result


@uses_archive
def audit_archive(
    archive: Archive,
    ids: Sequence[int] | None = None,
    kinds: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """Findings of every document (or of `ids`), optionally only of some kinds."""
    _refresh(archive, progress=progress)
    wanted = set(kinds or KINDS)
    report = AuditReport()
    candidates = document_ids_with(archive, wanted)
    report.checked = len(ids) if ids is not None else archive.count()
    if ids is not None:
        chosen = set(ids)
        candidates = [i for i in candidates if i in chosen]
    for start in range(0, len(candidates), 500):
        for document in Document.select().where(Document.id.in_(candidates[start : start + 500])):
            findings = [f for f in check_document(document) if f.kind in wanted]
            if findings:
                report[document.id] = findings
    return _sorted(report)


def _sorted(report: AuditReport) -> AuditReport:
    ordered = AuditReport(sorted(report.items()))
    ordered.checked = report.checked
    return ordered


@uses_archive
def document_findings(archive: Archive, document_id: int) -> list[Finding]:
    """Findings of one document (for its page in the GUI)."""
    return check_document(archive.get(document_id))
