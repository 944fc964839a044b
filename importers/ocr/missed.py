"""Lines Tesseract's layout analysis passed over, found by their ink and read again at a size it reads.

The Arabic model reads nothing of a line whose letters are much taller than body text: a bold 18 pt
title at 300 dpi came back empty from the whole page and from a cut-out of its own line, and whole at half
the size. A band of rows with ink and no word in it is cut out, scaled to body-text height, and read;
the bands of a page are stacked into one strip, read in one call.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps
from qirtas.importers.ocr import engine as tesseract
from qirtas.importers.ocr.prepare import binarised
from qirtas.importers.ocr.text import Word, words_of

_INK_ROW = 2  # a row's mean ink (0–255) from which it belongs to a line
_JOIN_GAP = 6  # pixels: rows of one line separated by less (the dots under Arabic letters)
_MIN_BAND, _MAX_BAND = 14, 400  # pixels: thinner is a rule or specks, taller a picture
_BODY_HEIGHT = 45  # pixels: a band is scaled down to about this height before it is read
_SURE = 60.0  # a band's reading is kept when its words' mean confidence reaches this
_MAX_BANDS = 20
_GAP = 30


def recover_missed_lines(
    page: Image.Image, words: list[Word], languages: str, engine: tesseract.Engine, dpi: int
) -> None:
    """Insert, in place and in page order, the words of ink bands no word of `words` covers."""
    bands = [band for band in _ink_bands(page) if not _covered(band, words)][:_MAX_BANDS]
    if not bands:
        return
    crops = []
    for top, bottom in bands:
        crop = page.crop((0, max(0, top - 8), page.width, min(page.height, bottom + 8)))
        scale = min(1.0, _BODY_HEIGHT / (bottom - top))
        if scale < 1.0:
            crop = crop.resize(
                (max(1, round(crop.width * scale)), max(1, round(crop.height * scale))),
                Image.Resampling.LANCZOS,
            )
        crops.append(crop)
    strip, places = _stacked(crops)
    png = io.BytesIO()
    strip.save(png, "PNG", compress_level=1)
    try:
        found = words_of(tesseract.recognise(engine, png.getvalue(), languages, 6, dpi, 120))
    except tesseract.EngineFailed:
        return  # the page's own reading stands
    for number, ((top, _bottom), (start, end)) in enumerate(zip(bands, places, strict=True)):
        line = [word for word in found if start <= word.box[1] + word.box[3] / 2 < end]
        if not line or sum(word.confidence for word in line) / len(line) < _SURE:
            continue
        for word in line:  # a paragraph of its own, placed at the band's height on the page
            word.block = (-1 - number, word.block[1], word.block[2])
            word.box = (word.box[0], top, word.box[2], word.box[3])
        _insert(words, line, top)


def _ink_bands(page: Image.Image) -> list[tuple[int, int]]:
    ink = ImageOps.invert(binarised(page))
    rows = ink.resize((1, ink.height), Image.Resampling.BOX).tobytes()
    bands: list[list[int]] = []
    for row, value in enumerate(rows):
        if value < _INK_ROW:
            continue
        if bands and row - bands[-1][1] <= _JOIN_GAP:
            bands[-1][1] = row
        else:
            bands.append([row, row])
    return [(top, bottom) for top, bottom in bands if _MIN_BAND <= bottom - top <= _MAX_BAND]


def _covered(band: tuple[int, int], words: list[Word]) -> bool:
    top, bottom = band
    return any(top <= word.box[1] + word.box[3] / 2 <= bottom for word in words)


def _stacked(crops: list[Image.Image]) -> tuple[Image.Image, list[tuple[int, int]]]:
    strip = Image.new(
        "L", (max(crop.width for crop in crops), sum(crop.height + _GAP for crop in crops) + _GAP), 255
    )
    places = []
    top = _GAP
    for crop in crops:
        strip.paste(crop, (0, top))
        places.append((top - _GAP // 2, top + crop.height + _GAP // 2))
        top += crop.height + _GAP
    return strip, places


def _insert(words: list[Word], line: list[Word], top: int) -> None:
    """Before the first paragraph that starts below `top` (never inside a paragraph)."""
    position = len(words)
    for index, word in enumerate(words):
        first_of_paragraph = index == 0 or words[index - 1].block[:2] != word.block[:2]
        if first_of_paragraph and word.box[1] > top:
            position = index
            break
    words[position:position] = line
