"""The review report as a printable PDF (QPdfWriter + QTextDocument): pairs, statuses and comments."""

from __future__ import annotations

import html
import os
from pathlib import Path

from qirtas.archive.bilingual import Review
from qirtas.archive.review_report import ReviewReport, build_report, record_report
from qirtas.desktop.fonts import LATIN_READING_FAMILIES, register_fonts
from qirtas.desktop.qt import QFont, QMarginsF, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from qirtas.i18n import N_, _, current_language
from qirtas.i18n.formatting import format_count, format_number
from qirtas.i18n.script import Direction, paragraph_direction

STATUS_LABELS = {
    "unreviewed": N_("Unreviewed"),
    "approved": N_("Approved"),
    "needs_revision": N_("Needs revision"),
}
# Noto Sans Arabic first: Qt writes its shaped glyphs with Unicode mappings, so the Arabic of the PDF
# can be searched and copied (Amiri's contextual forms come out as unmapped glyphs).
ARABIC_FAMILIES = ["Noto Sans Arabic", "Amiri"]
STATUS_COLOURS = {"unreviewed": "#ffffff", "approved": "#e3f4e1", "needs_revision": "#fdebd0"}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def _families(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _cell(text: str, fallback: Direction) -> str:
    """A table cell whose paragraphs each read in their own direction and font."""
    blocks = []
    for paragraph in text.split("\n") or [""]:
        direction = paragraph_direction(paragraph, fallback)
        rtl = direction == Direction.RTL
        families = ARABIC_FAMILIES if rtl else LATIN_READING_FAMILIES
        blocks.append(
            f'<p dir="{"rtl" if rtl else "ltr"}" align="{"right" if rtl else "left"}" '
            f'style="font-family: {_families(families)};">{html.escape(paragraph)}</p>'
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
        f'<p dir="ltr" align="left">{html.escape(report.en_title)}</p>'
        f'<p dir="rtl" align="right" style="font-family: {_families(ARABIC_FAMILIES)};">'
        f"{html.escape(report.ar_title)}</p>"
        f"<p>{html.escape(summary)}</p>"
        f'<table border="1" cellspacing="0" cellpadding="4" width="100%">'
        f'<thead><tr bgcolor="#eeeeee">{head}</tr></thead>{"".join(rows)}</table>'
        "</body></html>"
    )


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
    document.setDefaultFont(font)
    document.setHtml(report_html(report))
    document.print_(writer)
    del writer  # finishes the file
