"""Tag suggestions: each suggester in English and Arabic, accept/reject, theme keywords, the CLI contract."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from qirtas.archive.archive import Archive, ArchiveError, NewDocument
from qirtas.archive.models import AuditEvent, DocumentTag, Tag
from qirtas.archive.regions import M49_PARENT
from qirtas.archive.suggest import (
    Suggester,
    accept,
    reject,
    rejected_keys,
    reset_theme_keywords,
    restore,
    set_theme_keywords,
    suggest,
    suggest_on_import,
    tag_for,
    theme_keywords,
)
from qirtas.archive.suggest.places import CITIES, CITY_BY_KEY
from qirtas.archive.suggest.text import is_arabic
from qirtas.cli.main import main
from qirtas.importers import Extracted


def add(archive, text: str, language: str = "en", title: str = "") -> int:
    extracted = Extracted(
        text=text, media_type="text/plain", language=language, title=title or text.split("\n")[0][:60]
    )
    return archive.add(NewDocument(text.encode("utf-8"), extracted, "doc.txt")).id


def regions(archive, document_id) -> dict[str, str]:
    """key → evidence of the region suggestions."""
    return {s.key: s.evidence for s in suggest(archive, document_id).region}


# ---- regions ----------------------------------------------------------------------------------------


def test_english_country_names_aliases_and_cities_are_suggested_with_their_sentence(archive):
    document = add(
        archive,
        "Delegates from the UAE, South Korea and the Russian Federation met in Geneva.\n\n"
        "A second round is planned in Cairo next year.",
    )
    found = regions(archive, document)
    assert set(found) == {"region:AE", "region:KR", "region:RU", "region:geneva", "region:cairo"}
    assert found["region:cairo"] == "A second round is planned in Cairo next year."
    assert "UAE" in found["region:AE"]


def test_english_words_that_only_look_like_places_are_not_suggested(archive):
    # "us", "turkey", "chad" as ordinary words; "Kyrgyz" is an adjective; "Korea" inside DPRK's name
    document = add(
        archive,
        "Tell us more: the turkey was served to chad and the Kyrgyz delegation. The Democratic People's "
        "Republic of Korea sent a note; the United Nations replied.",
    )
    assert set(regions(archive, document)) == {"region:KP"}


def test_a_place_name_inside_a_persons_or_a_things_name_is_not_suggested(archive):
    document = add(
        archive,
        "The envoy met Michael Jordan, Mr. Washington and Chad Johnson in Amman on Monday to discuss the "
        "Paris Agreement.\n\nKenya Hosts Regional Summit On Online Extremism",
    )
    assert set(regions(archive, document)) == {"region:amman", "region:KE"}  # a headline keeps Kenya


def test_arabic_names_are_found_behind_clitics_and_in_their_common_spellings(archive):
    document = add(
        archive,
        "قدمت الإمارات ولروسيا وللصين مقترحا، وعقد اللقاء في القاهرة بحضور وفد من آسيا الوسطى.",
        language="ar",
    )
    assert set(regions(archive, document)) == {
        "region:AE",
        "region:RU",
        "region:CN",
        "region:cairo",
        "region:143",
    }


def test_arabic_adjectives_organisations_and_homographs_are_not_places(archive):
    # صيني (Chinese) is not الصين; الأمم المتحدة mid-text is the organisation, not its headquarters;
    # القوة القاهرة is force majeure, not Cairo; سيول are floods; أوروبا inside the OSCE's name
    document = add(
        archive,
        "قال مبعوث صيني لدى الأمم المتحدة إن وكالة شينخوا نشرت البيان. وتسببت السيول في حالة القوة القاهرة، "
        "بحسب منظمة الأمن والتعاون في أوروبا.",
        language="ar",
    )
    assert regions(archive, document) == {}


def test_amman_is_not_oman_and_oman_is_not_amman(archive):
    # the shadda, Jordan beside it, or a Jordanian adjective tell Amman; Muscat in the text, or nothing, Oman
    amman = add(archive, "عمّان، الأردن (14 آذار/مارس 2023) – رحبت المفوضية بالقرار.", language="ar")
    jordan = add(archive, "عقدت الورشة في عمان بالتعاون مع الحكومة الأردنية.", language="ar")
    both = add(archive, "وصل وزير خارجية عمان إلى عمّان في زيارة رسمية.", language="ar")
    oman = add(archive, "رحبت طهران بالوساطة التي تقوم بها عمان، والجولة المقبلة في مسقط.", language="ar")
    assert set(regions(archive, amman)) == {"region:amman", "region:JO"}
    assert set(regions(archive, jordan)) == {"region:amman"}
    assert set(regions(archive, both)) == {"region:OM", "region:amman"}
    assert set(regions(archive, oman)) == {"region:OM", "region:tehran", "region:muscat"}
    [suggestion] = suggest(archive, amman).region[:1]
    assert (suggestion.name_en, suggestion.name_ar, suggestion.parent) == ("Amman", "عمّان", "Jordan")


def test_a_capital_named_like_its_country_is_the_country_unless_qualified(archive):
    english = add(archive, "Talks moved from Kuwait City to Djibouti, then to Algiers and Tunis in Tunisia.")
    arabic = add(
        archive, "انتقلت المحادثات من مدينة الكويت إلى جيبوتي ثم إلى الجزائر العاصمة وتونس.", language="ar"
    )
    expected = {"region:kuwait-city", "region:DJ", "region:algiers"}
    assert set(regions(archive, english)) == expected | {"region:tunis", "region:TN"}
    assert set(regions(archive, arabic)) == expected | {"region:TN"}


def test_a_city_two_countries_have_is_the_one_whose_country_the_text_names(archive):
    lebanon = add(archive, "Flooding in Beirut and in Tripoli displaced families in Lebanon.")
    libya = add(archive, "تعرب البعثة عن قلقها من الاشتباكات في طرابلس.", language="ar")
    assert set(regions(archive, lebanon)) == {"region:beirut", "region:tripoli-lebanon", "region:LB"}
    assert set(regions(archive, libya)) == {"region:tripoli"}


def test_a_city_name_that_is_also_a_word_needs_its_country_and_spellings_fold(archive):
    # سيول is "floods" unless Korea is named; زيارة إلى ڤيينا and a zero-width joiner inside جنيـ‌ف fold
    floods = add(archive, "تسببت السيول في أضرار جسيمة.", language="ar")
    seoul = add(archive, "استضافت كوريا الجنوبية الخبراء في سيول، ثم زاروا ڤيينا وجني\u200cف.", language="ar")
    assert regions(archive, floods) == {}
    assert set(regions(archive, seoul)) == {"region:KR", "region:seoul", "region:vienna", "region:geneva"}


def test_every_built_in_city_and_venue_has_an_arabic_name_and_nests_under_its_country(archive):
    for city in CITIES:
        assert city.name_ar and is_arabic(city.name_ar), city.key
        assert city.parent in M49_PARENT or city.parent in CITY_BY_KEY, city.key
    gaza = tag_for(archive, next(s for s in suggest(archive, add(archive, "Gaza City")).region))
    assert [gaza.parent.parent.name_en, gaza.parent.name_en, gaza.name_ar] == [
        "Palestinian Territories",
        "Gaza Strip",
        "مدينة غزة",
    ]


def test_mali_is_a_place_only_where_it_reads_as_one_and_persian_words_are_not_arabic_names(archive):
    # مالي is also "financial"; Persian اروپا (Europe) is not أروبا (Aruba), nor مالی "financial" Mali
    money = add(archive, "قدمت الحكومة دعم مالي إضافي.\n\nاتحادیه اروپا کمک مالی کرد.", language="ar")
    cue = add(archive, "عاد اللاجئون إلى مالي.", language="ar")
    listed = add(archive, "في بوركينا فاسو ومالي والنيجر", language="ar")
    assert regions(archive, money) == {}
    assert set(regions(archive, cue)) == {"region:ML"}
    assert set(regions(archive, listed)) == {"region:BF", "region:ML", "region:NE"}


def test_a_dateline_names_the_place_a_story_was_filed_from(archive):
    document = add(archive, "الأمم المتحدة 11 مايو 2016 (شينخوا) دعا مبعوث صيني إلى التعاون.", language="ar")
    suggestion = suggest(archive, document).region[0]
    assert (suggestion.key, suggestion.name_en, suggestion.parent) == (
        "region:un-headquarters",
        "UN Headquarters",
        "New York",
    )


def test_the_archives_own_cities_are_suggested_too(archive):
    country = archive.ensure_tag("region", "Kazakhstan", "كازاخستان", code="KZ")
    city = archive.ensure_tag("region", "Aktau", "أكتاو", parent=country)
    document = add(archive, "The workshop took place in Aktau.\n\nوعقدت الورشة في أكتاو.")
    [suggestion] = [s for s in suggest(archive, document).region if s.name_en == "Aktau"]
    assert suggestion.tag_id == city.id
    assert suggestion.count == 2


# ---- events -----------------------------------------------------------------------------------------


def test_an_english_event_is_proposed_with_its_name_date_and_place(archive):
    document = add(
        archive,
        "On 3 March 2021, the Global Forum on Cyber Expertise met in Geneva to review the year.",
    )
    [event] = suggest(archive, document).event
    assert event.name_en == "Global Forum on Cyber Expertise"
    assert event.date == dt.date(2021, 3, 3)
    assert event.place == "Geneva"
    assert "On 3 March 2021" in event.evidence


def test_when_an_english_meeting_was_held_is_not_its_topic(archive):
    document = add(archive, "The Security Council meeting on Tuesday, 5 May 2015, was held in Geneva.")
    [event] = suggest(archive, document).event
    assert (event.name_en, event.date, event.place) == (
        "Security Council meeting",
        dt.date(2015, 5, 5),
        "Geneva",
    )


def test_an_organisations_numbered_session_is_an_event_named_after_it(archive):
    document = add(
        archive,
        "GENEVA (5 October 2021) – The Human Rights Council opened its 48th session on Monday.\n\n"
        "The Global Internet Forum to Counter Terrorism (GIFCT) will hold its annual summit in Tokyo on "
        "14–15 July 2022.",
    )
    events = {e.name_en: (e.date, e.place) for e in suggest(archive, document).event}
    assert events == {
        "Human Rights Council 48th session": (dt.date(2021, 10, 5), "Geneva"),
        "GIFCT annual summit": (dt.date(2022, 7, 14), "Tokyo"),
    }


def test_a_quoted_title_and_an_iso_date_make_an_event(archive):
    document = add(archive, 'date 2019-04-02 The "Youth and the Internet" event was hosted by the mission.')
    [event] = suggest(archive, document).event
    assert (event.name_en, event.date, event.place) == ("Youth and the Internet", dt.date(2019, 4, 2), "")


def test_a_webinar_without_a_place_takes_place_online(archive):
    document = add(
        archive, "On 9 December 2020, the directorate hosted a webinar about “Small platforms and risk”."
    )
    [event] = suggest(archive, document).event
    assert (event.date, event.place) == (dt.date(2020, 12, 9), "Online")


def test_an_arabic_meeting_takes_the_datelines_date_and_place_when_held_here(archive):
    document = add(
        archive,
        "الأمم المتحدة 11 مايو 2016 (شينخوا) قال المندوب خلال اجتماع لمجلس الأمن عقد هنا حول الإرهاب، إن الحل صعب.",
        language="ar",
    )
    [event] = suggest(archive, document).event
    assert event.name_ar == "اجتماع لمجلس الأمن حول الإرهاب"
    assert (event.date, event.place) == (dt.date(2016, 5, 11), "UN Headquarters")


def test_un_arabic_events_sessions_and_double_month_names(archive):
    # "المؤتمر" with its article, "المعني ب" as UN Arabic's "on", "دورتها السادسة والستين" as "its 66th
    # session", "أيار/مايو" as UN Arabic writes a month; the name stops where the text says where it was held
    document = add(
        archive,
        "عُقد المؤتمر الإقليمي المعني بالهجرة في مكسيكو سيتي يوم 18 أيار/مايو 2022.\n\n"
        "وعقدت لجنة المخدرات دورتها السادسة والستين في فيينا يوم 13 آذار/مارس 2023.",
        language="ar",
    )
    events = {e.name_ar: (e.date, e.place) for e in suggest(archive, document).event}
    assert events == {
        "المؤتمر الإقليمي المعني بالهجرة": (dt.date(2022, 5, 18), "Mexico City"),
        "الدورة السادسة والستين للجنة المخدرات": (dt.date(2023, 3, 13), "Vienna"),
    }


def test_an_english_events_scope_and_spelled_session_number_belong_to_its_name(archive):
    document = add(
        archive,
        "A regional forum on disaster risk reduction opened in Bangkok on 10 October 2022.\n\n"
        "The Commission on Narcotic Drugs held its sixty-sixth session in Vienna on 13 March 2023.",
    )
    assert {e.name_en for e in suggest(archive, document).event} == {
        "regional forum on disaster risk reduction",
        "Commission on Narcotic Drugs sixty-sixth session",
    }


def test_mentions_of_the_meeting_without_a_name_date_or_place_are_not_events(archive):
    english = add(archive, "The meeting was told that the conference stressed the role of governments.")
    arabic = add(archive, "وخلال الاجتماع، قال المتحدث إن المؤتمر ناجح.", language="ar")
    room = add(archive, "Date & Venue: 19 November 2018 from 15:00 to 17:00. Conference Room 11, UNHQ")
    assert suggest(archive, english).event == []
    assert suggest(archive, arabic).event == []
    assert suggest(archive, room).event == []


def test_an_event_matching_the_vocabulary_is_proposed_as_that_record(archive):
    tag = archive.ensure_tag(
        "event", "Webinar on small platforms", "", date=dt.date(2020, 12, 9), place="Online"
    )
    document = add(
        archive, "On 9 December 2020, the office hosted a webinar about “Small platforms and risk”."
    )
    [event] = suggest(archive, document).event
    assert (event.tag_id, event.key, event.name_en) == (tag.id, f"event:tag:{tag.id}", tag.name_en)


# ---- themes -----------------------------------------------------------------------------------------


@pytest.fixture
def themes(archive):
    return {
        "speech": archive.ensure_tag("theme", "Hate speech", "خطاب الكراهية"),
        "rights": archive.ensure_tag("theme", "Human rights", "حقوق الإنسان"),
    }


def test_themes_are_suggested_from_keywords_in_both_languages(archive, themes):
    english = add(archive, "Platforms must remove hate speech while protecting human rights and privacy.")
    arabic = add(archive, "دعا المتحدث إلى مكافحة خطاب الكراهية على الإنترنت.", language="ar")
    found = {s.name_en: s for s in suggest(archive, english).theme}
    assert set(found) == {"Hate speech", "Human rights"}
    assert found["Human rights"].keywords == ["Human rights", "privacy"]
    [theme] = suggest(archive, arabic).theme
    assert theme.name_ar == "خطاب الكراهية" and "خطاب الكراهية" in theme.evidence


def test_a_single_weak_keyword_is_not_enough(archive, themes):
    document = add(archive, "The report mentions privacy once.")
    assert suggest(archive, document).theme == []


def test_a_one_word_theme_name_is_enough_as_its_two_word_arabic_name_is(archive):
    archive.ensure_tag("theme", "Cybersecurity", "الأمن السيبراني")
    archive.ensure_tag("theme", "International cooperation", "التعاون الدولي")
    english = add(
        archive, "A national centre for cybersecurity opened; regional cooperation remained essential."
    )
    assert {s.name_en for s in suggest(archive, english).theme} == {
        "Cybersecurity",
        "International cooperation",
    }


def test_edited_keywords_replace_the_defaults_and_are_kept_in_the_archive(archive, themes):
    document = add(archive, "Online abuse and trolling harm women journalists.\n\nالتنمر الإلكتروني ظاهرة.")
    assert suggest(archive, document).theme == []
    set_theme_keywords(archive, themes["speech"].id, ["online abuse", "troll*"], ["التنمر الإلكتروني"])
    [theme] = suggest(archive, document).theme
    assert theme.name_en == "Hate speech"
    assert theme.keywords == ["online abuse", "troll*", "التنمر الإلكتروني"]
    stored = {t.tag_id: t for t in theme_keywords(archive)}
    assert stored[themes["speech"].id].edited and not stored[themes["rights"].id].edited
    assert AuditEvent.select().where(AuditEvent.action == "theme-keywords-edited").count() == 1
    reset_theme_keywords(archive, themes["speech"].id)
    assert suggest(archive, document).theme == []


# ---- accept, reject, on import ----------------------------------------------------------------------


def test_accepting_tags_the_document_as_a_suggestion_with_its_evidence(archive):
    document = add(archive, "The meeting was held in Dushanbe, the capital.")
    tag = accept(archive, document, "region:dushanbe")
    assert (tag.name_en, tag.name_ar, tag.parent.code) == ("Dushanbe", "دوشانبي", "TJ")
    row = DocumentTag.get(DocumentTag.document == document, DocumentTag.tag == tag)
    assert row.suggested is True
    trail = AuditEvent.get(AuditEvent.action == "suggestion-accepted")
    assert trail.document_id == document and "Dushanbe" in trail.details["evidence"]
    assert "region:dushanbe" not in {s.key for s in suggest(archive, document).region}


def test_accepting_by_facet_and_name_in_arabic(archive):
    document = add(archive, "زار الوفد مصر والأردن.", language="ar")
    tag = accept(archive, document, "region:مصر")
    assert tag.code == "EG"


def test_an_accepted_event_creates_the_record_with_date_and_place(archive):
    document = add(archive, "On 3 March 2021, the Global Forum on Cyber Expertise met in Geneva.")
    [event] = suggest(archive, document).event
    tag = accept(archive, document, event)
    assert (tag.facet, tag.name_en, tag.date, tag.place) == (
        "event",
        "Global Forum on Cyber Expertise",
        dt.date(2021, 3, 3),
        "Geneva",
    )


def test_a_rejected_suggestion_is_not_proposed_again_and_can_be_restored(archive):
    document = add(archive, "Experts from Canada and Israel attended.")
    reject(archive, document, "region:CA")
    assert set(regions(archive, document)) == {"region:IL"}
    assert rejected_keys(archive, document) == {"region:CA"}
    restore(archive, document, "region:CA")
    assert set(regions(archive, document)) == {"region:IL", "region:CA"}
    with pytest.raises(ArchiveError):
        reject(archive, document, "Canada")  # neither a key nor facet:name


def test_a_tag_the_user_took_off_is_not_proposed_again(archive):
    document = add(archive, "Experts from Canada attended.")
    tag = accept(archive, document, "region:CA")
    archive.untag_documents([document], tag)
    assert regions(archive, document) == {}


def test_a_rejection_does_not_outlive_its_document(archive):
    first = add(archive, "Experts from Canada attended.")
    reject(archive, first, "region:CA")
    archive.delete_document(first)
    second = add(archive, "Experts from Canada came again.")
    assert second == first  # SQLite reuses the id
    assert "region:CA" in regions(archive, second)


def test_suggest_on_import_returns_suggestions_for_new_documents_without_tagging(archive):
    ids = [add(archive, "Talks in Kenya."), add(archive, "محادثات في كينيا.", language="ar")]
    result = suggest_on_import(archive, ids)
    assert list(result) == ids
    assert all([s.key for s in result[i].region] == ["region:KE"] for i in ids)
    assert DocumentTag.select().count() == 0


def test_the_vocabulary_is_read_once_for_many_documents(archive):
    suggester = Suggester(archive)
    document = add(archive, "Talks in Kenya.")
    assert [s.code for s in suggester.suggest(archive.get(document)).region] == ["KE"]


# ---- command line -----------------------------------------------------------------------------------


def run_cli(capsys, *argv) -> tuple[int, dict]:
    status = main(list(argv))
    out = capsys.readouterr().out
    return status, json.loads(out) if out.strip().startswith("{") else out


def test_cli_suggest_json_contract_and_accept_reject(archive, capsys):
    document = add(
        archive, "On 3 March 2021, the Global Forum on Cyber Expertise met in Geneva, Switzerland."
    )
    where = str(archive.path)
    archive.close()
    status, payload = run_cli(capsys, "--archive", where, "suggest", str(document), "--json")
    assert status == 0
    assert {"event", "region", "theme"} <= set(payload)
    event = payload["event"][0]
    assert {"name", "date", "place", "evidence"} <= set(event) and event["date"] == "2021-03-03"
    assert {"region:geneva", "region:CH"} == {r["key"] for r in payload["region"]}
    assert all({"name", "evidence"} <= set(r) for r in payload["region"])
    status, payload = run_cli(
        capsys, "--archive", where, "suggest", str(document), "--accept", "region:CH", "--reject", "region:geneva",
        "--json",
    )  # fmt: skip
    assert status == 0
    assert payload["accepted"][0]["key"] == "region:CH" and payload["rejected"] == ["region:geneva"]
    assert payload["region"] == []
    status, shown = run_cli(capsys, "--archive", where, "show", str(document), "--json")
    assert [t["en"] for t in shown["tags"]["region"]] == ["Switzerland"]


def test_cli_accepting_an_unknown_suggestion_fails(archive, capsys):
    document = add(archive, "Nothing here.")
    where = str(archive.path)
    archive.close()
    assert main(["--archive", where, "suggest", str(document), "--accept", "region:FR"]) == 1


def test_cli_theme_keywords_can_be_listed_and_edited(archive, capsys):
    tag = archive.ensure_tag("theme", "Hate speech", "خطاب الكراهية")
    where = str(archive.path)
    archive.close()
    status, payload = run_cli(
        capsys,
        "--archive",
        where,
        "theme-keywords",
        "Hate speech",
        "--en",
        "online abuse",
        "--ar",
        "التنمر",
        "--json",
    )
    assert status == 0
    assert payload["themes"] == [
        {"id": tag.id, "en": "Hate speech", "ar": "خطاب الكراهية", "keywords_en": ["online abuse"],
         "keywords_ar": ["التنمر"], "edited": True}
    ]  # fmt: skip
    with Archive.open(where, create=False) as reopened, reopened.bound():
        assert Tag.select().where(Tag.facet == "theme").count() == 1
