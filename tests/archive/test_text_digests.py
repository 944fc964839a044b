"""Stored texts and index rows are verified: each keeps a digest, `verify` finds one changed behind Qirtas's
back, and `verify --repair` reads the text again from the original and rebuilds the index."""

from __future__ import annotations

import json
import shutil
import sqlite3

from qirtas.archive.archive import Archive
from qirtas.archive.importing import import_paths
from qirtas.archive.verify import repair, verify
from qirtas.cli.main import main

from tests.conftest import REPO, SEED_FILES

PDF = REPO / "tests" / "fixtures" / "pdf" / "chromium"


def imported(archive, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for seed in SEED_FILES[:3]:
        shutil.copy(seed, folder)
    shutil.copy(next(PDF.glob("*.pdf")), folder / "report.pdf")
    report = import_paths(archive, [folder])
    assert len(report.imported) == 4
    return [item.id for item in report.imported]


def tamper(archive, sql: str, *params) -> None:
    """Change the database as another tool would (no Qirtas function, so without the digest trigger)."""
    with sqlite3.connect(archive.db_path) as raw:
        raw.execute("DROP TRIGGER IF EXISTS document_text_digest_on_update")
        raw.execute(sql, params)


def problems(archive, kind: str) -> list[int]:
    return [p.id for p in verify(archive).problems if p.kind == kind]


def test_a_text_changed_in_the_database_is_found_and_read_again_from_its_original(archive, tmp_path, capsys):
    ids = imported(archive, tmp_path)
    texts = {document_id: archive.get(document_id).text for document_id in ids}
    pdf_id = next(i for i in ids if archive.get(i).media_type == "application/pdf")
    text_id = next(i for i in ids if i != pdf_id)
    assert verify(archive).problems == []
    tamper(archive, "UPDATE document SET text = replace(text, 'e', 'a') WHERE id IN (?, ?)", pdf_id, text_id)

    assert sorted(problems(archive, "text")) == sorted([pdf_id, text_id])
    assert main(["--archive", str(archive.path), "verify", "--json"]) == 1
    assert {p["id"] for p in json.loads(capsys.readouterr().out)["problems"] if p["kind"] == "text"} == {
        pdf_id,
        text_id,
    }

    fixed = repair(archive, verify(archive))
    assert sorted(fixed.texts_rederived) == sorted([pdf_id, text_id])
    assert {document_id: archive.get(document_id).text for document_id in ids} == texts
    assert verify(archive).problems == []


def test_edits_through_qirtas_keep_the_digest_and_verify_stays_quiet(archive, tmp_path):
    ids = imported(archive, tmp_path)
    archive.update_document(ids[0], title="A corrected title")
    archive.delete_document(ids[1])
    assert [p.kind for p in verify(archive).problems] == ["orphan-original"]  # the deleted one's original


def test_an_index_row_changed_in_the_database_is_found_and_rebuilt(archive, tmp_path):
    ids = imported(archive, tmp_path)
    word = archive.get(ids[0]).title.split()[0]
    tamper(archive, "UPDATE document_fts SET body = 'nothing here', title = '' WHERE rowid = ?", ids[0])
    assert problems(archive, "index") == [ids[0]]
    repair(archive, verify(archive))
    assert verify(archive).problems == []
    assert ids[0] in archive.search(word).ids


def test_an_archive_made_before_digests_gets_them_when_it_opens(tmp_path):
    path = tmp_path / "old"
    archive = Archive.open(path)
    ids = imported(archive, tmp_path)
    archive.close()
    with sqlite3.connect(path / "qirtas.sqlite3") as raw:  # what schema 3 looked like
        for trigger in ("insert", "update"):
            raw.execute(f"DROP TRIGGER document_text_digest_on_{trigger}")
        raw.execute("ALTER TABLE document DROP COLUMN text_sha256")
        raw.execute("ALTER TABLE search_facts DROP COLUMN terms_sha256")
        raw.execute("UPDATE schemainfo SET value = '3' WHERE key = 'schema_version'")
    reopened = Archive.open(path, create=False)
    assert all(reopened.get(document_id).text_sha256 for document_id in ids)
    assert verify(reopened).problems == []
    reopened.close()
