"""Filters are tokens of the index: they follow every change of tags, language and date, they never match
typed words, and a quick search of a broad query gives its first page at once and the full ranking after."""

from __future__ import annotations

import datetime as dt

import pytest
from qirtas.archive import search
from qirtas.archive.archive import NewDocument
from qirtas.archive.search import ranking, results
from qirtas.archive.vocabulary import delete_tag, merge_tags
from qirtas.importers import Extracted


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
    the quick-search limits made small enough to reach: counted up to 8 matches, the 6 newest ranked."""
    monkeypatch.setattr(results, "COUNT_LIMIT", 8)
    monkeypatch.setattr(results, "CANDIDATES", 6)
    ids = [
        _add(
            archive, " ".join(["river"] * (1 + number % 5) + ["bank"] * (3 + number)), title=f"Note {number}"
        )
        for number in range(12)
    ]
    _add(archive, "a lake, not the word we search")
    return ids


def test_a_quick_search_of_a_broad_query_ranks_its_newest_matches_and_says_there_are_more(archive, broad):
    exact = archive.search("river", limit=3)
    quick = archive.search("river", limit=3, quick=True)
    assert exact.total == 12 and exact.total_exact
    assert quick.total == 8 and not quick.total_exact  # "more than 8"
    assert not quick.complete and quick.ranked_among == 6
    newest = set(broad[-6:])
    expected = [i for i in exact.ids if i in newest]
    assert quick.ids == expected  # bm25's order among the newest six
    assert [hit.id for hit in quick.hits] == expected[:3]
    assert all("<<river>>" in hit.snippet for hit in quick.hits)
    # the complete ranking is the exact one
    assert archive.search_ids("river") == exact.ids
    assert exact.complete and exact.ranked_among is None


def test_a_broad_two_word_search_weighs_its_words_by_estimates_that_keep_bm25s_order(archive, monkeypatch):
    """The head of a broad result weighs each word by how common it is, estimated from its first matches
    when counting them all would cost more than the ranking (here: more than 5)."""
    monkeypatch.setattr(results, "COUNT_LIMIT", 30)
    monkeypatch.setattr(results, "CANDIDATES", 10)
    monkeypatch.setattr(ranking, "_DF_SAMPLE", 5)
    # "bank" in every document, "river" in every third: a river match weighs more than a bank match
    ids = []
    for number in range(60):
        words = ["bank"] * (1 + number % 4) + (["river"] * (1 + number % 3) if number % 3 == 0 else [])
        ids.append(_add(archive, " ".join(words + ["filler"] * (number % 7)), title=f"Note {number}"))
    quick = archive.search("bank river", limit=5, quick=True)
    assert quick.total == 20 and quick.ranked_among == 10 and not quick.complete
    exact_order = archive.search("bank river").ids
    assert quick.ids == [i for i in exact_order if i in set(quick.ids)]
    assert set(quick.ids) == set(ids[::3][-10:])  # the ten newest with both words
    weights = {
        term: ranking.document_frequency(archive.db, ranking.Phrase((term,), False), 60, exact=False)
        for term in ("bank", "river")
    }
    assert 45 <= weights["bank"] <= 60 and 15 <= weights["river"] <= 25  # 60 and 20 in truth


def test_a_quick_search_counts_exactly_up_to_its_limit(archive, broad, monkeypatch):
    monkeypatch.setattr(results, "COUNT_LIMIT", 12)
    quick = archive.search("river", limit=3, quick=True)
    assert quick.total == 12 and quick.total_exact and not quick.complete and len(quick.ids) == 6


def test_a_quick_search_past_its_first_ids_or_of_a_small_result_is_exact(archive, broad):
    assert archive.search("river", limit=3, offset=6, quick=True).ids == archive.search("river").ids
    small = archive.search("river note 3", quick=True)
    assert small.complete and small.total == small.ids.__len__() == 1


def test_a_quick_filter_only_listing_gives_the_first_ids_in_id_order(archive, broad):
    quick = archive.search("lang:en", limit=2, quick=True)
    assert quick.total == 8 and not quick.total_exact and not quick.complete
    assert quick.ids == sorted(archive.search("lang:en").ids)[:8]
    assert archive.search_ids("lang:en") == sorted(archive.search("lang:en").ids)


BM25_QUERIES = [
    "river",
    "bank river",
    '"river bank"',
    '"bank bank"',  # a phrase that overlaps itself: "bank bank bank" holds it twice
    "riv*",
    "river OR delta",
    "river -delta",
    "delta lang:en",
    "bank river date:2019..2020",
    "نهر",
    "نهر الضفة",
    "delta theme:floods",
]


def test_a_quick_search_ranks_a_whole_result_in_bm25_order(archive):
    """A quick search scores its candidates itself (FTS5's bm25() reads every match of every phrase
    first); a result it ranks whole must come out in exactly bm25's order."""
    floods = archive.ensure_tag("theme", "Floods", "الفيضانات")
    texts = [
        ("River delta", "the river bank and the delta " * 3, "en"),
        ("Bank", "bank bank bank river", "en"),
        ("Notes", "river " + "word " * 60 + "bank river bank", "en"),
        ("Delta news", "delta delta " + "filler " * 20, "en"),
        ("Rivers", "rivers and riverbanks, a river bank", "en"),
        ("نهر", "النهر والضفة نهر الضفة", "ar"),
        ("ضفة", "الضفة " * 5 + "نهر", "ar"),
        ("Short", "river", "en"),
        ("Long", "delta bank " * 150 + "river", "en"),  # sizes over 127 terms take two bytes in FTS5
    ]
    ids = [
        _add(archive, text, language=language, date=dt.date(2019, 5, 1 + number), title=title)
        for number, (title, text, language) in enumerate(texts)
    ]
    archive.tag_documents(ids[::2], floods)
    for query in BM25_QUERIES:
        quick, exact = archive.search(query, quick=True), archive.search(query)
        assert quick.complete and quick.ranked_among is None, query
        assert quick.ids == exact.ids and exact.ids, query
    # with several phrases, each is weighed as bm25 weighs it: the very same scores, also after the
    # archive changed (the counts behind the weights are kept only while the index stays the same)
    for change in range(3):
        for query in ("bank river", "river OR delta", "نهر الضفة"):
            quick, exact = archive.search(query, quick=True), archive.search(query)
            assert [hit.score for hit in quick.hits] == pytest.approx([hit.score for hit in exact.hits]), (
                query
            )
        if change == 0:
            _add(archive, "delta river delta", title="More delta")
        elif change == 1:
            archive.delete_document(ids[3])


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


def test_language_tokens_written_by_sql_are_the_ones_a_query_asks_for(archive):
    for code in ("en", "ar", "zh-Hant", "pt_BR", "und"):
        document = _add(archive, f"sample text {code}", language=code)
        written = archive.db.execute_sql(
            "SELECT facets FROM document_fts WHERE rowid = ?", (document,)
        ).fetchone()[0]
        assert search.language_token(code) in written.split()


def test_a_quick_search_falls_back_to_fts5_ranking_when_the_index_cannot_be_read_directly(
    archive, broad, monkeypatch
):
    from peewee import OperationalError

    def unreadable(db):
        raise OperationalError("no such table: document_fts_docsize")

    monkeypatch.setattr(ranking, "averages", unreadable)
    quick = archive.search("river", limit=3, quick=True)
    exact = archive.search("river")
    assert quick.ids == [i for i in exact.ids if i in set(broad[-6:])]
    small = archive.search("river note 3", quick=True)
    assert small.complete and small.ids == archive.search("river note 3").ids


def _title_and_text_tokens(archive) -> set[str]:
    archive.db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, document_fts, 'col')"
    )
    rows = archive.db.execute_sql("SELECT term FROM temp.v WHERE col IN ('title', 'body')").fetchall()
    return {term for (term,) in rows}


def test_the_term_list_holds_every_token_of_titles_and_texts_also_after_a_rollback(archive):
    from qirtas.archive.models import database

    _add(archive, "O'Neil's e-mail: Café 3.5 x_y ﷺ حُفظت الإرهاب", title="ABC-def")
    terms = lambda: {term for (term,) in archive.db.execute_sql("SELECT term FROM search_terms")}  # noqa: E731
    assert _title_and_text_tokens(archive) <= terms()
    with database.bound(archive.db), pytest.raises(RuntimeError), archive.db.atomic():
        search.index_documents([(999, "rolled", "zanzibar quokka", "en", None, None)])
        raise RuntimeError("the import failed")
    assert "zanzibar" not in terms()
    _add(archive, "zanzibar quokka again")
    assert _title_and_text_tokens(archive) <= terms()
    # an index made before the term list gets it filled in from FTS5's own list when opened
    archive.db.execute_sql("DROP TABLE search_terms")
    search.create_index(archive.db)
    assert _title_and_text_tokens(archive) <= terms()


def test_a_quick_search_lists_a_prefix_as_its_terms_and_finds_what_fts5s_prefix_finds(archive, broad):
    from qirtas.archive.query import parse
    from qirtas.archive.search.plan import make_plan

    _add(archive, "rivers riverside riveting rive", title="Other")
    with archive.bound():
        plan = make_plan(parse("rive* -bank"))
    assert plan.listed_text and '"riversid"' in plan.listed_text and "*" not in plan.listed_text
    for query in ("rive*", "riv* -bank", "rive* OR lake", "nothingstarts*", "bank rive*"):
        quick, exact = archive.search(query, limit=3, quick=True), archive.search(query)
        assert quick.total == min(exact.total, 8), query
        assert set(quick.ids) <= set(exact.ids), query


def test_terms_sent_by_import_workers_reach_the_term_list_also_after_a_rolled_back_batch(archive):
    # Import workers send each term once per import (`PreparedIndex.new_terms`); when the batch that
    # brought some is rolled back, the writer splits that import's later documents itself again.
    import dataclasses

    from qirtas.archive.models import database

    def by_a_worker(text: str, new_terms: set[str]) -> search.PreparedIndex:
        prepared = search.prepare_index(text[:20], text)
        return dataclasses.replace(prepared, words=frozenset(), new_terms=frozenset(new_terms))

    def row(document_id: int, text: str, new_terms: set[str]):
        return (document_id, text[:20], text, "en", None, by_a_worker(text, new_terms))

    terms = lambda: {term for (term,) in archive.db.execute_sql("SELECT term FROM search_terms")}  # noqa: E731
    sent = search.SentTerms()
    with database.bound(archive.db):
        with archive.db.atomic():
            sent.batch = {"alpha", "bravo"}
            search.index_documents([row(901, "alpha bravo", {"alpha", "bravo"})], sent=sent)
        with pytest.raises(RuntimeError), archive.db.atomic():
            sent.batch = {"zanzibar", "quokka"}
            search.index_documents([row(902, "zanzibar quokka", {"zanzibar", "quokka"})], sent=sent)
            raise RuntimeError("the batch failed")
        assert {"alpha", "bravo"} <= terms() and "zanzibar" not in terms()
        with archive.db.atomic():  # its terms were sent with the rolled-back batch: not again
            sent.batch = set()
            search.index_documents([row(903, "zanzibar quokka alpha", set())], sent=sent)
        assert {"zanzibar", "quokka", "alpha"} <= terms()
        # a duplicate's terms (its document not written) are written with its batch all the same
        other = search.SentTerms()
        with archive.db.atomic():
            other.batch = {"yodel"}
            search.index_documents([], sent=other)
        assert "yodel" in terms()
        # without `sent`, a document whose terms were left out is split here
        with archive.db.atomic():
            search.index_documents([row(904, "xylophone", set())])
        assert "xylophon" in terms()
