"""Script detection and per-paragraph direction (first strong character)."""

from qirtas.i18n.script import Direction, document_language, paragraph_direction, script_of, split_paragraphs


def test_direction_comes_from_the_first_strong_character():
    assert paragraph_direction("الأمم المتحدة (UN) 2016") is Direction.RTL
    assert paragraph_direction("2016: UN — الأمم المتحدة") is Direction.LTR
    assert paragraph_direction("«2018» — مؤتمر") is Direction.RTL  # digits and punctuation are weak
    assert paragraph_direction("1234 ...", default=Direction.RTL) is Direction.RTL


def test_scripts_of_letters_and_non_letters():
    assert [script_of(c) for c in "aعئ缅1،"] == ["latin", "arabic", "arabic", "cjk", None, None]


def test_document_language_mixed_only_with_a_real_second_language():
    english = "The meeting in Dushanbe discussed extremism online. " * 5
    arabic = "ناقش الاجتماع في دوشانبي التطرف عبر الإنترنت. " * 5
    assert document_language(english) == "en"
    assert document_language(arabic) == "ar"
    assert document_language(english + "\n\n" + arabic) == "mixed"
    assert document_language(english + " Shinhua شينخوا") == "en"
    assert document_language("12 34") == "und"


def test_paragraphs_split_at_blank_lines():
    assert split_paragraphs("\n\nOne\nline two\n\n\n  \nTwo\n") == ["One\nline two", "Two"]
