"""An encrypted PDF unlocked from the reader with its password; a wrong password changes nothing."""

from __future__ import annotations

from qirtas.archive.importing import import_paths
from qirtas.desktop.jobs.unlocking import start_unlock

from tests.conftest import REPO

LOCKED = REPO / "tests" / "fixtures" / "pdf" / "status" / "encrypted_user.pdf"


def _open_locked(demo_window, wait_for_writes):
    report = import_paths(demo_window.session.archive, [LOCKED])
    document_id = report.imported[0].id
    demo_window.refresh()
    demo_window.select_document(document_id)
    demo_window.reader.show_document(document_id)
    return document_id


def test_the_unlock_button_shows_only_for_an_encrypted_document(demo_window, wait_for_writes):
    document_id = _open_locked(demo_window, wait_for_writes)
    assert demo_window.reader.document.status == "encrypted"
    assert demo_window.reader.unlock_button.isVisibleTo(demo_window)
    other = next(i for i in demo_window.session.archive.document_ids() if i != document_id)
    demo_window.reader.show_document(other)
    assert not demo_window.reader.unlock_button.isVisibleTo(demo_window)


def test_the_right_password_shows_the_text_and_a_wrong_one_changes_nothing(
    demo_window, wait_for_writes, qtbot, monkeypatch
):
    document_id = _open_locked(demo_window, wait_for_writes)
    errors = []
    monkeypatch.setattr(
        "qirtas.desktop.views.window.show_error", lambda _parent, error, **_where: errors.append(str(error))
    )
    start_unlock(demo_window, document_id, "guess")
    wait_for_writes(demo_window.session, timeout=60_000)
    assert errors and "does not open" in errors[0]
    assert demo_window.session.archive.get(document_id).status == "encrypted"
    start_unlock(demo_window, document_id, "qirtas")
    wait_for_writes(demo_window.session, timeout=60_000)
    unlocked = demo_window.session.archive.get(document_id)
    assert unlocked.status == "ok" and unlocked.text.strip()
    assert demo_window.reader.browser.toPlainText().strip()[:40] == unlocked.text.strip()[:40]
    assert not demo_window.reader.unlock_button.isVisibleTo(demo_window)
