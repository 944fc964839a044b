"""From glyph positions on a PDF page to lines, reading order and paragraphs.

pdfminer gives every glyph with its box; its own layout analysis joins glyphs that follow each other in
the content stream, which splits a right-to-left line wherever a producer drew digits or brackets
separately. So lines are built here from geometry alone (one baseline, glyphs side by side), ordered by
recursive XY cuts (columns left to right, or right to left where the text is Arabic). Paragraphs are
made from these lines in pdf_paragraphs.
"""

from __future__ import annotations

import bisect
import math
import statistics
import unicodedata
from dataclasses import dataclass, field

from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.utils import apply_matrix_rect
from qirtas.importers.pdf_arabic import rtl_share

# Distances in units of the font size.
WORD_GAP = 0.14  # a gap wider than this between two glyphs is a space
COLUMN_GAP = 0.9  # glyphs on one baseline further apart than this belong to different columns or cells
BASELINE_TOLERANCE = 0.3


@dataclass
class Glyph:
    text: str
    x0: float
    x1: float
    baseline: float
    size: float


@dataclass
class Line:
    glyphs: list[Glyph]
    x0: float
    x1: float
    y0: float
    y1: float
    baseline: float
    size: float
    units: list[str] = field(default_factory=list)  # glyph texts and spaces, left to right
    rtl: float = 0.0  # share of right-to-left letters

    @property
    def visual_text(self) -> str:
        return "".join(self.units)


@dataclass
class PageLayout:
    width: float
    height: float
    lines: list[Line]  # in reading order
    pictures: int = 0


class GlyphDevice(PDFTextDevice):
    """A pdfminer device that keeps only what the layout here needs of each character: its text, left
    and right edge, baseline and size. Much lighter than pdfminer's layout objects.

    A character drawn twice in the same place (fake bold, outlined or haloed text) is kept once.
    """

    def __init__(self, resources: PDFResourceManager) -> None:
        super().__init__(resources)
        self.glyphs: list[Glyph] = []
        self.turned: dict[int, list[Glyph]] = {}
        self.images = 0  # pictures drawn on the current page (a page of pictures and no text: a scan)
        self.width = self.height = 0.0
        self.crop = (0.0, 0.0, 0.0, 0.0)
        self._drawn: set[tuple[str, int, int, int, int]] = set()
        # Over the whole document: characters drawn, and those whose font does not say what they are.
        self.drawn = self.unknown = 0

    def begin_page(self, page, ctm) -> None:
        # What a reader sees is the crop box; printers' marks and proof notes outside it are left out.
        x0, y0, x1, y1 = apply_matrix_rect(ctm, page.cropbox or page.mediabox)
        self.crop = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        self.width, self.height = abs(x1 - x0), abs(y1 - y0)
        self.glyphs = []
        self.turned = {}  # glyphs of turned text, by angle in degrees
        self.images = 0
        self._drawn = set()

    def render_image(self, name, stream) -> None:
        self.images += 1

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        advance = font.char_width(cid) * fontsize * scaling
        self.drawn += 1
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            self.unknown += 1  # a glyph with no known letter: left out rather than "(cid:12)"
            return advance
        if not text or text.isspace():
            return advance
        if not text.isprintable():
            text = "".join(char for char in text if char.isprintable())
            if not text:  # mapped to U+0000 and the like (Chromium does so for some Arabic marks)
                self.unknown += 1
                return advance
        a, b, c, d, e, f = matrix
        left, bottom, right, top = self.crop
        if not (left <= e <= right and bottom <= f <= top):
            return advance  # outside the crop box: not on the page a reader sees
        e, f = e - left, f - bottom
        turn = 0
        if b == 0 and c == 0 and a > 0 and d * scaling > 0 and not font.is_vertical():
            x0, x1, baseline, size = e, e + a * advance, f, abs(d) * fontsize
        elif not font.is_vertical() and (scale := math.hypot(a, b)) and a * d - b * c > 0:
            # Turned text (a side note up the margin, a diagonal watermark): measured along its own
            # baseline, and laid out apart from the level text.
            cos, sin = a / scale, b / scale
            turn = round(math.degrees(math.atan2(sin, cos)))
            start = e * cos + f * sin
            x0, x1 = start, start + scale * advance
            baseline, size = f * cos - e * sin, math.hypot(c, d) * fontsize
        else:  # mirrored, or vertical writing: placed by its box
            descent = font.get_descent() * fontsize
            box = apply_matrix_rect(
                (a, b, c, d, e, f), (0, descent + rise, advance, descent + rise + fontsize)
            )
            x0, x1 = sorted((box[0], box[2]))
            baseline, size = min(box[1], box[3]), abs(box[3] - box[1]) or fontsize
        if size <= 0:
            return advance
        grid = max(size * 0.15, 0.5)
        key = (text, round(x0 / grid), round(baseline / grid), round(size), turn)
        if key not in self._drawn:
            self._drawn.add(key)
            glyph = Glyph(text, x0, x1, baseline, size)
            if turn:
                self.turned.setdefault(turn, []).append(glyph)
            else:
                self.glyphs.append(glyph)
        return advance


def build_lines(glyphs: list[Glyph]) -> list[Line]:
    """Group glyphs by baseline, then split each row where a gap is too wide to be a space.

    Vowel marks (harakat) sit above or below the baseline, so they are left out of the rows and then
    given to the letter they are drawn on."""
    marks: list[tuple[Glyph, Glyph | None]] = []  # each mark with the next letter drawn after it
    letters: list[Glyph] = []
    for glyph in reversed(glyphs):
        if _is_mark(glyph.text):
            marks.append((glyph, letters[-1] if letters else None))
        else:
            letters.append(glyph)
    letters.reverse()
    rows: list[list[Glyph]] = []
    row_baseline = 0.0
    for glyph in sorted(letters, key=lambda g: -g.baseline):
        if rows and abs(row_baseline - glyph.baseline) <= BASELINE_TOLERANCE * glyph.size:
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
            row_baseline = glyph.baseline
    segments: list[list[Glyph]] = []
    for row in rows:
        row.sort(key=lambda g: (g.x0, g.x1))
        segment = [row[0]]
        right = row[0].x1
        for glyph in row[1:]:
            if glyph.x0 - right > COLUMN_GAP * max(glyph.size, segment[-1].size):
                segments.append(segment)
                segment = []
                right = glyph.x1
            segment.append(glyph)
            right = max(right, glyph.x1)
        segments.append(segment)
    if marks:
        _attach_marks(marks, segments)
    return [_make_line(segment) for segment in segments]


def _is_mark(text: str) -> bool:
    return all(unicodedata.combining(char) for char in text)


def _attach_marks(marks: list[tuple[Glyph, Glyph | None]], segments: list[list[Glyph]]) -> None:
    """Append each mark to the text of the letter it is drawn over.

    Chromium and LibreOffice draw a mark just before its letter; where the letter drawn next is not
    beside the mark, the nearest letter on the nearest baseline is taken instead."""
    drawn_with = {id(glyph): glyph.text for segment in segments for glyph in segment}
    for mark, following in marks:
        middle = (mark.x0 + mark.x1) / 2
        reach = 0.2 * mark.size
        if (
            following is not None
            and id(following) in drawn_with
            and abs(following.baseline - mark.baseline) <= 0.7 * mark.size
            and following.x0 - 3 * reach <= middle <= following.x1 + 3 * reach
        ):
            # Some producers give a letter (or a ligature) the text of its marks and draw them too.
            if mark.text not in drawn_with[id(following)]:
                following.text += mark.text
            continue
        candidates: list[tuple[float, Glyph]] = []
        for segment in segments:
            if abs(segment[0].baseline - mark.baseline) > 0.7 * mark.size:
                continue
            if not (segment[0].x0 - reach <= middle <= max(g.x1 for g in segment) + reach):
                continue
            for glyph in segment:
                if glyph.x0 <= middle <= glyph.x1:
                    distance = 0.0
                else:
                    distance = min(abs(glyph.x0 - middle), abs(glyph.x1 - middle))
                candidates.append((distance * 4 + abs(glyph.baseline - mark.baseline), glyph))
        if not candidates:
            continue
        candidates.sort(key=lambda item: item[0])
        if any(mark.text in drawn_with[id(glyph)] for _score, glyph in candidates[:2]):
            continue
        candidates[0][1].text += mark.text


def _middle(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _make_line(glyphs: list[Glyph]) -> Line:
    size = _middle([g.size for g in glyphs])
    units: list[str] = []
    right = None
    for glyph in glyphs:
        if units and all(unicodedata.combining(char) for char in glyph.text):
            units[-1] += glyph.text  # a vowel mark belongs to the letter it sits on
            continue
        if right is not None and glyph.x0 - right > WORD_GAP * size:
            units.append(" ")
        units.append(glyph.text)
        right = glyph.x1 if right is None else max(right, glyph.x1)
    baseline = _middle([g.baseline for g in glyphs])
    return Line(
        glyphs=glyphs,
        x0=min(g.x0 for g in glyphs),
        x1=max(g.x1 for g in glyphs),
        y0=baseline - 0.25 * size,
        y1=baseline + 0.8 * size,
        baseline=baseline,
        size=size,
        units=units,
        rtl=rtl_share("".join(units)),
    )


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Empty stretches between merged intervals: (size of the gap, its middle)."""
    gaps = []
    intervals = sorted(intervals)
    reach = intervals[0][1]
    for low, high in intervals[1:]:
        if low > reach:
            gaps.append((low - reach, (low + reach) / 2))
        reach = max(reach, high)
    return gaps


def reading_order(lines: list[Line], depth: int = 0) -> list[Line]:
    """Recursive XY cut: split at the widest empty gutter (columns) or band (blocks) until regions are
    single lines. Every gap nearly as wide as the widest is cut at once, which keeps the recursion shallow
    on long pages of evenly spaced lines."""
    if len(lines) <= 1:
        return list(lines)
    if depth > 60:  # a pathological page: top to bottom, left to right
        return sorted(lines, key=lambda line: (-line.baseline, line.x0))
    min_gutter = COLUMN_GAP * statistics.median(line.size for line in lines)
    vertical = [gap for gap in _gaps([(line.x0, line.x1) for line in lines]) if gap[0] >= min_gutter]
    horizontal = _gaps([(line.y0, line.y1) for line in lines])
    widest_v = max((gap[0] for gap in vertical), default=0.0)
    widest_h = max((gap[0] for gap in horizontal), default=0.0)
    if vertical and widest_v >= widest_h:
        cuts = sorted(middle for width, middle in vertical if width >= 0.9 * widest_v)
        columns = _split(lines, cuts, key=lambda line: line.x1)
        letters = sum(len(line.glyphs) for line in lines)
        if sum(line.rtl * len(line.glyphs) for line in lines) > letters / 2:
            columns.reverse()  # Arabic columns are read from the right
        return [line for column in columns for line in reading_order(column, depth + 1)]
    if horizontal:
        cuts = sorted((middle for width, middle in horizontal if width >= 0.9 * widest_h), reverse=True)
        bands = _split(lines, cuts, key=lambda line: -line.y0, descending=True)
        return [line for band in bands for line in reading_order(band, depth + 1)]
    return sorted(lines, key=lambda line: (-line.baseline, line.x0))


def _split(lines: list[Line], cuts: list[float], key, descending: bool = False) -> list[list[Line]]:
    """Lines grouped into the regions between cuts (left to right, or top to bottom when descending)."""
    bounds = [-cut for cut in cuts] if descending else cuts
    regions: list[list[Line]] = [[] for _ in range(len(bounds) + 1)]
    for line in lines:
        regions[bisect.bisect_left(bounds, key(line))].append(line)
    return [region for region in regions if region]


def layout_page(device: GlyphDevice) -> PageLayout:
    """The page the device has just drawn, as lines in reading order."""
    lines = reading_order(build_lines(device.glyphs)) if device.glyphs else []
    for _turn, glyphs in sorted(device.turned.items()):
        lines += reading_order(build_lines(glyphs))
    return PageLayout(device.width, device.height, lines, pictures=device.images)
