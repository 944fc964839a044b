"""A document's text laid out for reading: one block per line in its own direction, page markers, search
matches and the words OCR was unsure of marked."""

from __future__ import annotations

from qirtas.archive.archive import Archive
from qirtas.archive.models import Document
from qirtas.desktop.fonts import ARABIC_READING_FAMILIES, LATIN_READING_FAMILIES
from qirtas.desktop.qt import QColor, QFont, Qt, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument
from qirtas.i18n import _
from qirtas.i18n.formatting import format_count
from qirtas.i18n.script import Direction, paragraph_direction

BASE_POINT_SIZE = 11.0
ARABIC_SCALE = 1.3  # Amiri's letters sit small on the line; this reads like the Latin size
HIGHLIGHT = QColor("#ffd54f")
LOW_CONFIDENCE = QColor("#fdf0dc")
LOW_CONFIDENCE_LINE = QColor("#c0721a")


class TextLayout:
    """Fills a QTextDocument with a document's text: one block per line, each in its own direction."""

    def __init__(self, point_size: float = BASE_POINT_SIZE) -> None:
        self.latin = QTextCharFormat()
        latin_font = QFont()
        latin_font.setFamilies(LATIN_READING_FAMILIES)
        latin_font.setPointSizeF(point_size)
        self.latin.setFont(latin_font)
        self.arabic = QTextCharFormat()
        arabic_font = QFont()
        arabic_font.setFamilies(ARABIC_READING_FAMILIES)
        arabic_font.setPointSizeF(point_size * ARABIC_SCALE)
        self.arabic.setFont(arabic_font)
        self.page_marker = QTextCharFormat()
        marker_font = QFont()
        marker_font.setFamilies(LATIN_READING_FAMILIES)
        marker_font.setPointSizeF(point_size * 0.85)
        self.page_marker.setFont(marker_font)
        self.page_marker.setForeground(QColor("#777777"))
        # Words OCR was unsure of: a pale amber ground and a dotted underline, plain enough to read
        # through in either direction, and told apart from the yellow of search matches.
        self.low_confidence = QTextCharFormat()
        self.low_confidence.setBackground(LOW_CONFIDENCE)
        self.low_confidence.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        self.low_confidence.setUnderlineColor(LOW_CONFIDENCE_LINE)
        self.low_positions: list[tuple[int, int]] = []

    def fill(
        self,
        archive: Archive,
        document: QTextDocument,
        text: str,
        page_starts: list[int],
        query: str = "",
        low: list[tuple[int, int]] | None = None,
        language: str | None = None,
    ) -> tuple[list[int], list[tuple[int, int]]]:
        """Lay out `text`; returns the document positions where pages start and the highlighted spans.
        `low`: spans of `text` that OCR read with low confidence, marked (`low_confidence`) under the
        search matches, which `archive` finds in the document's `language` (a French word that matched by
        its French stem)."""
        document.clear()
        cursor = QTextCursor(document)
        matches = _SpanMapper(archive.highlight(query, text, language) if query else [])
        unsure = _SpanMapper(sorted(low or []))
        page_positions: list[int] = []
        offset, page_index, first_block, gap = 0, 0, True, False

        def new_block(block_format: QTextBlockFormat, char_format: QTextCharFormat) -> None:
            nonlocal first_block
            if first_block:
                cursor.setBlockFormat(block_format)
                cursor.setBlockCharFormat(char_format)
                first_block = False
            else:
                cursor.insertBlock(block_format, char_format)

        for line in text.split("\n"):
            line_start = offset
            offset += len(line) + 1
            while page_index < len(page_starts) and page_starts[page_index] <= line_start + len(line):
                page_index += 1
                if len(page_starts) > 1 or page_index > 1:
                    marker = QTextBlockFormat()
                    marker.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                    marker.setTopMargin(14)
                    marker.setBottomMargin(8)
                    new_block(marker, self.page_marker)
                    page_positions.append(cursor.block().position())
                    cursor.insertText(
                        _("— Page {page} —").format(page=format_count(page_index)), self.page_marker
                    )
            if not line.strip():
                gap = True
                continue
            rtl = paragraph_direction(line) == Direction.RTL
            block_format = QTextBlockFormat()
            block_format.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
            )
            block_format.setTopMargin(10 if gap else 0)
            block_format.setBottomMargin(6)
            block_format.setLineHeight(115, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            char_format = self.arabic if rtl else self.latin
            new_block(block_format, char_format)
            gap = False
            block_position = cursor.block().position()
            cursor.insertText(line, char_format)
            for mapper in (matches, unsure):
                mapper.line(line_start, line_start + len(line), block_position)
        _mark(document, unsure.positions, self.low_confidence)
        marked = QTextCharFormat()
        marked.setBackground(HIGHLIGHT)
        marked.setForeground(QColor("#000000"))
        _mark(document, matches.positions, marked)
        self.low_positions = unsure.positions
        return page_positions, matches.positions


class _SpanMapper:
    """Turns sorted spans of a text into spans of the QTextDocument it is laid out in, line by line (a
    span running across lines is clipped to each)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.next = 0
        self.positions: list[tuple[int, int]] = []

    def line(self, line_start: int, line_end: int, block_position: int) -> None:
        while self.next < len(self.spans) and self.spans[self.next][0] < line_end:
            start, end = self.spans[self.next]
            if end > line_start:
                self.positions.append(
                    (
                        block_position + max(start, line_start) - line_start,
                        block_position + min(end, line_end) - line_start,
                    )
                )
            if end > line_end:
                break
            self.next += 1


def _mark(document: QTextDocument, positions: list[tuple[int, int]], char_format: QTextCharFormat) -> None:
    for start, end in positions:
        span = QTextCursor(document)
        span.setPosition(start)
        span.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        span.mergeCharFormat(char_format)


def ocr_reading(document: Document) -> dict | None:
    """What OCR said of the document's text (`metadata["ocr"]`), when OCR gave it."""
    ocr = (document.metadata or {}).get("ocr")
    return ocr if isinstance(ocr, dict) else None


def low_spans(ocr: dict | None) -> list[tuple[int, int]]:
    """The spans of the text OCR read with low confidence, from every page."""
    spans = []
    for page in (ocr or {}).get("pages") or []:
        for span in page.get("low") or []:
            if len(span) == 2 and 0 <= int(span[0]) < int(span[1]):
                spans.append((int(span[0]), int(span[1])))
    return sorted(spans)
