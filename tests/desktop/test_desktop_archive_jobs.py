"""File › Export, Back up, Import bag and Tools › Verify from the window: off the GUI thread, with Cancel,
ending in one sentence."""

from __future__ import annotations

import json
import threading

import pytest
from qirtas.archive.models import Document
from qirtas.desktop.qt import QMessageBox, QSelectionFlag
from qirtas.i18n.bidi import without_isolates

pytestmark = pytest.mark.usefixtures("qapp")


def finish(qtbot, jobs, timeout=20_000):
    qtbot.waitUntil(lambda: not jobs.busy, timeout=timeout)
    return without_isolates(jobs.outcome)  # paths and titles come isolated (FSI/LRI … PDI) in the sentence


def test_export_csv_of_the_whole_archive_has_a_bom(demo_window, qtbot, tmp_path):
    jobs = demo_window.archive_jobs
    destination = tmp_path / "out" / "archive.csv"
    assert jobs.start_export("csv", destination) is not None
    assert jobs.dialog is not None and jobs.dialog.isVisible()  # the progress dialog while it runs
    outcome = finish(qtbot, jobs)
    assert outcome == f"Exported 6 documents as CSV to {destination}."
    data = destination.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "مندوب الصين" in data.decode("utf-8-sig")
    assert jobs.outcome_box.isVisible() and without_isolates(jobs.outcome_box.text()) == outcome
    assert jobs.dialog is None


def test_export_the_selection_as_json_lines(demo_window, qtbot, tmp_path):
    window = demo_window
    selection = window.table.selectionModel()
    selection.clearSelection()
    for row in (0, 1):
        selection.select(window.model.index(row, 0), QSelectionFlag.Select | QSelectionFlag.Rows)
    chosen = window.selected_ids()
    assert window.archive_jobs.export_scopes()["selection"] == 2
    destination = tmp_path / "chosen.jsonl"
    window.archive_jobs.start_export("jsonl", destination, scope="selection")
    assert finish(qtbot, window.archive_jobs).startswith("Exported 2 documents as JSON Lines")
    records = [json.loads(line) for line in destination.read_text(encoding="utf-8").splitlines()]
    assert sorted(record["id"] for record in records) == sorted(chosen)


def test_an_export_that_fails_says_why_in_a_sentence(demo_window, qtbot, tmp_path):
    jobs = demo_window.archive_jobs
    jobs.start_export("csv", tmp_path)  # a folder, not a file
    outcome = finish(qtbot, jobs)
    assert "is a folder; name a file to export to" in outcome
    assert "Traceback" not in outcome
    assert jobs.outcome_box.icon() == QMessageBox.Icon.Warning


def test_verify_finds_a_corrupted_original_and_offers_repair(demo_window, qtbot):
    window = demo_window
    jobs = window.archive_jobs
    document = Document.get_by_id(2)
    original = window.archive.original_path(document)
    original.chmod(0o644)
    original.write_bytes(original.read_bytes() + b" tampered")
    jobs.verify_action.trigger()
    outcome = finish(qtbot, jobs)
    assert outcome == "Checked 6 originals: 1 original changed since it was imported."
    title = document.title[:59].rstrip()  # a long title is shortened
    assert without_isolates(jobs.outcome_box.informativeText()) == f"Documents concerned: “{title}…”."
    assert jobs.repair_button is not None and jobs.repair_button.text() == "Repair"
    jobs.repair_button.click()
    outcome = finish(qtbot, jobs)
    assert outcome.startswith("Repair done: Search index rebuilt.")
    assert "Not repairable here: 1 original changed since it was imported" in outcome
    assert original.exists()  # an original a document refers to is never removed


def test_a_sound_archive_verifies_without_a_repair_button(demo_window, qtbot):
    jobs = demo_window.archive_jobs
    jobs.start_verify()
    outcome = finish(qtbot, jobs)
    assert outcome == ("All 6 originals are intact, the database is sound and the search index matches.")
    assert jobs.repair_button is None


def test_cancel_stops_the_verification(demo_window, qtbot):
    window = demo_window
    jobs = window.archive_jobs
    gate = threading.Event()
    window.session.queue.submit(None, gate.wait)  # keep the write thread busy until Cancel is pressed
    jobs.start_verify()
    jobs.dialog.cancel_button.click()
    assert jobs.dialog.label.text() == "Stopping…"
    gate.set()
    outcome = finish(qtbot, jobs)
    assert outcome == "Verification was cancelled after 0 originals; nothing was changed."
    assert jobs.repair_button is None


def test_backup_then_bag_round_trip_and_a_tampered_bag_is_refused(demo_window, qtbot, tmp_path):
    jobs = demo_window.archive_jobs
    jobs.start_backup(tmp_path / "backup")
    assert finish(qtbot, jobs).startswith(
        f"Backed up 6 documents to {tmp_path / 'backup'}; 6 originals copied, 0 already there."
    )
    assert (tmp_path / "backup" / "qirtas.sqlite3").is_file()

    bag = tmp_path / "bag"
    jobs.start_export("bagit", bag)
    assert finish(qtbot, jobs) == f"Exported 6 documents as BagIt bag to {bag}."
    jobs.start_bag_import(bag)  # into the same archive: every document is already there
    assert finish(qtbot, jobs) == f"Imported 0 documents from the bag {bag}. 6 were already in the archive."

    payload = next(path for path in (bag / "data").rglob("*.txt") if path.is_file())
    payload.write_text("changed", encoding="utf-8")
    jobs.start_bag_import(bag)
    outcome = finish(qtbot, jobs)
    assert jobs.outcome_box.icon() == QMessageBox.Icon.Warning
    assert outcome.startswith("The bag is not valid") and "Traceback" not in outcome


def test_file_export_asks_what_and_where_then_exports(demo_window, qtbot, tmp_path, monkeypatch):
    from qirtas.desktop.jobs import archive_jobs
    from qirtas.desktop.qt import QDialog, QFileDialog

    window = demo_window
    window.search_field.setText("Dushanbe")
    window._search_now()
    shown = list(window.result.ids)
    assert shown and len(shown) < window.archive.count()
    chosen = {}

    def answer(dialog):
        scopes = [dialog.scope.itemData(i) for i in range(dialog.scope.count())]
        chosen["scopes"] = scopes
        dialog.scope.setCurrentIndex(scopes.index("result"))
        dialog.format.setCurrentIndex(dialog.format.findData("csv"))
        return QDialog.DialogCode.Accepted

    destination = tmp_path / "dushanbe.csv"
    monkeypatch.setattr(archive_jobs.ExportDialog, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(destination), ""))
    window.archive_jobs.export_action.trigger()
    assert finish(qtbot, window.archive_jobs).startswith(f"Exported {len(shown)} document")
    assert chosen["scopes"] == ["all", "result", "selection"]
    rows = destination.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == len(shown) + 1  # the header and the documents shown
