"""The Arabic interface: nothing clipped in the sidebar headers and buttons; Arabic-Indic digits setting."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QAbstractButton
from qirtas.desktop.qt import QLabel, Qt
from qirtas.i18n.formatting import set_digits


def _arabic_window(gui_app, demo_template, tmp_path, qtbot):
    path = tmp_path / "demo-ar"
    shutil.copytree(demo_template, path)
    gui_app.apply_language("ar")
    assert gui_app.open_archive(path, create=False)
    window = gui_app.window
    window.resize(1440, 900)
    qtbot.waitExposed(window)
    qtbot.wait(600)  # suggestions and counts arrive from worker threads; let the layouts settle
    return window


def test_arabic_window_mirrors_and_clips_no_sidebar_header_or_button(gui_app, demo_template, tmp_path, qtbot):
    window = _arabic_window(gui_app, demo_template, tmp_path, qtbot)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    sidebar = window.sidebar
    # the sidebar sits on the right-hand (reading) side of the table
    assert (
        sidebar.mapTo(window, sidebar.rect().topLeft()).x()
        > window.table.mapTo(window, window.table.rect().topLeft()).x()
    )

    tree = sidebar.tree
    metrics = tree.fontMetrics()
    headers = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert [item.text(0) for item in headers] == ["الأحداث", "المناطق", "المواضيع"]
    for item in headers:
        needed = metrics.horizontalAdvance(item.text(0))
        assert tree.visualItemRect(item).width() >= needed, item.text(0)

    checked = 0
    for widget in window.findChildren(QAbstractButton) + sidebar.findChildren(QLabel):
        if (
            not widget.isVisibleTo(window)
            or not widget.text()
            or (isinstance(widget, QLabel) and widget.wordWrap())
        ):
            continue
        assert widget.width() >= widget.minimumSizeHint().width(), widget.text()
        checked += 1
    assert checked >= 5  # Clear, Open original, Show in folder, Add, Remove … were measured


def test_arabic_indic_digits_setting_changes_dates_and_is_remembered(gui_app, demo_template, tmp_path, qtbot):
    window = _arabic_window(gui_app, demo_template, tmp_path, qtbot)
    model = window.model
    date_column = next(
        i for i in range(model.columnCount()) if model.headerData(i, Qt.Orientation.Horizontal) == "التاريخ"
    )

    def dates() -> str:
        return " ".join(str(model.index(row, date_column).data() or "") for row in range(model.rowCount()))

    assert "2018" in dates()
    try:
        window.commands.arabic_digits.setChecked(True)
        qtbot.waitUntil(lambda: gui_app.window is not window, timeout=5000)
        assert "٢٠١٨" in " ".join(
            str(gui_app.window.model.index(r, date_column).data() or "")
            for r in range(gui_app.window.model.rowCount())
        )
        assert gui_app.settings.value("digits") == "arab"
        assert gui_app.window.commands.arabic_digits.isChecked()
    finally:
        set_digits("latn")
