"""Window sizes chosen from the screen a window opens on: the first window fits a 1366×768 laptop."""

from __future__ import annotations

from qirtas.desktop.qt import QGuiApplication, QSize, QWidget

SCREEN_SHARE = 0.9  # of the available area (the screen less panels and docks)
LARGEST = QSize(1600, 1000)  # on a large screen the first window stays a comfortable size


def initial_size(available: QSize, minimum: QSize, largest: QSize = LARGEST) -> QSize:
    """90 % of the available area, capped at `largest`, never below `minimum` unless the screen is."""

    def side(room: int, least: int, most: int) -> int:
        return max(min(round(room * SCREEN_SHARE), most), min(least, room))

    return QSize(
        side(available.width(), minimum.width(), largest.width()),
        side(available.height(), minimum.height(), largest.height()),
    )


def available_size(widget: QWidget) -> QSize:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size()


def fit_to_screen(window: QWidget, largest: QSize = LARGEST) -> None:
    """Give a window its first size from the screen it will open on."""
    window.resize(initial_size(available_size(window), window.minimumSizeHint(), largest))


def keep_on_screen(window: QWidget) -> None:
    """Shrink a window (say, a geometry saved on a larger monitor) to the screen it is on now."""
    available = available_size(window)
    if window.width() > available.width() or window.height() > available.height():
        window.resize(window.size().boundedTo(available))
