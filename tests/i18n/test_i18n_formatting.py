"""Dates, numbers and names as an English or Arabic reader sees them (Babel/CLDR, Arabic-Indic digits)."""

from __future__ import annotations

import datetime as dt

import pytest
from qirtas.i18n import setup_i18n
from qirtas.i18n.formatting import (
    digits_setting,
    format_count,
    format_date,
    format_datetime,
    format_file_size,
    format_number,
    language_name,
    set_digits,
    text_direction,
    to_arabic_indic,
)

EVENT_DAY = dt.date(2018, 6, 29)
BIDI_MARKS = {"\u200e", "\u200f", "\u061c"}


@pytest.fixture(autouse=True)
def latin_digits_and_english():
    set_digits("latn")
    setup_i18n("en")
    yield
    set_digits("latn")
    setup_i18n("en")


def test_event_date_in_both_languages():
    assert format_date(EVENT_DAY, "en") == "29 June 2018"
    assert format_date(EVENT_DAY, "ar") == "29 يونيو 2018"


def test_date_follows_the_ui_language_when_no_locale_is_given():
    assert format_date(EVENT_DAY) == "29 June 2018"
    setup_i18n("ar")
    assert format_date(EVENT_DAY) == "29 يونيو 2018"


@pytest.mark.parametrize("width", ["short", "medium", "long", "full"])
def test_arabic_dates_carry_no_invisible_direction_marks(width):
    text = format_date(EVENT_DAY, "ar", width)
    assert not BIDI_MARKS & set(text)
    assert "2018" in text


def test_direction_marks_kept_on_request():
    assert "\u200f" in format_date(EVENT_DAY, "ar", "medium", bidi_marks=True)


def test_other_date_widths():
    assert format_date(EVENT_DAY, "en", "medium") == "29 Jun 2018"
    assert format_date(EVENT_DAY, "ar", "medium") == "29/06/2018"
    assert format_date(EVENT_DAY, "ar", "full") == "الجمعة، 29 يونيو 2018"
    assert format_date(None, "en") == ""
    assert format_date(dt.datetime(2018, 6, 29, 23, 59), "en") == "29 June 2018"


def test_datetime_for_import_times():
    moment = dt.datetime(2018, 6, 29, 14, 5)
    assert format_datetime(moment, "en") == "29 Jun 2018, 14:05:00"
    arabic = format_datetime(moment, "ar")
    assert arabic.startswith("29/06/2018") and arabic.endswith("م")  # م: after noon


def test_numbers_are_grouped_for_the_locale():
    assert format_number(1234567.5, "en") == "1,234,567.5"
    assert format_number(1234567.5, "ar") == "1,234,567.5"
    assert format_number(3.14159, "en", decimals=2) == "3.14"
    assert format_count(1204, "en") == "1,204"


def test_arabic_indic_digits_setting():
    set_digits("arab")
    assert digits_setting() == "arab"
    assert format_date(EVENT_DAY, "ar") == "٢٩ يونيو ٢٠١٨"
    assert format_date(EVENT_DAY, "ar", "medium") == "٢٩/٠٦/٢٠١٨"
    # Arabic decimal and thousands separators go with Arabic-Indic digits.
    assert format_number(1234567.5, "ar") == "١٬٢٣٤٬٥٦٧٫٥"
    assert format_count(1204, "ar") == "١٬٢٠٤"
    assert format_file_size(12_300_000, "ar") == "١٢٫٣ م.ب"


def test_arabic_indic_digits_leave_the_english_ui_alone():
    set_digits("arab")
    assert format_date(EVENT_DAY, "en") == "29 June 2018"
    assert format_count(1204, "en") == "1,204"


def test_digits_chosen_per_call_override_the_setting():
    set_digits("arab")
    assert format_count(42, "ar", digits="latn") == "42"
    set_digits("latn")
    assert format_count(42, "ar", digits="arab") == "٤٢"


def test_digit_setting_rejects_unknown_values():
    with pytest.raises(ValueError):
        set_digits("persian")


def test_to_arabic_indic_maps_only_digits():
    assert to_arabic_indic("Doc 2018-06-29") == "Doc ٢٠١٨-٠٦-٢٩"


def test_file_sizes():
    assert format_file_size(512, "en") == "512 bytes"
    assert format_file_size(1, "en") == "1 byte"
    assert format_file_size(12_345, "en") == "12.3 kB"
    assert format_file_size(3_200_000, "en") == "3.2 MB"
    assert format_file_size(12_345, "ar") == "12.3 كيلوبايت"


def test_language_names_in_the_ui_language():
    assert language_name("ar", "en") == "Arabic"
    assert language_name("en", "ar") == "الإنجليزية"
    assert language_name("ar", "ar") == "العربية"  # a language's own name, for View › Language
    assert language_name("mixed", "en") == "Multiple languages"
    assert language_name("mixed", "ar") == "لغات متعددة"
    assert language_name("und", "en") == "Unknown language"
    assert language_name("xx-unknown", "en") == "xx-unknown"


def test_text_direction_of_ui_languages():
    assert text_direction("ar") == "rtl"
    assert text_direction("en") == "ltr"
    setup_i18n("ar")
    assert text_direction() == "rtl"
