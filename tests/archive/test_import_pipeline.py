"""The import pipeline: worker processes read, extract and stage originals in chunks; the importing
process renames them into place and commits each batch. What a person relies on: every file ends as a
document, a duplicate or a clear failure, whichever path read it, and nothing half-written is left."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
from qirtas.archive.importing import ImportOptions, import_paths, pipeline, writing
from qirtas.archive.models import AuditEvent, Document

from tests.support.corpus import write_files

PARALLEL = ImportOptions(workers=2)  # with at least `_PARALLEL_MIN` files, worker processes read them


def temp_files(archive) -> list:
    return archive.originals.leftover_temp_files()


def test_a_parallel_import_stores_indexes_and_audits_every_file_and_leaves_no_temp_file(archive, tmp_path):
    paths = write_files(tmp_path / "in", 60)
    (tmp_path / "in" / "zz-copy.txt").write_bytes(paths[5].read_bytes())  # the same file, read later
    report = import_paths(archive, [tmp_path / "in"], ImportOptions(workers=2, batch_size=25))
    assert len(report.imported) == 60 and report.failed == []
    assert [(d.path, d.id) for d in report.duplicates] == [
        (str(tmp_path / "in" / "zz-copy.txt"), next(i.id for i in report.imported if i.path == str(paths[5])))
    ]
    assert archive.count() == 60 and temp_files(archive) == []
    for path in (paths[0], paths[59]):
        data = path.read_bytes()
        document = Document.get(Document.sha256 == hashlib.sha256(data).hexdigest())
        original = archive.original_path(document)
        assert original.read_bytes() == data
        assert not os.stat(original).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        assert document.source_name == path.name and document.size == len(data)
        assert archive.search(f'"{document.title}"').ids[:1] == [document.id]
    imported = AuditEvent.select().where(AuditEvent.action == "imported").count()
    assert imported == 60
    # Ids follow the files' order, as SQLite would have given them one by one.
    assert [item.id for item in report.imported] == sorted(item.id for item in report.imported)


def test_prefix_search_finds_words_shared_by_documents_read_in_different_workers(archive, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(40):
        (folder / f"{number:02}.txt").write_text(
            f"Report {number}\n\nOn radicalisation and its prevention, number {number}.", encoding="utf-8"
        )
    report = import_paths(archive, [folder], PARALLEL)
    assert len(report.imported) == 40
    # `radical*` needs the lexicon entry of "radicalisation" (its stem "radic" is no prefix of it).
    assert archive.search("radical*").total == 40


def test_an_original_left_without_its_document_gets_one_on_the_next_import(archive, tmp_path):
    paths = write_files(tmp_path / "in", 40)
    crashed = paths[3].read_bytes()
    archive.originals.stage(hashlib.sha256(crashed).hexdigest(), crashed)  # as a crash leaves it
    report = import_paths(archive, [tmp_path / "in"], PARALLEL)
    assert len(report.imported) == 40 and report.duplicates == []
    assert archive.count() == 40 and temp_files(archive) == []
    rerun = import_paths(archive, [tmp_path / "in"], PARALLEL)
    assert (len(rerun.imported), len(rerun.duplicates)) == (0, 40)


def test_an_original_damaged_by_a_crash_before_its_document_was_committed_is_replaced(archive, tmp_path):
    paths = write_files(tmp_path / "in", 40)
    data = paths[7].read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    archive.originals.stage(sha, data[:100])  # renamed into place, power lost before the flush
    report = import_paths(archive, [tmp_path / "in"], PARALLEL)
    assert len(report.imported) == 40
    assert archive.originals.path_for(sha).read_bytes() == data
    assert not os.stat(archive.originals.path_for(sha)).st_mode & stat.S_IWUSR
    assert temp_files(archive) == []


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "workers"])
def test_failures_read_the_same_whichever_process_read_the_file(archive, tmp_path, workers):
    folder = tmp_path / "in"
    write_files(folder, 40)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (folder / "large.txt").write_bytes(b"x" * 3 * 2**20)
    small = [folder / "empty.txt", folder / "image.txt", folder / "large.txt"]
    expected = import_paths(archive, small, ImportOptions(max_bytes=2 * 2**20)).failed  # read here: 3 files
    report = import_paths(archive, [folder], ImportOptions(max_bytes=2 * 2**20, workers=workers))
    assert len(report.imported) == 40
    assert sorted((f.path, f.error) for f in report.failed) == sorted((f.path, f.error) for f in expected)
    assert "too large (3 MB); the limit is 2 MB" in next(f.error for f in expected if "large" in f.path)
    assert temp_files(archive) == []


def test_cancel_in_a_parallel_import_keeps_committed_batches_and_removes_every_temp_file(archive, tmp_path):
    write_files(tmp_path / "in", 120)
    seen: list[int] = []
    report = import_paths(
        archive,
        [tmp_path / "in"],
        ImportOptions(workers=2, batch_size=20),
        progress=lambda done, total, current: seen.append(done),
        cancel=lambda: archive.count() >= 20,  # Cancel pressed once 20 files are in
    )
    assert report.cancelled
    assert 20 <= archive.count() == len(report.imported) == seen[-1] < 120
    assert 120 not in seen
    assert temp_files(archive) == []  # the files read ahead were not left behind


def test_large_files_come_back_in_smaller_chunks_and_every_file_is_imported(archive, tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "_CHUNK_BYTES", 10_000)  # a worker returns after about 3 files
    monkeypatch.setattr(writing, "BATCH_BYTES", 40_000)  # and a batch is committed every dozen or so
    paths = write_files(tmp_path / "in", 50)
    seen: list[int] = []
    report = import_paths(archive, [tmp_path / "in"], PARALLEL, progress=lambda d, t, c: seen.append(d))
    assert [item.path for item in report.imported] == [str(p) for p in paths]
    assert len([done for done in seen if 0 < done < 50]) >= 3  # several batches, each reported
    assert temp_files(archive) == []


def test_a_broken_worker_pool_leaves_the_files_to_be_read_here(archive, tmp_path, monkeypatch):
    def broken(self, paths):
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker was killed"))
        return future

    monkeypatch.setattr(pipeline._Reader, "_submit", broken)
    write_files(tmp_path / "in", 40)
    report = import_paths(archive, [tmp_path / "in"], PARALLEL)
    assert len(report.imported) == 40 and report.failed == []
    assert temp_files(archive) == []


def test_the_archive_folder_is_never_imported_into_itself(archive, tmp_path):
    outside = tmp_path / "notes.txt"
    outside.write_text("A note beside the archive.", encoding="utf-8")
    report = import_paths(archive, [tmp_path])  # the folder that holds the archive
    assert [item.path for item in report.imported] == [str(outside)]
    assert report.failed == []


def test_an_archive_made_again_in_the_same_folder_imports_in_the_same_process(tmp_path):
    from qirtas.archive.archive import Archive

    note = tmp_path / "note.txt"
    note.write_text("A note imported twice, into two archives made one after the other.", encoding="utf-8")
    for _round in range(2):
        with Archive.open(tmp_path / "archive") as archive:
            assert len(import_paths(archive, [note]).imported) == 1
        shutil.rmtree(tmp_path / "archive")


def test_documents_read_by_workers_equal_documents_added_one_at_a_time(archive, tmp_path):
    # The workers' shortcuts (language, index terms, the lexicon of an import, results sent as tuples)
    # give the archive exactly what the general code gives, file by file.
    from qirtas.archive.archive import Archive, NewDocument
    from qirtas.archive.models import database
    from qirtas.importers import extract

    paths = write_files(tmp_path / "in", 45)
    (tmp_path / "in" / "mixed.txt").write_text(
        "Notes 12\n\nThe meeting 北京 in Dushanbe.\n\nالاجتماع في دوشانبي"
    )
    (tmp_path / "in" / "radicalisation.md").write_text("radicalisation, radicalised: organisations' rôle")
    paths += [tmp_path / "in" / "mixed.txt", tmp_path / "in" / "radicalisation.md"]
    import_paths(archive, [tmp_path / "in"], PARALLEL)

    def contents() -> tuple:
        return tuple(
            sorted(database.execute_sql(sql).fetchall())
            for sql in (
                "SELECT source_name, title, language, text, date, status, warnings, metadata, size FROM document",
                "SELECT d.source_name, f.title, f.body, f.facets FROM document_fts f JOIN document d ON d.id = f.rowid",
                "SELECT word, stem FROM search_lexicon",
                "SELECT term FROM search_terms",
            )
        )

    parallel = contents()
    archive.close()
    with Archive.open(tmp_path / "one-by-one") as single:
        for path in paths:
            data = path.read_bytes()
            single.add(NewDocument(data, extract(path, data=data), path.name))
        assert contents() == parallel
    assert len(parallel[0]) == 47 and any(stem == "radic" for _word, stem in parallel[2])
    assert ("radic",) in parallel[3] and ("dushanb",) in parallel[3]
    assert {language for _n, _t, language, *_rest in parallel[0]} == {"en", "ar", "mixed"}


def test_words_sent_with_a_batch_of_duplicates_still_reach_the_prefix_lexicon(archive):
    # A worker sends each new word's lexicon row once per import, with the first file that has it; when
    # that file's batch holds only duplicates (another import committed them first), the row must still
    # be written, or `radicalise*` would miss a later document with "radicalised".
    import dataclasses
    from pathlib import Path

    from qirtas.archive.archive import NewDocument
    from qirtas.archive.search import lexicon_entries, prepare_index
    from qirtas.importers import extract

    def read_by_a_worker(data: bytes, name: str) -> NewDocument:
        extracted = extract(Path(name), data=data)
        prepared = prepare_index(extracted.title, extracted.text)
        return NewDocument(
            data, extracted, name, prepared_index=dataclasses.replace(prepared, words=frozenset())
        )

    first = b"Notes on extremism"
    archive.add(NewDocument(first, extract(Path("notes.txt"), data=first), "notes.txt"))
    added = archive.add_batch([read_by_a_worker(first, "copy.txt")], lexicon=lexicon_entries(["radicalised"]))
    assert [item.duplicate for item in added] == [True]
    (later,) = archive.add_batch([read_by_a_worker(b"They were radicalised online", "later.txt")])
    assert archive.search("radicalise*").ids == [later.id]


def test_a_prefix_search_after_a_parallel_import_finds_what_fts5s_own_prefix_finds(archive, tmp_path):
    # The workers send each index term once per import and the writer lists a prefix as the terms of its
    # term list: the listed terms must find every document FTS5's `prefix*` finds, in every batch.
    from qirtas.archive.models import database
    from qirtas.archive.query import parse
    from qirtas.archive.search.plan import make_plan

    write_files(tmp_path / "in", 240)
    report = import_paths(archive, [tmp_path / "in"], ImportOptions(workers=3, batch_size=20))
    assert len(report.imported) == 240
    with archive.bound():
        database.execute_sql("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, document_fts, 'col')")
        vocabulary = {
            term for (term,) in database.execute_sql("SELECT term FROM temp.v WHERE col IN ('title', 'body')")
        }
        listed = {term for (term,) in database.execute_sql("SELECT term FROM search_terms")}
        assert vocabulary <= listed
        prefixes = sorted({term[:3] for term in vocabulary if len(term) > 3})
        compared = 0
        for prefix in prefixes:
            plan = make_plan(parse(f"{prefix}*"))
            if plan.listed_text is None:  # a prefix of too many terms is left to FTS5
                continue
            found = [
                {
                    row
                    for (row,) in database.execute_sql(
                        "SELECT rowid FROM document_fts WHERE document_fts MATCH ?", (expression,)
                    )
                }
                for expression in (plan.expression(), plan.expression(listing=True))
            ]
            assert found[0] == found[1], prefix
            compared += 1
        assert compared > 100
