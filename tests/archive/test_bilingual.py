"""Bilingual entries: alignment quality, links both ways, review state kept across edits, reports, audit."""

from __future__ import annotations

import csv
import json
import re
import unicodedata

import pytest
from qirtas.archive import bilingual
from qirtas.archive.alignment import Bead, Lexicon, align
from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.bilingual import APPROVED, NEEDS_REVISION, UNREVIEWED, Review
from qirtas.archive.models import ReviewPair
from qirtas.archive.review_report import write_csv
from qirtas.archive.translation_candidates import candidates
from qirtas.cli.main import main
from qirtas.i18n.script import split_paragraphs
from qirtas.importers import Extracted

from tests.conftest import SEEDS

ADDED = (
    "The participants also visited the National Library, where an exhibition on the history of the "
    "region's manuscripts had been prepared for them, and met students of the university's faculty of "
    "international relations to talk about careers in diplomacy and public service."
)
EN = split_paragraphs((SEEDS / "004_00ceb56a319de781.txt").read_text(encoding="utf-8"))
AR = split_paragraphs((SEEDS / "005_ar_dushanbe.txt").read_text(encoding="utf-8"))


def spans(beads: list[Bead]) -> list[tuple[int, int, int, int]]:
    return [(b.en_first, b.en_count, b.ar_first, b.ar_count) for b in beads]


def run(capsys, *argv: str) -> tuple[int, dict]:
    status = main(list(argv))
    out = capsys.readouterr().out
    return status, json.loads(out) if out.strip() else {}


# ---- alignment -----------------------------------------------------------------------------------------
def test_a_faithful_translation_aligns_paragraph_for_paragraph():
    assert len(EN) == len(AR) == 13
    assert spans(align(EN, AR, Lexicon())) == [(i, 1, i, 1) for i in range(13)]


def test_a_paragraph_split_differently_on_each_side_is_merged_where_it_was_split():
    # English paragraph 4 in two; Arabic paragraphs 8 and 9 in one.
    first, second = EN[4].split(", avoiding ")
    en = [*EN[:4], first + ",", "avoiding " + second, *EN[5:]]
    ar = [*AR[:8], AR[8] + " " + AR[9], *AR[10:]]
    beads = spans(align(en, ar, Lexicon()))
    assert (4, 2, 4, 1) in beads  # 2–1: both English halves with the one Arabic paragraph
    assert (9, 2, 8, 1) in beads  # 2–1: the two English paragraphs with the joined Arabic one
    assert sum(1 for b in beads if b[1] == b[3] == 1) == len(beads) - 2


@pytest.mark.parametrize("missing", [3, 9])
def test_a_paragraph_missing_from_the_arabic_stands_alone_and_the_rest_stays_paired(missing):
    ar = AR[:missing] + AR[missing + 1 :]
    beads = spans(align(EN, ar, Lexicon()))
    assert (missing, 1, missing, 0) in beads
    paired = [b for b in beads if b[1] and b[3]]
    assert all(en_first == ar_first + (en_first > missing) for en_first, _n, ar_first, _m in paired)


def test_a_paragraph_missing_from_the_english_is_found_by_its_names():
    en = EN[:9] + EN[10:]  # paragraph 9 names Canada, Israel, Russia, the United States
    assert (9, 0, 9, 1) in spans(align(en, AR, Lexicon()))


def test_an_empty_side_leaves_every_paragraph_unpaired():
    assert spans(align(["One.", "Two."], [])) == [(0, 1, 0, 0), (1, 1, 0, 0)]


def test_the_lexicon_reads_names_through_arabic_particles():
    lexicon = Lexicon()
    assert lexicon.names("اجتماع بدوشانبي في طاجيكستان وأفغانستان") == ["tajikistan", "afghanistan"]
    assert "central asia" in lexicon.names("بلدان آسيا الوسطى")
    assert "central asia" in lexicon.names("all Central Asian countries")


# ---- links ---------------------------------------------------------------------------------------------
def test_link_and_unlink_show_in_both_documents_in_show_json(demo_archive, capsys):
    folder = str(demo_archive.path)
    demo_archive.close()
    status, linked = run(capsys, "--archive", folder, "link", "1", "3", "--json")
    assert status == 0 and linked["created"] and linked["en"] == 1 and linked["ar"] == 3
    for one, other in ((1, 3), (3, 1)):
        _s, shown = run(capsys, "--archive", folder, "show", str(one), "--json")
        assert other in shown["translations"]
    _s, again = run(capsys, "--archive", folder, "link", "3", "1", "--json")
    assert again["created"] is False
    status, unlinked = run(capsys, "--archive", folder, "unlink", "3", "1", "--json")
    assert status == 0 and unlinked["unlinked"] == [3, 1]
    for one in (1, 3):
        _s, shown = run(capsys, "--archive", folder, "show", str(one), "--json")
        assert shown["translations"] == []
    status, _missing = run(capsys, "--archive", folder, "unlink", "1", "3", "--json")
    assert status == 1


def test_a_document_cannot_be_its_own_translation(demo_archive):
    with pytest.raises(ArchiveError):
        bilingual.link(demo_archive, 2, 2)


def test_the_demo_links_the_dushanbe_report_to_its_arabic_rendering(demo_archive):
    english = next(d for d in demo_archive.list_documents()[1] if d.title.startswith("Experts from Central"))
    arabic = next(d for d in demo_archive.list_documents()[1] if "دوشانبي" in d.title)
    assert demo_archive.translations(english.id) == [arabic.id]
    review = Review.open(demo_archive, arabic.id)
    assert (review.en_id, review.ar_id) == (english.id, arabic.id)
    assert len(review.pairs()) == 13


def test_candidates_put_the_real_translation_first_with_what_corresponds(demo_archive):
    bilingual.unlink(demo_archive, 5, 6)
    found = candidates(demo_archive, 5)
    assert [c.id for c in found] == [6]
    evidence = found[0].evidence
    assert "70" in evidence["number"] and {"afghanistan", "dushanbe"} <= set(evidence["name"])
    assert [c.id for c in candidates(demo_archive, 6)] == [5]
    # Documents on other subjects are not offered.
    assert candidates(demo_archive, 3) == []


# ---- review --------------------------------------------------------------------------------------------
def test_review_json_lists_pairs_and_progress_and_sets_status_and_comment(demo_archive, capsys):
    folder = str(demo_archive.path)
    demo_archive.close()
    status, review = run(capsys, "--archive", folder, "review", "6", "--json")
    assert status == 0 and len(review["pairs"]) == 13
    third = review["pairs"][2]
    assert {"en", "ar", "status", "comment", "index"} <= set(third)
    assert third["en"].startswith("Dushanbe hosted") and third["ar"].startswith("استضافت دوشانبي")
    assert review["progress"]["total"] == 13 and review["progress"]["reviewed"] == 0
    run(capsys, "--archive", folder, "review", "5", "--pair", "3", "--status", "approved", "--json")
    _s, after = run(
        capsys, "--archive", folder, "review", "5", "--pair", "4", "--status", "needs_revision",
        "--comment", "اسم المعهد غير دقيق", "--json",
    )  # fmt: skip
    assert [p["status"] for p in after["pairs"][2:4]] == [APPROVED, NEEDS_REVISION]
    assert after["pairs"][3]["comment"] == "اسم المعهد غير دقيق"
    assert after["progress"] == {
        "total": 13, "reviewed": 2, "approved": 1, "needs_revision": 1, "unreviewed": 11, "percent": 15.4,
    }  # fmt: skip
    status, _bad = run(capsys, "--archive", folder, "review", "5", "--pair", "99", "--status", "approved")
    assert status == 1


def test_documents_filter_by_review_state(demo_archive, capsys):
    review = Review.open(demo_archive, 5)
    assert bilingual.documents_in_review_state(demo_archive, "unreviewed") == [5, 6]
    review.set_review(0, APPROVED)
    assert bilingual.documents_in_review_state(demo_archive, "in_progress") == [5, 6]
    review.set_review(1, NEEDS_REVISION)
    assert bilingual.documents_in_review_state(demo_archive, "needs_revision") == [5, 6]
    for index in range(13):
        review.set_review(index, APPROVED)
    assert bilingual.documents_in_review_state(demo_archive, "approved") == [5, 6]
    assert bilingual.documents_in_review_state(demo_archive, "none") == [1, 2, 3, 4]
    progress = bilingual.review_progress(demo_archive, [5, 6, 1])
    assert set(progress) == {5, 6} and progress[5].to_json()["percent"] == 100.0
    folder = str(demo_archive.path)
    demo_archive.close()
    _s, listed = run(capsys, "--archive", folder, "reviews", "--state", "approved", "--json")
    assert [d["id"] for d in listed["documents"]] == [5, 6]


def test_an_edit_realigns_and_keeps_reviewed_pairs_whose_text_is_unchanged(demo_archive):
    review = Review.open(demo_archive, 5)
    review.set_review(2, APPROVED)
    review.set_review(7, NEEDS_REVISION, "check the agenda wording")
    review.set_review(11, APPROVED)
    # The English gains a paragraph and paragraph 11 is reworded.
    paragraphs = list(EN)
    paragraphs[11] = paragraphs[11].replace("Interner", "Internet")
    paragraphs.insert(5, ADDED)
    document = demo_archive.get(5)
    demo_archive.replace_extraction(
        5, Extracted("\n\n".join(paragraphs), "text/plain", language="en", title=document.title), "edited"
    )
    pairs = review.pairs()
    assert len(pairs) == 14
    by_en = {p.en_text: p for p in pairs}
    assert by_en[EN[2]].status == APPROVED  # unchanged text: kept
    assert (by_en[EN[7]].status, by_en[EN[7]].comment) == (NEEDS_REVISION, "check the agenda wording")
    assert by_en[paragraphs[11]].status == UNREVIEWED  # its text changed: to be reviewed again
    inserted = by_en[ADDED]
    assert inserted.ar_count == 0
    actions = [e.action for e in demo_archive.audit_trail(5)]
    assert "realigned" in actions
    realigned = [e for e in demo_archive.audit_trail(5) if e.action == "realigned"][-1]
    assert realigned.details["kept_reviews"] == 2 and realigned.details["reset_reviews"] == 1


def test_merge_and_split_correct_the_alignment_by_hand(demo_archive):
    review = Review.open(demo_archive, 5)
    review.set_review(3, APPROVED)
    pairs = review.merge(3)
    assert len(pairs) == 12
    merged = pairs[3]
    assert (merged.en_count, merged.ar_count, merged.status, merged.manual) == (2, 2, UNREVIEWED, True)
    assert merged.en_text == EN[3] + "\n\n" + EN[4]
    pairs = review.split(3)
    assert len(pairs) == 13 and [p.en_text for p in pairs[3:5]] == [EN[3], EN[4]]
    with pytest.raises(ArchiveError):
        review.split(0)  # one paragraph on each side: nothing to split
    with pytest.raises(ArchiveError):
        review.merge(12)  # the last pair has nothing after it
    # A hand-made pair survives re-alignment while its text is unchanged.
    review.merge(5)
    assert review.realign()[5].en_count == 2


def test_unlink_discards_the_review_and_says_how_much(demo_archive):
    review = Review.open(demo_archive, 5)
    review.set_review(0, APPROVED)
    assert bilingual.unlink(demo_archive, 6, 5) == 1
    assert ReviewPair.select().count() == 0


def test_every_step_is_in_the_audit_trail_of_both_documents(demo_archive):
    bilingual.unlink(demo_archive, 5, 6)
    bilingual.link(demo_archive, 6, 5)
    review = Review.open(demo_archive, 5)
    review.set_review(0, NEEDS_REVISION, "title differs")
    review.merge(1)
    review.split(1)
    for document_id, other in ((5, 6), (6, 5)):
        trail = [e for e in demo_archive.audit_trail(document_id) if e.details.get("translation") == other]
        actions = [e.action for e in trail]
        assert actions[-6:] == [
            "unlinked",
            "linked",
            "aligned",
            "pair-reviewed",
            "pairs-merged",
            "pair-split",
        ]
        reviewed = trail[actions.index("pair-reviewed")]
        assert reviewed.details == {
            "translation": other,
            "pair": 1,
            "status": NEEDS_REVISION,
            "comment": "title differs",
            "before": {"status": UNREVIEWED, "comment": ""},
        }


def test_a_version_2_archive_gains_the_review_table(tmp_path):
    from qirtas.archive import schema

    path = tmp_path / "old"
    with Archive.open(path) as opened:
        opened.db.execute_sql('DROP TABLE "reviewpair"')
        schema.set_info("schema_version", "2")
    with Archive.open(path, create=False) as reopened:
        assert reopened.db.table_exists("reviewpair")
        assert schema.get_info("schema_version") == str(schema.SCHEMA_VERSION)


# ---- reports -------------------------------------------------------------------------------------------
def test_csv_report_has_a_bom_readable_arabic_statuses_and_comments(demo_archive, tmp_path, capsys):
    review = Review.open(demo_archive, 5)
    review.set_review(2, APPROVED)
    review.set_review(5, NEEDS_REVISION, "=the quote lost its dash")
    folder = str(demo_archive.path)
    demo_archive.close()
    out = tmp_path / "review.csv"
    status, _payload = run(capsys, "--archive", folder, "review", "5", "--csv", str(out), "--json")
    assert status == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "استضافت دوشانبي".encode() in raw  # plain UTF-8, no escapes
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert len(rows) == 13
    assert (rows[2]["pair"], rows[2]["status"]) == ("3", APPROVED)
    assert rows[2]["ar"].startswith("استضافت دوشانبي") and rows[2]["en"].startswith("Dushanbe hosted")
    assert rows[5]["status"] == NEEDS_REVISION
    assert rows[5]["comment"] == "'=the quote lost its dash"  # never run as a formula
    assert rows[5]["en"].startswith("'-The very essence")
    assert rows[0]["en_paragraphs"] == "1" and rows[0]["kind"] == "1–1"
    with Archive.open(folder, create=False) as reopened:
        assert reopened.audit_trail(5)[-1].action == "review-report"


def arabic_words(text: str) -> set[str]:
    """The Arabic words of `text`, presentation forms folded (NFKC), harakat left out."""
    folded = unicodedata.normalize("NFKC", text)
    words = re.findall(r"[\u0621-\u064a\u066e-\u06d3\u064b-\u0652]+", folded)
    return {"".join(c for c in word if not unicodedata.combining(c)) for word in words}


def test_pdf_report_lists_statuses_and_keeps_arabic_extractable(demo_archive, tmp_path, qapp):
    from pdfminer.high_level import extract_text
    from qirtas.desktop.review_report_pdf import write_pdf

    review = Review.open(demo_archive, 5)
    review.set_review(2, APPROVED)
    review.set_review(3, NEEDS_REVISION, "Kyrgyz foundation name")
    out = tmp_path / "review.pdf"
    write_pdf(review, out)
    assert out.read_bytes().startswith(b"%PDF")
    extracted = extract_text(str(out))
    text = " ".join(unicodedata.normalize("NFKC", extracted).split())
    assert "Approved" in text and "Needs revision" in text and "Unreviewed" in text
    assert "Kyrgyz foundation name" in text
    assert "2 of 13 pairs reviewed" in text
    assert demo_archive.audit_trail(5)[-1].details["format"] == "pdf"
    # Every glyph has its character: no (cid:N), and every Arabic word of both texts is there as written
    # (not Farsi yeh for Arabic yeh, not a dotless form), whatever font features the platform applies.
    assert "(cid:" not in extracted
    shown = arabic_words("\n".join(AR) + demo_archive.get(6).title)
    assert len(shown) > 300 and shown <= arabic_words(extracted)
    assert "طاجيكستان" in unicodedata.normalize("NFKC", extracted)
    assert "\u06cc" not in unicodedata.normalize("NFKC", extracted)  # the report has no Farsi yeh


def test_review_pdf_from_the_command_line(demo_archive, tmp_path, capsys, qapp):
    from pdfminer.high_level import extract_text

    folder = str(demo_archive.path)
    demo_archive.close()
    out = tmp_path / "report.pdf"
    status, payload = run(capsys, "--archive", folder, "review", "5", "--pdf", str(out), "--json")
    assert status == 0 and payload["report"] == {"format": "pdf", "path": str(out)}
    assert "(cid:" not in extract_text(str(out)) and "دوشانبي" in unicodedata.normalize(
        "NFKC", extract_text(str(out))
    )
    with Archive.open(folder, create=False) as reopened:
        assert reopened.audit_trail(5)[-1].details["format"] == "pdf"


def test_write_csv_leaves_no_partial_file_when_the_folder_is_missing(demo_archive, tmp_path):
    with pytest.raises(FileNotFoundError):
        write_csv(Review.open(demo_archive, 5), tmp_path / "missing" / "review.csv")
    assert not (tmp_path / "missing").exists()


def test_a_scan_without_text_links_without_pairs_or_repeated_audit(archive):
    from qirtas.archive.archive import NewDocument
    from qirtas.importers import Extracted

    scan = archive.add(
        NewDocument(b"%PDF scan", Extracted("", "application/pdf", status="needs_ocr"), "s.pdf")
    )
    other = archive.add(NewDocument(b"", Extracted("", "application/pdf", status="needs_ocr"), "t.pdf"))
    bilingual.link(archive, scan.id, other.id)
    review = Review.open(archive, scan.id)
    assert review.pairs() == [] and review.progress().percent == 0.0
    assert [e.action for e in archive.audit_trail(scan.id)] == ["imported", "linked"]


def test_presentation_forms_fold_back_to_the_text_they_shape():
    from qirtas.i18n.arabic_forms import presentation_forms

    text = "\n".join(AR)
    shaped = presentation_forms(text)
    letters = {c for c in shaped if "\u0621" <= c <= "\u064a"} - {
        "\u0640",
        "\u0621",
    }  # tatweel, hamza: no joining
    assert not letters  # every letter in a contextual form
    marks_off = "".join(c for c in text if not unicodedata.combining(c))
    folded = "".join(c for c in unicodedata.normalize("NFKC", shaped) if not unicodedata.combining(c))
    assert folded == unicodedata.normalize("NFKC", marks_off)
    assert (
        presentation_forms("مؤتمر") == "\ufee3\ufe86\ufe97\ufee4\ufeae"
    )  # waw does not join on: teh initial
    assert presentation_forms("لا") == "\ufefb" and presentation_forms("سلام") == "\ufeb3\ufefc\ufee1"
    assert presentation_forms("Qirtas 2024") == "Qirtas 2024"
