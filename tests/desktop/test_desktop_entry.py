"""The desktop integration: the freedesktop entry and the AppStream metainfo pass their validators, and the
SVG icon (package data) renders with QtSvg and is the window icon."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from tests.conftest import REPO

APP_ID = "io.github.qirtas.Qirtas"
DESKTOP_ENTRY = REPO / "packaging" / f"{APP_ID}.desktop"
METAINFO = REPO / "packaging" / f"{APP_ID}.metainfo.xml"
ICON = REPO / "desktop" / "resources" / "qirtas.svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _validator(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install desktop-file-utils appstream)")
    return path


def test_the_desktop_entry_passes_desktop_file_validate():
    result = subprocess.run(
        [_validator("desktop-file-validate"), str(DESKTOP_ENTRY)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


def test_the_metainfo_passes_appstreamcli_validate():
    result = subprocess.run(
        [_validator("appstreamcli"), "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_desktop_entry_and_metainfo_name_the_same_application_in_english_and_arabic():
    entry = dict(
        line.split("=", 1) for line in DESKTOP_ENTRY.read_text(encoding="utf-8").splitlines() if "=" in line
    )
    assert entry["Icon"] == APP_ID and entry["Exec"].startswith("qirtas gui")
    assert entry["Name[ar]"] == "قرطاس" and "Comment[ar]" in entry

    component = ElementTree.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP_ENTRY.name
    assert component.find("content_rating").get("type").startswith("oars-")
    for tag in ("name", "summary"):
        languages = {element.get(XML_LANG) for element in component.findall(tag)}
        assert languages == {None, "ar"}, f"<{tag}> in English and Arabic"
    paragraphs = {p.get(XML_LANG) for p in component.find("description").findall("p")}
    assert paragraphs == {None, "ar"}


def test_the_icon_is_valid_svg_that_qtsvg_renders(qapp):
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    ElementTree.parse(ICON)  # well-formed XML
    renderer = QSvgRenderer(str(ICON))
    assert renderer.isValid()
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert image.pixelColor(32, 32).alpha() > 0, "the sheet of paper covers the middle of the icon"


def test_the_window_icon_is_the_packaged_svg(gui_app, qapp):
    from qirtas.desktop.app import APPLICATION_ID
    from qirtas.desktop.app import ICON as PACKAGED_ICON

    assert PACKAGED_ICON.is_file()
    assert PACKAGED_ICON.read_bytes() == ICON.read_bytes()
    assert not qapp.windowIcon().isNull()
    assert not qapp.windowIcon().pixmap(32, 32).isNull()
    assert qapp.desktopFileName() == APPLICATION_ID == APP_ID
