"""One page image → PageText: prepared, its language chosen, read by Tesseract, put back into text."""

from __future__ import annotations

import io

from PIL import Image
from qirtas.i18n.script import script_counts
from qirtas.importers.ocr import engine as tesseract
from qirtas.importers.ocr.columns import regions
from qirtas.importers.ocr.missed import recover_missed_lines
from qirtas.importers.ocr.prepare import WORKING_DPI, lines_run_down, noise_level, prepared
from qirtas.importers.ocr.reread import second_opinion
from qirtas.importers.ocr.settings import AUTO, OcrSettings
from qirtas.importers.ocr.text import PageText, Word, page_text, words_of

# A page is read with one model when nearly all its letters are of one script: the Arabic model alone
# reads Arabic better than ara+eng (which turns some Arabic words into Latin garbage), and English alone
# reads English as well in a third of the time.
_ONE_SCRIPT = 0.95
_NOISY = 3.0  # grey levels (noise_level): clean renders measure under 1, copier scans about 9
_SCOUT_DPI = 100  # the language is guessed from a quick reading at this resolution
PAGE_TIMEOUT = 600.0  # seconds: a bound for the child alone; the pool's per-page limit comes first
# A page read with a mean confidence under this may be upside down (upright pages of the fixtures read
# at 90–96, upside down at 70 or less). A page on its side can read at 96 — Tesseract turns some itself,
# its lines out of order —, so sideways pages are found by their ink instead.
_UPRIGHT = 85.0
_SIDEWAYS_MARGIN = 10.0
# Blank pages (no grey level further than this from the paper's) are not sent to Tesseract.
_INK = 48


def read_page(image: Image.Image, dpi: int, settings: OcrSettings, engine: tesseract.Engine) -> PageText:
    """The text Tesseract finds on one page; an empty PageText for a blank one. A page on its side (its
    lines run down) or read with little confidence (upside down) is asked its orientation (OSD, ≈1 s, so
    not for every page) and read again upright; the surer reading is kept."""
    if _blank(image):
        return PageText(languages="")
    page = prepared(image, dpi, noise_level(image) > _NOISY)
    text = _read(page, settings, engine)
    sideways = lines_run_down(page)
    if text.confidence >= _UPRIGHT and not sideways:
        return text
    rotation = tesseract.orientation(engine, _png(page), PAGE_TIMEOUT)
    if not rotation:
        return text
    turned = _read(page.rotate(-rotation, expand=True, fillcolor=255), settings, engine)
    # On its side, the upright reading wins unless clearly less sure: Tesseract's own turn of such a page
    # reads its words as surely (96) but its lines out of order (77 % of characters wrong).
    margin = _SIDEWAYS_MARGIN if sideways else 0.0
    return turned if turned.confidence + margin > text.confidence else text


def _read(page: Image.Image, settings: OcrSettings, engine: tesseract.Engine) -> PageText:
    words: list[Word] = []
    used: set[str] = set()
    for number, (box, right) in enumerate(regions(page)):
        parts = [
            _read_region(page, part, settings, engine) for part in ([box] if right is None else [box, right])
        ]
        if right is not None and all(languages == "ara" for _words, languages in parts):
            parts.reverse()  # Arabic columns: the right-hand one first
        for index, (found, languages) in enumerate(parts):
            for word in found:  # each region's blocks stay paragraphs of their own
                word.block = ((number * 2 + index) * 1000 + word.block[0], *word.block[1:])
            words += found
            used.add(languages)
    used.discard("")  # a blank region was not read
    languages = "+".join(sorted(used)) if len(used) < 2 else "ara+eng"
    recover_missed_lines(page, words, languages, engine, WORKING_DPI)
    second_opinion(page, words, languages, engine, WORKING_DPI)
    return page_text(words, settings.threshold, languages)


def _blank(image: Image.Image) -> bool:
    low, high = image.convert("L").getextrema()  # a grey image's extrema are two numbers
    return float(high) - float(low) < _INK  # type: ignore[arg-type]


def _read_region(
    page: Image.Image, box: tuple[int, int, int, int], settings: OcrSettings, engine: tesseract.Engine
) -> tuple[list[Word], str]:
    """The words of one region of the page (boxes in page coordinates) and the languages read with."""
    region = page.crop(box)
    if _blank(region):
        return [], ""
    languages = settings.languages if settings.languages != AUTO else choose_languages(region, engine)
    words = words_of(tesseract.recognise(engine, _png(region), languages, 3, WORKING_DPI, PAGE_TIMEOUT))
    for word in words:
        left, top, width, height = word.box
        word.box = (left + box[0], top + box[1], width, height)
    return words, languages


def choose_languages(page: Image.Image, engine: tesseract.Engine) -> str:
    """ "ara", "eng" or "ara+eng", from the letters of a quick reading at low resolution."""
    installed = [language for language in ("ara", "eng") if language in engine.languages]
    if len(installed) < 2:
        return "+".join(installed) or "eng"
    scale = _SCOUT_DPI / WORKING_DPI
    small = page.resize(
        (max(1, round(page.width * scale)), max(1, round(page.height * scale))), Image.Resampling.LANCZOS
    )
    tsv = tesseract.recognise(engine, _png(small), "ara+eng", 3, _SCOUT_DPI, PAGE_TIMEOUT)
    counts = script_counts(" ".join(word.text for word in words_of(tsv)))
    arabic, latin = counts.get("arabic", 0), counts.get("latin", 0)
    if arabic + latin == 0:
        return "ara+eng"
    if arabic >= _ONE_SCRIPT * (arabic + latin):
        return "ara"
    if latin >= _ONE_SCRIPT * (arabic + latin):
        return "eng"
    return "ara+eng"


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)  # fast: the bytes go through a pipe, not to disk
    return buffer.getvalue()
