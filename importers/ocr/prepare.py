"""A page image made easy to read for Tesseract: grey, at its working resolution, level, clean.

Each step earned its place on the degraded scans of tests/fixtures/ocr (CER of Arabic / English / mixed,
Tesseract on the upscaled, straightened page: 5.2 / 0.9 / 3.0 %): a 3×3 median filter at the scan's
resolution and again after upscaling to 300 dpi, then a global (Otsu) threshold, so that specks and grain
do not become letters and dots (2.7 / 0.1 / 0.9 %; one median 5×5 after upscaling: 4.1 / 0.1 / 2.5 %).
"""

from __future__ import annotations

from PIL import Image, ImageChops, ImageFilter, ImageOps
from qirtas.importers.ocr.settings import MAX_PIXELS

WORKING_DPI = 300
_SKEW_LIMIT = 3.0  # degrees either way: a page more crooked than that is rotated by OSD, not here
_PROFILE_WIDTH = 800  # pixels: the skew is measured on a small copy (≈20 ms a try)


def prepared(image: Image.Image, dpi: int, noisy: bool) -> Image.Image:
    """The page in grey at WORKING_DPI, straightened; denoised and thresholded when `noisy`."""
    grey = image.convert("L")
    if noisy:  # at the scan's own resolution first, where a speck is a pixel or two
        grey = grey.filter(ImageFilter.MedianFilter(3))
    scale = WORKING_DPI / dpi if dpi else 1.0
    if scale > 1.1 and grey.width * grey.height * scale * scale <= MAX_PIXELS:
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
    angle = skew_angle(grey)
    if abs(angle) >= 0.1:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if noisy:  # and again after upscaling: the JPEG's blocks and the grain, enlarged with the letters
        grey = binarised(grey.filter(ImageFilter.MedianFilter(3)))
    return grey


def noise_level(image: Image.Image) -> float:
    """How grainy a page is: the mean difference between the page and its median-filtered self, in
    grey levels, over a sample of it (a clean render ≈0.5, the degraded fixtures ≈9)."""
    sample = image.convert("L")
    if sample.width > 1200:
        sample = sample.crop((0, 0, 1200, min(sample.height, 1200)))
    smooth = sample.filter(ImageFilter.MedianFilter(3))
    histogram = ImageChops.difference(sample, smooth).histogram()
    total = sum(histogram) or 1
    return sum(level * count for level, count in enumerate(histogram)) / total


def otsu_level(histogram: list[int]) -> int:
    """The grey level that best splits ink from paper (Otsu 1979: maximal between-class variance)."""
    total = sum(histogram)
    weighted = sum(level * count for level, count in enumerate(histogram))
    background = below = 0.0
    best, best_level = -1.0, 128
    for level, count in enumerate(histogram):
        background += count
        if not background or background == total:
            continue
        below += level * count
        mean_low = below / background
        mean_high = (weighted - below) / (total - background)
        spread = background * (total - background) * (mean_low - mean_high) ** 2
        if spread > best:
            best, best_level = spread, level
    return best_level


def binarised(image: Image.Image) -> Image.Image:
    level = otsu_level(image.histogram())
    return image.point(lambda value: 255 if value > level else 0)


def skew_angle(image: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines level: the angle whose rows of
    ink are sharpest (largest variance of the row sums), tried coarse then fine."""
    ink = _small_ink(image)
    best = 0.0
    for step, span in ((0.5, _SKEW_LIMIT), (0.1, 0.5)):
        centre = best
        tries = [centre + step * k for k in range(-round(span / step), round(span / step) + 1)]
        best = max(tries, key=lambda angle: _sharpness(ink, angle))
    return best


def lines_run_down(image: Image.Image) -> bool:
    """Whether the page is on its side: its columns of ink are sharper than its rows (the text lines
    run top to bottom)."""
    ink = _small_ink(image)
    return _variance(ink.resize((ink.width, 1), Image.Resampling.BOX).tobytes()) > _variance(
        ink.resize((1, ink.height), Image.Resampling.BOX).tobytes()
    )


def _small_ink(image: Image.Image) -> Image.Image:
    scale = min(1.0, _PROFILE_WIDTH / image.width)
    small = image.resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.Resampling.BOX
    )
    return ImageOps.invert(binarised(small))


def _sharpness(ink: Image.Image, angle: float) -> float:
    turned = ink.rotate(angle, resample=Image.Resampling.NEAREST, expand=False, fillcolor=0) if angle else ink
    rows = turned.resize((1, turned.height), Image.Resampling.BOX).tobytes()  # each row's mean ink
    mean = sum(rows) / len(rows)
    return sum((value - mean) ** 2 for value in rows)


def _variance(values: bytes) -> float:
    mean = sum(values) / len(values)
    return sum((value - mean) ** 2 for value in values) / len(values)
