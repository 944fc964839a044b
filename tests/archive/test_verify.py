"""verify finds damage (changed originals, orphans, a stale index); --repair fixes what it can, loses nothing."""

from __future__ import annotations

import json
import os
import stat
import time

from qirtas.archive.models import Document
from qirtas.archive.store import sha256_bytes, sha256_file
from qirtas.archive.verify import ORPHANS, repair, verify
from qirtas.cli.main import main


def _corrupt(path) -> None:
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[0] ^= 0x20
    path.write_bytes(bytes(data))


def _run(capsys, *argv: str) -> tuple[int, dict]:
    status = main(list(argv))
    return status, json.loads(capsys.readouterr().out)


def test_a_changed_byte_in_an_original_is_found_and_the_file_is_left_alone(demo_archive, capsys):
    document = demo_archive.get(2)
    path = demo_archive.original_path(document)
    _corrupt(path)
    report = verify(demo_archive)
    assert [(p.kind, p.id) for p in report.problems] == [("corrupted-original", 2)]
    assert report.checked == demo_archive.count() and report.ok == report.checked - 1
    archive_path = str(demo_archive.path)
    demo_archive.close()
    status, payload = _run(capsys, "--archive", archive_path, "verify", "--json")
    assert status == 1 and {"checked", "ok", "problems"} <= set(payload)
    assert payload["problems"][0]["kind"] == "corrupted-original"
    damaged = path.read_bytes()
    status, payload = _run(capsys, "--archive", archive_path, "verify", "--repair", "--json")
    assert status == 1  # a repair cannot make up the lost bytes: it says so
    assert [p["kind"] for p in payload["problems"]] == ["corrupted-original"]
    assert path.read_bytes() == damaged  # never deleted nor moved


def test_repair_sets_orphans_aside_and_keeps_every_referenced_original(demo_archive, capsys):
    orphan = demo_archive.originals.stage(sha256_bytes(b"left by a crash"), b"left by a crash")
    demo_archive.delete_document(5)  # its original stays in the store, now without a document
    kept = {d.sha256: sha256_file(demo_archive.original_path(d)) for d in Document.select()}
    found = verify(demo_archive)
    assert sorted(p.kind for p in found.problems) == ["orphan-original", "orphan-original"]
    result = repair(demo_archive, found)
    assert len(result.orphans_set_aside) == 2 and result.remaining == []
    assert (demo_archive.path / ORPHANS / orphan.name).read_bytes() == b"left by a crash"
    assert not orphan.exists()
    for sha, actual in kept.items():
        assert sha256_file(demo_archive.originals.path_for(sha)) == actual == sha
    assert verify(demo_archive).problems == []


def test_an_original_set_aside_by_mistake_is_put_back(demo_archive):
    document = demo_archive.get(1)
    path = demo_archive.original_path(document)
    (demo_archive.path / ORPHANS).mkdir()
    os.replace(path, demo_archive.path / ORPHANS / document.sha256)
    found = verify(demo_archive)
    assert [p.kind for p in found.problems] == ["missing-original"]
    assert "orphans/" in found.problems[0].detail
    result = repair(demo_archive, found)
    assert result.originals_restored == [document.sha256] and result.remaining == []
    assert sha256_file(path) == document.sha256


def test_repair_rebuilds_a_damaged_search_index(demo_archive):
    demo_archive.db.execute_sql("DELETE FROM document_fts WHERE rowid = 5")
    assert demo_archive.search("Dushanbe").total == 0
    found = verify(demo_archive)
    assert [(p.kind, p.id) for p in found.problems] == [("index", 5)]
    assert repair(demo_archive, found).index_rebuilt
    assert verify(demo_archive).problems == []
    assert demo_archive.search("Dushanbe").total == 1


def test_repair_removes_temp_files_of_a_crashed_import_but_not_one_being_written(demo_archive):
    folder = demo_archive.originals.root / "ab"
    folder.mkdir(exist_ok=True)
    crashed, writing = folder / ".incoming-crashed", folder / ".incoming-writing"
    crashed.write_bytes(b"half a file")
    writing.write_bytes(b"still coming")
    an_hour_ago = time.time() - 3600
    os.utime(crashed, (an_hour_ago, an_hour_ago))
    found = verify(demo_archive)
    assert found.temp_files == 2 and found.problems == []
    result = repair(demo_archive, found)
    assert result.temp_files_removed == [crashed.name] and result.left_for_later == [writing.name]
    assert not crashed.exists() and writing.exists()
    assert repair(demo_archive, verify(demo_archive), temp_grace_seconds=0).temp_files_removed == [
        writing.name
    ]
