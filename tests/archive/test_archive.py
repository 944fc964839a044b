"""The archive core through its public API: originals, duplicates, tags, filters, audit, schema."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from peewee import IntegrityError
from qirtas.archive import search
from qirtas.archive.archive import Archive, ArchiveError, DocumentFilter, DocumentNotFound, NewDocument
from qirtas.archive.importing import ImportOptions, import_paths
from qirtas.archive.models import AuditEvent, Document, Tag
from qirtas.archive.regions import ensure_region
from qirtas.importers import Extracted, extract

from tests.conftest import SEED_FILES


def _new(text: str, name: str = "note.txt") -> NewDocument:
    data = text.encode("utf-8")
    return NewDocument(data, Extracted(text=text, media_type="text/plain", title=name), name)


def test_original_is_stored_byte_for_byte_read_only_under_its_sha256(archive):
    data = SEED_FILES[2].read_bytes()
    added = archive.add(NewDocument(data, extract(SEED_FILES[2]), SEED_FILES[2].name))
    stored = archive.original_path(archive.get(added.id))
    assert stored.read_bytes() == data
    assert stored.name == hashlib.sha256(data).hexdigest() == archive.get(added.id).sha256
    assert not os.stat(stored).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_same_bytes_twice_is_a_duplicate_with_the_existing_id(archive):
    first = archive.add(_new("The meeting in Dushanbe."))
    again = archive.add(_new("The meeting in Dushanbe.", name="copy.txt"))
    assert (again.duplicate, again.id) == (True, first.id)
    assert archive.count() == 1


def test_a_repeat_inside_one_batch_is_reported_once_as_new(archive):
    results = archive.add_batch([_new("same"), _new("same"), _new("other")])
    assert [r.duplicate for r in results] == [False, True, False]
    assert results[0].id == results[1].id
    assert archive.count() == 2


def test_a_failing_batch_leaves_no_document_and_no_index_row(archive, monkeypatch):
    archive.add(_new("kept before the failure"))

    def broken(documents, *rest):
        documents = list(documents)  # (id, title, text, language, date, prepared)
        if any("boom" in document[2] for document in documents):
            raise RuntimeError("disk full")
        return original_index(documents, *rest)

    original_index = search.index_documents
    monkeypatch.setattr(search, "index_documents", broken)
    with pytest.raises(RuntimeError):
        archive.add_batch([_new("fine one"), _new("boom here")])
    assert [d.text for d in Document.select()] == ["kept before the failure"]
    assert search.indexed_ids() == {d.id for d in Document.select()}


def test_folder_import_reports_imported_duplicates_and_failures_and_goes_on(archive, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for seed in SEED_FILES:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "sub" / "copy.txt").write_bytes(SEED_FILES[0].read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(b"\x00\xff" * 400)
    report = import_paths(archive, [folder], ImportOptions(batch_size=3))
    assert len(report.imported) == len(SEED_FILES)
    assert [d.path for d in report.duplicates] == [str(folder / "sub" / "copy.txt")]
    failed = {os.path.basename(f.path): f.error for f in report.failed}
    assert set(failed) == {"empty.txt", "junk.txt"}
    assert "empty" in failed["empty.txt"] and "binary" in failed["junk.txt"]
    rerun = import_paths(archive, [folder])
    seeds = len(SEED_FILES)
    assert (len(rerun.imported), len(rerun.duplicates), archive.count()) == (0, seeds + 1, seeds)


def test_cancel_keeps_the_batches_already_committed(archive, tmp_path):
    for i in range(10):
        (tmp_path / f"{i:02}.txt").write_text(f"Document number {i}", encoding="utf-8")
    seen = []
    report = import_paths(
        archive,
        [tmp_path],
        ImportOptions(batch_size=4),
        progress=lambda done, total, current: seen.append((done, total)),
        cancel=lambda: archive.count() > 0,  # the person presses Cancel once the first batch is in
    )
    assert report.cancelled
    assert archive.count() == len(report.imported) == 4
    assert (4, 10) in seen and (10, 10) not in seen


def test_region_filter_includes_child_regions(demo_archive):
    central_asia = demo_archive.find_tag("region", "Central Asia")
    asia = demo_archive.find_tag("region", "Asia")
    for tag in (central_asia, asia):
        _total, documents = demo_archive.list_documents(DocumentFilter(tags={"region": [tag.id]}))
        assert "Dushanbe" in " ".join(d.title for d in documents)
    tajikistan = ensure_region(demo_archive, "TJ")
    assert tajikistan.parent.code == "143" and tajikistan.parent.parent.code == "142"


def test_filters_combine_facets_language_and_dates(demo_archive):
    new_york = demo_archive.find_tag("region", "نيويورك")  # Arabic name finds the same tag
    total, docs = demo_archive.list_documents(DocumentFilter(tags={"region": [new_york.id]}, language="ar"))
    assert [d.language for d in docs] == ["ar"] and total == 1
    import datetime as dt

    total, docs = demo_archive.list_documents(
        DocumentFilter(date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 12, 31)), order="date"
    )
    assert [str(d.date) for d in docs] == ["2018-06-29", "2018-11-19"]


def test_tagging_and_untagging_are_audited(archive):
    added = archive.add(_new("Hate speech online"))
    theme = archive.ensure_tag("theme", "Hate speech", "خطاب الكراهية")
    assert archive.tag_documents([added.id], theme) == 1
    assert archive.tag_documents([added.id], theme) == 0  # already tagged
    assert archive.untag_documents([added.id], theme) == 1
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.document_id == added.id)]
    assert actions == ["imported", "tagged", "untagged"]


def test_tag_lookup_by_either_language_and_facet_counts(demo_archive):
    theme = demo_archive.find_tag("theme", "خطاب الكراهية")
    assert theme.name_en == "Hate speech" and theme.label("ar") == "خطاب الكراهية"
    counts = demo_archive.facet_counts()
    assert counts[demo_archive.find_tag("theme", "terrorist use of the internet").id] == 3


def test_tag_needs_a_known_facet_and_a_name(archive):
    with pytest.raises(ArchiveError):
        archive.ensure_tag("person", "Someone")
    with pytest.raises(ArchiveError):
        archive.ensure_tag("theme")
    with pytest.raises(IntegrityError):
        Tag.create(facet="colour", name_en="red")  # the database enforces it too


def test_missing_document_is_a_clear_error(archive):
    with pytest.raises(DocumentNotFound, match="no document 42"):
        archive.get(42)


def test_database_runs_in_wal_with_foreign_keys_and_busy_timeout(archive):
    pragma = lambda name: archive.db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert (pragma("journal_mode"), pragma("foreign_keys"), pragma("busy_timeout")) == ("wal", 1, 30000)


def test_an_old_schema_is_migrated_forward(tmp_path):
    from playhouse.migrate import SqliteMigrator, migrate
    from qirtas.archive import schema

    path = tmp_path / "old"
    with Archive.open(path) as opened:  # make a v1 archive: no Tag.place column, version 1
        migrate(SqliteMigrator(opened.db).drop_column("tag", "place"))
        schema.set_info("schema_version", "1")
    with Archive.open(path, create=False) as reopened:
        columns = [c.name for c in reopened.db.get_columns("tag")]
        assert "place" in columns and schema.get_info("schema_version") == str(schema.SCHEMA_VERSION)


def test_a_newer_schema_is_refused_with_a_sentence(tmp_path):
    from qirtas.archive import schema

    path = tmp_path / "future"
    with Archive.open(path):
        schema.set_info("schema_version", "999")
    with pytest.raises(ArchiveError, match="newer Qirtas"):
        Archive.open(path, create=False)


def test_opening_a_non_archive_folder_is_refused(tmp_path):
    (tmp_path / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(ArchiveError, match="not empty"):
        Archive.open(tmp_path)
    with pytest.raises(ArchiveError, match="no Qirtas archive"):
        Archive.open(tmp_path / "nothing", create=False)


def test_editing_and_deleting_keep_search_in_step(archive):
    added = archive.add(_new("Notes about Dushanbe"))
    archive.update_document(added.id, title="Tashkent notes")
    assert archive.search("tashkent").ids == [added.id]
    archive.delete_document(added.id)
    assert archive.search("dushanbe").total == 0
    assert archive.original_path(Document(sha256=added.sha256)).exists()  # the original is never deleted


def test_a_list_from_an_offset_without_a_limit_starts_at_the_offset(demo_archive):
    total, every = demo_archive.list_documents()
    rest_total, rest = demo_archive.list_documents(offset=2)
    assert rest_total == total and [d.id for d in rest] == [d.id for d in every[2:]] and rest
