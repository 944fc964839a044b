"""Text-integrity audit: damage in a stored text that a person should see — and a repaired reading where one
can be made (the original file and the stored text are never changed).

Kinds: unexpected-script (CJK spam inside an English text), mojibake (UTF-8 read as windows-1252/1256 and
saved again), replacement-character (U+FFFD), presentation-forms (Arabic glyph codes left by a PDF), and
visual-order (Arabic stored backwards, as PDF extractors produce it).

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
from qirtas.archive.models import BaseModel, Document, tuples, uses_archive, utcnow
from qirtas.archive.suggest.text import excerpt
from qirtas.i18n import N_
from qirtas.i18n.script import script_of

from qirtas.jobs import Progress

KINDS = ("unexpected-script", "mojibake", "replacement-character", "presentation-forms", "visual-order")
# Badge texts; translate with `_` where shown.
KIND_LABELS = {
    "unexpected-script": N_("Unexpected script"),
    "mojibake": N_("Mojibake"),
    "replacement-character": N_("Lost characters"),
    "presentation-forms": N_("Arabic presentation forms"),
    "visual-order": N_("Arabic in visual order"),
}
DETECTOR_VERSION = 1

_SCRIPT_NAMES = {"cjk": "CJK", "kana": "Japanese kana", "hangul": "Hangul"}
# Scripts flagged inside an English or Arabic text. Cyrillic, Greek or Hebrew names and quotations are
# ordinary there; a run of Chinese in an English news item is not (seed 001: "UN" replaced by spam).
_FOREIGN_SCRIPTS = set(_SCRIPT_NAMES)
_LANGUAGE_NAMES = {"en": "an English", "ar": "an Arabic", "mixed": "an English/Arabic"}
_TOKEN = re.compile(r"\S+")
_PRESENTATION = re.compile("[\ufb50-\ufd3d\ufd40-\ufdef\ufe70-\ufefc]")  # not ﴾﴿ nor word ligatures like ﷺ
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}")
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

    def to_json(self, document_id: int | None = None) -> dict:
        payload = {
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


def _visual_evidence(line: str) -> tuple[int, int, int]:
    """(impossible, backwards, forwards) signs in a line: no word starts with ة or ى (impossible), ال starts
    many words and ة ends many (forwards), and reversed ال ends words in لا (backwards, but كاملا is Arabic)."""
    impossible = backwards = forwards = 0
    for word in _ARABIC_WORD.findall(line):
        if word[0] in "ةى":
            impossible += 1
            backwards += 2
        if word[-1] in "ةى":
            forwards += 2
        if word.startswith("ال") and len(word) > 3:
            forwards += 1
        if word.endswith("لا") and len(word) > 4 and word[-3] != "ي":
            backwards += 1
    return impossible, backwards, forwards


def _is_visual(line: str) -> bool:
    impossible, backwards, forwards = _visual_evidence(line)
    return impossible >= 2 and backwards > 2 * forwards


def find_visual_order(text: str, field: str = "text") -> list[Finding]:
    from bidi import get_display

    findings = []
    lines, first, position = 0, None, 0
    for line in text.split("\n"):
        if _is_visual(line):
            lines += 1
            if first is None:
                first = (position, position + len(line), line)
        position += len(line) + 1
    if first is not None:
        start, end, line = first
        detail = f"{lines} line(s) of Arabic stored in visual order (each line reversed), as PDF extraction leaves it"
        repaired = get_display(line.strip(), base_dir="R")
        findings.append(
            Finding("visual-order", detail, excerpt(text, start, end), start, end, lines, field, repaired)
        )
    broken = list(_BROKEN_LAM_ALEF.finditer(text))
    if broken:
        start, end = broken[0].span()
        shown = excerpt(text, start, end)
        hamza = broken[0].group(2)
        detail = f"{len(broken)} word(s) with the lam-alef written backwards (“ا{hamza}ل” for “ال{hamza}”)"
        repaired = _BROKEN_LAM_ALEF.sub(lambda m: m.group(1) + "ال" + m.group(2), shown)
        findings.append(Finding("visual-order", detail, shown, start, end, len(broken), field, repaired))
    return findings


def repaired_reading(text: str) -> str:
    """The whole text with every repair the audit can make: mojibake re-read, presentation forms folded,
    visual-order lines put in logical order, backwards lam-alefs turned. For showing beside the stored
    text; nothing is written back."""
    from bidi import get_display

    text = _fold_presentation(repair_mojibake(text))
    lines = [get_display(line, base_dir="R") if _is_visual(line) else line for line in text.split("\n")]
    return _BROKEN_LAM_ALEF.sub(lambda m: m.group(1) + "ال" + m.group(2), "\n".join(lines))


def check_text(text: str, language: str = "und", field: str = "text") -> list[Finding]:
    """Every finding in one text (a document's text or title)."""
    return [
        *find_unexpected_scripts(text, language, field),
        *find_mojibake(text, field),
        *find_replacement_characters(text, field),
        *find_presentation_forms(text, field),
        *find_visual_order(text, field),
    ]


def check_document(document: Document) -> list[Finding]:
    """Findings in a document's text and title. A title taken from the text (the first line of a text
    file) adds "also in the title" to the text's finding; a title of its own gets findings of its own."""
    text = document.text or ""
    findings = check_text(text, document.language)
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
