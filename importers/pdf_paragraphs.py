"""From ordered lines to paragraphs: line spacing, columns and pages a paragraph runs across, running
headers and footers, hyphenation, and each paragraph's text in logical order."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from qirtas.importers.pdf_arabic import bracket_errors, reorder, repair_text
from qirtas.importers.pdf_layout import Line, PageLayout

MARGIN_BAND = 0.1  # headers and footers live in the top and bottom tenth of a page
_SENTENCE_END = re.compile(r"[.!?؟:;\"”»)…]\s*$")
_SENTENCE_START = re.compile(r"^\s*[.!?؟:;\"“«(…]")  # a sentence end seen in visual order
_HYPHENATED = re.compile(r"(\w+)[-\u00ad\u2010]$")
_LEADING_WORD = re.compile(r"^(\w+)")
_PAGE_NUMBER = re.compile(
    r"^[\W_]*((page|p\.|pg\.|seite|página|صفحة|الصفحة)\s*)?#(\s*(of|/|من|de|von)\s*#)?[\W_]*$"
)
_CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _margin_key(line: Line) -> str:
    return re.sub(r"\d+", "#", " ".join(line.visual_text.casefold().split()))


def remove_running_lines(pages: list[PageLayout]) -> int:
    """Headers and footers that repeat in the page margins are kept once, where they first appear;
    page numbers (lines of digits and words like "page", "of") are dropped everywhere.

    A line counts when the same text, digits aside, sits in the top or bottom tenth of at least half of
    the pages (and of two pages at least). Returns how many lines were removed.
    """
    if len(pages) < 2:
        return 0
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {_margin_key(line) for line in page.lines if _in_margin(line, page)}
        seen.update(keys)
    running = {key for key, count in seen.items() if count >= max(2, len(pages) / 2)}
    if not running:
        return 0
    kept_once: set[str] = set()
    removed = 0
    for page in pages:
        kept = []
        for line in page.lines:
            key = _margin_key(line)
            if _in_margin(line, page) and key in running:
                if key in kept_once or _PAGE_NUMBER.match(key):
                    removed += 1
                    continue
                kept_once.add(key)
            kept.append(line)
        page.lines = kept
    return removed


def _in_margin(line: Line, page: PageLayout) -> bool:
    return line.y0 >= page.height * (1 - MARGIN_BAND) or line.y1 <= page.height * MARGIN_BAND


def line_pitch_ratio(pages: list[PageLayout]) -> float:
    """The usual distance between baselines of one paragraph, in font sizes (for the whole document)."""
    ratios = []
    for page in pages:
        for prev, line in zip(page.lines, page.lines[1:], strict=False):
            if _stacked(prev, line):
                ratios.append((prev.baseline - line.baseline) / max(prev.size, line.size))
    ratios = [ratio for ratio in ratios if 0.8 <= ratio <= 2.5]
    return statistics.median(ratios) if ratios else 1.25


def _stacked(prev: Line, line: Line) -> bool:
    """`line` sits right under `prev`: same size, overlapping horizontally, lower on the page."""
    same_size = abs(prev.size - line.size) <= 0.15 * max(prev.size, line.size)
    overlap = min(prev.x1, line.x1) - max(prev.x0, line.x0) > 0
    return same_size and overlap and prev.baseline > line.baseline


def paragraphs_of(page: PageLayout, pitch_ratio: float) -> list[list[Line]]:
    """Lines of one page grouped into paragraphs (by line spacing, size, and where lines end)."""
    paragraphs: list[list[Line]] = []
    for line in page.lines:
        if paragraphs and (
            _same_row(paragraphs[-1][-1], line)
            or _continues(paragraphs[-1], line, pitch_ratio)
            or _next_column(paragraphs[-1], line)
        ):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def _same_row(prev: Line, line: Line) -> bool:
    """Two pieces of one printed line, split at a wide space (justified text, a table row)."""
    size = max(prev.size, line.size)
    gap = max(line.x0 - prev.x1, prev.x0 - line.x1)
    return abs(prev.baseline - line.baseline) <= 0.3 * size and gap < 3 * size


def _next_column(paragraph: list[Line], line: Line) -> bool:
    """A paragraph that runs from the foot of one column to the head of the next: the next line is
    higher on the page, the paragraph's last line is full and ends mid-sentence, and (in scripts with
    case) the next line starts with a small letter."""
    prev = paragraph[-1]
    if line.baseline <= prev.baseline or len(paragraph) < 2 or abs(prev.size - line.size) > 0.15 * prev.size:
        return False
    return continues_sentence(paragraph, line)


def continues_sentence(paragraph: list[Line], line: Line) -> bool:
    """The paragraph's last line is full width and stops mid-sentence, and `line` goes on with it."""
    prev = paragraph[-1]
    width = max(item.x1 for item in paragraph) - min(item.x0 for item in paragraph)
    if prev.x1 - prev.x0 < 0.85 * width:
        return False
    if prev.rtl > 0.5:
        text = prev.visual_text
        return not (_SENTENCE_END.search(text) or _SENTENCE_START.match(text)) and line.rtl > 0.5
    # A small letter next goes on with the sentence, even after a full stop ("the U.S." / "income").
    first = line.visual_text.lstrip()[:1]
    return first.islower() and not prev.visual_text.rstrip().endswith((":", "!", "?", "؟"))


def _continues(paragraph: list[Line], line: Line, pitch_ratio: float) -> bool:
    prev = paragraph[-1]
    if not _stacked(prev, line):
        return False
    size = max(prev.size, line.size)
    if prev.baseline - line.baseline > (pitch_ratio + 0.3) * size:
        return False
    # A line that stops short of the paragraph's edge and ends a sentence ends the paragraph.
    letters = sum(len(item.glyphs) for item in paragraph)
    if sum(item.rtl * len(item.glyphs) for item in paragraph) > letters / 2:
        short = prev.x0 - min(min(item.x0 for item in paragraph), line.x0) > 2 * size
        ends = bool(_SENTENCE_END.search(prev.visual_text) or _SENTENCE_START.match(prev.visual_text))
    else:
        short = max(max(item.x1 for item in paragraph), line.x1) - prev.x1 > 2 * size
        # In ragged-right text a short line is common; a small letter next says the sentence goes on.
        ends = bool(_SENTENCE_END.search(prev.visual_text)) and not line.visual_text.lstrip()[:1].islower()
    return not (short and ends)


def paragraph_text(lines: list[Line], mirror_brackets: bool, vocabulary: Vocabulary | None = None) -> str:
    """Logical text of one paragraph: each line reordered, hyphenated words rejoined, lines joined."""
    letters = sum(len(line.glyphs) for line in lines)
    rtl = sum(line.rtl * len(line.glyphs) for line in lines) > letters / 2
    texts = []
    for line in lines:
        plain, mirrored = reorder(line.units, rtl)
        texts.append(" ".join((mirrored if mirror_brackets else plain).split()))
    joined = texts[0] if texts else ""
    for text in texts[1:]:
        joined = join_lines(joined, text, vocabulary)
    return repair_text(joined)


def heading_of(page: PageLayout, mirror_brackets: bool) -> str:
    """The first page's title when it is set larger than its text: the first run of lines, in reading
    order, in the page's largest type (at least 15 % above the usual size). "" when there is none."""
    lines = [line for line in page.lines if any(char.isalpha() for char in line.visual_text)]
    if len(lines) < 2:
        return ""
    largest = max(line.size for line in lines)
    usual = statistics.median(line.size for line in lines)
    if largest < 1.15 * usual:
        return ""
    heading: list[Line] = []
    for line in lines:
        if line.size >= 0.95 * largest:
            heading.append(line)
        elif heading:
            break
    return " ".join(paragraph_text(heading, mirror_brackets).split())


def bracket_vote(lines: list[Line]) -> int:
    """Positive when this document's right-to-left brackets read right only mirrored."""
    vote = 0
    for line in lines:
        if line.rtl == 0 or not any(char in "()[]{}" for char in line.visual_text):
            continue
        plain, mirrored = reorder(line.units, line.rtl > 0.5)
        vote += bracket_errors(plain) - bracket_errors(mirrored)
    return vote


@dataclass
class Vocabulary:
    """What the document itself says about hyphens: its words as written inside lines, and whether
    its producer marks a hyphenation break with its own character (then a plain "-" at a line end is a
    real hyphen, as in "identity-based")."""

    words: Counter[str] = field(default_factory=Counter)
    marks_soft_breaks: bool = False


def join_lines(text: str, following: str, vocabulary: Vocabulary | None = None) -> str:
    """Join two lines of a paragraph, rejoining a word hyphenated across them.

    A soft hyphen or U+2010 at a line end is a hyphenation break: removed. A plain "-" is removed too,
    unless the document writes the compound with a hyphen elsewhere (and never closed up), its producer
    marks hyphenation breaks differently, or the next line starts with a capital (Counter-Terrorism).
    """
    match = _HYPHENATED.search(text)
    next_word = _LEADING_WORD.match(following)
    if match and next_word and match.group(1)[-1:].isalpha():
        head, tail = match.group(1), next_word.group(1)
        if text[-1] != "-":
            return text[:-1] + following
        if tail[:1].isupper():
            return text + following
        if tail[:1].islower():
            vocabulary = vocabulary or Vocabulary()
            compound = vocabulary.words[f"{head}-{tail}".casefold()]
            closed = vocabulary.words[f"{head}{tail}".casefold()]
            if compound > closed or (vocabulary.marks_soft_breaks and not closed):
                return text + following
            return text[:-1] + following
    if _CJK.match(text[-1:]) and _CJK.match(following[:1]):
        return text + following  # Chinese and Japanese lines join without a space
    return f"{text} {following}"


def vocabulary_of(pages: list[PageLayout], producer: str = "") -> Vocabulary:
    """Words (hyphenated compounds kept whole) as the document writes them inside its lines."""
    vocabulary = Vocabulary(marks_soft_breaks=producer.startswith("Skia/PDF"))
    for page in pages:
        for line in page.lines:
            if line.rtl >= 0.5:
                continue
            text = line.visual_text.casefold()
            if text.endswith(("\u00ad", "\u2010")):
                vocabulary.marks_soft_breaks = True
            vocabulary.words.update(re.findall(r"\w+(?:-\w+)*(?=[^\w-])", text))
    return vocabulary
