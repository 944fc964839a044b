"""A clean vocabulary from the command line (issue 19, point 3): a name no tag has is refused with the
closest names offered, in English and Arabic, and made only with --create; invisible names never are."""

from __future__ import annotations

import json

import pytest
from qirtas.archive import vocabulary
from qirtas.archive.archive import Archive, ArchiveError
from qirtas.cli.main import main


@pytest.fixture
def demo(demo_archive) -> str:
    where = str(demo_archive.path)
    demo_archive.close()
    return where


def region_names(where: str) -> list[str]:
    with Archive.open(where, create=False) as archive:
        return sorted(tag.name_en for tag in archive.tags("region"))


@pytest.mark.parametrize(("typed", "offered"), [("Tajikstan", "Tajikistan"), ("طاجكستان", "طاجيكستان")])
def test_a_misspelt_region_is_refused_with_the_closest_name(demo, capsys, typed, offered):
    before = region_names(demo)
    assert main(["--archive", demo, "tag", "5", "--region", typed]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == (
        f"qirtas: There is no region named “{typed}”; did you mean {offered}? "
        "(add --create to make a new one)"
    )
    assert region_names(demo) == before  # no "Tajikstan" beside Tajikistan


def test_a_spelling_the_search_normaliser_folds_is_the_same_name(demo, capsys):
    assert main(["--archive", demo, "tag", "5", "--region", "TAJIKISTAN"]) == 0
    assert capsys.readouterr().out.startswith("Tajikistan: ")


def test_the_closest_names_are_in_the_json_error(demo, capsys):
    assert main(["--archive", demo, "tag", "5", "--region", "Tajikstan", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["did_you_mean"] == ["Tajikistan"] and "Tajikstan" in payload["error"]


def test_an_unknown_name_tags_nothing_even_beside_a_known_one(demo, capsys):
    assert main(["--archive", demo, "tag", "5", "--theme", "Extremism", "--region", "Atlantis"]) == 1
    assert "add --create" in capsys.readouterr().err
    with Archive.open(demo, create=False) as archive:
        assert "Extremism" not in {t.name_en for t in archive.document_tags(5)["theme"]}


def test_create_makes_the_new_tag(demo, capsys):
    assert main(["--archive", demo, "tag", "5", "--region", "Atlantis", "--create"]) == 0
    assert capsys.readouterr().out.strip() == "Atlantis: added to 1 document"
    assert "Atlantis" in region_names(demo)


def test_a_country_cldr_knows_needs_no_create(demo, capsys):
    assert main(["--archive", demo, "tag", "5", "--region", "Mali"]) == 0
    assert "Mali" in region_names(demo)


def test_listing_by_a_misspelt_name_offers_the_closest(demo, capsys):
    assert main(["--archive", demo, "list", "--region", "Tajikstan"]) == 1
    assert capsys.readouterr().err.strip() == (
        "qirtas: There is no region named “Tajikstan”; did you mean Tajikistan?"
    )


def test_closest_names_fold_like_search_in_both_languages(demo_archive):
    assert [t.name_en for t in vocabulary.closest_tags(demo_archive, "region", "TAJIKSTAN")] == ["Tajikistan"]
    assert vocabulary.closest_names(demo_archive, "region", "طاجكستان")[0] == "طاجيكستان"
    assert vocabulary.closest_names(demo_archive, "region", "Atlantis") == []
    # A country not tagged yet is offered from CLDR.
    assert vocabulary.closest_names(demo_archive, "region", "Malli") == ["Mali"]


@pytest.mark.parametrize("name", ["   ", "\u200b", " \u200b\u2066\u2069 ", "\u3164"])
def test_a_tag_is_never_renamed_to_a_name_that_shows_nothing(demo_archive, name):
    theme = demo_archive.tags("theme")[0]
    for arabic in (name, ""):
        with pytest.raises(ArchiveError, match="name"):
            vocabulary.rename_tag(demo_archive, theme.id, name, arabic)
    assert vocabulary.get_tag(demo_archive, theme.id).name_en == theme.name_en


def test_a_new_name_in_persian_letters_is_the_tags_arabic_script_name(demo, capsys):
    # Persian spelling (ی, ک, گ): recognised as Persian, not Arabic, yet its place is the Arabic-script name.
    assert main(["--archive", demo, "tag", "5", "--theme", "گفتگوی منطقه‌ای", "--create"]) == 0
    with Archive.open(demo, create=False) as archive:
        (made,) = [tag for tag in archive.tags("theme") if "گفتگو" in tag.name_ar]
        assert made.name_en == ""
