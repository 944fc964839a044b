"""A read-only archive (a DVD, a write-protected disk, a read-only share) opens for reading, searching,
verifying and exporting, in the command line and the window; every change is refused in one sentence and
the archive's files stay exactly as they were."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest
from qirtas.archive.archive import Archive, ArchiveError
from qirtas.cli.main import main
from qirtas.desktop.qt import QToolBar
from qirtas.desktop.views.read_only import BANNER_NAME

from tests.conftest import SEED_FILES


def fingerprint(folder) -> dict[str, str]:
    """Every file of the folder with its SHA-256: what a read-only medium guarantees stays the same."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def read_only_demo(demo_template, tmp_path, monkeypatch):
    """A copy of the demo archive on a 'disk' nobody may write to (access(2) says so, as on a DVD)."""
    folder = tmp_path / "dvd" / "demo"
    shutil.copytree(demo_template, folder)
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and str(path).startswith(str(tmp_path / "dvd")):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    return folder


def test_a_read_only_archive_is_read_searched_verified_and_exported_and_stays_unchanged(
    read_only_demo, tmp_path, capsys
):
    before = fingerprint(read_only_demo)
    archive = str(read_only_demo)
    assert main(["--archive", archive, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 6
    assert main(["--archive", archive, "search", "الإرهاب", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] >= 1
    assert main(["--archive", archive, "show", str(listed["documents"][0]["id"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sha256"]
    assert main(["--archive", archive, "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["problems"] == []
    out = tmp_path / "out.jsonl"
    assert main(["--archive", archive, "export", "--format", "jsonl", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6
    capsys.readouterr()
    assert fingerprint(read_only_demo) == before  # not even a -wal or -shm file appeared


@pytest.mark.parametrize(
    "command",
    [
        ["import", "{seed}"],
        ["tag", "1", "--theme", "Hate speech"],
        ["verify", "--repair"],
    ],
)
def test_changes_to_a_read_only_archive_are_refused_in_one_sentence(read_only_demo, capsys, command):
    before = fingerprint(read_only_demo)
    arguments = [part.replace("{seed}", str(SEED_FILES[0])) for part in command]
    status = main(["--archive", str(read_only_demo), *arguments])
    error = capsys.readouterr().err
    assert status == 1
    assert "read-only" in error and "Traceback" not in error and len(error.strip().splitlines()) == 1
    assert fingerprint(read_only_demo) == before


def test_the_archive_api_says_it_is_read_only(read_only_demo):
    with Archive.open(read_only_demo, create=False) as archive:
        assert archive.read_only and archive.count() == 6
        with pytest.raises(ArchiveError, match="read-only"):
            archive.refuse_writes()
    with Archive.open(read_only_demo.parent.parent / "elsewhere") as writable:
        assert not writable.read_only


def test_an_archive_of_another_version_on_a_read_only_disk_is_refused_with_a_sentence(read_only_demo):
    import sqlite3

    os.chmod(read_only_demo / "qirtas.sqlite3", 0o644)
    raw = sqlite3.connect(read_only_demo / "qirtas.sqlite3")
    with raw:
        raw.execute("UPDATE schemainfo SET value = '3' WHERE key = 'schema_version'")
    raw.close()
    with pytest.raises(ArchiveError, match="copy it to a disk you can write to"):
        Archive.open(read_only_demo, create=False)


@pytest.mark.usefixtures("qapp")
def test_the_window_opens_a_read_only_archive_with_a_banner(gui_app, read_only_demo):
    assert gui_app.open_archive(read_only_demo, create=False)
    window = gui_app.window
    banner = window.findChild(QToolBar, BANNER_NAME)
    assert banner is not None and banner.isVisibleTo(window)
    assert window.model.rowCount() == 6
