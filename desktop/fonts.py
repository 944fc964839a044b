"""Fonts shipped as Python packages, registered at start-up so Arabic is shaped on any machine."""

from __future__ import annotations

import logging

from qirtas.desktop.qt import QFont, QFontDatabase

log = logging.getLogger(__name__)

FONT_PACKAGES = ("noto-sans", "noto-sans-arabic", "amiri")
UI_FAMILIES = ["Noto Sans", "Noto Sans Arabic"]
ARABIC_READING_FAMILIES = ["Amiri", "Noto Sans Arabic", "Noto Sans"]
LATIN_READING_FAMILIES = ["Noto Sans", "Noto Sans Arabic"]

_registered: list[str] | None = None


def register_fonts() -> list[str]:
    """Add the packaged font files to Qt's font database; returns the families now available."""
    global _registered
    if _registered is not None:
        return _registered
    import fontpkg

    families: list[str] = []
    for package in FONT_PACKAGES:
        try:
            files = fontpkg.family(package).files
        except Exception as error:  # a missing font package leaves the system fonts in charge
            log.warning("font package %s unavailable: %s", package, error)
            continue
        for font_file in files:
            font_id = QFontDatabase.addApplicationFont(str(font_file.path))
            if font_id >= 0:
                families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    _registered = families
    return families


def ui_font(point_size: float | None = None) -> QFont:
    """The application font: Noto Sans for Latin with Noto Sans Arabic behind it."""
    font = QFont()
    font.setFamilies(UI_FAMILIES)
    if point_size:
        font.setPointSizeF(point_size)
    return font
