"""The main window on the demo archive: rows, facets, search, sorting, deleting, switching language."""

from __future__ import annotations

import pytest
from qirtas.desktop.qt import QMessageBox, Qt

pytestmark = pytest.mark.usefixtures("qapp")


def titles(window) -> list[str]:
    model = window.model
    return [model.data(model.index(row, 0)).strip("\u202a\u202b\u202c") for row in range(model.rowCount())]


def sidebar_item(window, name_en):
    tag = next(t for t in window.archive.tags() if t.name_en == name_en)
    return tag, window.sidebar.item_for(tag.id)


def test_window_opens_on_the_demo_archive_with_every_seed(demo_window):
    total = demo_window.archive.count()
    assert total >= 5 and demo_window.model.rowCount() == total
    assert any(title.startswith("مندوب الصين") for title in titles(demo_window))
    assert f"{total} documents in the archive" in demo_window.counts_label.text()
    facets = [demo_window.sidebar.tree.topLevelItem(i).text(0) for i in range(3)]
    assert facets == ["Events", "Regions", "Themes"]


def test_ticking_a_facet_narrows_the_table_and_clear_restores_it(demo_window):
    tag, item = sidebar_item(demo_window, "Social media")
    assert item.text(1) == "2"  # count for the current result, before ticking
    item.setCheckState(0, Qt.CheckState.Checked)
    assert demo_window.model.rowCount() == 2
    ids = demo_window.model.ids()
    assert all(tag.id in {t.id for t in demo_window.archive.document_tags(i)["theme"]} for i in ids)
    # a second theme in the same facet widens (OR); a region narrows (AND)
    _tag, hate = sidebar_item(demo_window, "Hate speech")
    hate.setCheckState(0, Qt.CheckState.Checked)
    assert demo_window.model.rowCount() == 2
    _tag, china = sidebar_item(demo_window, "China")
    china.setCheckState(0, Qt.CheckState.Checked)
    assert demo_window.model.rowCount() == 0
    demo_window.sidebar.clear_button.click()
    assert demo_window.model.rowCount() == demo_window.archive.count()


def test_a_parent_region_counts_and_finds_the_places_inside_it(demo_window):
    _tag, central_asia = sidebar_item(demo_window, "Central Asia")
    _tag, dushanbe = sidebar_item(demo_window, "Dushanbe")
    assert dushanbe.parent() is not None  # nested: … › Tajikistan › Dushanbe
    assert central_asia.text(1) == "2"  # the Dushanbe report and its Arabic translation
    central_asia.setCheckState(0, Qt.CheckState.Checked)
    assert len(titles(demo_window)) == 2
    assert any("Dushanbe" in title for title in titles(demo_window))
    assert any("دوشانبي" in title for title in titles(demo_window))


def test_search_shows_matches_and_highlights_them_in_the_reader(demo_window, qtbot):
    demo_window.search_field.setText("Dushanbe")
    qtbot.waitUntil(lambda: demo_window.state.query == "Dushanbe", timeout=3000)
    assert demo_window.model.rowCount() == 1
    reader = demo_window.reader
    assert reader.document is not None and "Dushanbe" in reader.document.title
    assert reader.highlights
    document = reader.browser.document()
    for start, end in reader.highlights:
        cursor = reader.browser.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
        assert cursor.selectedText().casefold() == "dushanbe"
    start, _end = reader.highlights[0]
    block = document.findBlock(start)
    fragment_format = None
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.position() <= start < fragment.position() + fragment.length():
            fragment_format = fragment.charFormat()
        iterator += 1
    assert fragment_format is not None and fragment_format.background().color().name() == "#ffd54f"


def test_arabic_search_matches_with_hamza_variants_and_is_highlighted(demo_window):
    demo_window.search_field.setText("الانترنت")  # without hamza; the text has الإنترنت
    demo_window._search_now()
    assert demo_window.model.rowCount() >= 1
    demo_window.select_document(
        next(i for i in demo_window.model.ids() if demo_window.archive.get(i).language == "ar")
    )
    reader = demo_window.reader
    cursor = reader.browser.textCursor()
    start, end = reader.highlights[0]
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() in ("الإنترنت", "الانترنت")


def test_a_search_with_no_match_says_so(demo_window):
    demo_window.search_field.setText("zzzyqx")
    demo_window._search_now()
    assert demo_window.model.rowCount() == 0
    assert demo_window.search_hint.isVisibleTo(demo_window)
    assert demo_window.search_hint.text()


def test_facet_counts_follow_the_search_result(demo_window):
    demo_window.search_field.setText("Dushanbe")
    demo_window._search_now()
    _tag, social = sidebar_item(demo_window, "Social media")
    _tag, extremism = sidebar_item(demo_window, "Violent extremism")
    assert social.text(1) == ""
    assert extremism.text(1) == "1"


def test_sorting_by_title_and_back(demo_window):
    header = demo_window.table.horizontalHeader()
    demo_window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == 0
    ascending = titles(demo_window)
    assert ascending == sorted(ascending)
    demo_window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert titles(demo_window) == ascending[::-1]


def test_delete_asks_first_and_removes_the_documents(demo_window, monkeypatch, wait_for_writes):
    asked = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    demo_window.table.selectRow(0)
    doomed = demo_window.selected_ids()
    total = demo_window.archive.count()
    demo_window.commands.delete.trigger()  # answered No
    assert not demo_window.session.queue.busy
    assert demo_window.model.rowCount() == total
    demo_window.commands.delete.trigger()  # answered Yes
    assert "Delete 1 document" in asked[-1]
    wait_for_writes(demo_window.session)
    assert demo_window.model.rowCount() == total - 1 == demo_window.archive.count()
    assert doomed[0] not in demo_window.model.ids()


def test_switching_to_arabic_mirrors_the_window_and_is_remembered(gui_app, demo_window):
    from qirtas.desktop.qt import QApplication

    gui_app.switch_language("ar")
    window = gui_app.window
    assert window is not demo_window
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert gui_app.settings.value("language") == "ar"
    window.resize(1200, 700)
    window.show()
    QApplication.processEvents()
    sidebar_x = window.sidebar.mapTo(window, window.sidebar.rect().topLeft()).x()
    table_x = window.table.mapTo(window, window.table.rect().topLeft()).x()
    assert sidebar_x > table_x  # the facets sit on the right in the Arabic layout
    assert window.model.rowCount() == window.archive.count()
    gui_app.switch_language("en")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert gui_app.window.menuBar().actions()[0].text() == "&File"


def test_settings_remember_the_archive_and_splitters(gui_app, demo_window):
    demo_window.main_splitter.setSizes([200, 500, 500])
    demo_window.save_settings()
    assert gui_app.settings.value("window/main_splitter") is not None
    assert str(demo_window.archive.path) in [str(p) for p in gui_app.settings.value("recent_archives")]


def test_qt_widgets_count_in_the_digits_chosen_for_arabic(gui_app):
    from qirtas.desktop.app import qt_locale
    from qirtas.i18n.formatting import set_digits

    assert qt_locale("ar").toString(1234).startswith("1")  # Latin digits by default, like Babel's
    set_digits("arab")
    try:
        assert qt_locale("ar").toString(123) == "١٢٣"
    finally:
        set_digits("latn")
    assert qt_locale("en").toString(1234) == "1,234"


def test_a_broad_search_shows_its_first_rows_at_once_and_the_rest_follow_without_moving_them(
    demo_window, qtbot, monkeypatch
):
    from qirtas.archive.search import results as search

    archive = demo_window.archive
    exact = archive.search("the", limit=0).ids
    assert len(exact) >= 3
    # limits small enough for the demo archive: more than 2 matches is "broad", 2 rows come at once
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "CANDIDATES", 2)
    first = archive.search("the", limit=1, quick=True).ids
    assert len(first) == 2
    held = []  # the read thread's work, held back to see the window before the rest arrives
    monkeypatch.setattr(demo_window.session, "read", lambda work, done: held.append((work, done)))
    demo_window.search_field.setText("the")
    qtbot.waitUntil(lambda: demo_window.state.query == "the", timeout=3000)
    assert demo_window.model.ids() == first
    assert "more than 2 shown" in demo_window.counts_label.text()
    for work, done in held:
        done(work())
    shown = demo_window.model.ids()
    assert shown[:2] == first
    assert shown[2:] == [i for i in exact if i not in first]
    assert f"{len(exact)} shown" in demo_window.counts_label.text()
    assert "more than" not in demo_window.counts_label.text()
