"""Help › About: the version, where the archive and the log are, and the licences of what Qirtas ships."""

from __future__ import annotations

import platform
import sqlite3  # only for its version number
from importlib import metadata
from pathlib import Path

from qirtas.desktop.labels import isolated_code
from qirtas.desktop.qt import QMessageBox, QWidget, qVersion
from qirtas.i18n import _

from qirtas import __version__
from qirtas.logs import log_path

# What Qirtas ships, the distribution its version is read from, and its licence as that distribution's
# metadata declares it (License-Expression, License or classifiers; peewee's LICENSE file is MIT).
LICENCES = [
    ("Qirtas", "qirtas", "MIT"),
    ("Qt, PySide6", "PySide6-Essentials", "LGPL-3.0"),
    ("Qt PDF", "PySide6-Pdf", "LGPL-3.0"),
    ("python-bidi", "python-bidi", "LGPL-3.0"),
    ("peewee", "peewee", "MIT"),
    ("pdfminer.six", "pdfminer.six", "MIT"),
    ("Babel", "babel", "BSD-3-Clause"),
    ("charset-normalizer", "charset-normalizer", "MIT"),
    ("platformdirs", "platformdirs", "MIT"),
    ("snowballstemmer", "snowballstemmer", "BSD-3-Clause"),
    ("ftfy", "ftfy", "Apache-2.0"),
    ("bagit", "bagit", "CC0-1.0 (public domain)"),
    ("fontpkg", "fontpkg", "MIT"),
    ("Amiri", "fontpkg-amiri", "SIL OFL 1.1"),
    ("Noto Sans Arabic", "fontpkg-noto-sans-arabic", "SIL OFL 1.1"),
    ("Noto Sans", "fontpkg-noto-sans", "SIL OFL 1.1"),
]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # a frozen build may carry no metadata
        return ""


def about_text(archive: Path | None) -> str:
    lines = [
        _("Qirtas keeps English and Arabic documents offline: import, read, tag and search them."),
        "",
        _("Version {version} (Python {python}, Qt {qt}, SQLite {sqlite})").format(
            version=__version__,
            python=platform.python_version(),
            qt=qVersion(),
            sqlite=sqlite3.sqlite_version,
        ),
        _("Archive: {path}").format(path=isolated_code(archive) if archive is not None else "—"),
        _("Log file: {path}").format(path=isolated_code(log_path())),
        "",
        _("Licences of what Qirtas ships:"),
    ]
    lines += [_licence_line(*shipped) for shipped in LICENCES]
    return "\n".join(lines)


def _licence_line(name: str, distribution: str, licence: str) -> str:
    version = __version__ if distribution == "qirtas" else _version(distribution)
    return f"{name} {version}: {licence}" if version else f"{name}: {licence}"


def show_about(parent: QWidget | None, archive: Path | None) -> None:
    QMessageBox.about(parent, _("About Qirtas"), about_text(archive))
