"""One contract for long work (qirtas.jobs): every long operation reports progress as (done, total,
current) and polls the same cancel; a cancel ends it with its report saying so, never an exception. How the
readers start is the caller's choice."""

from __future__ import annotations

import pytest
from qirtas.archive.archive import Archive
from qirtas.archive.backup import backup
from qirtas.archive.bags.restore import import_bag
from qirtas.archive.export import export
from qirtas.archive.importing import ImportOptions, import_paths
from qirtas.archive.verify import verify


class Watcher:
    """A progress receiver of the one signature, and a cancel that says yes once progress was seen."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.calls: list[tuple[int, int, str]] = []
        self.stop_after = stop_after

    def progress(self, done: int, total: int, current: str = "") -> None:
        self.calls.append((done, total, current))

    def cancel(self) -> bool:
        return self.stop_after is not None and len(self.calls) >= self.stop_after


def notes(folder, count: int):
    folder.mkdir()
    for number in range(count):
        (folder / f"note-{number:03}.txt").write_text(f"Field note {number}\n\nAbout wells and canals.\n")
    return folder


def run(operation: str, archive: Archive, tmp_path, watcher: Watcher):
    if operation == "import":
        folder = notes(tmp_path / "incoming", 40)
        options = ImportOptions(batch_size=5, workers=1)
        return import_paths(archive, [folder], options, watcher.progress, watcher.cancel)
    if operation == "export":
        return export(archive, "bagit", tmp_path / "bag", None, watcher.progress, watcher.cancel)
    if operation == "backup":
        return backup(archive, tmp_path / "backup", watcher.progress, watcher.cancel)
    if operation == "verify":
        return verify(archive, watcher.progress, watcher.cancel)
    if operation == "import-bag":
        export(archive, "bagit", tmp_path / "bag")
        target = Archive.open(tmp_path / "restored")
        try:
            return import_bag(target, tmp_path / "bag", watcher.progress, watcher.cancel)
        finally:
            target.close()
    raise AssertionError(operation)


OPERATIONS = ["import", "export", "backup", "verify", "import-bag"]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_long_operation_reports_progress_in_one_shape(demo_archive, tmp_path, operation):
    watcher = Watcher()
    report = run(operation, demo_archive, tmp_path, watcher)
    assert not report.cancelled
    assert watcher.calls, "no progress was reported"
    for done, total, current in watcher.calls:
        assert 0 <= done <= total and isinstance(current, str)
    assert watcher.calls[-1][0] == watcher.calls[-1][1]  # it ends at its total


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("stop_after", [0, 1], ids=["at-once", "after-the-first-step"])
def test_a_cancel_ends_every_long_operation_with_a_report_that_says_so(
    demo_archive, tmp_path, operation, stop_after
):
    watcher = Watcher(stop_after=stop_after)
    report = run(operation, demo_archive, tmp_path, watcher)
    # A small export reports progress only when its records are written: a cancel after that comes
    # too late to stop it, and the export is whole.
    assert report.cancelled or (operation == "export" and stop_after == 1)


def test_the_caller_chooses_how_the_readers_start(archive, tmp_path):
    folder = notes(tmp_path / "many", 40)  # enough for a pool of readers
    report = import_paths(archive, [folder], ImportOptions(workers=2, start_method="spawn"))
    assert len(report.imported) == 40 and report.failed == []
