"""A second opinion on doubtful words, from the other language's model.

The Arabic model reads a Latin name inside an Arabic line as digits and brackets ("Microsoft" →
"]1/11010501"), and ara+eng reads some Arabic words as Latin ("عاملا" → "Wale"). Such words are cut out,
stacked into one strip and read again — by each language the page was not read with alone — and the
reading Tesseract is surer of is kept. One more call per language per page, on a strip a fraction of the
page's size.
"""

from __future__ import annotations

import io
import re

from PIL import Image
from qirtas.importers.ocr import engine as tesseract
from qirtas.importers.ocr.text import Word, words_of

_ARABIC = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN = re.compile("[A-Za-z]")
_MIXED = re.compile("[A-Za-z0-9]")
_DOUBTFUL = 85.0  # a word Tesseract is less sure of than this gets a second opinion
_BETTER_BY = 5.0  # and the other reading replaces it when it is surer by this much
_PAD, _GAP = 6, 24  # pixels around each cut-out word, and between words in the strip
_PIECE = 50.0  # a word this unsure, inside a surer one's box, is a piece of it read twice
_MAX_WORDS = 200
# pixels: a taller "word" is not a word of text (a page on its side, a picture); 200 such words would make
# a strip taller than Tesseract takes (it failed with "Error during processing")
_TALLEST = 150  # per page: a page of noise does not become a strip of thousands


def second_opinion(
    page: Image.Image, words: list[Word], languages: str, engine: tesseract.Engine, dpi: int
) -> None:
    """Replace, in place, the doubtful words of `words` by a surer reading of another model."""
    others = [code for code in ("ara", "eng") if code in engine.languages and languages != code]
    doubtful = [
        index for index, word in enumerate(words) if word.box[3] <= _TALLEST and _doubtful(word, words)
    ][:_MAX_WORDS]
    if not doubtful or not others:
        return
    crops = [_crop(page, words[index].box) for index in doubtful]
    strip, bands = _stacked(crops)
    png = io.BytesIO()
    strip.save(png, "PNG", compress_level=1)
    for code in others:
        try:
            tsv = tesseract.recognise(engine, png.getvalue(), code, 6, dpi, 120)
        except tesseract.EngineFailed:
            continue  # a second opinion only: the first reading stands
        readings = _by_band(words_of(tsv), bands)
        for index, reading in zip(doubtful, readings, strict=True):
            word = words[index]
            # An Arabic reading is not replaced by the English model's (it reads Arabic as Latin letters,
            # surely: "القنوات" → "ol gill"), unless it mixes in digits or Latin letters ("21ط610)." for
            # "(Global": real Arabic words never do).
            if code == "eng" and _ARABIC.search(word.text) and not _MIXED.search(word.text):
                continue
            if reading and reading.confidence > word.confidence + _BETTER_BY:
                word.text, word.confidence = reading.text, reading.confidence
    words[:] = [word for word in words if not _inside_another(word, words)]


def _inside_another(word: Word, words: list[Word]) -> bool:
    """A doubtful word whose box lies mostly within a surer word's on its line: a piece of that word
    read twice (the Arabic model split "Internet" into "12117" and "أع")."""
    left, _top, width, _height = word.box
    for other in words:
        if word.confidence >= _PIECE or other is word or other.block != word.block:
            continue
        if other.confidence <= word.confidence:
            continue
        overlap = min(left + width, other.box[0] + other.box[2]) - max(left, other.box[0])
        if overlap > 0.6 * width:
            return True
    return False


def _doubtful(word: Word, words: list[Word]) -> bool:
    """Unsure, or of the other script than its line (a Latin-looking word in an Arabic line)."""
    if word.confidence < _DOUBTFUL:
        return True
    if _ARABIC.search(word.text):
        return False
    line = " ".join(other.text for other in words if other.block == word.block)
    return len(_ARABIC.findall(line)) > len(_LATIN.findall(line)) and any(c.isalnum() for c in word.text)


def _crop(page: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    left, top, width, height = box
    return page.crop((left - _PAD, top - _PAD, left + width + _PAD, top + height + _PAD))


def _stacked(crops: list[Image.Image]) -> tuple[Image.Image, list[tuple[int, int]]]:
    width = max(crop.width for crop in crops) + 2 * _GAP
    height = sum(crop.height + _GAP for crop in crops) + _GAP
    strip = Image.new("L", (width, height), 255)
    bands = []
    top = _GAP
    for crop in crops:
        strip.paste(crop, (_GAP, top))
        bands.append((top, top + crop.height))
        top += crop.height + _GAP
    return strip, bands


def _by_band(words: list[Word], bands: list[tuple[int, int]]) -> list[Word | None]:
    """Each cut-out word's reading, by where it sits; None where the model saw no word or several (a
    neighbour's letters caught in the cut-out)."""
    found: list[list[Word]] = [[] for _ in bands]
    for word in words:
        middle = word.box[1] + word.box[3] / 2
        for number, (top, bottom) in enumerate(bands):
            if top - _GAP / 2 <= middle < bottom + _GAP / 2:
                found[number].append(word)
                break
    return [group[0] if len(group) == 1 else None for group in found]
