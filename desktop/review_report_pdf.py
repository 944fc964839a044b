"""The review report as a printable PDF (QPdfWriter + QTextDocument): pairs, statuses and comments."""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from pathlib import Path

from qirtas.archive.bilingual import Review
from qirtas.archive.review_report import ReviewReport, build_report, record_report
from qirtas.desktop.fonts import LATIN_READING_FAMILIES, register_fonts
from qirtas.desktop.qt import (
    QFont,
    QGuiApplication,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QRawFont,
    QTextDocument,
)
from qirtas.i18n import N_, _, current_language
from qirtas.i18n.arabic_forms import presentation_forms
from qirtas.i18n.formatting import format_count, format_number
from qirtas.i18n.script import Direction, paragraph_direction

STATUS_LABELS = {
    "unreviewed": N_("Unreviewed"),
    "approved": N_("Approved"),
    "needs_revision": N_("Needs revision"),
}
ARABIC_FAMILIES = ["Noto Sans Arabic", "Amiri"]
# Qt's PDF writer gives a glyph its character (the ToUnicode map) only when the font's cmap reaches it.
# Noto Sans Arabic shapes through GSUB: `ccmp` splits a dotted letter into its dotless form and the dots,
# `init`/`medi`/`fina` pick forms no character names, ligatures join several: all drawn without a mapping,
# so the Arabic of the PDF could be neither copied nor searched. The report therefore writes Arabic as
# presentation forms already shaped (i18n/arabic_forms.py) and turns off the substitutions that would
# replace those glyphs: every glyph drawn is one the cmap names.
# One glyph can stand for several characters (Noto draws Arabic yeh and Farsi yeh alike in the middle of a
# word); Qt maps it to the lowest, so the written file's maps are then corrected to the characters the
# report used (`_repair_unicode_maps`).
CMAP_ONLY_FEATURES = ("ccmp", "liga", "rlig", "calt", "clig", "dlig")
_FONT_WITH_MAP = re.compile(rb"/BaseFont /([A-Za-z0-9+_-]+)[^>]*?/ToUnicode (\d+) 0 R")
_HEX_CODE = re.compile(rb"<([0-9A-Fa-f]{4})>")
STATUS_COLOURS = {"unreviewed": "#ffffff", "approved": "#e3f4e1", "needs_revision": "#fdebd0"}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def _families(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _text(text: str) -> str:
    """Escaped for rich text, Arabic in its presentation forms (see CMAP_ONLY_FEATURES)."""
    return html.escape(presentation_forms(text))


def _cell(text: str, fallback: Direction) -> str:
    """A table cell whose paragraphs each read in their own direction and font."""
    blocks = []
    for paragraph in text.split("\n") or [""]:
        direction = paragraph_direction(paragraph, fallback)
        rtl = direction == Direction.RTL
        families = ARABIC_FAMILIES if rtl else LATIN_READING_FAMILIES
        blocks.append(
            f'<p dir="{"rtl" if rtl else "ltr"}" align="{"right" if rtl else "left"}" '
            f'style="font-family: {_families(families)};">{_text(paragraph)}</p>'
        )
    return "".join(blocks)


def report_html(report: ReviewReport) -> str:
    """The report as the rich text QTextDocument lays out (headings in the UI language)."""
    ui_rtl = current_language() == "ar"
    progress = report.progress
    summary = _("%(reviewed)s of %(total)s pairs reviewed (%(percent)s%%): %(approved)s approved, "
                "%(revision)s need revision") % {
        "reviewed": format_count(progress.reviewed),
        "total": format_count(progress.total),
        "percent": format_number(progress.percent),
        "approved": format_count(progress.approved),
        "revision": format_count(progress.needs_revision),
    }  # fmt: skip
    headings = [_("Pair"), _("English"), _("Arabic"), _("Status"), _("Comment")]
    rows = []
    for pair in report.pairs:
        colour = STATUS_COLOURS.get(pair.status, "#ffffff")
        rows.append(
            f'<tr bgcolor="{colour}">'
            f'<td width="5%">{html.escape(format_count(pair.number))}</td>'
            f'<td width="34%">{_cell(pair.en, Direction.LTR)}</td>'
            f'<td width="34%">{_cell(pair.ar, Direction.RTL)}</td>'
            f'<td width="10%"><b>{html.escape(status_label(pair.status))}</b></td>'
            f'<td width="17%">{_cell(pair.comment, Direction.RTL if ui_rtl else Direction.LTR)}</td>'
            "</tr>"
        )
    direction = "rtl" if ui_rtl else "ltr"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headings)
    return (
        f'<html><body dir="{direction}">'
        f"<h2>{html.escape(_('Translation review report'))}</h2>"
        f'<p dir="ltr" align="left">{_text(report.en_title)}</p>'
        f'<p dir="rtl" align="right" style="font-family: {_families(ARABIC_FAMILIES)};">'
        f"{_text(report.ar_title)}</p>"
        f"<p>{html.escape(summary)}</p>"
        f'<table border="1" cellspacing="0" cellpadding="4" width="100%">'
        f'<thead><tr bgcolor="#eeeeee">{head}</tr></thead>{"".join(rows)}</table>'
        "</body></html>"
    )


def gui_application():
    """The running Qt application, or a QGuiApplication for a command that lays out a report."""
    return QGuiApplication.instance() or QGuiApplication([])


def write_pdf(review: Review, destination: str | os.PathLike) -> ReviewReport:
    """Write the review report of `review` as a PDF (A4 landscape); recorded in the audit trail."""
    report = build_report(review)
    render_pdf(report, destination)
    record_report(review, report, "pdf", destination)
    return report


def render_pdf(report: ReviewReport, destination: str | os.PathLike) -> None:
    """Lay `report` out as a PDF file; reads and writes nothing in the archive (the window renders on
    the GUI thread, between building the report and recording it on the write thread)."""
    register_fonts()
    writer = QPdfWriter(str(Path(destination)))
    writer.setTitle(_("Translation review report"))
    writer.setCreator("Qirtas")
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    font = QFont()
    font.setFamilies([*LATIN_READING_FAMILIES, *ARABIC_FAMILIES])
    font.setPointSizeF(9)
    for feature in CMAP_ONLY_FEATURES:
        font.setFeature(QFont.Tag(feature), 0)
    document.setDefaultFont(font)
    document.setHtml(report_html(report))
    document.print_(writer)
    del writer  # finishes the file
    _repair_unicode_maps(Path(destination), Counter(document.toPlainText()))


def _repair_unicode_maps(path: Path, used: Counter[str]) -> None:
    """Map each glyph of the written PDF to the character the report drew it for.

    Qt names a glyph by the lowest character the font's cmap sends to it; where the font shares the glyph
    between characters, that may be one the report never used (Farsi yeh for Arabic yeh, a tab for a
    space). Each code is replaced in place by the used character with the same glyph in that font, the
    most frequent if several: same length, so the file's offsets hold.
    """
    data = bytearray(path.read_bytes())
    for match in _FONT_WITH_MAP.finditer(bytes(data)):
        family = _family_of(match.group(1).decode("ascii"))
        if family is None:
            continue
        raw = QRawFont.fromFont(_plain_font(family))
        by_glyph: dict[int, Counter[str]] = {}
        for char, times in used.items():
            glyphs = raw.glyphIndexesForString(char)
            if len(glyphs) == 1 and glyphs[0]:
                by_glyph.setdefault(glyphs[0], Counter())[char] += times
        stream = re.search(rb"\n%s 0 obj\n<< /Length (\d+) >>\nstream\n" % match.group(2), data)
        if stream is None:
            continue
        start, length = stream.end(), int(stream.group(1))
        cmap = bytes(data[start : start + length])
        repaired = re.sub(
            rb"beginbfrange\n(.*?)endbfrange",
            lambda ranges, raw=raw, by_glyph=by_glyph: _repair_ranges(ranges.group(0), raw, by_glyph, used),
            cmap,
            flags=re.S,
        )
        if len(repaired) == length:
            data[start : start + length] = repaired
    path.write_bytes(bytes(data))


def _repair_ranges(ranges: bytes, raw, by_glyph: dict[int, Counter[str]], used: Counter[str]) -> bytes:
    """The destinations of a bfrange section (every code after a line's first two) corrected."""

    def repaired(code: re.Match) -> bytes:
        char = chr(int(code.group(1), 16))
        if char in used:
            return code.group(0)
        glyphs = raw.glyphIndexesForString(char)
        drawn = by_glyph.get(glyphs[0]) if len(glyphs) == 1 else None
        if not drawn:
            return code.group(0)
        return b"<%04X>" % ord(drawn.most_common(1)[0][0])

    lines = []
    for line in ranges.split(b"\n"):
        head = _HEX_CODE.findall(line[:15])
        if len(head) == 2 and line.startswith(b"<"):
            lines.append(line[:14] + _HEX_CODE.sub(repaired, line[14:]))
        else:
            lines.append(line)
    return b"\n".join(lines)


def _family_of(base_font: str) -> str | None:
    """The registered family a PDF font name belongs to ("NotoSansArabic-Regular" → "Noto Sans Arabic")."""
    name = base_font.split("-")[0]
    for family in [*ARABIC_FAMILIES, *LATIN_READING_FAMILIES]:
        if family.replace(" ", "") == name:
            return family
    return None


def _plain_font(family: str) -> QFont:
    font = QFont(family)
    font.setPointSizeF(9)
    return font
