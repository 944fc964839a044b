"""Terms found in the original text are exactly the indexed terms: what snippets rely on to mark matches."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from qirtas.i18n.normalize import index_terms, term_spans, word_terms

# Arabic letters, harakat, tatweel, ligatures, joiners, bidi marks, a combining accent, digits, underscore,
# invisible characters (zero-width space, word joiner, soft hyphen, Mongolian vowel separator),
# Persian and Urdu letters, Chinese characters beside Latin and digits.
ARABIC_AND_MARKS = st.text(
    alphabet="الإرهابكتمنصةىيؤئ ـًٌٍَُِّْ،.ﻻﷺ\u200c\u200f\u0301éeﬁ_٣\u200b\u2060\u00ad\u180eیکەھۃ互联网恐怖a1",
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), ARABIC_AND_MARKS))
def test_term_spans_give_the_indexed_terms_in_order(text):
    assert [term for term, _start, _end in term_spans(text)] == index_terms(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), ARABIC_AND_MARKS))
def test_each_span_is_a_word_of_the_original_that_gives_its_term(text):
    for term, start, end in term_spans(text):
        assert 0 <= start < end <= len(text)
        assert term in word_terms(text[start:end])


def test_spans_cover_whole_original_words_where_folding_changes_lengths():
    text = "قال: وبالإرهـــابِ ﻻ cafe\u0301 oﬃce"
    words = {term: text[start:end] for term, start, end in term_spans(text)}
    assert words["ارهاب"] == "وبالإرهـــابِ"
    assert words["لا"] == "ﻻ"
    assert words["cafe"] == "cafe\u0301"
    assert words["offic"] == "oﬃce"


INVISIBLE = ["\u200b", "\u2060", "\u00ad", "\u180e", "\ufeff", "\u200d", "\u206a", "\ufe0f", "\u3164"]


def test_invisible_characters_inside_a_word_are_folded_away_and_the_span_keeps_them():
    for invisible in INVISIBLE:
        text = f"Officials discussed extre{invisible}mism online."
        words = {term: text[start:end] for term, start, end in term_spans(text)}
        assert words["extrem"] == f"extre{invisible}mism", repr(invisible)
        assert index_terms(text) == index_terms("Officials discussed extremism online.")
