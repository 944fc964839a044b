"""Bilingual vocabulary: CLDR regions nested by UN M.49, hand-added cities, labels and lookups in either language."""

from __future__ import annotations

import json

import pytest
from babel import Locale
from qirtas.archive.models import Tag
from qirtas.archive.regions import (
    M49_PARENT,
    NOT_PLACES,
    code_for_name,
    ensure_all_regions,
    ensure_region,
    region_names,
    region_path,
)
from qirtas.cli.main import main

from tests.conftest import SEED_FILES

CONTINENTS = {"002", "019", "142", "150", "009"}


def test_every_cldr_country_has_a_place_in_the_m49_tree():
    countries = {code for code in Locale("en").territories if code.isalpha() and code not in NOT_PLACES}
    assert countries - M49_PARENT.keys() == set()
    for code in countries:
        path = region_path(code)
        assert path[0] == "001", code
        # Every country sits under a continent and a sub-region (Antarctica directly under World).
        assert code == "AQ" or (path[1] in CONTINENTS and len(path) >= 4), (code, path)


def test_containment_is_the_un_m49_one():
    assert region_path("TJ") == ["001", "142", "143", "TJ"]  # World › Asia › Central Asia › Tajikistan
    assert region_path("AE") == ["001", "142", "145", "AE"]
    assert region_path("EG") == ["001", "002", "015", "EG"]
    assert region_path("KE") == ["001", "002", "202", "014", "KE"]
    assert region_path("BR") == ["001", "019", "419", "005", "BR"]
    assert region_path("MX") == ["001", "019", "419", "013", "MX"]
    assert region_path("CA") == ["001", "019", "021", "CA"]
    assert region_path("GB") == ["001", "150", "154", "GB"]
    assert region_path("NZ") == ["001", "009", "053", "NZ"]


def test_region_names_in_both_languages_from_cldr():
    assert region_names("TJ") == ("Tajikistan", "طاجيكستان")
    assert region_names("143") == ("Central Asia", "وسط آسيا")
    assert region_names("001") == ("World", "العالم")
    for code in M49_PARENT:
        english, arabic = region_names(code)
        assert english and arabic, code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Tajikistan", "TJ"),
        ("tajikistan", "TJ"),
        ("طاجيكستان", "TJ"),
        ("Central Asia", "143"),
        ("وسط آسيا", "143"),
        ("وسط اسيا", "143"),  # without the madda
        ("الإمارات العربية المتحدة", "AE"),
        ("الامارات العربية المتحدة", "AE"),  # without the hamza, as often typed
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("TJ", "TJ"),
        ("143", "143"),
    ],
)
def test_code_for_name_accepts_either_language_and_spelling(name, code):
    assert code_for_name(name) == code


def test_code_for_name_rejects_non_places():
    assert code_for_name("European Union") is None
    assert code_for_name("Atlantis") is None
    assert code_for_name("") is None


def test_ensure_region_nests_from_the_world_down(archive):
    tajikistan = ensure_region(archive, "TJ")
    chain = []
    tag = tajikistan
    while tag is not None:
        chain.append((tag.code, tag.name_en, tag.name_ar))
        tag = tag.parent
    assert chain == [
        ("TJ", "Tajikistan", "طاجيكستان"),
        ("143", "Central Asia", "وسط آسيا"),
        ("142", "Asia", "آسيا"),
        ("001", "World", "العالم"),
    ]
    assert ensure_region(archive, "TJ").id == tajikistan.id


def test_cities_added_by_hand_nest_under_their_country(archive):
    tajikistan = ensure_region(archive, "TJ")
    dushanbe = archive.ensure_tag("region", "Dushanbe", "دوشنبه", parent=tajikistan)
    central_asia = archive.find_tag("region", "Central Asia")
    assert dushanbe.id in archive.tag_ids_with_descendants([central_asia.id])
    assert archive.find_tag("region", "دوشنبه").id == dushanbe.id


def test_a_region_typed_by_hand_is_adopted_by_its_cldr_entry(archive):
    typed = archive.ensure_tag("region", "Kazakhstan", "")
    kazakhstan = ensure_region(archive, "KZ")
    assert kazakhstan.id == typed.id
    assert kazakhstan.code == "KZ" and kazakhstan.parent.code == "143"


def test_seeding_the_whole_region_vocabulary(archive):
    created = ensure_all_regions(archive)
    regions = list(Tag.select().where(Tag.facet == "region"))
    assert created == len(regions) == len(M49_PARENT) + 1  # and World
    by_code = {tag.code: tag for tag in regions}
    assert all(tag.name_en and tag.name_ar for tag in regions)
    assert all(tag.parent_id == by_code[M49_PARENT[tag.code]].id for tag in regions if tag.code != "001")
    asia = by_code["142"]
    inside_asia = set(archive.tag_ids_with_descendants([asia.id]))
    assert {by_code[c].id for c in ("TJ", "AE", "JP", "IN", "143")} <= inside_asia
    assert by_code["EG"].id not in inside_asia
    assert ensure_all_regions(archive) == 0  # running it again adds nothing


def test_tag_label_shows_the_ui_language_and_falls_back(archive):
    both = archive.ensure_tag("event", "Dushanbe Water Conference", "مؤتمر دوشنبه للمياه")
    english_only = archive.ensure_tag("theme", "Water security", "")
    arabic_only = archive.ensure_tag("theme", "", "الأمن المائي")
    assert both.label("en") == "Dushanbe Water Conference"
    assert both.label("ar") == "مؤتمر دوشنبه للمياه"
    assert english_only.label("ar") == "Water security"
    assert arabic_only.label("en") == "الأمن المائي"
    assert both.label("ar_EG") == "مؤتمر دوشنبه للمياه"  # a regional Arabic UI locale


@pytest.mark.parametrize(
    "typed",
    ["Water security", "water SECURITY", "الأمن المائي", "الامن المائي", "الأَمْنُ المائيّ"],
)
def test_find_tag_accepts_either_language_and_arabic_spellings(archive, typed):
    tag = archive.ensure_tag("theme", "Water security", "الأمن المائي")
    assert archive.find_tag("theme", typed).id == tag.id
    assert archive.find_tag("event", typed) is None  # facets stay apart


def test_find_tag_does_not_match_on_nothing(archive):
    archive.ensure_tag("theme", "Water security", "")
    assert archive.find_tag("theme", "ـ") is None  # a lone tatweel normalises to nothing
    assert archive.find_tag("theme", "  ") is None


def test_same_tag_typed_without_hamza_is_not_created_twice(archive):
    first = archive.ensure_tag("region", "", "الإمارات")
    assert archive.ensure_tag("region", "", "الامارات").id == first.id


def test_region_filter_by_arabic_name_without_hamza(tmp_path, capsys):
    """Tagging and the facet filter of the command line take names as people type them, in either language."""
    folder = str(tmp_path / "archive")
    main(["--archive", folder, "import", str(SEED_FILES[0]), "--json"])
    document_id = json.loads(capsys.readouterr().out)["imported"][0]["id"]
    assert main(["--archive", folder, "tag", str(document_id), "--region", "الامارات العربية المتحدة"]) == 0
    capsys.readouterr()
    for typed in ("اسيا", "Western Asia", "غرب اسيا", "United Arab Emirates", "الإمارات العربية المتحدة"):
        assert main(["--archive", folder, "list", "--region", typed, "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert [d["id"] for d in listed["documents"]] == [document_id], typed


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("region:الامارات العربية المتحدة", "region:United Arab Emirates"),  # hamza left out
        ("region:غرب اسيا", "region:Western Asia"),  # a parent region, madda left out
        ("region:وسط آسيا", "region:Central Asia"),
        ("theme:الامن السيبراني", "theme:Cybersecurity"),
    ],
)
def test_search_facet_filters_accept_either_language(demo_archive, query, same_as):
    found = demo_archive.search(query)
    assert found.total > 0
    assert sorted(found.ids) == sorted(demo_archive.search(same_as).ids)
