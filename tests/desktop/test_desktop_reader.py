"""The reader: each line in its own direction and font, page numbers, the original; the lazy table's cost."""

from __future__ import annotations

import pytest
from qirtas.archive.archive import NewDocument
from qirtas.desktop.qt import QFontInfo, Qt
from qirtas.desktop.views.models import PAGE_SIZE
from qirtas.importers import Extracted

pytestmark = pytest.mark.usefixtures("qapp")

MIXED = (
    "Statement on water cooperation\n"
    "\n"
    "The ministers met in Dushanbe on 3 March 2019.\n"
    "\n"
    "اجتمع الوزراء في دوشنبه يوم 3 مارس 2019 لبحث التعاون في مجال المياه.\n"
    "قال الوزير: إن «UN-Water» شريك أساسي.\n"
)


@pytest.fixture
def window_with(gui_app, archive):
    def open_with(*documents: Extracted):
        items = [
            NewDocument(e.text.encode("utf-8") + bytes([n % 256]) + str(n).encode(), e, f"doc-{n}.txt")
            for n, e in enumerate(documents)
        ]
        ids = [added.id for added in archive.add_batch(items)]
        assert gui_app.open_archive(archive.path, create=False)
        return gui_app.window, ids

    return open_with


def blocks(reader):
    block = reader.browser.document().begin()
    while block.isValid():
        yield block
        block = block.next()


def block_with(reader, text):
    return next(b for b in blocks(reader) if text in b.text())


def test_each_paragraph_takes_its_own_direction_and_arabic_font(window_with):
    window, (document_id,) = window_with(Extracted(MIXED, "text/plain", title="Statement", language="mixed"))
    window.select_document(document_id)
    reader = window.reader
    english = block_with(reader, "The ministers met")
    arabic = block_with(reader, "اجتمع الوزراء")
    mixed_line = block_with(reader, "UN-Water")
    assert english.blockFormat().layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert arabic.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert mixed_line.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft  # first strong char
    arabic_font = arabic.charFormat().font()
    assert arabic_font.families()[0] == "Amiri"
    assert QFontInfo(arabic_font).family() == "Amiri"  # the shipped font is really there, not a fallback
    assert arabic_font.pointSizeF() > english.charFormat().font().pointSizeF()
    # Laid out right-aligned: the Arabic line's text starts at the right edge of the page.
    layout = arabic.layout()
    line = layout.lineAt(0)
    width = reader.browser.document().textWidth()
    assert line.naturalTextRect().right() > width * 0.8
    assert (
        layout.lineAt(0).naturalTextRect().left()
        > block_with(reader, "The ministers").layout().lineAt(0).naturalTextRect().left()
    )


def test_the_reader_shows_metadata_status_and_tags(demo_window):
    arabic_id = next(
        i
        for i in demo_window.model.ids()
        if demo_window.archive.get(i).date and demo_window.archive.get(i).language == "ar"
    )
    demo_window.select_document(arabic_id)
    reader = demo_window.reader
    assert reader.title.text().startswith("مندوب الصين")
    assert reader.title.alignment() & Qt.AlignmentFlag.AlignRight
    assert "11 May 2016" in reader.details.text()
    assert "Arabic" in reader.details.text()
    assert "Text extracted" in reader.details.text()
    assert "Security Council meeting on terrorism and the Internet" in reader.tags.text()
    assert reader.open_button.isVisible() or reader.open_button.isVisibleTo(demo_window)
    assert not reader.page_button.isVisibleTo(demo_window)  # a text file has no page to show


def test_open_original_gives_a_read_only_copy_of_the_stored_file(demo_window):
    opened = []
    reader = demo_window.reader
    reader.open_url = lambda url: opened.append(url.toLocalFile()) or True
    demo_window.select_document(demo_window.model.id_at(0))
    reader.open_button.click()
    from pathlib import Path

    copy = Path(opened[0])
    assert copy.name == reader.document.source_name
    assert copy.read_bytes() == demo_window.archive.original_path(reader.document).read_bytes()
    assert not copy.stat().st_mode & 0o222
    reader.folder_button.click()
    assert Path(opened[1]) == demo_window.archive.original_path(reader.document).parent


def test_pdf_text_shows_page_numbers_where_pages_start(window_with):
    text = "First page text.\n\nStill the first page.\nSecond page begins here.\nنص الصفحة الثالثة."
    starts = [0, text.index("Second"), text.index("نص")]
    window, (document_id,) = window_with(
        Extracted(text, "application/pdf", title="Paged", language="mixed", page_starts=starts)
    )
    window.select_document(document_id)
    reader = window.reader
    texts = [b.text() for b in blocks(reader)]
    assert texts.index("— Page 1 —") < texts.index("First page text.")
    assert texts.index("— Page 2 —") == texts.index("Second page begins here.") - 1
    assert texts.index("— Page 3 —") == texts.index("نص الصفحة الثالثة.") - 1
    assert reader.page_button.isVisibleTo(window)


def test_a_screenful_of_rows_costs_a_few_queries(window_with, monkeypatch, qtbot):
    import threading

    documents = [Extracted(f"Report {n}\n\nBody {n}.", "text/plain", title=f"Report {n}") for n in range(250)]
    window, _ids = window_with(*documents)
    qtbot.waitUntil(lambda: not window.session.reads.busy, timeout=10_000)  # the rest of the result
    database = window.archive.db
    executed = []
    original = database.execute_sql

    def counting(sql, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():  # the GUI's own queries only
            executed.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", counting)
    model = window.model
    model.invalidate()

    def show_rows(first, last):
        for row in range(first, last):
            for column in range(model.columnCount()):
                model.data(model.index(row, column))

    screenful = 30
    show_rows(0, screenful)
    assert 1 <= len(executed) <= 3  # the rows, then their tags (table rows never load the text)
    executed.clear()
    show_rows(0, screenful)  # painting again costs nothing
    assert executed == []
    show_rows(2 * PAGE_SIZE, 2 * PAGE_SIZE + screenful)  # scrolled further down: one more page
    assert 1 <= len(executed) <= 3
    assert not any("SELECT" in sql and '"text"' in sql.split("FROM")[0] for sql in executed)


def test_a_large_result_shows_its_first_rows_at_once_and_the_rest_follows(window_with, monkeypatch, qtbot):
    import qirtas.desktop.views.window

    monkeypatch.setattr(qirtas.desktop.views.window, "FIRST_ROWS", 25)
    documents = [
        Extracted(f"Memo {n:03}\n\nText {n}.", "text/plain", title=f"Memo {n:03}") for n in range(80)
    ]
    window, ids = window_with(*documents)
    qtbot.waitUntil(lambda: window.model.rowCount() == 80, timeout=10_000)
    assert window.model.ids() == sorted(ids, reverse=True)  # newest first, none lost or repeated
    last = ids[0]  # the oldest document, at the very bottom
    window.select_document(last)
    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # by title: again 25 rows first
    assert window.model.rowCount() == 25
    qtbot.waitUntil(lambda: window.model.rowCount() == 80, timeout=10_000)
    titles = [window.archive.get(i).title for i in window.model.ids()]
    assert titles == sorted(titles, reverse=True)
    assert window.current_id() == last  # the selection found its row once the rest arrived
    assert "80 shown" in window.counts_label.text()

    # A document not yet among the rows shown (say, chosen in an import report) is found at once.
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert window.model.rowCount() == 25
    far = ids[-1]  # "Memo 079", the last by title
    assert window.model.row_of(far) is None
    assert window.select_document(far)
    assert window.current_id() == far and window.model.rowCount() == 80

    theme = window.archive.ensure_tag("theme", "Memos", "مذكرات")
    window.archive.tag_documents(ids[:30], theme)
    window.sidebar.rebuild()
    window.refresh()
    assert window.sidebar.item_for(theme.id).text(1) == ""  # the counts of a large result come …
    qtbot.waitUntil(lambda: window.sidebar.item_for(theme.id).text(1) == "30", timeout=10_000)  # … soon after
    window.search_field.setText("memo")
    window._search_now()
    assert window.model.rowCount() == 80  # a search result comes whole (ranked); its counts follow
    qtbot.waitUntil(lambda: window.sidebar.item_for(theme.id).text(1) == "30", timeout=10_000)


def test_a_word_found_by_its_french_stem_is_highlighted_in_the_reader(window_with, qtbot):
    # French stems "nationale" and "nationaux" alike; English does not: the reader must stem as the text.
    text = "Les comités nationaux ont présenté leurs rapports sur la coopération régionale.\n"
    window, _ids = window_with(Extracted(text=text, media_type="text/plain", title="Rapport", language="fr"))
    window.search_field.setText("nationale")
    qtbot.waitUntil(lambda: window.state.query == "nationale", timeout=3000)
    assert window.model.rowCount() == 1
    reader = window.reader
    marked = []
    for start, end in reader.highlights:  # positions in the reader's document
        cursor = reader.browser.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
        marked.append(cursor.selectedText())
    assert marked == ["nationaux"]
