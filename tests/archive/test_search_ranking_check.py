"""The quick search's bm25, computed from FTS5's own tables, is trusted for an archive only after it ranked
a probe as FTS5's `bm25()` does: a layout read wrongly (here: the averages record) hands ranking to FTS5."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from qirtas.archive import search
from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.search import ranking
from qirtas.importers import Extracted


def _add(archive: Archive, text: str, title: str) -> int:
    return archive.add(NewDocument(text.encode(), Extracted(text, "text/plain", title=title), "x.txt")).id


@pytest.fixture
def two_rivers(tmp_path):
    """A short text naming the river once, a long one naming it twice, closed: bm25 ranks the short one
    first for its length; without the length (an average size read 20 times too large) the long one."""
    path = tmp_path / "archive"
    archive = Archive.open(path)
    short = _add(archive, "river water stone", title="Note one")
    long = _add(archive, "river river " + "water stone " * 100, title="Note two")
    _add(archive, "lake water stone " * 20, title="Note three")
    archive.close()
    return path, short, long


def test_a_probe_ranked_wrongly_hands_the_archive_to_fts5s_bm25_with_a_warning(
    two_rivers, monkeypatch, caplog
):
    path, short, long = two_rivers
    right = ranking.decode_averages
    monkeypatch.setattr(
        ranking, "decode_averages", lambda block: (lambda found: (found[0], found[1] * 20))(right(block))
    )
    with caplog.at_level(logging.WARNING, logger="qirtas.archive.search.ranking"):
        archive = Archive.open(path, create=False)
    try:
        [warning] = [r for r in caplog.records if r.name == "qirtas.archive.search.ranking"]
        assert "disagrees with FTS5's bm25()" in warning.getMessage()
        assert sqlite3.sqlite_version in warning.getMessage()
        assert not search.state_of(archive.db).ranking_here
        exact = archive.search("river").ids
        assert exact == [short, long]  # FTS5's bm25()
        # what bm25 computed here would say with the averages it reads now ...
        wrong = ranking.bm25_scores(archive.db, [(("river",), False)], exact, whole=True)
        assert [document_id for document_id, _score in wrong] == [long, short]
        # ... is not what the quick search says: FTS5 ranks it
        assert archive.search("river", quick=True).ids == exact
        caplog.clear()
        archive.search("river stone", quick=True)
        assert not caplog.records  # checked once for this archive, not at every search
    finally:
        archive.close()


def test_a_probe_ranked_rightly_keeps_bm25_computed_here(two_rivers, caplog):
    path, short, long = two_rivers
    with caplog.at_level(logging.WARNING, logger="qirtas.archive.search.ranking"):
        archive = Archive.open(path, create=False)
    try:
        assert not caplog.records
        assert search.state_of(archive.db).ranking_here
        assert ranking._probe_terms(archive.db)  # probed on the archive's own documents
        here = ranking.bm25_scores(archive.db, [(("river",), False)], [short, long], whole=True)
        assert [document_id for document_id, _score in here] == archive.search("river").ids == [short, long]
    finally:
        archive.close()


def test_an_empty_archive_is_checked_on_a_probe_made_in_memory(archive):
    assert ranking._probe_terms(archive.db) == []
    assert ranking._disagreement_in_memory() is None
    assert search.state_of(archive.db).ranking_here


def test_the_check_runs_again_for_another_sqlite_or_index_version(two_rivers, monkeypatch):
    path, _short, _long = two_rivers
    archive = Archive.open(path, create=False)
    try:
        runs = []
        disagreement = ranking._disagreement
        monkeypatch.setattr(ranking, "_disagreement", lambda *a: runs.append(1) or disagreement(*a))
        archive.search("river", quick=True)
        assert runs == []  # checked when the archive opened
        monkeypatch.setattr(sqlite3, "sqlite_version", "9.99.0")
        archive.search("river", quick=True)
        monkeypatch.setattr(search.index, "INDEX_VERSION", "999")
        archive.search("river", quick=True)
        archive.search("river", quick=True)
        assert runs == [1, 1]
    finally:
        archive.close()


def test_a_layout_that_cannot_be_read_hands_ranking_to_fts5(two_rivers, monkeypatch, caplog):
    path, short, long = two_rivers

    def unreadable(blob: bytes) -> list[int]:
        raise IndexError("a record shorter than expected")

    monkeypatch.setattr(ranking, "varints", unreadable)
    with caplog.at_level(logging.WARNING, logger="qirtas.archive.search.ranking"):
        archive = Archive.open(path, create=False)
    try:
        assert "could not be read as expected (IndexError" in caplog.text
        assert archive.search("river", quick=True).ids == [short, long]
    finally:
        archive.close()
