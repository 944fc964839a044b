"""Text-integrity audit: each detector on damaged and on healthy text, in English and Arabic; the seeds;
filtering documents by kind; `qirtas audit`."""

from __future__ import annotations

import json

import pytest
from bidi import get_display
from qirtas.archive import hidden_text, integrity
from qirtas.archive.archive import DocumentFilter, NewDocument
from qirtas.archive.importing import import_paths
from qirtas.archive.integrity import check_text
from qirtas.cli.main import main
from qirtas.importers import Extracted

from tests.conftest import REPO, SEED_FILES

SEEDS = REPO / "seeds"


def kinds(text: str, language: str) -> list[str]:
    return [finding.kind for finding in check_text(text, language)]


def add(archive, text: str, language: str = "en", title: str = "") -> int:
    extracted = Extracted(text=text, media_type="text/plain", language=language, title=title or text[:40])
    return archive.add(NewDocument(text.encode("utf-8"), extracted, "doc.txt")).id


def as_mojibake(text: str, codec: str) -> str:
    """What a program that read UTF-8 as `codec` and saved it again leaves behind."""
    return text.encode("utf-8").decode(codec)


HEALTHY_ENGLISH = (
    "Michèle Coninsx said: “International efforts – and the UN’s – matter.” It costs £10 at 19°C; "
    "**Breakout Session** *“Digital Diplomacy”* — naïve café, Zürich © 2020. He quoted Пушкин and αβγ."
)
HEALTHY_ARABIC = (
    "الأمم المتحدة 11 مايو 2016 (شينخوا) قال المندوب: هل هذا صحيح؟ نعم، الإرهاب؛ وكالة شينخوا. "
    "لا يوجد حل سحرى، سبيلا هاما، مثلا، إلا. پاکستان وگفتگو ﷺ ﴿الآية﴾ مقترحا «التكنولوجيا ضد الإرهاب»."
)


@pytest.mark.parametrize(("text", "language"), [(HEALTHY_ENGLISH, "en"), (HEALTHY_ARABIC, "ar")])
def test_healthy_text_raises_no_alarm(text, language):
    assert kinds(text, language) == []


# ---- unexpected script ------------------------------------------------------------------------------


def test_chinese_spam_inside_an_english_text_is_found_and_called_a_replaced_word():
    text = (
        "Cooperation between the 缅北禁地and smaller tech platforms.\n\nOther 缅北禁地representatives spoke."
    )
    [finding] = check_text(text, "en")
    assert finding.kind == "unexpected-script" and finding.count == 2
    assert "缅北禁地" in finding.detail and "replaced" in finding.detail
    assert finding.excerpt == "Cooperation between the 缅北禁地and smaller tech platforms."


def test_chinese_inside_an_arabic_text_is_found_but_an_arabic_transcription_is_not():
    assert kinds("نقلت وكالة شينخوا الصينية الخبر.", "ar") == []
    [finding] = check_text("نقلت وكالة 新华社 الخبر.", "ar")
    assert finding.kind == "unexpected-script" and "Arabic" in finding.detail


def test_a_chinese_document_may_be_written_in_chinese():
    assert kinds("联合国安理会今天开会。", "zh") == []


# ---- mojibake ---------------------------------------------------------------------------------------


def test_english_utf8_read_as_windows_1252_is_found_with_a_repaired_reading():
    original = "The UN’s “smaller platforms” – café"
    [finding] = check_text(as_mojibake(original, "sloppy-windows-1252"), "en")
    assert finding.kind == "mojibake" and "windows-1252" in finding.detail
    assert finding.repaired == original


def test_arabic_utf8_read_as_windows_1256_is_found_with_a_repaired_reading():
    original = "دعا مبعوث صيني لدى الأمم المتحدة"
    damaged = as_mojibake(original, "sloppy-windows-1256")
    [finding] = check_text(damaged, "ar")
    assert finding.kind == "mojibake" and "windows-1256" in finding.detail
    assert finding.repaired == original
    assert integrity.repair_mojibake(damaged) == original


def test_a_line_of_mojibake_among_healthy_lines_is_repaired_alone():
    text = "Healthy line – “fine”.\n" + as_mojibake("Broken’s line", "sloppy-windows-1252")
    assert integrity.repair_mojibake(text) == "Healthy line – “fine”.\nBroken’s line"


# ---- replacement characters, presentation forms, visual order ---------------------------------------


def test_replacement_characters_are_counted():
    [finding] = check_text("The caf\ufffd and the na\ufffdve", "en")
    assert (finding.kind, finding.count) == ("replacement-character", 2)
    [finding] = check_text("الأمم \ufffd\ufffd المتحدة", "ar")
    assert finding.count == 2


def test_arabic_presentation_forms_are_found_and_folded_in_the_repaired_reading():
    [finding] = check_text("\ufe8d\ufedf\ufe84\ufee3\ufee2 المتحدة", "ar")
    assert finding.kind == "presentation-forms" and finding.count == 5
    assert finding.repaired == "الأمم المتحدة"


def test_ornate_parentheses_and_word_ligatures_are_not_leftover_presentation_forms():
    assert kinds("قال ﴿الآية﴾ محمد ﷺ", "ar") == []


def test_arabic_in_visual_order_is_found_with_a_logical_reading_per_line():
    text = "ةدحتملا ممألا ةمظنم يف ةيبرعلا ةغللا\nةيلودلا ةمكحملا ىلإ ةلاسرلا"
    findings = check_text(text, "ar")
    assert [(f.kind, f.start, f.repaired) for f in findings] == [
        ("visual-order", 0, "اللغة العربية في منظمة الأمم المتحدة"),
        ("visual-order", 37, "الرسالة إلى المحكمة الدولية"),
    ]


def test_every_reversed_line_is_found_and_repaired_not_only_the_first():
    """The first rule needed two words starting with ة or ى on a line: the second line here has none
    (it was neither found nor repaired)."""
    logical = ["اللغة العربية في منظمة", "الأمن عقد هنا حول الإرهاب، دعا ليو جيه"]
    stored = "\n".join(get_display(line, base_dir="R") for line in logical)
    assert [f.repaired for f in check_text(stored, "ar")] == logical
    assert integrity.repaired_reading(stored).split("\n") == logical


def test_the_lines_of_an_arabic_seed_reversed_are_nearly_all_found_and_none_of_its_own():
    words = (SEEDS / "005_ar_dushanbe.txt").read_text(encoding="utf-8").split()
    lines = [" ".join(words[start : start + 8]) for start in range(0, len(words), 8)]
    reversed_lines = [get_display(line, base_dir="R") for line in lines]
    found = hidden_text.visual_lines("\n".join(reversed_lines))
    assert sum(found) >= 57  # of 59; the first rule found 33
    assert not any(hidden_text.visual_lines("\n".join(lines)))


def test_arabic_in_logical_order_is_not_taken_for_visual_order():
    text = "اللغة العربية في منظمة الأمم المتحدة\nالرسالة إلى المحكمة الدولية مثلا وقليلا وسبيلا\nكاملا شاملا مستقلا متكاملا"
    assert kinds(text, "ar") == []


def test_a_lam_alef_written_backwards_is_found():
    [finding] = check_text("األمم المتحدة واإلرهاب", "ar")
    assert finding.kind == "visual-order" and finding.count == 2
    assert finding.repaired == "الأمم المتحدة والإرهاب"


def test_a_repaired_reading_of_a_whole_text_combines_every_repair_and_leaves_healthy_text_alone():
    damaged = "\n".join(
        [
            as_mojibake("It’s a café", "sloppy-windows-1252"),
            as_mojibake("الأمم المتحدة", "sloppy-windows-1256"),
            "\ufe8d\ufedf\ufe84\ufee3\ufee2",
            "ةدحتملا ممألا ةمظنم يف ةيبرعلا ةغللا",
            "األمم",
        ]
    )
    assert integrity.repaired_reading(damaged).split("\n") == [
        "It’s a café",
        "الأمم المتحدة",
        "الأمم",
        "اللغة العربية في منظمة الأمم المتحدة",
        "الأمم",
    ]
    assert integrity.repaired_reading(HEALTHY_ENGLISH) == HEALTHY_ENGLISH
    assert integrity.repaired_reading(HEALTHY_ARABIC) == HEALTHY_ARABIC


# ---- invisible characters --------------------------------------------------------------------------


def test_a_zero_width_space_inside_a_word_is_its_own_finding_with_the_word_shown_readably():
    [finding] = check_text("Countering violent extre\u200bmism online.", "en")
    assert finding.kind == "invisible-characters" and finding.count == 1
    assert "“extre<U+200B>mism”" in finding.detail
    assert finding.repaired == "Countering violent extremism online."
    assert integrity.repaired_reading("extre\u200bmism and ter\u2060ror") == "extremism and terror"


@pytest.mark.parametrize(
    "text",
    [
        "فارسی: می\u200cخواهم",  # ZWNJ shapes Persian words
        "Report 2018\u200f \u200e\u061c and a\u200b b",  # marks between words, not inside one
        "soft\u00adhyphen",  # a hyphenation hint (and the 0xAD of windows-1256 mojibake)
    ],
)
def test_invisible_characters_that_belong_are_not_reported(text):
    assert "invisible-characters" not in kinds(text, "und")


def test_the_audit_lists_documents_with_invisible_characters(archive, capsys):
    hidden = add(archive, "We discussed violent extre\u200bmism.")
    add(archive, "We discussed violent extremism.")
    where = str(archive.path)
    archive.close()
    assert main(["--archive", where, "audit"]) == 1
    out = capsys.readouterr().out
    assert f"{hidden:>6}  invisible-characters:" in out and "extre<U+200B>mism" in out


# ---- low OCR confidence ------------------------------------------------------------------------------


def ocr_document(archive, confidence: float, pages: list[float]) -> int:
    """A document as OCR leaves it (issue 20's contract), written through the archive's own API."""
    text = "Page one reads well.\fPaqe tw0 is b1urred."
    low_start = text.index("Paqe")
    extracted = Extracted(
        text=text,
        media_type="application/pdf",
        language="en",
        title="Scanned letter",
        status="ocr",
        page_starts=[0, text.index("\f") + 1],
        metadata={
            "ocr": {
                "engine": "tesseract 5.3.0",
                "confidence": confidence,
                "threshold": 60.0,
                "pages": [
                    {"page": number, "confidence": value, "languages": "eng", "low": low}
                    for number, (value, low) in enumerate(
                        zip(pages, [[], [[low_start, low_start + 4]]], strict=True)
                    )
                ],
            }
        },
    )
    return archive.add(
        NewDocument(text.encode() + bytes([len(pages), int(confidence)]), extracted, "s.pdf")
    ).id


def test_a_document_ocr_read_with_low_confidence_is_listed_with_its_low_pages(archive, capsys):
    low = ocr_document(archive, 58.5, [88.0, 29.0])
    ocr_document(archive, 91.0, [93.0, 89.0])  # read well: nothing to say
    report = integrity.audit_archive(archive, kinds=["low-ocr-confidence"])
    assert list(report) == [low]
    [finding] = report[low]
    assert finding.pages == [2] and "mean confidence of 58" in finding.detail and "pages: 2" in finding.detail
    assert finding.excerpt.startswith("Paqe")  # where the first low word is
    assert integrity.LOW_OCR_CONFIDENCE == 70
    where = str(archive.path)
    archive.close()
    assert main(["--archive", where, "audit", "--kind", "low-ocr-confidence", "--json"]) == 1
    [listed] = json.loads(capsys.readouterr().out)["findings"]
    assert (listed["id"], listed["kind"], listed["pages"]) == (low, "low-ocr-confidence", [2])


def test_ocr_metadata_of_another_shape_is_not_a_finding(archive):
    extracted = Extracted(
        text="x", media_type="text/plain", status="ocr", metadata={"ocr": {"confidence": "?"}}
    )
    document = archive.add(NewDocument(b"x", extracted, "x.txt")).id
    assert integrity.document_findings(archive, document) == []


# ---- the seeds and the archive ----------------------------------------------------------------------


@pytest.fixture
def seeds_archive(archive):
    report = import_paths(archive, SEED_FILES)
    return archive, {item.path.rsplit("/", 1)[-1][:3]: item.id for item in report.imported}


def test_on_the_seeds_only_the_injected_chinese_is_found_in_text_and_title(seeds_archive):
    archive, ids = seeds_archive
    report = integrity.audit_archive(archive)
    assert report.checked == len(SEED_FILES)
    assert list(report) == [ids["001"]]
    [finding] = report[ids["001"]]
    assert archive.get(ids["001"]).title == "缅北禁地"  # the spam even replaced the title line
    assert finding.kind == "unexpected-script" and finding.detail.endswith("(also in the title)")
    archive.update_document(ids["001"], title="缅北禁地 webinar")  # a title of its own is checked on its own
    assert [f.field for f in integrity.document_findings(archive, ids["001"])] == ["text", "title"]


def test_documents_can_be_filtered_by_kind_and_the_filter_follows_edits(seeds_archive):
    archive, ids = seeds_archive
    damaged = add(archive, "Here is caf\ufffd.")
    assert integrity.document_ids_with(archive, ["replacement-character"]) == [damaged]
    assert integrity.document_ids_with(archive) == sorted([ids["001"], damaged])
    assert integrity.kinds_for_documents(archive, [ids["000"], ids["001"]]) == {
        ids["000"]: [],
        ids["001"]: ["unexpected-script"],
    }
    total, documents = archive.list_documents(
        DocumentFilter(ids=integrity.document_ids_with(archive, ["unexpected-script"]))
    )
    assert (total, documents[0].id) == (1, ids["001"])
    archive.update_document(ids["001"], title="CTED and Tech Against Terrorism host webinar")
    archive.update_document(ids["002"], language="en")  # an Arabic text called English: still no CJK
    assert integrity.kinds_for_documents(archive, [ids["001"]]) == {ids["001"]: ["unexpected-script"]}
    archive.update_document(ids["001"], language="zh")  # an archivist says it is Chinese: CJK is expected
    assert integrity.document_ids_with(archive, ["unexpected-script"]) == []
    archive.delete_document(damaged)
    assert integrity.document_ids_with(archive, ["replacement-character"]) == []


def test_cli_audit_reports_findings_and_exits_1(seeds_archive, capsys):
    archive, ids = seeds_archive
    where = str(archive.path)
    archive.close()
    status = main(["--archive", where, "audit", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert status == 1
    assert payload["findings"] and all(
        {"id", "kind", "detail", "excerpt"} <= set(f) and f["id"] == ids["001"] for f in payload["findings"]
    )
    assert main(["--archive", where, "audit", "--kind", "mojibake", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    assert main(["--archive", where, "audit", str(ids["000"]), "--json"]) == 0
    capsys.readouterr()


def test_cli_audit_prints_a_repaired_reading_and_leaves_the_stored_text(archive, capsys):
    damaged = as_mojibake("الأمم المتحدة في نيويورك", "sloppy-windows-1256")
    document = add(archive, damaged, language="ar")
    where = str(archive.path)
    archive.close()
    assert main(["--archive", where, "audit", "--repaired", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert [f["kind"] for f in payload["findings"]] == ["mojibake"]
    assert payload["repaired"] == {str(document): "الأمم المتحدة في نيويورك"}
    main(["--archive", where, "show", str(document), "--json"])
    assert json.loads(capsys.readouterr().out)["text"] == damaged
