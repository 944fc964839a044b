"""Search in the six UN languages, Persian and Urdu (issue 19, point 2): each text imported as a person
would (worker processes read them), recorded in its language and found by the words a reader types."""

from __future__ import annotations

import pytest
from qirtas.archive.importing import ImportOptions, import_paths
from qirtas.archive.models import Document

from tests.i18n.language_data import paragraphs

TEXTS = {
    "fr": "La coopération régionale reste au cœur du programme. Les coopératives de la vallée et le conseil "
    "coopératif ont présenté leurs rapports sur la prévention de l'extrémisme violent et des conflits.",
    "es": "La cooperación internacional es indispensable. Las cooperativas agrícolas presentaron sus informes "
    "sobre las migraciones y los derechos de los trabajadores migrantes en la región.",
    "ru": "В докладе подчёркивается, что борьба с терроризмом требует участия всех государств и что "
    "сотрудничество в области безопасности должно быть укреплено в Центральной Азии.",
    "zh": "各国应加强合作，打击利用互联网从事恐怖主义活动，同时保护网络空间的言论自由和人权。",
    "fa": "این گزارش نشان می‌دهد که همکاری منطقه‌ای برای مبارزه با قاچاق مواد مخدر در مرز ایران و "
    "افغانستان باید تقویت شود و کشورهای همسایه در این کار نقش دارند.",
    "ur": "پاکستان کے دفتر خارجہ کے ترجمان نے کہا کہ سرحد پار دہشت گردی کے خلاف علاقائی تعاون ناگزیر ہے "
    "اور ہمسایہ ممالک کو مل کر کام کرنا چاہیے۔",
    "ar": "أكد الاجتماع أن مكافحة الإرهاب والتطرف العنيف عبر الإنترنت تتطلب تعاوناً إقليمياً وثيقاً بين "
    "الدول والمنظمات الإقليمية.",
    "en": "The meeting stressed that countering terrorism and violent extremism online requires close "
    "regional cooperation between states and regional organizations.",
    "hidden": "Officials discussed extre\u200bmism, radi\u00adcalisation and terror\u2060ism at the meeting.",
}


@pytest.fixture(scope="module")
def languages_archive(tmp_path_factory):
    """The texts above among the long paragraphs of the language test set, imported by worker processes."""
    from qirtas.archive.archive import Archive

    folder = tmp_path_factory.mktemp("in")
    for key, text in TEXTS.items():
        (folder / f"{key}.txt").write_text(text, encoding="utf-8")
    for number, paragraph in enumerate(p for p in paragraphs() if p.long):
        (folder / f"set-{paragraph.language}-{number:03d}.txt").write_text(paragraph.text, encoding="utf-8")
    archive = Archive.open(tmp_path_factory.mktemp("archive") / "archive")
    with archive.bound():
        report = import_paths(archive, [folder], ImportOptions(workers=2))
        assert not report.failed
        ids = {
            Document.get_by_id(added.id).source_name.removesuffix(".txt"): added.id
            for added in report.imported
        }
    yield archive, ids
    archive.close()


def _found(archive, query: str) -> set[int]:
    return set(archive.search_ids(query))


@pytest.mark.parametrize("key", ["fr", "es", "ru", "zh", "fa", "ur", "ar", "en"])
def test_each_text_is_recorded_in_its_language(languages_archive, key):
    archive, ids = languages_archive
    assert archive.get(ids[key]).language == key


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("терроризм", "ru"),  # the text has терроризмом
        ("сотрудничества", "ru"),
        ("互联网", "zh"),  # inside the run 打击利用互联网从事恐怖主义活动
        ("恐怖主义", "zh"),
        ("互联网 恐怖主义", "zh"),
        ("coopération", "fr"),  # the text has coopératives, coopératif
        ("coopérations", "fr"),
        ("extrémismes", "fr"),
        ("cooperaciones", "es"),
        ("migración", "es"),
        ("migrantes", "es"),
        ("همکاری", "fa"),
        ("همكاري", "fa"),  # typed with the Arabic ي and ك
        ("كشورهاي", "fa"),
        ("تعاون", "ur"),
        ("ہمسایہ", "ur"),
        ("extremism", "hidden"),  # extre\u200bmism
        ("radicalisation", "hidden"),  # radi\u00adcalisation
        ("terrorism", "hidden"),  # terror\u2060ism
    ],
)
def test_a_word_finds_its_text_in_another_form(languages_archive, query, key):
    archive, ids = languages_archive
    assert ids[key] in _found(archive, query)


def test_one_chinese_character_finds_the_runs_that_hold_it(languages_archive):
    archive, ids = languages_archive
    for character in "互联网恐怖义":  # first, inner and last characters of words inside one run
        assert ids["zh"] in _found(archive, character), character


def test_a_chinese_word_is_not_found_by_characters_that_are_apart(languages_archive):
    archive, ids = languages_archive
    assert ids["zh"] not in _found(archive, "互网")  # both characters are in the text, not side by side


def test_persian_words_keep_what_arabic_stemming_would_cut(languages_archive):
    archive, ids = languages_archive
    # کشورهای (countries) is indexed whole: not found by کشور alone, as Arabic stemming would have made it
    assert ids["fa"] not in _found(archive, "کشور")
    assert ids["fa"] in _found(archive, "کشورهای")


def test_arabic_search_is_as_before(languages_archive):
    archive, ids = languages_archive
    assert ids["ar"] in _found(archive, "الارهاب")
    assert ids["ar"] in _found(archive, "ارهاب")
    assert ids["ar"] in _found(archive, "والتطرف")


def test_the_language_filter_names_every_language(languages_archive):
    archive, ids = languages_archive
    for query, key in (
        ("lang:fr", "fr"),
        ("lang:french", "fr"),
        ("lang:الفرنسية", "fr"),
        ("lang:persian", "fa"),
        ("lang:الفارسية", "fa"),
        ("lang:urdu", "ur"),
        ("lang:chinese", "zh"),
        ("lang:russian", "ru"),
        ("lang:spanish", "es"),
    ):
        found = _found(archive, query)
        assert ids[key] in found and ids["en"] not in found, query


def test_snippets_mark_the_words_matched_in_their_language(languages_archive):
    archive, ids = languages_archive
    [hit] = [hit for hit in archive.search("coopérations lang:fr", limit=100).hits if hit.id == ids["fr"]]
    marked = [hit.excerpt[start:end] for start, end in hit.matches]
    assert "coopération" in marked and "coopératives" in marked
    [hit] = [hit for hit in archive.search("extremism", limit=100).hits if hit.id == ids["hidden"]]
    assert [hit.excerpt[start:end] for start, end in hit.matches] == ["extre\u200bmism"]


def test_a_chinese_word_typed_as_a_prefix_is_searched_as_a_word(languages_archive):
    archive, ids = languages_archive
    assert ids["zh"] in _found(archive, "互联网*")


def test_a_chinese_match_marks_the_run_of_characters_that_holds_it(languages_archive):
    archive, ids = languages_archive
    [hit] = [hit for hit in archive.search("互联网", limit=100).hits if hit.id == ids["zh"]]
    assert [hit.excerpt[start:end] for start, end in hit.matches] == ["打击利用互联网从事恐怖主义活动"]
