"""A missing or damaged original can be healed: by importing the same file again, or by `verify --repair
--from` a backup, a bag or any folder; backup and export copy everything else and name the bad file."""

from __future__ import annotations

import json
import os
import shutil

import bagit
from qirtas.archive.archive import Archive
from qirtas.archive.backup import backup
from qirtas.archive.export import export
from qirtas.archive.store import sha256_file
from qirtas.archive.verify import verify
from qirtas.cli.main import main

from tests.conftest import SEED_FILES


def _damage(path) -> None:
    os.chmod(path, 0o600)
    path.write_bytes(path.read_bytes() + b" tampered")


def _remove(path) -> None:
    os.chmod(path, 0o600)
    path.unlink()


def _run(capsys, *argv: str) -> tuple[int, dict]:
    status = main(list(argv))
    return status, json.loads(capsys.readouterr().out)


def _originals(archive: Archive) -> dict[int, object]:
    return {i: archive.original_path(archive.get(i)) for i in archive.document_ids()}


def _problems(path) -> list[tuple[str, int | None]]:
    """What `verify` finds, the archive opened on its own (one archive open at a time in these tests)."""
    with Archive.open(path, create=False) as archive:
        return [(p.kind, p.id) for p in verify(archive).problems]


def _originals_of(archive: Archive) -> tuple[str, dict[int, object], dict[int, str]]:
    """The archive's path, its originals and their hashes by document id; the archive is closed."""
    originals = _originals(archive)
    hashes = {i: archive.get(i).sha256 for i in originals}
    archive.close()
    return str(archive.path), originals, hashes


def test_importing_the_same_file_again_restores_its_missing_or_damaged_original(archive, tmp_path, capsys):
    folder = tmp_path / "letters"
    folder.mkdir()
    for number in range(3):
        (folder / f"letter-{number}.txt").write_text(f"Letter number {number}.", encoding="utf-8")
    assert main(["--archive", str(archive.path), "import", str(folder)]) == 0
    capsys.readouterr()
    path, originals, _hashes = _originals_of(archive)
    _remove(originals[1])
    _damage(originals[2])
    assert sorted(_problems(path)) == [("corrupted-original", 2), ("missing-original", 1)]

    status, report = _run(capsys, "--archive", path, "import", str(folder), "--json")

    assert status == 0 and report["imported"] == [] and report["failed"] == []
    duplicates = {os.path.basename(d["path"]): d for d in report["duplicates"]}
    assert {name: (d["id"], d.get("restored", False)) for name, d in duplicates.items()} == {
        "letter-0.txt": (1, True),
        "letter-1.txt": (2, True),
        "letter-2.txt": (3, False),
    }
    assert _problems(path) == []
    assert os.stat(originals[1]).st_mode & 0o777 == 0o444  # read-only, as every original


def test_repair_from_a_backup_restores_missing_and_damaged_originals(demo_archive, tmp_path, capsys):
    backup(demo_archive.path, tmp_path / "backup")
    path, originals, hashes = _originals_of(demo_archive)
    _remove(originals[2])
    _damage(originals[4])

    status, report = _run(
        capsys, "--archive", path, "verify", "--repair", "--from", str(tmp_path / "backup"), "--json"
    )

    assert status == 0, report
    assert report["problems"] == []
    healed = sorted(item["sha256"] for item in report["repaired"]["originals_healed"])
    assert healed == sorted([hashes[2], hashes[4]])
    assert _problems(path) == []


def test_repair_from_a_bag_or_any_folder_finds_originals_by_their_content(demo_archive, tmp_path, capsys):
    export(demo_archive, "bagit", tmp_path / "bag")
    loose = tmp_path / "loose"  # any folder: the same files under other names, among other files
    (loose / "deep").mkdir(parents=True)
    for number, seed in enumerate(SEED_FILES):
        shutil.copyfile(seed, loose / "deep" / f"copy-{number}.bin")
    (loose / "unrelated.txt").write_text("nothing to do with the archive")
    path, originals, _hashes = _originals_of(demo_archive)

    _remove(originals[1])
    _damage(originals[3])
    status, report = _run(
        capsys, "--archive", path, "verify", "--repair", "--from", str(tmp_path / "bag"), "--json"
    )
    assert status == 0 and report["problems"] == [] and _problems(path) == []

    _remove(originals[5])
    _damage(originals[6])
    status, report = _run(capsys, "--archive", path, "verify", "--repair", "--from", str(loose), "--json")
    assert status == 0 and report["problems"] == [] and _problems(path) == []


def test_repair_from_a_folder_without_the_file_leaves_the_problem_and_says_so(demo_archive, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    path, originals, _hashes = _originals_of(demo_archive)
    _remove(originals[2])
    status, report = _run(capsys, "--archive", path, "verify", "--repair", "--from", str(empty), "--json")
    assert status == 1 and [(p["kind"], p["id"]) for p in report["problems"]] == [("missing-original", 2)]


def test_a_backup_copies_everything_else_and_names_a_damaged_original(demo_archive, tmp_path, capsys):
    path, originals, hashes = _originals_of(demo_archive)
    _damage(originals[3])

    status, report = _run(capsys, "--archive", path, "backup", str(tmp_path / "backup"), "--json")

    assert status == 1
    assert report["damaged"] == [hashes[3]]
    assert report["originals_copied"] == len(originals) - 1
    backed_up = tmp_path / "backup" / "originals"
    for document_id, original in originals.items():
        copy = backed_up / original.parent.name / original.name
        assert copy.exists() == (document_id != 3)
        if document_id != 3:
            assert sha256_file(copy) == original.name


def test_a_bag_holds_everything_else_and_the_export_names_a_damaged_original(demo_archive, tmp_path, capsys):
    path, originals, _hashes = _originals_of(demo_archive)
    _damage(originals[2])
    _remove(originals[5])

    status, report = _run(
        capsys, "--archive", path, "export", "--format", "bagit", str(tmp_path / "bag"), "--json"
    )

    assert status == 1
    assert sorted(item["id"] for item in report["damaged"]) == [2, 5]
    assert report["documents"] == len(originals) - 2
    bagit.Bag(str(tmp_path / "bag")).validate()
    names = sorted(p.name for p in (tmp_path / "bag" / "data" / "originals").iterdir())
    assert len(names) == len(originals) - 2
    assert not any(name.startswith(("000002", "000005")) for name in names)
    unavailable = (tmp_path / "bag" / "data" / "metadata" / "unavailable.jsonl").read_text(encoding="utf-8")
    assert sorted(json.loads(line)["id"] for line in unavailable.splitlines()) == [2, 5]
    # the bag restores into a new archive: every document whose original it holds
    status, restored = _run(
        capsys, "--archive", str(tmp_path / "restored"), "import-bag", str(tmp_path / "bag"), "--json"
    )
    assert status == 0 and len(restored["imported"]) == len(originals) - 2
