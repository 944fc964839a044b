"""import-bag against bags that are wrong late, carry ids an archive cannot hold, or oversized tag files:
a refused or failed restore keeps nothing of the bag, and never removes what the archive already held."""

from __future__ import annotations

import hashlib
import json
import time

import bagit
import pytest
from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.bags import restore as bag_import
from qirtas.archive.bags.restore import BagRejected, import_bag
from qirtas.archive.export import export
from qirtas.archive.models import Document, DocumentLink, DocumentTag, Tag, database
from qirtas.archive.verify import verify
from qirtas.cli.main import main
from qirtas.importers import Extracted

TOP_ID = 2**63 - 1  # the largest id SQLite can hold


def _note(number: int) -> NewDocument:
    text = f"note {number} of a long correspondence"
    return NewDocument(text.encode(), Extracted(text, "text/plain"), f"note-{number:03}.txt")


@pytest.fixture
def big_bag(archive, tmp_path):
    """A bag of 250 notes (two batches and more), five themes on them."""
    added = archive.add_batch([_note(number) for number in range(250)])
    for number in range(5):
        theme = archive.ensure_tag("theme", f"Theme {number}", "")
        archive.tag_documents([item.id for item in added[number::5]], theme)
    export(archive, "bagit", tmp_path / "bag")
    archive.close()
    return tmp_path / "bag"


@pytest.fixture
def demo_bag(demo_archive, tmp_path):
    """A bag of the demo archive: a translation link between documents 5 and 6, their review pairs."""
    assert DocumentLink.select().count() == 1 and demo_archive.translations(5) == [6]
    export(demo_archive, "bagit", tmp_path / "demo-bag")
    demo_archive.close()
    return tmp_path / "demo-bag"


def _rewrite(bag_path, name: str, change) -> None:
    """Change the rows of metadata/`name` and make every checksum right again (as a forger would)."""
    path = bag_path / "data" / "metadata" / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(rows)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    bagit.Bag(str(bag_path)).save(manifests=True)


def _renumber(bag_path, old: int, new) -> None:
    """Give document `old` the id `new` everywhere the bag names it, so the bag stays consistent."""

    def swap(value, key=None):
        if isinstance(value, dict):
            return {k: swap(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v, key) for v in value]
        if key in ("document", "translation", "document_id", "translation_id", "translations"):
            return new if type(value) is int and value == old else value
        return value

    def records(rows):
        rows[:] = [swap(row) | ({"id": new} if row.get("id") == old else {}) for row in rows]

    _rewrite(bag_path, "documents.jsonl", records)
    _rewrite(bag_path, "audit.jsonl", records)


def _contents(path) -> dict:
    """What a user sees of an archive: documents, tags, tagged pairs, links, originals on disk."""
    with Archive.open(path, create=False) as opened:
        return {
            "documents": sorted(Document.select(Document.id, Document.sha256).tuples()),
            "tags": sorted(Tag.select(Tag.id, Tag.name_en).tuples()),
            "tagged": DocumentTag.select().count(),
            "links": DocumentLink.select().count(),
            "originals": sorted(
                str(p.relative_to(opened.path)) for p in opened.originals.root.rglob("*") if p.is_file()
            ),
        }


# ---- item 4: checked whole before the first write, undone whole when a write fails ----------------------


def test_a_bag_whose_last_record_has_the_wrong_size_keeps_nothing(big_bag, tmp_path, capsys):
    def wrong_size_last(rows):
        rows[-1]["size"] += 1

    _rewrite(big_bag, "documents.jsonl", wrong_size_last)
    target = tmp_path / "target"
    assert main(["--archive", str(target), "import-bag", str(big_bag)]) == 1
    assert "wrong size" in capsys.readouterr().err
    assert not target.exists()  # not 200 documents, 5 tags and 50 orphan originals


def test_a_restore_that_fails_while_writing_is_undone_without_touching_what_was_there(
    big_bag, tmp_path, monkeypatch
):
    target = tmp_path / "target"
    with Archive.open(target) as existing:
        existing.add(NewDocument(b"our own", Extracted("our own", "text/plain"), "own.txt"))
        existing.add(_note(3))  # also in the bag: a duplicate, whose original stays
        orphan = _note(7)  # an original left by a crashed import, also in the bag: it stays too
        existing.originals.stage(hashlib.sha256(orphan.data).hexdigest(), orphan.data, durable=True)
    before = _contents(target)
    assert len([name for name in before["originals"]]) == 3

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bag_import, "_restore_reviews", disk_full)  # the last step of a restore
    with Archive.open(target, create=False) as existing, pytest.raises(BagRejected, match="nothing"):
        import_bag(existing, big_bag)
    assert _contents(target) == before  # its own originals, the duplicate's and the orphan, nothing else


def test_a_cancel_while_writing_keeps_nothing(big_bag, tmp_path):
    writing = []

    def progress(done: int, total: int, _current: str = "") -> None:  # qirtas.jobs.Progress
        if done > total // 2:  # the second half of the progress is the writing
            writing.append(done)

    with Archive.open(tmp_path / "target") as target:
        report = import_bag(target, big_bag, progress=progress, cancel=lambda: bool(writing))
        assert report.cancelled and report.imported == [] and writing
        assert target.count() == 0 and Tag.select().count() == 0
        assert target.originals.all_hashes() == set()


# ---- item 4: ids -----------------------------------------------------------------------------------------


def test_an_id_at_the_top_of_sqlites_range_restores_and_later_imports_still_work(demo_bag, tmp_path, capsys):
    _renumber(demo_bag, 6, TOP_ID)
    target = str(tmp_path / "target")
    assert main(["--archive", target, "import-bag", str(demo_bag)]) == 0, capsys.readouterr().err
    (tmp_path / "later.txt").write_text("a file imported after the restore", encoding="utf-8")
    assert main(["--archive", target, "import", str(tmp_path / "later.txt")]) == 0
    capsys.readouterr()
    assert main(["--archive", target, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["documents"]
    assert len(listed) == 7 and max(d["id"] for d in listed) < 2**53
    with Archive.open(target, create=False) as restored:
        arabic = Document.get(Document.source_name == "005_ar_dushanbe.txt")
        english = Document.get(Document.source_name == "004_00ceb56a319de781.txt")
        assert restored.translations(english.id) == [arabic.id]  # the link followed the new id
        pairs = database.execute_sql("SELECT document_id, translation_id FROM reviewpair").fetchall()
        assert pairs and set(pairs) == {(english.id, arabic.id)}
        assert any(restored.document_tags(arabic.id).values())
        assert verify(restored).problems == []


@pytest.mark.parametrize("bad_id", [10**30, -4, 0, "6"])
def test_an_id_no_archive_can_hold_is_refused_before_any_write(demo_bag, tmp_path, capsys, bad_id):
    _renumber(demo_bag, 6, bad_id)
    target = tmp_path / "target"
    with Archive.open(target) as existing:
        existing.add(NewDocument(b"our own", Extracted("our own", "text/plain"), "own.txt"))
    before = _contents(target)
    assert main(["--archive", str(target), "import-bag", str(demo_bag)]) == 1
    error = capsys.readouterr().err
    assert "Traceback" not in error and error.startswith("qirtas: ")
    assert _contents(target) == before


# ---- item 13: oversized tag files are refused before they are parsed -------------------------------------


def _make_tags_right(bag_path) -> None:
    """Write the tag manifests again after a tag file changed (bagit.Bag() would parse it first)."""
    for manifest in bag_path.glob("tagmanifest-*.txt"):
        algorithm = manifest.name[len("tagmanifest-") : -len(".txt")]
        lines = []
        for line in manifest.read_text(encoding="utf-8").splitlines():
            _digest, name = line.split(None, 1)
            lines.append(f"{hashlib.new(algorithm, (bag_path / name).read_bytes()).hexdigest()}  {name}")
        manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_16_mb_line_in_bag_info_is_refused_at_once(demo_bag, tmp_path):
    with open(demo_bag / "bag-info.txt", "a", encoding="utf-8") as info:
        info.write("X-Note: " + "a" * (16 << 20) + "\n")
    _make_tags_right(demo_bag)
    started = time.monotonic()
    with Archive.open(tmp_path / "target") as target, pytest.raises(BagRejected, match=r"bag-info\.txt"):
        import_bag(target, demo_bag)
    assert time.monotonic() - started < 5  # a hang guard: it took 11–39 s to parse
    assert _contents(tmp_path / "target")["documents"] == []


def test_a_manifest_far_larger_than_its_payload_is_refused_at_once(demo_bag, tmp_path):
    with open(demo_bag / "manifest-sha256.txt", "a", encoding="utf-8") as manifest:
        manifest.write(f"{'0' * 64}  data/{'x' * (8 << 20)}\n")
    started = time.monotonic()
    with (
        Archive.open(tmp_path / "target") as target,
        pytest.raises(BagRejected, match=r"manifest-sha256\.txt"),
    ):
        import_bag(target, demo_bag)
    assert time.monotonic() - started < 5
