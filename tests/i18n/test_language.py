"""Language identification per paragraph and per document (issue 19, point 1)."""

from __future__ import annotations

from qirtas.i18n.script import _slow_document_language, document_language, paragraph_language

from tests.i18n.language_data import LANGUAGES, confusion, paragraphs


def test_paragraphs_of_twenty_words_or_more_are_99_per_cent_right():
    found = [(paragraph, paragraph_language(paragraph.text)) for paragraph in paragraphs()]
    print(confusion(found))  # shown with -s, and in the report of a failure
    for language in LANGUAGES:
        assert sum(paragraph.language == language for paragraph, _found in found) >= 40
    long = [(paragraph, language) for paragraph, language in found if paragraph.long]
    right = sum(paragraph.language == language for paragraph, language in long)
    assert right >= 0.99 * len(long), confusion(long)


def test_each_paragraph_alone_is_a_document_in_its_language():
    for paragraph in paragraphs():
        if paragraph.long:
            assert document_language(paragraph.text) == paragraph.language, paragraph.text
            assert _slow_document_language(paragraph.text) == paragraph.language


def test_persian_and_urdu_are_never_arabic():
    persian = "این گزارش نشان می‌دهد که همکاری منطقه‌ای برای مبارزه با قاچاق باید تقویت شود."
    assert paragraph_language(persian) == "fa"
    # typed with the Arabic ي and ك, as many Persian keyboards and converted PDFs do
    assert paragraph_language(persian.replace("ی", "ي").replace("ک", "ك")) == "fa"
    urdu = "پاکستان کے دفتر خارجہ نے کہا کہ علاقائی تعاون ناگزیر ہے اور اس پر بات چیت جاری رہے گی۔"
    assert paragraph_language(urdu) == "ur"


def test_arabic_with_a_stray_persian_letter_stays_arabic():
    arabic = "قال المتحدث إن برنامج «گفتگو» ساعد على إعادة الأطفال إلى المدارس في ولاية بلخ خلال العام."
    assert paragraph_language(arabic) == "ar"
    assert paragraph_language("طاجيكستان") == "ar"  # a name alone: nothing says otherwise


def test_latin_languages_are_told_apart_by_their_words():
    assert (
        document_language("Le Conseil a adopte la resolution sans vote et a prie le Secretaire general.")
        == "fr"
    )
    assert (
        paragraph_language("El Consejo aprobó la resolución sin votación y pidió al Secretario General.")
        == "es"
    )
    assert (
        paragraph_language(
            "Der Rat hat die Entschließung ohne Abstimmung angenommen und den Bericht gelesen."
        )
        == "de"
    )
    assert paragraph_language("Annual report 2019") == "en"  # nothing to tell: English, as before
    turkish = (
        "Güvenlik Konseyi Genel Sekreterin raporunu inceledi ve bölgedeki insani durumun kötüleştiğini " * 2
    )
    assert paragraph_language(turkish) == "und"


def test_other_scripts_name_their_language():
    assert (
        paragraph_language("Рада Безпеки розглянула доповідь Генерального секретаря про ситуацію в Україні.")
        == "uk"
    )
    assert paragraph_language("安全保障理事会は事務総長の報告を審議した。") == "ja"
    assert paragraph_language("Совет Безопасности рассмотрел доклад о положении в Украине.") == "ru"


def test_a_document_is_mixed_only_with_a_real_second_language():
    english = "The Council adopted the resolution and requested a report from the Secretary-General. " * 4
    french = (
        "Le Conseil a adopté la résolution et prié le Secrétaire général de lui présenter un rapport. " * 4
    )
    assert document_language(english + "\n\n" + french) == "mixed"
    assert document_language(english + "\n\n" + "Voir l'annexe.") == "en"


def test_a_paragraph_too_long_to_sum_at_once_is_summed_in_parts(monkeypatch):
    from qirtas.i18n import script

    text = "\n\n".join(paragraph.text for paragraph in paragraphs() if paragraph.language in ("fr", "fa"))
    whole = [paragraph_language(p) for p in text.split("\n\n")]
    monkeypatch.setattr(script, "_SUMMED_AT_ONCE", 3)  # as a paragraph of millions of words is
    assert [paragraph_language(p) for p in text.split("\n\n")] == whole
    assert document_language(text) == _slow_document_language(text) == "mixed"
