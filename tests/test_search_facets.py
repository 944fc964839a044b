"""Filters are tokens of the index: they follow every change of tags, language and date, they never match
typed words, and a quick search of a broad query gives its first page at once and the full ranking after."""

from __future__ import annotations

import datetime as dt

import pytest

from archive import search
from archive.archive import NewDocument
from archive.vocabulary import delete_tag, merge_tags
from importers import Extracted


def _add(archive, text: str, language: str = "en", date: dt.date | None = None, title: str = "") -> int:
    extracted = Extracted(text, "text/plain", title=title or text[:20], language=language, date=date)
    return archive.add(NewDocument(text.encode(), extracted, "x.txt")).id


def test_a_region_filter_follows_tagging_untagging_and_includes_places_inside(archive):
    tajikistan = archive.ensure_tag("region", "Tajikistan", "طاجيكستان")
    asia = archive.ensure_tag("region", "Central Asia", "آسيا الوسطى")
    tajikistan.parent = asia
    tajikistan.save()
    first = _add(archive, "A report on youth programmes")
    second = _add(archive, "Another report on youth")
    assert archive.search('region:"Central Asia" youth').ids == []
    archive.tag_documents([first], tajikistan)
    assert archive.search('region:"Central Asia" youth').ids == [first]
    assert archive.search("منطقة:طاجيكستان").ids == [first]
    assert archive.search("youth -region:Tajikistan").ids == [second]
    archive.untag_documents([first], tajikistan)
    assert archive.search("region:Tajikistan").ids == []
    assert sorted(archive.search("youth -region:Tajikistan").ids) == [first, second]


def test_merging_and_deleting_tags_move_the_documents_they_find(archive):
    hate = archive.ensure_tag("theme", "Hate speech", "خطاب الكراهية")
    hatred = archive.ensure_tag("theme", "Hatred", "الكراهية")
    one, two = _add(archive, "first text"), _add(archive, "second text")
    archive.tag_documents([one], hate)
    archive.tag_documents([two], hatred)
    merge_tags(archive, hatred.id, hate.id)
    assert sorted(archive.search('theme:"hate speech" text').ids) == [one, two]
    delete_tag(archive, hate.id)
    assert archive.search("text").total == 2
    assert archive.search('theme:"hate speech"').total == 0


def test_language_and_date_filters_follow_an_edit(archive):
    document = _add(archive, "Minutes of the meeting", date=dt.date(2018, 6, 15))
    assert archive.search("lang:en minutes").ids == [document]
    assert archive.search("date:2018 minutes").ids == [document]
    archive.update_document(document, language="ar", date=dt.date(2021, 3, 1))
    assert archive.search("lang:en minutes").ids == []
    assert archive.search("lang:ar minutes").ids == [document]
    assert archive.search("date:2018 minutes").ids == []
    assert archive.search("date:2020..2022").ids == [document]


def test_a_date_range_inside_a_year_is_exact_to_the_day(archive):
    june = _add(archive, "June meeting", date=dt.date(2018, 6, 15))
    august = _add(archive, "August meeting", date=dt.date(2018, 8, 2))
    _add(archive, "Undated meeting")
    assert archive.search("meeting date:2018-07..2018").ids == [august]
    assert archive.search("date:2018-06-15").ids == [june]
    assert archive.search("meeting date:..2018-07").ids == [june]
    assert sorted(archive.search("meeting date:2018").ids) == [june, august]


def test_typed_words_never_match_the_filter_tokens(archive):
    # an English document dated 2018, tagged: its facet tokens are "len", "y2018" and "t<id>"
    tag = archive.ensure_tag("theme", "Youth", "الشباب")
    document = _add(archive, "Nothing special here", date=dt.date(2018, 1, 1))
    archive.tag_documents([document], tag)
    for word in ("len", "y2018", f"t{tag.id}", "facets"):
        assert archive.search(word).ids == [], word
    assert archive.search("special").ids == [document]


@pytest.fixture
def broad(archive, monkeypatch):
    """Twelve documents matching "river" (the word more or less often, texts of different lengths), with
    the quick-search limits made small enough to reach: whole ranking up to 4 matches, else the best 3
    of the 6 most recent."""
    monkeypatch.setattr(search, "RANK_ALL", 4)
    monkeypatch.setattr(search, "CANDIDATES", 6)
    monkeypatch.setattr(search, "HEAD", 3)
    ids = [
        _add(
            archive, " ".join(["river"] * (1 + number % 5) + ["bank"] * (3 + number)), title=f"Note {number}"
        )
        for number in range(12)
    ]
    _add(archive, "a lake, not the word we search")
    return ids


def test_a_quick_search_of_a_broad_query_ranks_its_first_ids_among_the_newest_matches(archive, broad):
    exact = archive.search("river", limit=3)
    quick = archive.search("river", limit=3, quick=True)
    assert quick.total == exact.total == 12
    assert not quick.complete and quick.ranked_among == 6
    newest = set(broad[-6:])
    expected = [i for i in exact.ids if i in newest][:3]
    assert quick.ids == expected
    assert [hit.id for hit in quick.hits] == expected
    assert all("<<river>>" in hit.snippet for hit in quick.hits)
    # the complete ranking is the exact one
    assert archive.search_ids("river") == exact.ids
    assert exact.complete and exact.ranked_among is None


def test_a_quick_search_past_its_first_ids_or_of_a_small_result_is_exact(archive, broad):
    assert archive.search("river", limit=3, offset=3, quick=True).ids == archive.search("river").ids
    small = archive.search("river note 3", quick=True)
    assert small.complete and small.total == small.ids.__len__() == 1


def test_a_quick_filter_only_listing_gives_the_first_ids_in_id_order(archive, broad):
    quick = archive.search("lang:en", limit=2, quick=True)
    assert quick.total == 13 and quick.ids == sorted(quick.ids)[:3] and not quick.complete
    assert archive.search_ids("lang:en") == sorted(archive.search("lang:en").ids)


def test_a_bulk_tagging_optimises_the_index_and_every_filter_still_finds_its_documents(archive, monkeypatch):
    monkeypatch.setattr(search, "BULK_REWRITES", 3)
    calls = []
    optimize = search.optimize_index
    monkeypatch.setattr(search, "optimize_index", lambda: calls.append(1) or optimize())
    youth = archive.ensure_tag("theme", "Youth", "الشباب")
    ids = [_add(archive, f"report number {n}") for n in range(4)]
    archive.tag_documents(ids[:2], youth)
    assert calls == []  # a small tagging leaves the index as it is
    archive.tag_documents(ids, youth)  # two more documents: still below the threshold
    archive.untag_documents(ids[:3], youth)
    assert calls == [1]
    archive.db.execute_sql("INSERT INTO document_fts(document_fts) VALUES ('integrity-check')")
    assert archive.search("theme:youth report").ids == [ids[3]]
    assert sorted(archive.search("-theme:youth report").ids) == ids[:3]


def test_a_quick_search_counts_every_match_even_when_fewer_candidates_than_ids_are_ranked(
    archive, broad, monkeypatch
):
    monkeypatch.setattr(search, "CANDIDATES", 2)  # fewer candidates than the 3 ids a quick search gives
    quick = archive.search("river", limit=3, quick=True)
    assert quick.total == 12 and quick.ranked_among == 2 and len(quick.ids) == 2


def test_language_tokens_written_by_sql_are_the_ones_a_query_asks_for(archive):
    for code in ("en", "ar", "zh-Hant", "pt_BR", "und"):
        document = _add(archive, f"sample text {code}", language=code)
        written = archive.db.execute_sql(
            "SELECT facets FROM document_fts WHERE rowid = ?", (document,)
        ).fetchone()[0]
        assert search.language_token(code) in written.split()
