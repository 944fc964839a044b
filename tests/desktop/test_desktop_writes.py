"""The desktop changes an archive only on the session's write thread (issue 17, point 3).

Two checks, both at run time. `writer_guard` (tests/conftest.py, used by every desktop fixture: `gui_app`,
`demo_window`, `demo_session`) traces each SQL statement that changes the database and fails the test
when one issued from a `qirtas.desktop` module runs on any other thread than "qirtas-writer…": every
desktop test is a check, and a read that stores on the way (a review's first alignment) is caught as well
as a direct call. Here, the main user paths are driven one after another, and the writing functions of
the core are also wrapped by name, so a write that touches files only (a backup, a report) is covered and
a failure names the function. A static scan of desktop/ could not see which thread runs a closure, nor
that `Review.pairs()` writes when a text changed, so it is not used.
"""

from __future__ import annotations

import sys
import threading

import pytest
from qirtas.archive import (
    backup,
    bilingual,
    export,
    importing,
    review_report,
    suggest,
    unlocking,
    verify,
    vocabulary,
)
from qirtas.archive.archive import Archive
from qirtas.archive.bags import restore as bag_import
from qirtas.desktop.qt import QDialog, QSelectionFlag

from tests.conftest import DESKTOP_DIR, REPO

pytestmark = pytest.mark.usefixtures("qapp")

LOCKED = REPO / "tests" / "fixtures" / "pdf" / "status" / "encrypted_user.pdf"
ARCHIVE_WRITES = (
    "add",
    "add_batch",
    "replace_extraction",
    "update_document",
    "delete_document",
    "ensure_tag",
    "tag_documents",
    "untag_documents",
    "audit",
)
CORE_WRITES = {
    bilingual: ("link", "unlink"),
    vocabulary: ("rename_tag", "merge_tags", "move_region", "delete_tag"),
    suggest: ("accept", "reject", "restore", "set_theme_keywords", "reset_theme_keywords"),
    unlocking: ("unlock",),
    importing: ("import_paths",),
    bag_import: ("import_bag",),
    backup: ("backup",),
    export: ("export",),
    verify: ("repair",),
    review_report: ("write_csv", "record_report"),
}
REVIEW_WRITES = ("set_review", "merge", "split", "realign")


@pytest.fixture
def core_calls(monkeypatch):
    """Wrap every writing function of the core (in its module and wherever a desktop module bound it);
    record (function, thread) for each call made from desktop code."""
    calls: list[tuple[str, str]] = []

    def wrapped(name, function):
        def call(*args, **kwargs):
            if from_desktop():
                calls.append((name, threading.current_thread().name))
            return function(*args, **kwargs)

        return call

    for name in ARCHIVE_WRITES:
        monkeypatch.setattr(Archive, name, wrapped(f"Archive.{name}", getattr(Archive, name)))
    for name in REVIEW_WRITES:
        method = getattr(bilingual.Review, name)
        monkeypatch.setattr(bilingual.Review, name, wrapped(f"Review.{name}", method))
    for module, names in CORE_WRITES.items():
        for name in names:
            function = getattr(module, name)
            replacement = wrapped(f"{module.__name__.rsplit('.', 1)[-1]}.{name}", function)
            monkeypatch.setattr(module, name, replacement)
            for desktop_module in [
                m for n, m in list(sys.modules.items()) if n.startswith("qirtas.desktop.")
            ]:
                if getattr(desktop_module, name, None) is function:
                    monkeypatch.setattr(desktop_module, name, replacement)
    return calls


def from_desktop() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(DESKTOP_DIR):
            return True
        frame = frame.f_back
    return False


def select_rows(window, rows):
    selection = window.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(window.model.index(row, 0), QSelectionFlag.Select | QSelectionFlag.Rows)
    return window.selected_ids()


def test_the_guard_catches_a_desktop_write_on_the_gui_thread(demo_session, writer_guard):
    """The guard itself: a write made from desktop code on the GUI thread is recorded with its place."""
    code = compile(
        "archive.ensure_tag('theme', 'Written on the GUI thread')", DESKTOP_DIR + "example.py", "exec"
    )
    exec(code, {"archive": demo_session.archive})
    caught = writer_guard.off_the_writer
    assert caught and caught[0][0] == threading.main_thread().name and "example.py" in caught[0][2]
    writer_guard.writes.clear()  # this one was on purpose


def test_the_main_user_paths_write_only_on_the_write_thread(
    demo_window, qtbot, wait_for_writes, writer_guard, core_calls, monkeypatch
):
    window, session = demo_window, demo_window.session
    archive = window.archive
    done = []

    def step(name, writes=True):
        wait_for_writes(session, timeout=60_000)
        assert writer_guard.writes or not writes, f"{name} wrote nothing"
        writer_guard.check()
        done.append(name)
        writer_guard.writes.clear()

    # tag, then untag, the selection
    select_rows(window, [0, 1])
    editor = window.tag_editor
    editor.facet_combo.setCurrentIndex(editor.facet_combo.findData("theme"))
    editor.field.setText("Human rights")
    editor.add_button.click()
    step("tag")
    window.commands.undo.trigger()
    step("untag")

    # accept a suggestion in the pane
    panel = window.suggestions_panel
    window.select_document(1)
    qtbot.waitUntil(lambda: panel.suggestions is not None and panel.suggestions.document_id == 1)
    next(row for row in panel.rows if not row.isHidden()).accept_button.click()
    step("accept a suggestion")

    # review a pair, comment on another, merge, split; then unlink and link again from the review window
    translated = next(i for i in window.model.ids() if archive.translations(i))
    window.select_document(translated)
    window.review_translation()
    view = window.review_window
    step("open a review (aligned on the write thread when a text changed)", writes=False)
    view.set_status(bilingual.APPROVED)
    step("review a pair")
    view.comment.setText("check the date")
    view.save_comment()
    step("comment")
    view.merge_with_next()
    step("merge")
    view.split_current()
    step("split")
    other = view.review.ar_id if view.review.en_id == translated else view.review.en_id
    session.write(lambda: bilingual.unlink(archive, translated, other))
    wait_for_writes(session)
    view.open_document(translated)
    assert view.pages.currentWidget() is view.link_page
    writer_guard.writes.clear()
    view.link_selected()
    step("link")
    view.close()

    # rename a tag in the vocabulary manager
    window.show_vocabulary()
    manager = window.vocabulary_dialog
    manager.select_tag(archive.find_tag("theme", "Human rights").id)

    def rename(dialog):
        dialog.name_en.setText("Human rights (renamed)")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr("qirtas.desktop.dialogs.vocabulary.RenameDialog.exec", rename)
    manager.rename()
    step("rename a tag")
    manager.close()

    # unlock an encrypted PDF imported through the window
    window.imports.start([str(LOCKED)])
    step("import")
    locked = max(archive.document_ids())
    from qirtas.desktop.jobs.unlocking import start_unlock

    start_unlock(window, locked, "qirtas")
    step("unlock")
    assert archive.get(locked).status == "ok"

    # delete a document
    window.delete_documents([locked], confirm=False)
    step("delete")

    assert core_calls, "no writing function of the core was called"
    off = [(name, thread) for name, thread in core_calls if not thread.startswith("qirtas-writer")]
    assert not off, f"writing functions called off the write thread: {off}"
    called = {name for name, _thread in core_calls}
    assert {
        "Archive.tag_documents",
        "Archive.untag_documents",
        "suggest.accept",
        "Review.set_review",
        "Review.merge",
        "Review.split",
        "bilingual.link",
        "vocabulary.rename_tag",
        "importing.import_paths",
        "unlocking.unlock",
        "Archive.delete_document",
    } <= called
