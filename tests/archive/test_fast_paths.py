"""The shortcuts that make importing cheap give exactly what the general code gives, on any text."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from qirtas.i18n import dates, normalize, script
from qirtas.importers import text as text_importer

WHITE_SPACE = [chr(code) for code in range(0x110000) if chr(code).isspace()]
# Letters of every script we count, Arabic marks, tatweel, ligatures and presentation forms, joiners and
# bidi marks, combining accents, letters that fold (ة ى أ ø ß İ Σ), Arabic-Indic digits, month names.
INTERESTING = (
    list("aZé_ßİΣςøæłĳǅ")
    + list("الإأآةىيؤئکیۀ")
    + list("ًٌٍَُِّْٰـ")
    + list("٠١٢٣٩۰۴")
    + list("ﻻﷺﺍﺑﬁﬀ\ufeff\u200c\u200d\u200e\u200f\u00ad\u061c\u0301\u0308\u0338\u0653\u0654\u3099")
    + list("αЖא缅か가\U00020000\u2163²½１")
    + WHITE_SPACE
    + ["December", "sept.", "مايو", "إبريل", " 9 ", "2020", "١١", "٢٠١٦", "2018-06-29", ", ", "२०१८-०६-२९"]
)
TEXT = st.one_of(
    st.text(max_size=150),
    st.lists(st.sampled_from(INTERESTING), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(INTERESTING), st.characters()), max_size=80).map("".join),
)
ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=200)


# ---- letters, scripts, languages -------------------------------------------------------------------
@settings(max_examples=400, deadline=None)
@given(st.one_of(TEXT, ASCII_TEXT))
def test_script_counts_equal_counting_letter_by_letter(text):
    # Items in order: the first script inserted wins a tie for the dominant script.
    assert list(script.script_counts(text).items()) == list(script._slow_script_counts(text).items())


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(TEXT, ASCII_TEXT), min_size=1, max_size=5).map("\n\n".join),
    st.sampled_from([0.1, 0.3, 0.5, 0.9]),
)
def test_document_language_equals_the_paragraph_by_paragraph_count(text, minor_share):
    expected = script._slow_document_language(text, minor_share)
    assert script.document_language(text, minor_share) == expected
    assert script.document_language(text, minor_share) == expected  # the words are cached now


# Words of one script, or of several, with a few letters of other scripts among them: how real texts read.
_SCRIPT_WORDS = st.sampled_from(
    [
        "meeting",
        "Dushanbe",
        "réunion",
        "ÉTÉ",
        "الاجتماع",
        "في",
        "الإنترنت",
        "ـ",
        "缅",
        "北京",
        "Москва",
        "αβ",
        "かな",
        "가",
        "2020",
        "—",
        "x",
        "ي",
        "ab",
        "دوش",
        "abc",
        "ً",
    ]
)
_PARAGRAPH = st.lists(_SCRIPT_WORDS, max_size=40).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_PARAGRAPH, st.sampled_from(["\n\n", "\n \n", "\n", " \n\t\n"])), max_size=6).map(
        lambda parts: "".join(paragraph + separator for paragraph, separator in parts)
    ),
    st.sampled_from([0.1, 0.3, 0.5, 0.9]),
)
def test_document_language_of_paragraphs_with_a_few_letters_of_other_scripts(text, minor_share):
    assert script.document_language(text, minor_share) == script._slow_document_language(text, minor_share)


@settings(max_examples=400, deadline=None)
@given(st.one_of(TEXT, _PARAGRAPH, st.lists(TEXT, max_size=4).map("\n\n".join)))
def test_the_pieces_kept_from_counting_letters_are_the_pieces_of_the_text(text):
    script.document_language(text)
    assert script.text_pieces(text) == text.split()
    assert script.text_pieces(text) == text.split()  # handed on once, then split again


def test_languages_a_user_sees():
    english = "The meeting in Dushanbe discussed extremism online. " * 5
    arabic = "ناقش الاجتماع في دوشانبي التطرف عبر الإنترنت. " * 5
    assert script.document_language(english) == "en"
    assert script.document_language(english.replace("meeting", "réunion")) == "en"
    assert script.document_language(arabic) == "ar"
    assert script.document_language("Document 7\n\n" + arabic) == "ar"
    assert script.document_language(english + "\n\n" + arabic) == "mixed"
    assert script.document_language("Говорит Москва. " * 5) == "ru"
    assert script.document_language("12 34\n\n--") == "und"
    # a paragraph with as many Arabic as Latin letters counts as English (the tie goes to Latin)
    assert script.document_language("abc دوش") == "en"


def test_a_word_longer_than_the_cache_takes_is_still_counted():
    word = "ب" * 500
    assert script.document_language(word + "\n\nabc") == "ar"
    assert word not in script._word_letters


# ---- folding ---------------------------------------------------------------------------------------
@settings(max_examples=400, deadline=None)
@given(ASCII_TEXT)
def test_ascii_text_folds_as_any_text_does(text):
    assert normalize.normalize(text) == normalize._slow_normalize(text)
    assert normalize.folded_words(text) == normalize._slow_folded_words(text)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_folding_a_text_piece_by_piece_equals_folding_it_whole(text):
    expected = normalize._slow_folded_words(text)
    assert normalize.folded_words(text) == expected
    assert normalize.folded_words(text) == expected  # now from the cache of pieces


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=1, max_value=20))
def test_a_long_text_folds_by_blocks_of_pieces_or_whole_as_at_once(text, block):
    pieces = text.split()
    assert normalize._folded_words_of_pieces(pieces, block) == normalize._slow_folded_words(text)


def test_a_long_text_of_new_words_is_folded_whole_and_still_right():
    known = "الإرهاب في المدرسةِ Café " * 700  # 2,800 pieces: past one block
    unique = " ".join(f"كلمة{number}é" for number in range(5000))
    for text in (known, unique + known, known + unique):
        assert normalize.folded_words(text) == normalize._slow_folded_words(text)
    assert len(normalize.folded_words(unique)) == 5000


@settings(max_examples=300, deadline=None)
@given(st.characters(), st.sampled_from(WHITE_SPACE))
def test_white_space_normalises_alone_beside_any_character(char, space):
    fold = normalize.normalize
    assert fold(space + char) == fold(space) + fold(char)
    assert fold(char + space) == fold(char) + fold(space)


def test_white_space_normalises_alone_beside_every_combining_character():
    # The characters that compose or reorder with a neighbour: what could cross a piece's edge.
    combining = [
        chr(code)
        for code in range(0x110000)
        if unicodedata.combining(chr(code)) or not unicodedata.is_normalized("NFC", "a" + chr(code))
    ]
    assert len(combining) > 900
    fold = normalize.normalize
    for space in WHITE_SPACE:
        assert not re.search(r"\w", fold(space))
        for char in combining:
            assert fold(space + char) == fold(space) + fold(char)
            assert fold(char + space) == fold(char) + fold(space)


def test_letter_folding_equals_one_translation():
    # Replacing letters one by one equals translating all at once only because no result folds again.
    letters = "".join(map(chr, normalize._LETTER_FOLD))
    for text in (letters * 2, "مدرسة " * 1000 + letters, letters[::-1] + "x" * 5000 + letters):
        assert normalize._fold_letters(text) == text.translate(normalize._LETTER_FOLD)


def test_folding_a_user_sees():
    assert normalize.normalize("Café") == "cafe"
    assert normalize.normalize("CAFE\u0301") == "cafe"
    assert normalize.normalize("الإرهـــابُ في مدرسةٍ") == "الارهاب في مدرسه"
    assert normalize.folded_words("Hello_World, 2020!") == ["hello", "world", "2020"]
    assert normalize.folded_words("ﻻ oﬃce  مسؤول\u00a0مسئول") == ["لا", "office", "مسءول", "مسءول"]
    assert normalize.index_terms("The meetings") == ["the", "meet"]
    assert normalize.index_terms("والمدرسة المدرسة") == ["مدرس", "مدرس"]


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_index_text_from_cached_pieces_equals_stemming_the_words_of_the_text(text):
    expected = normalize._slow_index_text(text)
    assert normalize.index_text(text) == expected
    assert normalize.index_text(text) == expected  # now from the cache of pieces


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=1, max_value=20))
def test_index_text_of_a_long_text_by_blocks_or_whole_equals_stemming_its_words(text, block):
    assert normalize.index_text_of_pieces(text.split(), block) == normalize._slow_index_text(text)


def test_stems_come_from_the_cache_and_after_it_is_emptied():
    first = normalize.index_terms("organisations المدرسة")
    normalize._stems.clear()
    assert normalize.index_terms("organisations المدرسة") == first == ["organis", "مدرس"]
    assert normalize.stem("running") == "run"


# ---- dates and control characters ---------------------------------------------------------------------
@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_date_pre_checks_never_miss_a_date(text):
    assert dates.find_dates(text) == dates._slow_find_dates(text)


_DATE_PIECES = st.sampled_from(
    [
        "9",
        "29",
        "2020",
        "1999",
        "2018-06-29",
        "December",
        "dec",
        "Sept",
        "مايو",
        "كانون الثاني",
        "آذار/مارس",
        "/",
        "١١",
        "٢٠١٦",
        " ",
        "  ",
        "\n",
        "\t",
        ",",
        ".",
        "-",
        "on",
        "x",
        "Document",
        "12345",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_DATE_PIECES, max_size=12).map("".join))
def test_date_pre_checks_never_miss_a_date_in_date_like_text(text):
    assert dates.find_dates(text) == dates._slow_find_dates(text)


def test_dates_a_user_sees():
    assert dates.find_date("Signed in Dushanbe, 9 December 2020.") == dt.date(2020, 12, 9)
    assert dates.find_date("December 9, 2020") == dt.date(2020, 12, 9)
    assert dates.find_date("عقد في ١١ مايو ٢٠١٦ في الرباط") == dt.date(2016, 5, 11)
    assert dates.find_date("Report café 2018-06-29") == dt.date(2018, 6, 29)
    assert dates.find_date("Meeting on the 9th, room 12") is None
    # UN Arabic documents name the month twice, Levantine and Egyptian: the date an archivist reads
    assert dates.find_date("عقدت اللجنة دورتها في 14 آذار/مارس 2023") == dt.date(2023, 3, 14)
    assert dates.find_date("في ٣ تشرين الأول / أكتوبر ٢٠٢٢") == dt.date(2022, 10, 3)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=100)))
def test_control_characters_counted_in_bytes_as_by_character(text):
    expected = len(re.findall(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text))
    assert text_importer._control_characters(text) == expected


def test_text_full_of_control_characters_or_only_white_space_is_refused():
    from qirtas.importers.base import ExtractionError

    for data, message in (
        ("ok\x01\x02 الأمم".encode() * 20, "control characters"),
        ("\u3000 \n\t\u00a0".encode(), "white space"),
    ):
        try:
            text_importer.extract_text("x.txt", data)
        except ExtractionError as error:
            assert message in str(error)
        else:
            raise AssertionError(f"{data[:20]!r} was accepted")
    one_in_a_hundred = "Fine text here " * 7 + "\x01"  # 106 characters: the most control characters kept
    assert text_importer.extract_text("x.txt", one_in_a_hundred.encode()).text == one_in_a_hundred


# ---- what an import worker sends ---------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(TEXT, _PARAGRAPH), st.one_of(TEXT, _PARAGRAPH, st.just("words met before"))),
        min_size=1,
        max_size=6,
    )
)
def test_a_worker_sends_the_index_terms_and_the_lexicon_rows_of_every_word_of_an_import(documents):
    from qirtas.archive import search
    from qirtas.archive.importing import reading

    normalize.index_text("words met before the import began")
    sent = reading.in_worker().sent  # as a worker does for each import
    assert sent is not None
    rows, terms = set(), set()
    for title, text in documents:
        language = script.document_language(text)
        prepared, lexicon = reading._prepare_index_and_lexicon(title, text, sent, language)
        whole = search.prepare_index(title, text, language)
        assert (prepared.title_terms, prepared.body_terms) == (whole.title_terms, whole.body_terms)
        assert whole.words == set(normalize._slow_folded_words(f"{title} {text}"))
        rows.update(lexicon)
        assert prepared.new_terms is not None and not prepared.new_terms & terms  # each term sent once
        terms |= prepared.new_terms
        # every term of this document was sent with it or before it (as FTS5 splits the terms)
        assert set(search.index._tokens(f"{whole.title_terms} {whole.body_terms}")) <= terms
    words = {word for title, text in documents for word in normalize._slow_folded_words(f"{title} {text}")}
    assert rows == set(search.lexicon_entries(words))
    assert terms == search.index_terms(words)
