"""The banner of a read-only archive (a DVD, a write-protected disk): what the window can still do."""

from __future__ import annotations

from qirtas.desktop.qt import QLabel, QMainWindow, Qt, QToolBar
from qirtas.i18n import _

BANNER_NAME = "read-only-banner"


def show_read_only_banner(window: QMainWindow) -> QToolBar:
    """A fixed strip above the window's contents saying the archive cannot be changed, and why."""
    label = QLabel(
        _(
            "This archive is read-only (on a disk Qirtas cannot write to): you can read, search, verify and "
            "export it, not change it. Copy it to a writable disk to import or tag."
        )
    )
    label.setWordWrap(True)
    label.setContentsMargins(8, 4, 8, 4)
    label.setStyleSheet("QLabel { background: #fff4ce; color: #3b2f00; }")
    banner = QToolBar(window)
    banner.setObjectName(BANNER_NAME)
    banner.setAccessibleName(_("Read-only archive"))
    banner.setMovable(False)
    banner.setFloatable(False)
    banner.toggleViewAction().setEnabled(False)
    banner.addWidget(label)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, banner)
    return banner
