"""Every message that embeds a title, a name, a path or query syntax keeps its own paragraph direction (the
interface language's) and the embedded run keeps its order: checked with the Unicode bidi algorithm
(python-bidi) on the text the widgets show, and for the search help with Qt's own layout."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from bidi import get_base_level, get_display
from qirtas.desktop import labels
from qirtas.desktop.dialogs import dialogs
from qirtas.desktop.dialogs.vocabulary import delete_question, merge_prompt, move_prompt
from qirtas.desktop.errors import error_sentence, unexpected_sentence
from qirtas.desktop.jobs.importing import ImportReportDialog, progress_text
from qirtas.desktop.jobs.job_outcomes import affected_documents, export_sentence
from qirtas.desktop.jobs.unlocking import unlocked_message
from qirtas.i18n import setup_i18n
from qirtas.importers.notices import warning

ARABIC_TITLE = "مؤتمر الأمم المتحدة"
LATIN_TITLE = "Security Council report"
LRI_FSI_RLI_PDI = re.compile("[\u2066-\u2069]")


@pytest.fixture(params=["en", "ar"])
def ui(request):
    """Each interface language with a title of the other script."""
    setup_i18n(request.param)
    yield SimpleNamespace(
        language=request.param,
        title=ARABIC_TITLE if request.param == "en" else LATIN_TITLE,
        level=0 if request.param == "en" else 1,
    )
    setup_i18n("en")


def visual(text: str) -> str:
    """The text in display order, the isolate controls dropped (the bidi algorithm keeps them in place)."""
    return LRI_FSI_RLI_PDI.sub("", get_display(text))


def assert_reads_right(message: str, ui, run: str, ltr: bool = False) -> None:
    """The paragraph takes the interface language's direction, and `run` appears whole, as it shows on its
    own (in its own direction, or left to right for a path): not broken up or turned round by the
    sentence around it."""
    for line in message.split("\n"):
        if run in LRI_FSI_RLI_PDI.sub("", line):
            break
    else:
        raise AssertionError(f"{run!r} not in {message!r}")
    assert get_base_level(line) == ui.level, f"paragraph direction of {line!r}"
    shown = get_display(run, base_dir="L") if ltr else get_display(run)
    assert shown in visual(line), f"{run!r} is shown as {visual(line)!r}"


def test_the_search_help_shows_query_syntax_in_its_own_order(ui):
    rows = dialogs.search_syntax_rows()
    assert_reads_right(rows[2], ui, "terror*")
    assert_reads_right(rows[3], ui, "internet -spam")
    if ui.language == "ar":
        assert "منطقة:طاجيكستان" in rows[4] and "حدث:" in rows[4] and "موضوع:" in rows[4]
        assert "تاريخ:" in rows[6] and "لغة:" in rows[5]
        assert "منطقة:" in dialogs.search_placeholder() and "region:" not in dialogs.search_placeholder()
    else:
        assert "region:Tajikistan" in rows[4] and "event:" in rows[4]


def test_the_search_help_keeps_terror_star_in_qt_layout(qapp, ui):
    """Qt's layout (not only python-bidi): in the Arabic help the asterisk stays after `terror`."""
    from qirtas.desktop.qt import QFont, Qt, QTextLayout, QTextOption

    line_text = dialogs.search_syntax_rows()[2]
    layout = QTextLayout(line_text, QFont())
    option = QTextOption()
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if ui.language == "ar" else Qt.LayoutDirection.LeftToRight
    )
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    start = line_text.index("terror*")

    def x(position: int) -> float:
        found = line.cursorToX(position)
        return found[0] if isinstance(found, tuple) else found

    # cursor positions inside the run (its edges touch the sentence and are ambiguous): after "t", after
    # "terro", after "terror" — the last one, where the asterisk starts, must be the rightmost
    assert x(start + 1) < x(start + 5) < x(start + 6), "the asterisk is drawn after the word, to its right"


def test_import_report_rows_and_progress(ui):
    item = SimpleNamespace(status="ok", warnings=[warning("pdf.damaged", reasons=ui.title)])
    assert_reads_right(ImportReportDialog._imported_outcome(item), ui, ui.title)
    assert_reads_right(progress_text(f"/tmp/{ui.title}.pdf", 3, 12), ui, f"{ui.title}.pdf")
    reading = progress_text(f"/tmp/{ui.title}.pdf", 3, 12, page=7)  # a scan being OCR'd, page by page
    assert_reads_right(reading, ui, f"{ui.title}.pdf")
    assert "7" in reading or "٧" in reading


def test_reader_warnings_read_in_the_interface_language(ui):
    lines = labels.warning_lines([warning("pdf.page-unreadable", page=27, reason=ui.title).record()])
    assert_reads_right(lines[0], ui, ui.title)
    if ui.language == "ar":
        assert "27" in lines[0] and "Page" not in lines[0]


def test_old_english_warnings_are_isolated_in_the_arabic_ui(ui):
    old = "3 repeated header, footer or page-number lines were left out of the text."
    lines = labels.warning_lines([old])
    assert_reads_right(lines[0], ui, "3 repeated header")


def test_status_bar_messages(ui):
    assert_reads_right(unlocked_message(ui.title), ui, ui.title)


def test_error_dialogs_with_paths(ui):
    path = f"/tmp/{ui.title}/qirtas.sqlite3"  # a folder that is not there: the sentence names it
    sentence = error_sentence(FileNotFoundError(2, "No such file", path))
    assert_reads_right(sentence, ui, f"/tmp/{ui.title}", ltr=True)  # a path reads left to right
    assert_reads_right(unexpected_sentence(ValueError("x"), Path(path)), ui, path, ltr=True)


def test_job_outcomes_name_paths_and_titles(ui):
    report = SimpleNamespace(cancelled=False, documents=2, format="csv", destination=f"/tmp/{ui.title}")
    assert_reads_right(export_sentence(report), ui, f"/tmp/{ui.title}", ltr=True)
    archive = SimpleNamespace(get=lambda _id: SimpleNamespace(title=ui.title))
    assert_reads_right(affected_documents([SimpleNamespace(id=1)], archive), ui, ui.title)


def test_vocabulary_dialog_names(ui):
    tag = SimpleNamespace(name_en=ui.title, name_ar=ui.title, label=lambda _language: ui.title)
    for message in (merge_prompt(tag), move_prompt(tag), delete_question(tag, 3)):
        assert_reads_right(message, ui, ui.title)


def test_isolating_closes_what_a_title_leaves_open():
    assert labels.isolated("a\u2069b") == "\u2068ab\u2069"  # a stray PDI would close our isolate early
    assert labels.isolated("\u2067x") == "\u2068\u2067x\u2069\u2069"
