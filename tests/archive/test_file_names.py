"""File names that are not UTF-8 (an Arabic name from a Windows zip) are imported with the rest of their
batch, shown readably, and kept byte for byte."""

from __future__ import annotations

import json
import os

import pytest
from qirtas.archive.importing import import_paths
from qirtas.cli.main import main
from qirtas.importers.text import readable_file_name

ARABIC_CP1256 = b"\xe3\xd1\xcd\xc8\xc7.txt"  # مرحبا.txt in windows-1256


@pytest.fixture
def folder(tmp_path):
    if os.name != "posix":
        pytest.skip("only POSIX file names can be bytes that are not UTF-8")
    incoming = tmp_path / "from-a-zip"
    incoming.mkdir()
    os.chdir(tmp_path)
    with open(os.path.join(os.fsencode(incoming), ARABIC_CP1256), "wb") as file:
        file.write("تقرير عن الاجتماع في دوشنبه\n\nناقش الخبراء التطرف.\n".encode())
    with open(os.path.join(os.fsencode(incoming), b"caf\xe9.txt"), "wb") as file:
        file.write(b"\n\nNotes from the cafe meeting.\n")
    for number in range(3):
        (incoming / f"note-{number}.txt").write_text(f"Note {number}\n\nAbout wells.\n")
    return incoming


def test_names_that_are_not_utf8_are_imported_with_their_batch_and_kept_byte_for_byte(archive, folder):
    report = import_paths(archive, [folder])
    assert report.failed == [] and len(report.imported) == 5
    by_name = {archive.get(item.id).source_name: archive.get(item.id) for item in report.imported}
    assert set(by_name) >= {"مرحبا.txt", "café.txt", "note-0.txt"}
    arabic, latin = by_name["مرحبا.txt"], by_name["café.txt"]
    assert bytes.fromhex(arabic.metadata["source_name_bytes"]) == ARABIC_CP1256
    assert bytes.fromhex(latin.metadata["source_name_bytes"]) == b"caf\xe9.txt"
    assert "source_name_bytes" not in by_name["note-0.txt"].metadata
    assert archive.search("الخبراء").ids == [arabic.id]
    # Imported again: the same documents, nothing new.
    again = import_paths(archive, [folder])
    assert (len(again.imported), len(again.duplicates), archive.count()) == (0, 5, 5)


def test_the_command_line_reports_and_lists_such_names_readably(tmp_path, folder, capsys):
    archive = str(tmp_path / "archive")
    assert main(["--archive", archive, "import", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["imported"]) == 5 and report["failed"] == []
    # The paths in the report name the very files (a script can open them), whatever their bytes.
    assert all(os.path.exists(item["path"]) for item in report["imported"])
    assert main(["--archive", archive, "list"]) == 0
    assert "تقرير عن الاجتماع في دوشنبه" in capsys.readouterr().out


def test_a_readable_name_is_the_best_reading_of_its_bytes():
    assert readable_file_name("plain.txt") == ("plain.txt", None)
    assert readable_file_name(os.fsdecode(ARABIC_CP1256)) == ("مرحبا.txt", ARABIC_CP1256)
    readable, raw = readable_file_name(os.fsdecode(b"\xff\xfe\x01odd"))
    assert raw == b"\xff\xfe\x01odd" and readable.encode("utf-8")  # something printable, never an error
