"""Export: CSV a spreadsheet reads (Arabic, tags in both languages), JSON Lines with every field, BagIt bags."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import bagit
import pytest
from qirtas.archive.bags.export import DC
from qirtas.archive.export import export
from qirtas.archive.models import Document, DocumentLink, Tag
from qirtas.cli.main import main


def _link(first: int, second: int) -> None:
    DocumentLink.create(document=min(first, second), translation=max(first, second))


def test_csv_has_a_bom_arabic_titles_and_tags_in_both_languages(demo_archive, tmp_path):
    destination = tmp_path / "out.csv"
    count = demo_archive.count()
    report = export(demo_archive, "csv", destination)
    assert report.documents == count >= 5
    raw = destination.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs need it to read UTF-8 Arabic
    rows = list(csv.DictReader(destination.open(encoding="utf-8-sig", newline="")))
    assert len(rows) == count
    assert any(row["title"].startswith("مندوب الصين") for row in rows if row["language"] == "ar")
    dushanbe = next(row for row in rows if "Dushanbe" in row["regions_en"])
    assert "دوشانبي" in dushanbe["regions_ar"]
    assert all(row["sha256"] and row["events_en"] and row["events_ar"] for row in rows)


def test_csv_cells_that_look_like_formulas_are_not_run_by_a_spreadsheet(demo_archive, tmp_path):
    demo_archive.update_document(1, title='=HYPERLINK("http://evil.example","click")')
    destination = tmp_path / "out.csv"
    export(demo_archive, "csv", destination, document_ids=[1])
    row = next(csv.DictReader(destination.open(encoding="utf-8-sig", newline="")))
    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'


def test_jsonl_holds_every_field_tags_with_ancestors_links_and_review_state(demo_archive, tmp_path):
    _link(1, 3)
    demo_archive.db.execute_sql(
        "CREATE TABLE review_pair (id INTEGER PRIMARY KEY, document_id INTEGER, status TEXT, comment TEXT)"
    )
    demo_archive.db.execute_sql(
        "INSERT INTO review_pair (document_id, status, comment) VALUES (3, 'approved', 'تمت المراجعة')"
    )
    destination = tmp_path / "out.jsonl"
    export(demo_archive, "jsonl", destination)
    records = {r["id"]: r for r in map(json.loads, destination.read_text(encoding="utf-8").splitlines())}
    assert len(records) == demo_archive.count()
    for document in Document.select():
        record = records[document.id]
        for name in Document._meta.fields:
            assert name in record, name
        assert record["text"] == document.text
        assert record["sha256"] == document.sha256
    dushanbe = next(r for r in records.values() if "Dushanbe" in r["title"])
    city = next(t for t in dushanbe["tags"]["region"] if t["en"] == "Dushanbe")
    assert city["ar"] and city["path_en"][-2:] == ["Central Asia", "Tajikistan"]
    event = records[1]["tags"]["event"][0]
    assert (event["date"], event["place"]) == ("2018-06-29", "UN Headquarters, New York")
    assert event["ar"].startswith("التعاون الدولي")
    assert records[1]["translations"] == [3] and records[3]["translations"] == [1]
    assert records[3]["review"]["review_pair"][0]["comment"] == "تمت المراجعة"
    assert records[1]["review"] == {}
    export(demo_archive, "csv", tmp_path / "out.csv", document_ids=[3])
    row = next(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8-sig", newline="")))
    assert row["review"] == "approved 1"


def test_export_of_a_subset_and_from_the_command_line(demo_archive, tmp_path, capsys):
    export(demo_archive, "jsonl", tmp_path / "two.jsonl", document_ids=[4, 2])
    lines = (tmp_path / "two.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [4, 2]
    path = str(demo_archive.path)
    demo_archive.close()
    status = main(
        ["--archive", path, "export", "--format", "csv", str(tmp_path / "q.csv"), "--query", "Dushanbe"]
    )
    assert status == 0
    rows = list(csv.DictReader((tmp_path / "q.csv").open(encoding="utf-8-sig", newline="")))
    assert [row["title"] for row in rows] == [
        "Experts from Central Asia discussed in Dushanbe ways of countering extremism online"
    ]
    assert (
        main(["--archive", path, "export", "--format", "csv", str(tmp_path / "x.csv"), "--ids", "1,x"]) == 2
    )


def test_bag_validates_and_holds_originals_texts_and_dublin_core(demo_archive, tmp_path):
    _link(1, 3)
    destination = tmp_path / "bag"
    seen = []
    report = export(
        demo_archive, "bagit", destination, progress=lambda done, total: seen.append((done, total))
    )
    assert report.documents == demo_archive.count() and seen[-1][0] == seen[-1][1]
    checked = subprocess.run(
        [sys.executable, Path(sys.executable).parent / "bagit.py", "--validate", str(destination)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert bagit.Bag(str(destination)).is_valid()
    records = [
        json.loads(line) for line in (destination / "data/metadata/documents.jsonl").open(encoding="utf-8")
    ]
    for record in records:
        document = Document.get_by_id(record["id"])
        assert (destination / record["original_file"]).read_bytes() == demo_archive.original_path(
            document
        ).read_bytes()
        assert (destination / record["text_file"]).read_bytes().decode("utf-8") == document.text
    tags = [json.loads(line) for line in (destination / "data/metadata/tags.jsonl").open(encoding="utf-8")]
    assert {t["en"] for t in tags} >= {"Dushanbe", "Tajikistan", "Central Asia"}  # parents come along
    tree = ET.parse(destination / "data/metadata/dublin-core.xml")
    titles = [e.text for e in tree.iter(f"{{{DC}}}title")]
    assert len(titles) == demo_archive.count() and any(t.startswith("مندوب الصين") for t in titles)
    relations = {
        record.get("id"): [e.text for e in record.iter(f"{{{DC}}}relation")] for record in tree.getroot()
    }
    assert relations["1"] == ["qirtas:3"] and relations["3"] == ["qirtas:1"]
    assert Tag.select().count() >= len(tags)


def test_a_cancelled_export_leaves_nothing_behind(demo_archive, tmp_path):
    for format, name in (("jsonl", "out.jsonl"), ("bagit", "bag")):
        report = export(demo_archive, format, tmp_path / name, cancel=lambda: True)
        assert report.cancelled
        assert not (tmp_path / name).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_a_bag_never_holds_a_damaged_original_and_names_it(demo_archive, tmp_path):
    """(Issue 15, item 9: the rest of the archive is exported; tests/archive/test_heal.py has the whole story.)"""
    path = demo_archive.original_path(demo_archive.get(2))
    os.chmod(path, 0o600)
    path.write_bytes(path.read_bytes() + b" tampered")
    report = export(demo_archive, "bagit", tmp_path / "bag")
    assert [(item["id"], "damaged" in item["detail"]) for item in report.damaged] == [(2, True)]
    assert not list((tmp_path / "bag" / "data" / "originals").glob("000002*"))


def test_a_bag_is_not_written_over_an_existing_folder(demo_archive, tmp_path):
    (tmp_path / "bag").mkdir()
    (tmp_path / "bag" / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="already exists"):
        export(demo_archive, "bagit", tmp_path / "bag")
    assert (tmp_path / "bag" / "keep.txt").read_text() == "mine"
