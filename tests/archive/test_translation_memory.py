"""TMX 1.4b and XLIFF 2.0 of a review, read by an independent reader (translate-toolkit), and read back."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from qirtas.archive.archive import Archive
from qirtas.archive.bilingual import APPROVED, NEEDS_REVISION, UNREVIEWED, Review
from qirtas.archive.translation_memory import (
    TranslationMemoryError,
    export_tmx,
    export_xliff,
    import_review,
    normalised,
)
from qirtas.cli.main import main
from translate.storage.tmx import tmxfile
from translate.storage.xliff2 import Xliff2File

XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


@pytest.fixture
def reviewed(demo_archive) -> Review:
    """The demo pair (004 ⇄ 005) with three pairs approved, one needing revision (with a comment)."""
    review = Review.open(demo_archive, 5)
    for index in (0, 2, 4):
        review.set_review(index, APPROVED)
    review.set_review(2, comment="Approved after checking the figure 70")
    review.set_review(3, NEEDS_REVISION, "اسم المؤسسة القيرغيزية غير دقيق")
    return review


def run(capsys, *argv: str) -> tuple[int, dict]:
    status = main(list(argv))
    out = capsys.readouterr().out
    return status, json.loads(out) if out.strip() else {}


def test_tmx_holds_the_approved_pairs_with_languages_status_date_and_comment(reviewed, tmp_path):
    out = tmp_path / "demo.tmx"
    assert export_tmx([reviewed], out) == 3
    store = tmxfile(out.read_bytes())
    pairs = reviewed.pairs()
    assert len(store.units) == 3
    for unit, index in zip(store.units, (0, 2, 4), strict=True):
        pair = pairs[index]
        assert unit.source == pair.en_text and unit.target == pair.ar_text
        languages = [
            tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in unit.xmlelement.iter("tuv")
        ]
        assert languages == ["en", "ar"]
        props = {prop.get("type"): prop.text for prop in unit.xmlelement.iter("prop")}
        assert props["x-qirtas-status"] == APPROVED
        assert props["x-qirtas-reviewed-at"] == pair.reviewed_at.isoformat()
        assert len(unit.xmlelement.get("creationdate")) == 16  # YYYYMMDDThhmmssZ
    assert store.units[1].getnotes() == "Approved after checking the figure 70"
    assert tmxfile(out.read_bytes()).units[0].getnotes() == ""


def test_tmx_with_all_pairs_keeps_every_status(reviewed, tmp_path):
    out = tmp_path / "all.tmx"
    assert export_tmx([reviewed], out, all_pairs=True) == 13
    store = tmxfile(out.read_bytes())
    statuses = [
        next(p.text for p in unit.xmlelement.iter("prop") if p.get("type") == "x-qirtas-status")
        for unit in store.units
    ]
    assert statuses == [p.status for p in reviewed.pairs()]
    assert store.units[3].getnotes() == "اسم المؤسسة القيرغيزية غير دقيق"


def test_xliff_2_has_every_pair_with_its_state_and_notes(reviewed, tmp_path):
    out = tmp_path / "demo.xlf"
    assert export_xliff([reviewed], out) == 13
    store = Xliff2File(out.read_bytes())
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "ar")
    pairs = reviewed.pairs()
    assert len(store.units) == len(pairs) == 13
    expected_states = {APPROVED: "final", NEEDS_REVISION: "translated", UNREVIEWED: "initial"}
    for unit, pair in zip(store.units, pairs, strict=True):
        assert unit.source == pair.en_text and unit.target == pair.ar_text
        assert unit.xmlelement.get("state") == expected_states[pair.status]
        assert unit.isapproved() == (pair.status == APPROVED)
        notes = unit.getunitelement().findall(f"{XLIFF}notes/{XLIFF}note")  # XLIFF 2.0: notes of the unit
        assert [n.text for n in notes] == ([pair.comment] if pair.comment else [])
    assert store.units[0].getid() == "pair-1"


def test_xliff_with_arabic_as_source(reviewed, tmp_path):
    out = tmp_path / "ar.xlf"
    export_xliff([reviewed], out, source="ar")
    store = Xliff2File(out.read_bytes())
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("ar", "en")
    assert store.units[2].source.startswith("استضافت دوشانبي")
    import_report = import_review(reviewed, out)
    assert import_report.unmatched == [] and import_report.updated == []


def test_an_edited_xliff_changes_statuses_and_comments_in_the_archive(reviewed, tmp_path, capsys):
    out = tmp_path / "demo.xlf"
    export_xliff([reviewed], out)
    store = Xliff2File(out.read_bytes())
    store.units[5].xmlelement.set("state", "final")  # approved in a CAT tool
    store.units[3].xmlelement.set("state", "final")  # the revision was done
    notes = store.units[3].getunitelement().find(f"{XLIFF}notes/{XLIFF}note")
    notes.text = "Fixed: the foundation's name"
    store.units[0].xmlelement.set("state", "translated")  # sent back for revision
    out.write_bytes(bytes(store))
    folder = str(reviewed.archive.path)
    reviewed.archive.close()
    status, payload = run(capsys, "--archive", folder, "review", "5", "--import", str(out), "--json")
    assert status == 0
    assert payload["import"]["format"] == "xliff" and payload["import"]["unmatched"] == []
    assert payload["import"]["updated"] == [1, 4, 6] and payload["import"]["matched"] == 13
    with Archive.open(folder, create=False) as archive:
        pairs = Review.open(archive, 5).pairs()
        assert [pairs[i].status for i in (0, 3, 5)] == [NEEDS_REVISION, APPROVED, APPROVED]
        assert pairs[3].comment == "Fixed: the foundation's name"
        assert pairs[2].comment == "Approved after checking the figure 70"  # untouched
        assert archive.audit_trail(6)[-1].action == "review-imported"


def test_an_import_reports_what_it_could_not_match(reviewed, tmp_path, capsys):
    out = tmp_path / "demo.tmx"
    export_tmx([reviewed], out, all_pairs=True)
    store = tmxfile(out.read_bytes())
    store.units[4].target = "نص مختلف تماما"
    store.units[6].source = "  Dushanbe  hosted\n a meeting that is not in this document. "
    store.units[7].source = "\n" + store.units[7].source.replace(" ", "  ") + "  "  # whitespace only
    out.write_bytes(bytes(store))
    folder = str(reviewed.archive.path)
    reviewed.archive.close()
    status, payload = run(capsys, "--archive", folder, "review", "5", "--import", str(out), "--json")
    assert status == 1
    unmatched = payload["import"]["unmatched"]
    assert [u["unit"] for u in unmatched] == ["5-6-5", "5-6-7"]
    assert unmatched[1]["en"].startswith("  Dushanbe  hosted") and payload["import"]["matched"] == 11
    status = main(["--archive", folder, "review", "5", "--import", str(out)])
    text = capsys.readouterr().out
    assert status == 1 and "2 not matched" in text and "not matched: 5-6-5" in text


def test_export_from_the_command_line_exactly_as_scripts_call_it(reviewed, tmp_path, capsys):
    folder = str(reviewed.archive.path)
    reviewed.archive.close()
    tmx, xliff = tmp_path / "r.tmx", tmp_path / "r.xlf"
    status, payload = run(
        capsys, "--archive", folder, "review", "5", "--tmx", str(tmx), "--xliff", str(xliff), "--json"
    )
    assert status == 0
    assert payload["tmx"] == {"path": str(tmx), "units": 3} and payload["xliff"]["units"] == 13
    assert main(["--archive", folder, "review", "6", "--tmx", str(tmx), "--all-pairs"]) == 0
    assert "TMX written to" in capsys.readouterr().out and len(tmxfile(tmx.read_bytes()).units) == 13
    status, payload = run(capsys, "--archive", folder, "reviews", "--xliff", str(xliff), "--json")
    assert status == 0 and payload["xliff"]["units"] == 13  # the archive's one linked entry


def test_a_selection_of_entries_exports_only_their_pairs(reviewed, tmp_path, capsys):
    folder = str(reviewed.archive.path)
    others = [d.id for d in reviewed.archive.list_documents()[1] if d.id not in (5, 6)]
    reviewed.archive.close()
    xliff = tmp_path / "selection.xlf"
    status, payload = run(
        capsys, "--archive", folder, "reviews", "--ids", "5", "--xliff", str(xliff), "--json"
    )
    assert status == 0 and payload["xliff"]["units"] == 13 and [d["id"] for d in payload["documents"]] == [5]
    chosen = ",".join(map(str, others))
    status, payload = run(
        capsys, "--archive", folder, "reviews", "--ids", chosen, "--xliff", str(xliff), "--json"
    )
    assert status == 0 and payload["xliff"]["units"] == 0  # none of those has a translation
    assert main(["--archive", folder, "reviews", "--ids", "1-99999999999", "--tmx", str(xliff)]) == 2
    assert "more than 1,000,000 ids" in capsys.readouterr().err


def test_hostile_xml_is_refused_without_expanding_entities(reviewed, tmp_path):
    laughs = "<!DOCTYPE tmx [<!ENTITY a 'aaaaaaaaaa'>" + "".join(
        f"<!ENTITY {chr(98 + i)} '&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};'>"
        for i in range(20)
    )
    bomb = (
        laughs + "]><tmx version='1.4'><body><tu><tuv xml:lang='en'><seg>&u;</seg></tuv></tu></body></tmx>"
    ).encode()
    external = b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><tmx><body><tu><note>&e;</note></tu></body></tmx>"
    tracemalloc.start()
    for hostile in (bomb, external):
        with pytest.raises(TranslationMemoryError, match="DTD or entities"):
            import_review(reviewed, hostile)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000
    with pytest.raises(TranslationMemoryError, match="not well-formed"):
        import_review(reviewed, b"<tmx><body>")
    with pytest.raises(TranslationMemoryError, match="neither TMX nor XLIFF"):
        import_review(reviewed, b"<html/>")


def test_text_xml_cannot_hold_is_written_safely_and_still_matches(demo_archive, tmp_path):
    from qirtas.archive.translation_memory import xml_text

    assert xml_text("a\x0bb\x00c\td\n") == "a\ufffdb\ufffdc\td\n"
    assert normalised(" a \x0c b\n") == "a \ufffd b"


def test_the_review_window_exports_and_imports_through_the_session(
    demo_session, qtbot, tmp_path, wait_for_writes, monkeypatch, qapp
):
    from qirtas.desktop.bilingual_view import BilingualView
    from qirtas.desktop.qt import QFileDialog

    widget = BilingualView(demo_session, 5)
    qtbot.addWidget(widget)
    wait_for_writes(demo_session)
    Review.open(demo_session.archive, 5).set_review(1, APPROVED)
    tmx, xliff = tmp_path / "w.tmx", tmp_path / "w.xlf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(tmx), ""))
    with qtbot.waitSignal(widget.memory_written):
        widget._ask_memory_export("tmx", False)  # the menu's "Export approved pairs as TMX…"
    assert len(tmxfile(tmx.read_bytes()).units) == 1 and "1 pair written" in widget.notice.text()
    with qtbot.waitSignal(widget.memory_written):
        widget.export_memory("xliff", xliff)
    store = Xliff2File(xliff.read_bytes())
    store.units[7].xmlelement.set("state", "final")
    store.units[8].source = "A paragraph this document does not have."
    xliff.write_bytes(bytes(store))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(xliff), ""))
    with qtbot.waitSignal(widget.memory_imported) as imported:
        widget._ask_memory_import()
    wait_for_writes(demo_session)
    assert imported.args[0].updated == [8] and [s.unit for s in imported.args[0].unmatched] == [
        "review-5-6/pair-9"
    ]
    assert "review-5-6/pair-9" in widget.notice.text()
    assert widget.model.pairs[7].status == APPROVED
    assert [a.text() for a in widget.memory_button.menu().actions() if a.text()][-1].startswith("Import")
