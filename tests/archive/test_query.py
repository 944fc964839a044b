"""The query language: what a typed query means, before it reaches the index."""

from __future__ import annotations

import datetime as dt

import pytest
from qirtas.archive.query import date_range, language_code, parse


def _clauses(query: str) -> list[list[tuple[tuple[str, ...], bool]]]:
    return [[(c.terms, c.prefix) for c in group.clauses] for group in parse(query).groups]


def test_words_are_all_required_and_normalised_like_the_index():
    assert _clauses("Platforms الإرهاب") == [[(("platform",), False)], [(("ارهاب",), False)]]


def test_a_phrase_keeps_its_words_in_order():
    assert _clauses('"Social Media platforms"') == [[(("social", "media", "platform"), False)]]


def test_a_prefix_is_folded_and_loses_clitics_but_is_not_stemmed():
    assert _clauses("Radical*") == [[(("radical",), True)]]
    assert _clauses("والإرهاب*") == [[(("ارهاب",), True)]]
    assert _clauses("te*") == [[(("te",), False)]]  # two letters would match nearly everything
    assert _clauses("ter*") == [[(("ter",), True)]]


def test_or_joins_its_neighbours_and_exclusion_negates():
    parsed = parse("isis OR داعش -propaganda NOT video")
    assert [len(group.clauses) for group in parsed.positive] == [2]
    assert [group.clauses[0].terms for group in parsed.negative] == [("propaganda",), ("video",)]


@pytest.mark.parametrize(
    ("query", "facet", "value"),
    [
        ('theme:"hate speech"', "theme", "hate speech"),
        ("موضوع:الكراهية", "theme", "الكراهية"),
        ('منطقة:"وسط آسيا"', "region", "وسط آسيا"),
        ("Region:Egypt", "region", "Egypt"),
        ("event:webinar", "event", "webinar"),
        ("حدث:ندوة", "event", "ندوة"),
    ],
)
def test_facet_filters_in_english_or_arabic(query, facet, value):
    [found] = parse(query).facets
    assert (found.facet, found.value) == (facet, value)
    assert not parse(query).groups


def test_an_unquoted_facet_value_may_take_the_next_words():
    parsed = parse("region:Central Asia extremism")
    [region] = parsed.facets
    assert region.value == "Central"
    assert [word for _index, word in region.continuation] == ["Asia", "extremism"]


def test_a_negated_facet_excludes():
    [theme] = parse('-theme:"hate speech" speech').facets
    assert theme.negated


def test_unknown_keys_are_plain_words():
    assert _clauses("title:terror") == [[(("titl", "terror"), False)]]
    assert not parse("title:terror").facets


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018", (dt.date(2018, 1, 1), dt.date(2018, 12, 31))),
        ("2018..2020", (dt.date(2018, 1, 1), dt.date(2020, 12, 31))),
        ("2018-2020", (dt.date(2018, 1, 1), dt.date(2020, 12, 31))),
        ("2020..2018", (dt.date(2018, 1, 1), dt.date(2020, 12, 31))),
        ("2018-02", (dt.date(2018, 2, 1), dt.date(2018, 2, 28))),
        ("2018-12..2019-01-15", (dt.date(2018, 12, 1), dt.date(2019, 1, 15))),
        ("..2019", (None, dt.date(2019, 12, 31))),
        ("2019..", (dt.date(2019, 1, 1), None)),
        ("٢٠١٨..٢٠٢٠", (dt.date(2018, 1, 1), dt.date(2020, 12, 31))),
        ("2018-13", None),
        ("..", None),
        ("soon", None),
    ],
)
def test_date_ranges(value, expected):
    assert date_range(value) == expected


def test_an_unreadable_date_is_dropped_with_a_note():
    parsed = parse("date:soon terror")
    assert parsed.date_from is None and parsed.notes
    assert parse("تاريخ:2016").date_to == dt.date(2016, 12, 31)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("ar", "ar"),
        ("Arabic", "ar"),
        ("العربية", "ar"),
        ("عربي", "ar"),
        ("English", "en"),
        ("EN", "en"),
        ("mixed", "mixed"),
    ],
)
def test_languages_by_code_or_name(value, code):
    assert language_code(value) == code


def test_an_unclosed_quote_is_read_to_the_end_with_a_note():
    parsed = parse('"social media')
    assert _clauses('"social media') == [[(("social", "media"), False)]]
    assert parsed.notes


def test_a_pasted_page_is_cut_to_the_first_words():
    parsed = parse(" ".join(f"word{n}" for n in range(500)))
    assert len(parsed.groups) == 32 and parsed.notes
