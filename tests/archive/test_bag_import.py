"""import-bag: archive → bag → archive restores everything; an untrusted bag is checked before anything is kept."""

from __future__ import annotations

import json
import os
import shutil

import bagit
import pytest
from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.bags.restore import BagRejected, import_bag
from qirtas.archive.export import export
from qirtas.archive.export_records import review_tables
from qirtas.archive.models import AuditEvent, Document, DocumentLink, DocumentTag, Tag, database
from qirtas.archive.verify import verify
from qirtas.cli.main import main
from qirtas.importers import Extracted

from tests.conftest import SEED_FILES

REVIEW_TABLE = (
    "CREATE TABLE review_pair (id INTEGER PRIMARY KEY, document_id INTEGER, status TEXT, comment TEXT)"
)


def snapshot() -> dict:
    """Everything a round trip must keep, as plain values, from the archive open now."""
    documents = {d.id: {name: getattr(d, name) for name in Document._meta.fields} for d in Document.select()}
    tags = {t.id: (t.facet, t.name_en, t.name_ar, t.parent_id, t.code, t.date, t.place) for t in Tag.select()}
    attached = {(r.document_id, r.tag_id, r.added_by, r.added_at, r.suggested) for r in DocumentTag.select()}
    links = {(link.document_id, link.translation_id, link.created_at) for link in DocumentLink.select()}
    reviews = {
        table: database.execute_sql(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
        for table in review_tables()
    }
    return {"documents": documents, "tags": tags, "attached": attached, "links": links, "reviews": reviews}


@pytest.fixture
def bag(demo_archive, tmp_path):
    """A bag of the demo archive with a translation link, an accepted suggestion and review state."""
    DocumentLink.create(document=1, translation=3)
    theme = demo_archive.ensure_tag("theme", "Hate speech", "خطاب الكراهية")
    demo_archive.tag_documents([3], theme, suggested=True)
    # Two tags that share an English name (the vocabulary allows it) must stay two.
    Tag.create(facet="theme", name_en="Hate speech", name_ar="خطاب التحريض")
    demo_archive.db.execute_sql(REVIEW_TABLE)
    demo_archive.db.execute_sql(
        "INSERT INTO review_pair (document_id, status, comment) VALUES (3, 'needs-revision', 'الفقرة الثانية')"
    )
    before = snapshot()
    destination = tmp_path / "bag"
    export(demo_archive, "bagit", destination)
    demo_archive.close()
    return destination, before


def test_round_trip_into_a_new_archive_restores_everything(bag, tmp_path):
    destination, before = bag
    with Archive.open(tmp_path / "restored") as restored:
        restored.db.execute_sql(REVIEW_TABLE)  # the review feature's table, as a current archive has it
        report = import_bag(restored, destination)
        after = snapshot()
        assert verify(restored).problems == []
        assert restored.search("Dushanbe").total == 1
        trail = [e.action for e in AuditEvent.select().where(AuditEvent.document_id == 3)]
    assert len(report.imported) == len(before["documents"]) and report.duplicates == []
    assert after["documents"] == before["documents"]  # ids, texts, hashes, dates, every field
    assert after["tags"] == before["tags"]  # names, parents, codes, event dates and places
    assert after["attached"] == before["attached"]  # who, when, accepted suggestions
    assert after["links"] == before["links"]
    assert after["reviews"] == before["reviews"]
    assert trail[0] == "imported" and "tagged" in trail and trail[-1] == "restored-from-bag"


def test_into_an_existing_archive_documents_get_new_ids_and_duplicates_gain_tags(bag, tmp_path, capsys):
    destination, before = bag
    path = tmp_path / "other"
    with Archive.open(path) as other:
        first = other.add(
            NewDocument(b"a note of our own", Extracted("a note of our own", "text/plain"), "n.txt")
        )
        shared = SEED_FILES[0].read_bytes()  # also in the bag, as one of the demo's originals
        other.add(NewDocument(shared, Extracted("same file", "text/plain"), "s.txt"))
    status = main(["--archive", str(path), "import-bag", str(destination), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert len(report["imported"]) == len(before["documents"]) - 1 and len(report["duplicates"]) == 1
    with Archive.open(path, create=False) as other:
        assert other.count() == len(before["documents"]) + 1
        assert first.id not in {item["id"] for item in report["imported"]}
        duplicate = report["duplicates"][0]["id"]
        assert any(other.document_tags(duplicate).values())  # the bag's tags were added to it
        names = [(t.facet, t.name_en, t.name_ar) for t in Tag.select()]
        assert len(names) == len(set(names)) == len(before["tags"])  # no tag created twice
        assert verify(other).problems == []


def _tamper_manifest(bag_path, line: str) -> None:
    with open(bag_path / "manifest-sha256.txt", "a", encoding="utf-8") as manifest:
        manifest.write(line + "\n")


def _assert_nothing_kept(path) -> None:
    with Archive.open(path) as archive:
        assert archive.count() == 0 and Tag.select().count() == 0
        assert archive.originals.all_hashes() == set()


@pytest.mark.parametrize(
    "name",
    ["../../outside.txt", "data/../../outside.txt", "/etc/passwd", "~/.bashrc", "C:/Windows/win.ini"],
)
def test_a_manifest_naming_a_file_outside_the_bag_is_refused(bag, tmp_path, name):
    destination, _before = bag
    _tamper_manifest(destination, f"{'0' * 64}  {name}")
    with (
        Archive.open(tmp_path / "target") as target,
        pytest.raises(BagRejected, match="escape the bag folder"),
    ):
        import_bag(target, destination)
    _assert_nothing_kept(tmp_path / "target")


def test_a_changed_original_in_the_bag_is_refused_before_anything_is_kept(bag, tmp_path, capsys):
    destination, _before = bag
    original = next((destination / "data" / "originals").iterdir())
    data = bytearray(original.read_bytes())
    data[10] ^= 0x01
    original.write_bytes(bytes(data))
    status = main(["--archive", str(tmp_path / "target"), "import-bag", str(destination)])
    assert status == 1
    assert "does not match its sha" in capsys.readouterr().err
    assert not (tmp_path / "target").exists()  # no empty archive left behind either


def test_a_link_inside_the_bag_is_refused(bag, tmp_path):
    destination, _before = bag
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the archive")
    os.symlink(secret, destination / "data" / "texts" / "extra.txt")
    with Archive.open(tmp_path / "target") as target, pytest.raises(BagRejected, match="holds a link"):
        import_bag(target, destination)
    _assert_nothing_kept(tmp_path / "target")


def test_metadata_pointing_outside_is_refused_even_with_rebuilt_manifests(bag, tmp_path):
    """Someone edits the records and regenerates every checksum: the bag validates, the names do not."""
    destination, _before = bag
    records_path = destination / "data" / "metadata" / "documents.jsonl"
    records = [json.loads(line) for line in records_path.read_text(encoding="utf-8").splitlines()]
    records[0]["original_file"] = "data/../../../etc/passwd"
    records_path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    rebuilt = bagit.Bag(str(destination))
    rebuilt.save(manifests=True)
    assert rebuilt.is_valid()
    with (
        Archive.open(tmp_path / "target") as target,
        pytest.raises(BagRejected, match="not a file in originals/"),
    ):
        import_bag(target, destination)
    _assert_nothing_kept(tmp_path / "target")


def test_a_folder_that_is_not_a_bag_is_refused_with_a_clear_message(tmp_path):
    (tmp_path / "folder").mkdir()
    with Archive.open(tmp_path / "target") as target, pytest.raises(BagRejected, match=r"no bagit\.txt"):
        import_bag(target, tmp_path / "folder")


def test_a_cancelled_import_keeps_nothing(bag, tmp_path):
    destination, _before = bag
    shutil.copytree(destination, tmp_path / "copy")
    with Archive.open(tmp_path / "target") as target:
        report = import_bag(target, tmp_path / "copy", cancel=lambda: True)
        assert report.cancelled and report.imported == []
    _assert_nothing_kept(tmp_path / "target")


def test_a_bag_with_a_loop_of_parent_tags_is_refused_before_any_write(bag, tmp_path):
    destination, _before = bag
    tags_path = destination / "data" / "metadata" / "tags.jsonl"
    tags = [json.loads(line) for line in tags_path.read_text(encoding="utf-8").splitlines()]
    regions = [t for t in tags if t["facet"] == "region" and t["parent"]]
    child = regions[-1]
    parent = next(t for t in tags if t["id"] == child["parent"])
    parent["parent"] = child["id"]  # the parent now sits under its own child
    tags_path.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tags), encoding="utf-8")
    bagit.Bag(str(destination)).save(manifests=True)
    with Archive.open(tmp_path / "target") as target, pytest.raises(BagRejected, match="loop of parents"):
        import_bag(target, destination)
    _assert_nothing_kept(tmp_path / "target")
