"""The terms of each language's words: stemmed by the language of their text, Chinese by pairs of characters,
Persian and Urdu spellings folded (issue 19, point 2)."""

from __future__ import annotations

from qirtas.i18n.normalize import (
    DEFAULT,
    continuing_terms,
    index_terms,
    index_text,
    index_text_of_pieces,
    normalize,
    query_stemmings,
    query_terms,
    stemming_of,
    term_spans,
)
from qirtas.i18n.script import document_language, text_pieces


def test_french_and_spanish_texts_are_stemmed_by_their_language():
    french = index_terms("coopération coopérations coopératif coopératives", stemming_of("fr"))
    assert len(set(french)) == 1
    spanish = index_terms("cooperación cooperaciones migración migraciones", stemming_of("es"))
    assert len(set(spanish)) == 2
    # by English rules the French forms part (coopérat…, coopératif)
    assert len(set(index_terms("coopérations coopératif"))) == 2


def test_russian_is_stemmed_wherever_it_stands():
    assert index_terms("терроризм терроризмом терроризма") == ["терроризм"] * 3


def test_chinese_runs_become_overlapping_pairs_and_a_query_its_pairs_only():
    assert index_terms("打击互联网") == ["打击", "击互", "互联", "联网", "网"]
    assert query_terms("互联网") == ["互联", "联网"]
    assert query_terms("网") == ["网"]
    assert index_terms("第12次会议") == ["第", "12", "次会", "会议", "议"]


def test_a_run_of_chinese_characters_marks_the_whole_run_for_each_of_its_pairs():
    text = "打击利用互联网从事 (UN)"
    spans = {(term, text[start:end]) for term, start, end in term_spans(text)}
    assert ("互联", "打击利用互联网从事") in spans and ("事", "打击利用互联网从事") in spans


def test_persian_and_urdu_spellings_fold_to_one_and_are_not_stemmed():
    assert normalize("همکاری") == normalize("همكاري") == normalize("همکارى")
    assert normalize("ھمسایہ") == normalize("همسايه")
    assert normalize("ۃ") == normalize("ة")
    # Arabic stemming would cut the Persian plural ها and the ب of بازار
    assert index_terms("کشورهای بازار", stemming_of("fa")) == ["كشورهاي", "بازار"]
    assert index_terms("کشورهای بازار") != index_terms("کشورهای بازار", stemming_of("fa"))


def test_a_query_names_its_terms_in_each_stemming_that_differs():
    assert query_stemmings("derechos") == {"fr": ["derechos"], "es": ["derech"]}
    assert query_stemmings("بالارهاب") == {"plain": ["بالارهاب"]}
    assert query_stemmings("report") == {}  # every stemming gives English's: nothing more to look up


def test_an_imported_text_is_indexed_by_the_language_found_for_it():
    text = "La coopération régionale et les coopératives de la vallée ont présenté leurs rapports."
    assert document_language(text) == "fr"
    pieces = text_pieces(text)  # as an import worker hands them on
    assert index_text_of_pieces(pieces) == index_text(text, "fr")
    assert index_text_of_pieces(text.split()) == index_text(text, DEFAULT)  # not the text counted last


def test_the_terms_continuing_a_chinese_run_are_told_from_the_terms_alone():
    terms = index_text("a 互联网 b 缅北禁地Secretary 国 国家")  # 国 alone, then 国家: two words
    assert terms == "a 互联 联网 网 b 缅北 北禁 禁地 地 secretari 国 国家 家"
    assert continuing_terms(terms, 100) == [2, 3, 6, 7, 8, 12]
    assert continuing_terms(terms, 5) == [2, 3]
