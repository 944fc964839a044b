"""Search over the seeds and documents written for it: a table of query → expected documents, both languages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.regions import ensure_region
from qirtas.importers import Extracted

# key → (title, language, date, text, tags as (facet, English name) or ("region", CLDR code / city))
WRITTEN = {
    "cafe": (
        "Notes from the Café Riche discussion",
        "en",
        "2019-04-02",
        "Writers met at the café to discuss censorship of online platforms.",
        [("theme", "Human rights"), ("region", "cairo")],
    ),
    "plain-cafe": (
        "A cafe in Dushanbe",
        "en",
        "2019-05-20",
        "The cafe hosted a workshop for young bloggers about hate speech online.",
        [("theme", "Hate speech"), ("region", "dushanbe")],
    ),
    "hate-2016": (
        "Hate speech monitoring in Tajikistan, 2016",
        "en",
        "2016-02-01",
        "Monitors counted hateful posts on one platform during the elections.",
        [("theme", "Hate speech"), ("region", "TJ")],
    ),
    "hate-paris": (
        "Hate speech hearing in Paris",
        "en",
        "2020-09-15",
        "A parliamentary hearing on hate speech and the duties of hosting services.",
        [("theme", "Hate speech"), ("region", "paris")],
    ),
    "moderation-title": (
        "Moderation of terrorist content",
        "en",
        "2021-01-10",
        "A short note.",
        [],
    ),
    "moderation-body": (
        "Annual report",
        "en",
        "2021-02-10",
        "Moderation teams grew. Moderation tools improved. Moderation appeals were counted, and moderation "
        "guidelines were published after a long consultation with many partners across the region.",
        [],
    ),
    "media-social": (
        "Media review",
        "en",
        "2017-03-03",
        "The media reported a social gathering; nothing about networks.",
        [],
    ),
    "ar-hamza": (
        "مُكافَحَةُ الإِرْهَابِ وَالتَّطَرُّف",
        "ar",
        "2019-07-07",
        "ناقش الخبراءُ سُبُلَ مكافحةِ الإرهـــاب عبر المنصات الرقمية، وبالإرهاب الإلكتروني خاصةً.\n\n"
        "وقال المسئول إن المنصة الجديدة ستُطلق في عام ٢٠١٩.",
        [("theme", "Violent extremism"), ("region", "EG")],
    ),
    "ar-recruit": (
        "التجنيد عبر الإنترنت",
        "ar",
        "2020-03-03",
        "حذر التقرير من تجنيد الشباب للمنظمات المتطرفة عبر وسائل التواصل الاجتماعي.",
        [("theme", "Social media"), ("region", "dushanbe")],
    ),
}


def _tag(archive: Archive, facet: str, name: str):
    if facet == "region":
        found = archive.find_tag("region", name.replace("-", " ").title())
        return found or ensure_region(archive, name)
    return archive.find_tag(facet, name) or archive.ensure_tag(facet, name)


@pytest.fixture(scope="module")
def corpus(demo_template, tmp_path_factory):
    """The demo archive plus the documents above, and a map from key (or seed file) to document id."""
    path = tmp_path_factory.mktemp("search") / "archive"
    shutil.copytree(demo_template, path)
    archive = Archive.open(path, create=False)
    ids = {Path(d.source_name).stem[:3]: d.id for d in archive.list_documents()[1]}
    for key, (title, language, date, text, tags) in WRITTEN.items():
        extracted = Extracted(
            text=text,
            media_type="text/plain",
            title=title,
            language=language,
            date=dt.date.fromisoformat(date),
        )
        [added] = archive.add_batch([NewDocument(text.encode(), extracted, f"{key}.txt")])
        ids[key] = added.id
        for facet, name in tags:
            archive.tag_documents([added.id], _tag(archive, facet, name))
    yield archive, ids
    archive.close()


# query → documents that must be found, and documents that must not (seeds by file number, ours by key).
TABLE = [
    # Arabic: hamza, tashkeel, tatweel, clitics, ta marbuta, alef maqsura, digits
    ("الارهاب", {"002", "ar-hamza"}, {"000", "003"}),
    ("إرهاب", {"002", "ar-hamza"}, set()),
    ("مكافحه الارهاب", {"002", "ar-hamza"}, {"ar-recruit"}),
    ("منصه", {"ar-hamza", "002"}, {"ar-recruit"}),  # المنصات, المنصة, كمنصة
    ("مسؤول", {"ar-hamza"}, set()),  # written مسئول
    ("تجنيد", {"ar-recruit", "002"}, {"ar-hamza"}),  # بتجنيد in 002
    ("٢٠١٩ المنصة", {"ar-hamza"}, set()),
    # English and Latin: stemming both ways, diacritics, case
    ("platform", {"000", "001", "003", "cafe", "hate-2016"}, {"002", "moderation-body"}),
    ("platforms", {"000", "001", "003", "cafe", "hate-2016"}, set()),
    ("recruit", {"000", "003", "004"}, {"001", "cafe"}),
    ("recruiting", {"000", "003", "004"}, set()),
    ("cafe", {"cafe", "plain-cafe"}, set()),
    ("CAFÉ", {"cafe", "plain-cafe"}, set()),
    # phrases, prefixes, exclusion, OR
    ('"social media"', {"000", "001", "003"}, {"media-social"}),
    ('"hate speech"', {"003", "plain-cafe", "hate-2016", "hate-paris"}, set()),
    ("moderat*", {"moderation-title", "moderation-body"}, set()),
    ("radical*", {"003", "004"}, set()),  # radicalization stems to "radic"
    ("الإره*", {"002", "ar-hamza"}, set()),
    ("hate -parliamentary", {"003", "plain-cafe", "hate-2016"}, {"hate-paris"}),
    ("hate -paris", {"plain-cafe", "hate-2016"}, {"hate-paris", "003"}),  # 003 names Paris
    ('hate -"parliamentary hearing"', {"plain-cafe"}, {"hate-paris"}),
    ("kaspersky OR تجنيد", {"004", "ar-recruit"}, {"cafe"}),
    # facets: English and Arabic names, regions include their children, dates, languages
    (
        'theme:"hate speech" region:"Central Asia" date:2018..2021',
        {"plain-cafe"},
        {"hate-2016", "hate-paris", "003"},
    ),
    ('موضوع:"خطاب الكراهية" منطقة:"وسط آسيا"', {"plain-cafe", "hate-2016"}, {"hate-paris", "003"}),
    ("region:Tajikistan", {"004", "plain-cafe", "hate-2016", "ar-recruit"}, {"000", "hate-paris"}),
    ('region:"Central Asia"', {"004", "plain-cafe", "ar-recruit"}, {"002", "cafe"}),
    ("region:Central Asia hate", {"plain-cafe", "hate-2016"}, {"004", "hate-paris"}),
    ("Central Asia", {"004"}, {"plain-cafe"}),  # words, not the tag: the text must say it
    ("region:Egypt", {"cafe", "ar-hamza"}, {"004"}),
    ("region:مصر lang:ar", {"ar-hamza"}, {"cafe"}),
    ("lang:ar", {"002", "ar-hamza", "ar-recruit"}, {"000", "cafe"}),
    ("language:Arabic التجنيد", {"ar-recruit"}, set()),
    ("date:2016", {"002", "hate-2016"}, {"000", "ar-hamza"}),
    ("date:2018..2018", {"000", "003"}, {"002", "001"}),
    ("تاريخ:٢٠١٩", {"cafe", "plain-cafe", "ar-hamza"}, {"hate-2016"}),
    ("theme:extremism", {"004", "ar-hamza"}, {"003"}),  # "Violent extremism"
    ('-theme:"hate speech" speech', set(), {"003", "plain-cafe", "hate-2016", "hate-paris"}),
]


@pytest.mark.parametrize(("query", "found", "not_found"), TABLE, ids=[row[0] for row in TABLE])
def test_query_finds_the_expected_documents(corpus, query, found, not_found):
    archive, ids = corpus
    result = archive.search(query, limit=100)
    got = set(result.ids)
    missing = {key for key in found if ids[key] not in got}
    extra = {key for key in not_found if ids[key] in got}
    assert not missing and not extra, (missing, extra, result.hint)
    assert result.total == len(result.ids)


def test_a_title_match_ranks_above_many_matches_in_the_text(corpus):
    archive, ids = corpus
    result = archive.search("moderation")
    assert result.ids[:2] == [ids["moderation-title"], ids["moderation-body"]]
    assert result.hits[0].score > result.hits[1].score


def test_snippets_are_cut_from_the_original_text_with_the_matches_marked(corpus):
    archive, ids = corpus
    [hit] = [h for h in archive.search("الارهاب المسؤول lang:ar منصه").hits if h.id == ids["ar-hamza"]]
    # tatweel, tashkeel, clitics and hamza spellings are found in the original words and marked whole
    assert "<<الإرهـــاب>>" in hit.snippet
    assert "<<وبالإرهاب>>" in hit.snippet
    assert "<<المسئول>>" in hit.snippet
    assert "<<المنصات>>" in hit.snippet
    marked = [hit.excerpt[start:end] for start, end in hit.matches]
    assert "الإرهـــاب" in marked and "المسئول" in marked
    assert hit.title[slice(*hit.title_matches[0])] == "الإِرْهَابِ"


def test_snippet_spans_are_right_where_folding_changed_lengths(corpus):
    archive, _ids = corpus
    for hit in archive.search("مكافحه").hits:
        for start, end in hit.matches:
            assert (
                hit.excerpt[start:end]
                .replace("\u064e", "")
                .replace("\u0650", "")
                .replace("\u064f", "")
                .replace("\u0629", "\u0647")
                .endswith(("مكافحه", "مكافحة"))
            )


def test_an_empty_query_lists_everything_and_filters_alone_list_documents(corpus):
    archive, ids = corpus
    everything = archive.search("")
    assert everything.total == archive.count() and everything.hint is None
    themed = archive.search('theme:"hate speech"')
    assert set(themed.ids) >= {ids["003"], ids["plain-cafe"], ids["hate-2016"], ids["hate-paris"]}
    assert themed.hits and themed.hits[0].snippet


def test_unknown_filter_values_and_junk_say_so_in_a_hint(corpus):
    archive, _ids = corpus
    unknown = archive.search("region:Atlantis terror")
    assert unknown.total == 0 and "Atlantis" in unknown.hint
    junk = archive.search("!!! ???")
    assert junk.total == 0 and junk.hint
    nothing = archive.search("zzqxv")
    assert nothing.total == 0 and nothing.hint


def test_paging_gives_hits_in_rank_order_and_ids_of_every_match(corpus):
    archive, _ids = corpus
    first = archive.search("terror*", limit=2)
    second = archive.search("terror*", limit=2, offset=2)
    assert first.total == second.total >= 4
    assert [h.id for h in first.hits + second.hits] == first.ids[:4]


def test_facet_counts_follow_the_search_result(corpus):
    archive, _ids = corpus
    hate = archive.find_tag("theme", "Hate speech")
    tajikistan = archive.find_tag("region", "Tajikistan")
    central_asia = archive.find_tag("region", "Central Asia")
    counts = archive.facet_counts(query="hate speech")
    assert counts[hate.id] == 4
    rolled = archive.facet_counts(query="hate speech", include_descendants=True)
    assert rolled[central_asia.id] == 2  # plain-cafe (Dushanbe) and hate-2016 (Tajikistan)
    assert rolled[tajikistan.id] == 2
    assert counts.get(central_asia.id, 0) == 0  # none tagged with Central Asia itself
    filtered = archive.facet_counts(query='hate region:"Central Asia"')
    assert filtered[hate.id] == 2
    assert archive.facet_counts(query="hate speech -parliamentary")[hate.id] == 3
    assert archive.facet_counts(query="zzqxv") == {}


def test_facet_counts_keep_working_with_a_document_filter(corpus):
    from qirtas.archive.archive import DocumentFilter

    archive, _ids = corpus
    hate = archive.find_tag("theme", "Hate speech")
    counts = archive.facet_counts(DocumentFilter(language="en", date_from=dt.date(2019, 1, 1)))
    assert counts[hate.id] == 2  # plain-cafe 2019 and hate-paris 2020
    both = archive.facet_counts(DocumentFilter(language="en"), query="cafe")
    assert both[hate.id] == 1
