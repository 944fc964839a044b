"""Two columns side by side (an English text beside its Arabic translation) found by the white gutter
between them, so that each is read on its own.

Tesseract read the bilingual two-column fixture line across line ("أشار مجلس الأمن … The Security Council
pointed …"): 80 % of its characters wrong, with or without our preparation. The page is cut into strips;
a run of strips that share a white vertical gutter in the middle half of the page, with ink on both
sides, is a two-column region; what is above and below it is read across the page.
"""

from __future__ import annotations

from PIL import Image, ImageOps
from qirtas.importers.ocr.prepare import binarised

Box = tuple[int, int, int, int]  # left, top, right, bottom

_STRIP = 60  # pixels (at 300 dpi: about one line of body text)
_CELL = 8  # pixels: the width of a column of the profile
_GUTTER = 40  # pixels: the narrowest white gutter taken for one
_MIN_STRIPS = 4  # a two-column region is at least this tall, in strips


def regions(page: Image.Image) -> list[tuple[Box, Box | None]]:
    """The page's regions top to bottom: (box, None) read across, or (left column, right column)."""
    ink = ImageOps.invert(binarised(page))
    width, height = ink.size
    cells = max(1, width // _CELL)
    profiles: list[bytes | None] = []  # per strip: its ink per cell, None where it has none
    for top in range(0, height, _STRIP):
        strip = ink.crop((0, top, width, min(height, top + _STRIP)))
        profile = strip.resize((cells, 1), Image.Resampling.BOX).tobytes()
        profiles.append(profile if any(profile) else None)
    found = _column_run(profiles)
    if found is None:
        return [((0, 0, width, height), None)]
    first, last, cut = found
    top, bottom, x = first * _STRIP, min(height, (last + 1) * _STRIP), cut * _CELL
    parts: list[tuple[Box, Box | None]] = []
    if top > 0:
        parts.append(((0, 0, width, top), None))
    parts.append(((0, top, x, bottom), (x, top, width, bottom)))
    if bottom < height:
        parts.append(((0, bottom, width, height), None))
    return parts


def _white(profile: bytes) -> set[int]:
    """The white cells of a strip in the middle half of the page."""
    cells = len(profile)
    return {index for index in range(cells // 4, 3 * cells // 4) if not profile[index]}


def _both_sides(profile: bytes, cut: int) -> bool:
    """Text on both sides of the gutter: inked cells over a twentieth of the page's width on each (the
    specks of a grainy scan's margin are a few cells)."""
    enough = max(5, len(profile) // 20)
    return sum(map(bool, profile[:cut])) >= enough and sum(map(bool, profile[cut:])) >= enough


def _column_run(profiles: list[bytes | None]) -> tuple[int, int, int] | None:
    """The tallest run of strips that share a white gutter, with ink on both sides of it in at least
    _MIN_STRIPS of them (a strip with ink on one side only, a column's last lines, goes along): its
    first and last strip and the gutter's middle cell."""
    best: tuple[int, int, int] | None = None
    index = 0
    while index < len(profiles):
        first = profiles[index]
        if first is None or _widest(_white(first)) * _CELL < _GUTTER:
            index += 1
            continue
        common, end = _white(first), index
        for following in range(index + 1, len(profiles)):
            profile = profiles[following]
            if profile is None:
                continue
            narrowed = common & _white(profile)
            if _widest(narrowed) * _CELL < _GUTTER:
                break
            common, end = narrowed, following
        cut = _centre(common)
        sides = sum(1 for profile in profiles[index : end + 1] if profile and _both_sides(profile, cut))
        if sides >= _MIN_STRIPS and (best is None or end - index > best[1] - best[0]):
            best = (index, end, cut)
        index = end + 1
    return best


def _runs(cells: set[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for cell in sorted(cells):
        if runs and cell == runs[-1][-1] + 1:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    return runs


def _widest(cells: set[int]) -> int:
    return max((len(run) for run in _runs(cells)), default=0)


def _centre(cells: set[int]) -> int:
    run = max(_runs(cells), key=len)
    return run[len(run) // 2]
