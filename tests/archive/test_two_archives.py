"""Two archives in one process: every write goes to the database its own archive opened, and the window
stops (after asking) the work running in one archive before it opens another."""

from __future__ import annotations

import threading

import pytest
from qirtas.archive.archive import Archive
from qirtas.archive.importing import ImportOptions, import_paths
from qirtas.desktop.qt import QMessageBox


def notes(folder, count: int, word: str):
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"note-{number:03}.txt").write_text(f"Field note {number} {word}\n\nAbout {word} wells.\n")
    return folder


def search_total(archive: Archive, word: str) -> int:
    return archive.search(word, limit=1000).total


def test_an_import_keeps_writing_to_its_archive_when_another_opens_meanwhile(tmp_path):
    first = Archive.open(tmp_path / "first")
    folder = notes(tmp_path / "incoming", 60, "qanat")
    paused, resume = threading.Event(), threading.Event()
    outcome = {}

    def progress(done: int, _total: int, _current: str) -> None:
        if done >= 15 and not paused.is_set():
            paused.set()
            resume.wait(30)

    def run() -> None:
        outcome["report"] = import_paths(first, [folder], ImportOptions(batch_size=10, workers=1), progress)

    worker = threading.Thread(target=run)
    worker.start()
    assert paused.wait(30)
    second = Archive.open(tmp_path / "second")  # while the import is half done
    (tmp_path / "other.txt").write_text("A note for the second archive\n\nAbout oases.\n")
    import_paths(second, [tmp_path / "other.txt"])
    resume.set()
    worker.join(60)

    assert len(outcome["report"].imported) == 60
    assert (first.count(), search_total(first, "qanat")) == (60, 60)
    assert (second.count(), search_total(second, "qanat"), search_total(second, "oases")) == (1, 0, 1)
    second.close()
    # Each archive, opened again alone, holds just its own documents and index rows.
    assert first.count() == 60 and search_total(first, "oases") == 0
    first.close()
    reopened = Archive.open(tmp_path / "second", create=False)
    assert (reopened.count(), search_total(reopened, "qanat")) == (1, 0)
    reopened.close()


def test_reads_and_writes_of_two_open_archives_in_two_threads_never_cross(tmp_path):
    archives = {name: Archive.open(tmp_path / name) for name in ("east", "west")}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        archive = archives[name]
        try:
            for number in range(20):
                note = tmp_path / f"{name}-{number}.txt"
                note.write_text(f"{name} dispatch {number}\n\nNews from the {name}.\n")
                import_paths(archive, [note])
                assert archive.count() == number + 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(name,)) for name in archives]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    for name, archive in archives.items():
        other = "west" if name == "east" else "east"
        assert (archive.count(), search_total(archive, name), search_total(archive, other)) == (20, 20, 0)
        archive.close()


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("answer", ["stop", "keep"])
def test_opening_another_archive_during_an_import_asks_and_stops_it_or_stays(
    gui_app, tmp_path, qtbot, monkeypatch, answer
):
    assert gui_app.open_archive(tmp_path / "first", create=True)
    window = gui_app.window
    folder = notes(tmp_path / "incoming", 400, "qanat")
    asked = []
    button = QMessageBox.StandardButton.Yes if answer == "stop" else QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: asked.append(args[2]) or button)
    job = window.imports.start([str(folder)], ImportOptions(batch_size=10, workers=1))
    qtbot.waitUntil(lambda: gui_app.session.archive.count() >= 10, timeout=30_000)

    opened = gui_app.open_archive(tmp_path / "second", create=True)

    assert len(asked) == 1 and "first" in asked[0]
    if answer == "keep":
        assert not opened and gui_app.session.archive.path.name == "first"
        with qtbot.waitSignal(job.finished, timeout=60_000):
            pass
        assert gui_app.session.archive.count() == 400
        return
    assert opened and gui_app.session.archive.path.name == "second"
    assert gui_app.session.archive.count() == 0
    assert job.report is not None and job.report.cancelled
    gui_app.shutdown()
    first = Archive.open(tmp_path / "first", create=False)
    committed = first.count()
    assert 10 <= committed < 400 and committed == len(job.report.imported)
    assert search_total(first, "qanat") == committed  # every committed document is in the index
    first.close()


def test_documents_and_tags_copied_from_one_open_archive_to_another_land_whole(demo_archive, tmp_path):
    from qirtas.archive.archive import NewDocument
    from qirtas.importers import Extracted

    target = Archive.open(tmp_path / "copy")
    try:
        for listed in demo_archive.list_documents()[1]:
            document = demo_archive.get(listed.id)
            data = demo_archive.original_path(document).read_bytes()
            extracted = Extracted(
                document.text, document.media_type, title=document.title, language=document.language
            )
            added = target.add(NewDocument(data, extracted, document.source_name))
            for facet, tags in demo_archive.document_tags(document.id).items():
                for tag in tags:
                    copy = target.ensure_tag(facet, tag.name_en, tag.name_ar)
                    target.tag_documents([added.id], copy)
        assert target.count() == demo_archive.count() == 6
        assert sorted(d.sha256 for d in target.list_documents()[1]) == sorted(
            d.sha256 for d in demo_archive.list_documents()[1]
        )
        assert target.search("Dushanbe").total == demo_archive.search("Dushanbe").total > 0
        central = target.find_tag("region", "Central Asia")
        assert central is not None and demo_archive.find_tag("region", "Central Asia") is not None
        assert len(demo_archive.audit_trail()) != len(target.audit_trail())  # each kept its own trail
    finally:
        target.close()


def test_every_archive_method_runs_bound_to_its_own_database(tmp_path):
    """The tag and filter queries live in archive.tags and archive.documents; called through `Archive`
    from a thread bound to none while two archives are open, they still reach the right one."""
    from qirtas.archive import archive as archive_module
    from qirtas.archive.archive import DocumentFilter, NewDocument
    from qirtas.importers import Extracted

    unwrapped = [
        name
        for name, value in vars(Archive).items()
        if callable(value)
        and not isinstance(value, type)
        and name not in archive_module._UNBOUND_METHODS
        and not hasattr(value, "__wrapped__")
    ]
    assert unwrapped == []
    first, second = Archive.open(tmp_path / "first"), Archive.open(tmp_path / "second")
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            added = first.add(NewDocument(b"Dushanbe", Extracted("Dushanbe", "text/plain"), "note.txt"))
            asia = first.ensure_tag("region", "Central Asia")
            tajikistan = first.ensure_tag("region", "Tajikistan", parent=asia)
            first.tag_documents([added.id], tajikistan)
            outcome["found"] = first.find_tag("region", "central asia") == asia
            outcome["tree"] = sorted(first.tag_ids_with_descendants([asia.id])) == [asia.id, tajikistan.id]
            outcome["tags"] = first.document_tags(added.id)["region"] == [tajikistan]
            outcome["rows"] = first.tags_for_documents([added.id]) == {added.id: [tajikistan]}
            outcome["listed"] = first.document_ids(DocumentFilter(tags={"region": [asia.id]})) == [added.id]
            outcome["untagged"] = first.untag_documents([added.id], tajikistan) == 1
        except BaseException as error:
            outcome["error"] = error

    try:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join(60)
        assert outcome == dict.fromkeys(("found", "tree", "tags", "rows", "listed", "untagged"), True)
        assert (first.count(), second.count(), second.tags()) == (1, 0, [])
    finally:
        first.close()
        second.close()
