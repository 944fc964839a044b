"""Tesseract's words back into text: lines, paragraphs, Arabic punctuation, and where the doubtful words are.

Tesseract's TSV lists words in reading order (right to left within an Arabic line), each with its block,
paragraph and line and a confidence. Lines of a paragraph are joined as the PDF importer joins them
(a hyphenated word rejoined); words keep the folding born-digital text gets (pdf_arabic.repair_text).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from qirtas.importers.pdf_arabic import repair_text
from qirtas.importers.pdf_paragraphs import join_lines


@dataclass
class Word:
    text: str
    confidence: float
    block: tuple[int, int, int]  # block, paragraph, line
    box: tuple[int, int, int, int]  # left, top, width, height


@dataclass
class PageText:
    """One OCR'd page: its text, the mean word confidence, and the spans of words under the threshold."""

    text: str = ""
    confidence: float = 0.0
    words: int = 0
    languages: str = ""
    low: list[list[int]] = field(default_factory=list)


# Marks Tesseract puts around Latin runs inside right-to-left lines: nobody typed them.
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ARABIC_LETTER = "\u0621-\u064a\u0671-\u06d3"
# Latin punctuation Tesseract reads after an Arabic word where Arabic print has its own marks.
_ARABIC_PUNCTUATION = {",": "\u060c", ";": "\u061b", "?": "\u061f"}
_ARABIC_RUN = re.compile(f"[{_ARABIC_LETTER}]")
_LATIN_RUN = re.compile("[A-Za-z]")
_TO_ARABIC_PUNCTUATION = str.maketrans(_ARABIC_PUNCTUATION)
_AFTER_ARABIC = re.compile(f"(?<=[{_ARABIC_LETTER}\u064b-\u0652])([,;?])")


def words_of(tsv: str) -> list[Word]:
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = clean_word(cells[11])
        if not text:
            continue
        left, top, width, height = (int(value) for value in cells[6:10])
        block = (int(cells[2]), int(cells[3]), int(cells[4]))
        words.append(Word(text, float(cells[10]), block, (left, top, width, height)))
    return words


def clean_word(text: str) -> str:
    text = unicodedata.normalize("NFC", repair_text(_BIDI_MARKS.sub("", text))).strip()
    return _AFTER_ARABIC.sub(lambda match: _ARABIC_PUNCTUATION[match.group(1)], text)


def page_text(words: list[Word], threshold: float, languages: str) -> PageText:
    """Paragraphs separated by a blank line, lines joined; the low-confidence words' spans in the text."""
    paragraphs: list[str] = []
    low: list[list[int]] = []
    offset = 0  # where the current paragraph starts in the page text
    for paragraph in _grouped(words, lambda word: word.block[:2]):
        text = ""
        for line in _grouped(paragraph, lambda word: word.block):
            line = in_reading_order(line)
            line_text = " ".join(word.text for word in line)
            start = len(join_lines(text, line_text)) - len(line_text) if text else 0
            text = join_lines(text, line_text) if text else line_text
            position = offset + start
            if low and low[-1][1] > position:  # its hyphen went when the lines were joined
                low[-1][1] = position
            for word in line:
                if word.confidence < threshold:
                    low.append([position, position + len(word.text)])
                position += len(word.text) + 1
        paragraphs.append(text)
        offset += len(text) + 2
    scored = [word.confidence for word in words if word.confidence >= 0]
    confidence = sum(scored) / len(scored) if scored else 0.0
    return PageText("\n\n".join(paragraphs), round(confidence, 1), len(scored), languages, low)


def in_reading_order(line: list[Word]) -> list[Word]:
    """The words of a line in logical order. In an Arabic line Tesseract lists every word right to left,
    also those of a Latin run ("Global Internet Forum" comes as Forum, Internet, Global): such a run —
    from its first word with a Latin letter on — is put back left to right (a number before it stays,
    as the bidi algorithm keeps it: it follows Arabic)."""
    arabic = sum(len(_ARABIC_RUN.findall(word.text)) for word in line)
    latin = sum(len(_LATIN_RUN.findall(word.text)) for word in line)
    if arabic <= latin:
        return line
    for word in line:  # a comma standing alone, or after a quote, in an Arabic line is an Arabic one
        if not _LATIN_RUN.search(word.text) and not any(char.isdigit() for char in word.text):
            word.text = word.text.translate(_TO_ARABIC_PUNCTUATION)
    ordered: list[Word] = []
    run: list[Word] = []
    for word in line:
        if not _ARABIC_RUN.search(word.text) and (run or _LATIN_RUN.search(word.text)):
            run.append(word)
            continue
        ordered.extend(sorted(run, key=lambda each: each.box[0]))
        run = []
        ordered.append(word)
    return ordered + sorted(run, key=lambda each: each.box[0])


def _grouped(words: list[Word], key) -> list[list[Word]]:
    groups: list[list[Word]] = []
    for word in words:
        if groups and key(groups[-1][-1]) == key(word):
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups
