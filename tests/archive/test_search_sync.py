"""The index follows the archive: every insert, edit, re-extraction and delete, and a newer normaliser."""

from __future__ import annotations

from qirtas.archive import schema, search
from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.models import Document
from qirtas.importers import Extracted


def _new(text: str, title: str = "", language: str = "en") -> NewDocument:
    return NewDocument(text.encode(), Extracted(text, "text/plain", title=title, language=language), "x.txt")


def test_an_added_document_is_found_at_once(archive):
    added = archive.add(_new("Recruiting through gaming platforms", title="Gaming"))
    assert archive.search("recruit").ids == [added.id]
    assert search.indexed_ids() == {added.id}


def test_an_edited_title_is_searched_by_its_new_words_only(archive):
    added = archive.add(_new("Body text about moderation.", title="Old heading"))
    archive.update_document(added.id, title="Brand new heading")
    assert archive.search("brand").ids == [added.id]
    assert archive.search("old").ids == []
    assert archive.search("moderation").ids == [added.id]


def test_a_re_extracted_text_replaces_the_old_one_in_the_index(archive):
    added = archive.add(_new("(no text: needs OCR)"))
    archive.replace_extraction(
        added.id, Extracted("نص مستخرج عن الإرهاب", "text/plain", language="ar"), reason="password"
    )
    assert archive.search("الارهاب").ids == [added.id]
    assert archive.search("OCR").ids == []


def test_a_deleted_document_leaves_the_index(archive):
    kept = archive.add(_new("platform one"))
    gone = archive.add(_new("platform two"))
    archive.delete_document(gone.id)
    assert archive.search("platform").ids == [kept.id]
    assert search.indexed_ids() == {kept.id}
    assert archive.facet_counts(query="platform") == {}


def test_an_archive_indexed_by_an_older_normaliser_is_re_indexed_when_opened(tmp_path):
    path = tmp_path / "old"
    with Archive.open(path) as archive:
        added = archive.add(_new("Radicalization online", title="الإرهاب"))
        # what an older Qirtas left behind: raw text in the index, an older index version
        archive.db.execute_sql("DELETE FROM document_fts")
        archive.db.execute_sql(
            "INSERT INTO document_fts(rowid, title, body) VALUES (?, ?, ?)",
            (added.id, "الإرهاب", "Radicalization online"),
        )
        schema.set_info("index_version", "1")
        assert archive.search("الارهاب").ids == []
    with Archive.open(path, create=False) as archive:
        assert schema.get_info("index_version") == search.INDEX_VERSION
        assert archive.search("الارهاب").ids == [added.id]
        assert archive.search("radical*").ids == [added.id]  # the prefix lexicon was rebuilt too


def test_rebuilding_gives_the_same_results(archive):
    for text in ("Social media platforms", "وسائل التواصل الاجتماعي", "Radicalization and recruitment"):
        archive.add(_new(text))
    queries = ["platform", "التواصل", "radical*", "recruit*", '"social media"']
    before = [archive.search(q).ids for q in queries]
    search.rebuild_index(archive.db)
    assert [archive.search(q).ids for q in queries] == before
    assert search.indexed_ids() == {d.id for d in Document.select(Document.id)}


def test_an_edited_date_or_language_moves_the_document_between_filters(archive):
    import datetime as dt

    added = archive.add(_new("Platform report"))
    assert archive.search("platform date:2019").ids == []
    archive.update_document(added.id, date=dt.date(2019, 5, 1), language="mixed")
    assert archive.search("platform date:2019").ids == [added.id]
    assert archive.search("date:2019 lang:mixed").ids == [added.id]
    assert archive.search("lang:en").ids == []
