"""Any query at all returns results or an empty list with a readable hint: never an exception."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qirtas.archive import search
from qirtas.archive.archive import Archive, NewDocument
from qirtas.cli.main import main
from qirtas.importers import Extracted

PIECES = [
    '"',
    "'",
    "-",
    "*",
    "(",
    ")",
    ":",
    "^",
    "+",
    "OR",
    "AND",
    "NOT",
    "NEAR",
    "NEAR(",
    "NEAR/2",
    "|",
    "||",
    "title:",
    "body:",
    "document_fts:",
    "{title body}:",
    "region:",
    "theme:",
    'theme:"',
    "lang:",
    "date:",
    "date:..",
    "date:2018..",
    "date:٢٠١٨..٢٠٢٠",
    "date:2020-13-45",
    "event:-",
    "حدث:",
    "منطقة:",
    "-region:",
    "'; DROP TABLE document; --",
    "SELECT * FROM document",
    "rank:",
    "MATCH",
    "\x00",
    "\x1b[31m",
    "\n",
    "\t",
    "\u202e",
    "\u2066",
    "\u200f",
    "\ufeff",
    "\u0640",
    "\u064b",
    "ﷺ",
    "ﻻ",
    "e\u0301",
    "İ",
    "ß",
    "الإرهاب",
    "terror",
    "terror*",
    "*terror",
    "café",
    "٣",
    "_",
    "__init__",
    "a" * 300,
    "💥",
    "\udfff"[:0],
]

query_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
)


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory):
    archive = Archive.open(tmp_path_factory.mktemp("robust") / "archive")
    texts = [
        ("Terrorist use of the Internet", "en", "Platforms and recruiting online: a café debate."),
        ("مكافحة الإرهاب", "ar", "ناقش الخبراءُ مكافحةَ الإرهـاب ﷺ على المنصات. وقال ﻻ."),
        ("Mixed", "mixed", "Hate speech in Dushanbe — خطاب الكراهية في دوشانبي."),
    ]
    added = archive.add_batch(
        [
            NewDocument(
                text.encode(),
                Extracted(text, "text/plain", title=title, language=language, date=dt.date(2019, 1, 1)),
                f"{number}.txt",
            )
            for number, (title, language, text) in enumerate(texts)
        ]
    )
    theme = archive.ensure_tag("theme", "Hate speech", "خطاب الكراهية")
    archive.tag_documents([added[2].id], theme)
    yield archive
    archive.close()


def _check(archive: Archive, query: str) -> None:
    result = archive.search(query, limit=5)
    assert result.total == len(result.ids) >= len(result.hits)
    assert len(result.hits) <= 5
    assert result.total or result.hint  # nothing found always says why
    for hit in result.hits:
        assert isinstance(hit.snippet, str)
        for start, end in hit.matches:
            assert 0 <= start < end <= len(hit.excerpt)
    assert isinstance(archive.facet_counts(query=query), dict)
    assert isinstance(search.highlight(query, "Terrorist platforms: الإرهاب ﷺ"), list)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=query_text)
def test_any_query_returns_a_result_and_never_raises(small_archive, query):
    _check(small_archive, query)


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "NEAR(terror platform",
        "title:terror OR",
        "OR",
        "-",
        "- -",
        "NOT",
        '""',
        "*",
        "terror**",
        "'; DELETE FROM document; --",
        "date:9999999999..",
        "region:",
        'theme:"',
        "\x00\x01\x02",
        "\u202eمكافحة\u202c",
        "lang:xx",
        "AND AND AND",
        "RE* RE*",  # two clauses on the same word (found by hypothesis)
        'terror terror* "terror"',
        "lang:\udcff terror\udcfe",  # undecodable bytes on a command line arrive as lone surrogates
        'theme:"\ud800"',
        "LANG:\x00",  # a NUL inside a quoted FTS5 token ended the expression (found by hypothesis)
    ],
)
def test_hostile_queries_degrade_to_words_or_a_hint(small_archive, query):
    _check(small_archive, query)
    assert small_archive.count() == 3  # and nothing was changed


def test_ten_kilobytes_of_junk_is_searched_quickly_as_words(small_archive):
    rng = random.Random(7)
    junk = "".join(
        chr(rng.choice([rng.randrange(32, 0x2FF), rng.randrange(0x600, 0x6FF)])) for _ in range(10_000)
    )
    _check(small_archive, junk)
    result = small_archive.search("terror " + junk)
    assert result.total == 0 and result.hint


def test_ordinary_words_still_work_after_junk(small_archive):
    result = small_archive.search('NEAR(terror "platforms')
    assert result.hint  # says what happened to the missing quote
    assert small_archive.search("الارهاب").total == 1


@pytest.mark.parametrize(
    "query", ['"unbalanced', "NEAR(a b) title:x", "region:Atlantis", "💥\u202e", "-terror", 'الإرهاب "']
)
def test_cli_search_exits_zero_and_prints_json(small_archive, capsys, query):
    status = main(["--archive", str(small_archive.path), "search", "--json", "--", query])
    payload = json.loads(capsys.readouterr().out)
    # A query with nothing left to search (only an emoji and an override) is a usage error (exit 2),
    # with the same JSON keys and a hint; every other odd query runs.
    assert status == (2 if query == "💥\u202e" else 0)
    assert payload["total"] == len(payload["results"])
    assert payload["total"] or payload["hint"]
