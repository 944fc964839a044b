"""The first window fits a 1366×768 laptop; the document table reads without scrolling sideways at 1280×800."""

from __future__ import annotations

import pytest
from qirtas.desktop.qt import QGuiApplication, QSize

from tests.conftest import show_demo_window

pytestmark = pytest.mark.usefixtures("qapp")

PANEL = 32  # a desktop's panel or dock takes this much of the screen's height
TITLE_BAR = 30  # the window manager's frame around the window


def laptop(width: int, height: int) -> QSize:
    """The room a window gets on a screen of this size (what QScreen.availableGeometry reports)."""
    return QSize(width, height - PANEL)


@pytest.fixture(params=["en", "ar"])
def window(request, gui_app, demo_template, tmp_path, qtbot):
    main = show_demo_window(gui_app, demo_template, tmp_path, qtbot, request.param)
    # the fullest state: a document with suggestions, integrity findings and tags, everything selected
    main.select_document(next(i for i in main.model.ids() if main.archive.translations(i)))
    qtbot.wait(400)
    return main


def test_the_initial_size_is_most_of_the_screen_and_capped():
    from qirtas.desktop.screen_fit import LARGEST, initial_size

    minimum = QSize(470, 640)
    assert initial_size(laptop(1366, 768), minimum) == QSize(1229, 662)
    assert initial_size(laptop(1280, 800), minimum) == QSize(1152, 691)
    assert initial_size(laptop(2560, 1440), minimum) == LARGEST
    # a screen smaller than the window's minimum: the minimum, as far as the screen allows
    assert initial_size(QSize(800, 600), minimum) == QSize(720, 600)


def test_the_window_and_its_minimum_fit_a_1366_by_768_screen(window, qtbot):
    from qirtas.desktop.screen_fit import initial_size

    available = laptop(1366, 768)
    window.table.selectAll()  # the tag editor lists every tag
    qtbot.wait(100)
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= available.width()
    assert minimum.height() + TITLE_BAR <= available.height(), minimum
    first = initial_size(available, minimum)
    assert first.width() <= available.width() and first.height() + TITLE_BAR <= available.height()
    assert first.width() >= minimum.width() and first.height() >= minimum.height()
    for splitter in (window.main_splitter, window.right_splitter):
        assert splitter.minimumSizeHint().height() <= first.height()
        assert splitter.minimumSizeHint().width() <= first.width()


def test_the_window_opens_within_the_screen_it_is_on(window):
    screen = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert window.width() <= screen.width() and window.height() <= screen.height()


def test_a_geometry_saved_on_a_larger_monitor_is_brought_back_to_this_screen(window, gui_app, qtbot):
    window.resize(3000, 2000)
    window.save_settings()
    gui_app.build_window()  # a new window restores the saved geometry
    reopened = gui_app.window
    screen = (reopened.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert reopened.width() <= screen.width() and reopened.height() <= screen.height()


@pytest.mark.parametrize("size", [QSize(1280, 800), QSize(1152, 691)], ids=["maximised", "first-size"])
def test_the_table_columns_read_without_scrolling_sideways_at_1280_by_800(window, qtbot, size):
    from qirtas.desktop.views.document_table import column_samples
    from qirtas.desktop.views.models import COLUMNS

    window.resize(size)
    qtbot.wait(100)
    table = window.table
    header = table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0
    assert sum(header.sectionSize(i) for i in range(header.count())) <= table.viewport().width()
    metrics = table.fontMetrics()
    for index, column in enumerate(COLUMNS):
        width = header.sectionSize(index)
        assert width >= header.sectionSizeHint(index), column.key  # the heading and its sort arrow
        for text in column_samples(column.key):  # every date, language and status reads whole
            assert width >= metrics.horizontalAdvance(text), (column.key, text)
    title = header.sectionSize(0)
    assert title >= 24 * metrics.averageCharWidth(), title  # a title reads, not a few letters


def test_the_review_window_fits_the_screen(window, qtbot):
    window.review_translation()
    review = window.review_window
    qtbot.waitExposed(review)
    screen = (review.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert review.width() <= screen.width() and review.height() <= screen.height()
    assert review.minimumSizeHint().height() + TITLE_BAR <= laptop(1366, 768).height()
    review.close()
