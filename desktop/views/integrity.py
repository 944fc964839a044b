"""Integrity findings in the window: a badge per kind in the reader (with a repaired reading beside the stored
text, never instead of it) and View › Documents with integrity findings, a filter of the document list."""

from __future__ import annotations

from qirtas.archive.integrity import (
    KIND_LABELS,
    KINDS,
    Finding,
    check_document,
    document_ids_with,
    repaired_reading,
    shown_readably,
)
from qirtas.archive.models import Document
from qirtas.desktop.feature import Feature
from qirtas.desktop.jobs.operations import WorkQueue
from qirtas.desktop.labels import count_text, in_own_direction, isolated
from qirtas.desktop.lifetime import Lifetime
from qirtas.desktop.qt import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from qirtas.desktop.views.list_filter import ListFilter
from qirtas.i18n import _, ngettext

# Kinds whose damage `repaired_reading` can undo.
REPAIRABLE = {"mojibake", "presentation-forms", "visual-order", "invisible-characters"}
MAX_DETAIL_LINES = 6
CHECK_AT_ONCE = 60_000  # characters: a longer text is checked on a worker thread
EXCERPT_LIMIT = 70  # the reader shows a short passage; the badge's tooltip the whole sentence
BADGE_STYLE = (
    "QLabel { background: #fdecea; color: #8a1c12; border: 1px solid #e4a49c; border-radius: 8px;"
    " padding: 1px 8px; }"
)


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def shortened(text: str, limit: int) -> str:
    """`text` cut at a word to about `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + "…"


def finding_sentence(finding: Finding, document: Document | None = None, limit: int | None = None) -> str:
    """One finding in words, in the UI language (the archive's own `detail` is English, for the CLI).

    With `limit`, the quoted passage is cut to about that many characters (the reader's short form)."""
    count = finding.count
    quoted = isolated(shortened(finding.excerpt, limit) if limit else finding.excerpt)
    if finding.kind == "unexpected-script":
        source = (document.title if finding.field == "title" else document.text) if document else ""
        run = source[finding.start : finding.end] if source else ""
        sentence = ngettext(
            "Letters of an unexpected script, “{run}”, appear {count} time: “{excerpt}”.",
            "Letters of an unexpected script, “{run}”, appear {count} times: “{excerpt}”.",
            count,
        ).format(run=run or quoted, count=count_text(count), excerpt=quoted)
    elif finding.kind == "mojibake":
        sentence = ngettext(
            "{count} passage was garbled by a wrong encoding: “{excerpt}”.",
            "{count} passages were garbled by a wrong encoding: “{excerpt}”.",
            count,
        ).format(count=count_text(count), excerpt=quoted)
    elif finding.kind == "replacement-character":
        sentence = ngettext(
            "{count} character was lost when the file was read (shown as �): “{excerpt}”.",
            "{count} characters were lost when the file was read (shown as �): “{excerpt}”.",
            count,
        ).format(count=count_text(count), excerpt=quoted)
    elif finding.kind == "presentation-forms":
        sentence = ngettext(
            "{count} Arabic letter is stored as a presentation form: “{excerpt}”.",
            "{count} Arabic letters are stored as presentation forms: “{excerpt}”.",
            count,
        ).format(count=count_text(count), excerpt=quoted)
    elif finding.kind == "visual-order":
        sentence = ngettext(
            "{count} line of Arabic is stored in visual (backwards) order: “{excerpt}”.",
            "{count} lines of Arabic are stored in visual (backwards) order: “{excerpt}”.",
            count,
        ).format(count=count_text(count), excerpt=quoted)
    elif finding.kind == "invisible-characters":
        source = (document.title if finding.field == "title" else document.text) if document else ""
        word = shown_readably(source[finding.start : finding.end]) if source else quoted
        sentence = ngettext(
            "{count} invisible character hides inside words, as in “{word}”: a search may miss them.",
            "{count} invisible characters hide inside words, as in “{word}”: a search may miss them.",
            count,
        ).format(count=count_text(count), word=isolated(word))
    elif finding.kind == "low-ocr-confidence":
        sentence = _low_ocr_sentence(finding, document)
    else:
        sentence = finding.detail
    if finding.field == "title":
        sentence = _("In the title: {finding}").format(finding=sentence)
    return sentence


def _low_ocr_sentence(finding: Finding, document: Document | None) -> str:
    ocr = (document.metadata or {}).get("ocr", {}) if document is not None else {}
    confidence = count_text(round(float(ocr.get("confidence", 0))))
    pages = ", ".join(count_text(page) for page in finding.pages or [])
    if not pages:
        return _(
            "OCR read this text with a low mean confidence ({confidence} of 100): compare it with the original."
        ).format(confidence=confidence)
    return ngettext(
        "OCR read this text with a low mean confidence ({confidence} of 100): compare page {pages} with the original.",
        "OCR read this text with a low mean confidence ({confidence} of 100): compare pages {pages} with the original.",
        len(finding.pages or []),
    ).format(confidence=confidence, pages=pages)


class IntegrityBar(QWidget):
    """Badges of the shown document's findings, their sentences, and the repaired-reading toggle."""

    def __init__(self, reader) -> None:
        super().__init__(reader)
        self.reader = reader
        self.document: Document | None = None
        self.findings: list[Finding] = []
        self._generation = 0
        self._checker: WorkQueue | None = None
        self._lifetime = Lifetime(self)
        self.badges: dict[str, QLabel] = {}
        self.badge_row = QHBoxLayout()
        self.badge_row.setContentsMargins(0, 0, 0, 0)
        self.badge_row.setSpacing(6)
        self.repaired_button = QPushButton(_("Show repaired reading"))
        self.repaired_button.setCheckable(True)
        self.repaired_button.setToolTip(
            _(
                "Show the text as it reads with the damage undone; the stored text and the original stay as they are"
            )
        )
        self.repaired_button.toggled.connect(self.show_repaired)
        self.badge_row.addStretch(1)
        self.badge_row.addWidget(self.repaired_button)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("color: #8a1c12;")
        self.note = QLabel(_("Repaired reading: the stored text and the original file are unchanged."))
        self.note.setStyleSheet("color: #1f5e2e; font-style: italic;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(self.badge_row)
        layout.addWidget(self.details)
        layout.addWidget(self.note)
        self.clear()

    def clear(self) -> None:
        self.document, self.findings = None, []
        for badge in self.badges.values():
            self.badge_row.removeWidget(badge)
            badge.deleteLater()
        self.badges = {}
        self._set_repaired(False)
        self.hide()

    def show_document(self, document: Document) -> None:
        """Badges for `document`. Its text is in memory already; checking takes milliseconds for an
        ordinary text and is done at once, a long one (≈0.6 s for 1 MB of Arabic) on a worker."""
        self.clear()
        self.document = document
        self._generation += 1
        if len(document.text or "") + len(document.title or "") <= CHECK_AT_ONCE:
            self._checked(self._generation, check_document(document))
            return
        if self._checker is None:
            self._checker = WorkQueue(self, "qirtas-integrity")  # pure: no database connection
        generation = self._generation
        self._checker.submit(
            None, lambda: check_document(document), lambda found: self._checked(generation, found)
        )

    def _checked(self, generation: int, findings: list[Finding]) -> None:
        document = self.document
        if generation != self._generation or document is None or not self._lifetime.alive:
            return  # another document is shown now, or the window is gone
        self.findings = findings
        if not self.findings:
            return
        by_kind: dict[str, list[Finding]] = {}
        for finding in self.findings:
            by_kind.setdefault(finding.kind, []).append(finding)
        for index, (kind, findings) in enumerate(
            sorted(by_kind.items(), key=lambda item: KINDS.index(item[0]))
        ):
            badge = QLabel(kind_label(kind))
            badge.setStyleSheet(BADGE_STYLE)
            badge.setToolTip("\n".join(in_own_direction(finding_sentence(f, document)) for f in findings))
            self.badge_row.insertWidget(index, badge)
            self.badges[kind] = badge
        lines = [in_own_direction(finding_sentence(f, document, EXCERPT_LIMIT)) for f in self.findings]
        if len(lines) > MAX_DETAIL_LINES:
            more = len(lines) - MAX_DETAIL_LINES
            lines = [
                *lines[:MAX_DETAIL_LINES],
                ngettext("… and {count} more.", "… and {count} more.", more).format(count=count_text(more)),
            ]
        self.details.setText("\n".join(lines))
        self.repaired_button.setVisible(bool(REPAIRABLE & by_kind.keys()))
        self.show()

    def _set_repaired(self, on: bool) -> None:
        self.repaired_button.blockSignals(True)
        self.repaired_button.setChecked(on)
        self.repaired_button.blockSignals(False)
        self.note.setVisible(on)

    def show_repaired(self, on: bool) -> None:
        """Lay out the repaired reading in the reader, or the stored text again; nothing is written."""
        document = self.document
        if document is None:
            return
        self.note.setVisible(on)
        text = repaired_reading(document.text or "") if on else document.text
        reader = self.reader
        reader.page_positions, reader.highlights = reader._layout.fill(
            reader.archive,
            reader.browser.document(),
            text,
            document.page_starts or [],
            reader.query,
            language=document.language,
        )


ANY = "any"  # the integrity filter's choice of every kind


class IntegrityFilter(ListFilter, Feature):
    """View › Documents with integrity findings: restricts the document list to the documents with them.

    The first audit of an archive reads every text: it runs on the write thread (it fills a cache)."""

    key = "integrity"

    def __init__(self, window) -> None:
        super().__init__(
            window,
            _("All documents (no integrity filter)"),
            [(_("Any finding"), ANY), *((kind_label(kind), kind) for kind in KINDS)],
        )
        self.kind_actions = {kind: self.actions[kind] for kind in KINDS}

    def view_filters(self) -> list[tuple[str, ListFilter]]:
        return [(_("Documents with &integrity findings"), self)]

    def looking(self, choice) -> None:
        self.window.statusBar().showMessage(_("Looking for integrity findings…"))

    def find(self, choice, done) -> None:
        archive, session = self.window.archive, self.window.session
        kinds = list(KINDS) if choice == ANY else [choice]
        session.queue.submit(archive, lambda: document_ids_with(archive, kinds), done, session.failed.emit)

    def message(self, choice, ids: list[int]) -> str:
        names = _("any finding") if choice == ANY else kind_label(choice)
        return ngettext(
            "{count} document with integrity findings ({kinds}).",
            "{count} documents with integrity findings ({kinds}).",
            len(ids),
        ).format(count=count_text(len(ids)), kinds=names)
