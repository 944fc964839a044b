"""The `qirtas` command line: JSON contract keys, exit statuses, and the issue's acceptance path."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from qirtas.cli.main import main

from tests.conftest import REPO, SEED_FILES


def run(capsys, *argv: str) -> tuple[int, dict]:
    status = main(list(argv))
    out = capsys.readouterr().out
    return status, json.loads(out)


def test_import_seeds_then_show_returns_each_text_identical_with_its_sha256(tmp_path, capsys):
    archive = str(tmp_path / "A")
    status, report = run(capsys, "--archive", archive, "import", str(REPO / "seeds"), "--json")
    assert status == 0 and report["failed"] == []
    by_name = {item["path"].rsplit("/", 1)[1]: item for item in report["imported"]}
    assert set(report["imported"][0]) >= {"id", "path", "sha256", "language", "status", "warnings"}
    for seed in SEED_FILES:
        item = by_name[seed.name]
        status, shown = run(capsys, "show", str(item["id"]), "--archive", archive, "--json")
        assert status == 0
        assert shown["text"] == seed.read_text(encoding="utf-8")
        assert shown["sha256"] == item["sha256"] == hashlib.sha256(seed.read_bytes()).hexdigest()
        assert set(shown) >= {
            "id",
            "title",
            "language",
            "text",
            "sha256",
            "status",
            "date",
            "tags",
            "warnings",
        }
        assert set(shown["tags"]) == {"event", "region", "theme"}


def test_importing_again_reports_duplicates_with_ids_and_stores_nothing(tmp_path, capsys):
    archive = str(tmp_path / "A")
    _status, first = run(capsys, "--archive", archive, "import", str(SEED_FILES[0]), "--json")
    status, again = run(capsys, "--archive", archive, "import", str(SEED_FILES[0]), "--json")
    assert status == 0 and again["imported"] == []
    assert again["duplicates"] == [{"path": str(SEED_FILES[0]), "id": first["imported"][0]["id"]}]
    _status, listing = run(capsys, "--archive", archive, "list", "--json")
    assert listing["total"] == 1
    originals = [p for p in (tmp_path / "A" / "originals").rglob("*") if p.is_file()]
    assert len(originals) == 1


def test_failed_files_give_exit_status_1_and_a_reason_each(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("A good note about Cairo.", encoding="utf-8")
    status, report = run(capsys, "--archive", str(tmp_path / "A"), "import", str(tmp_path), "--json")
    assert status == 1
    assert len(report["imported"]) == 1
    assert report["failed"] == [
        {"path": str(tmp_path / "empty.txt"), "error": "The file is empty (0 bytes)."}
    ]


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["show"])
    assert exit_info.value.code == 2


def test_list_filters_and_tag_command(tmp_path, capsys):
    archive = str(tmp_path / "A")
    run(capsys, "--archive", archive, "import", *map(str, SEED_FILES), "--json")
    status, changed = run(
        capsys,
        *("--archive", archive, "tag", "5", "--region", "Tajikistan", "--theme", "Extremism"),
        *("--create", "--json"),
    )
    assert status == 0 and len(changed["changed"]) == 2
    _s, central_asia = run(capsys, "--archive", archive, "list", "--region", "Central Asia", "--json")
    assert [d["id"] for d in central_asia["documents"]] == [5]
    assert set(central_asia["documents"][0]) >= {"id", "title", "language", "status", "date"}
    _s, shown = run(capsys, "--archive", archive, "show", "5", "--json")
    assert shown["tags"]["region"][0]["ar"] == "طاجيكستان"
    run(capsys, "--archive", archive, "tag", "5", "--region", "طاجيكستان", "--remove", "--json")
    _s, after = run(capsys, "--archive", archive, "list", "--region", "Central Asia", "--json")
    assert after["total"] == 0
    _s, arabic = run(capsys, "--archive", archive, "list", "--lang", "ar", "--json")
    assert [d["language"] for d in arabic["documents"]] == ["ar", "ar"]


def test_show_of_a_missing_document_is_a_sentence_not_a_traceback(tmp_path, capsys):
    run(capsys, "--archive", str(tmp_path / "A"), "import", str(SEED_FILES[0]), "--json")
    assert main(["--archive", str(tmp_path / "A"), "show", "99"]) == 1
    assert "no document 99" in capsys.readouterr().err


def test_search_and_verify_json_shapes(tmp_path, capsys):
    archive = str(tmp_path / "A")
    run(capsys, "--archive", archive, "import", str(REPO / "seeds"), "--json")
    status, found = run(capsys, "--archive", archive, "search", "Dushanbe", "--json")
    assert status == 0 and found["total"] >= 1
    assert set(found["results"][0]) >= {"id", "title", "language", "snippet", "score"}
    status, verified = run(capsys, "--archive", archive, "verify", "--json")
    assert status == 0 and verified["checked"] == verified["ok"] >= 5 and verified["problems"] == []


def test_verify_finds_a_corrupted_original(tmp_path, capsys):
    archive = tmp_path / "A"
    _s, report = run(capsys, "--archive", str(archive), "import", str(SEED_FILES[1]), "--json")
    sha = report["imported"][0]["sha256"]
    original = archive / "originals" / sha[:2] / sha
    original.chmod(0o644)
    original.write_bytes(original.read_bytes().replace(b"webinar", b"WEBINAR", 1))
    status, verified = run(capsys, "--archive", str(archive), "verify", "--json")
    assert status == 1
    assert [p["kind"] for p in verified["problems"]] == ["corrupted-original"]


def test_demo_builds_the_tagged_archive_and_the_console_script_works(tmp_path):
    path = tmp_path / "demo"
    qirtas = [sys.executable, "-c", "import sys; from cli.main import main; sys.exit(main())"]
    done = subprocess.run(
        [*qirtas, "--archive", str(path), "demo", "--json"], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"] == 6
    listed = subprocess.run(
        [
            *qirtas,
            "list",
            "--archive",
            str(path),
            "--event",
            "Central Asian meeting on countering violent extremism in the digital dimension",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    titles = [d["title"] for d in json.loads(listed.stdout)["documents"]]
    assert titles == [
        "Experts from Central Asia discussed in Dushanbe ways of countering extremism online",
        "خبراء من آسيا الوسطى يناقشون في دوشانبي سبل مكافحة التطرف على الإنترنت",  # its translation
    ]
    again = subprocess.run(
        [*qirtas, "--archive", str(path), "demo", "--if-absent"], capture_output=True, text=True, cwd=REPO
    )
    assert again.returncode == 0


def test_demo_refuses_to_replace_a_real_archive(tmp_path, capsys):
    run(capsys, "--archive", str(tmp_path / "A"), "import", str(SEED_FILES[0]), "--json")
    assert main(["--archive", str(tmp_path / "A"), "demo"]) == 1
    assert "not the demo" in capsys.readouterr().err


def test_an_exclusion_first_in_a_search_is_part_of_the_query_not_an_option(tmp_path, capsys):
    archive = str(tmp_path / "A")
    run(capsys, "--archive", archive, "import", str(REPO / "seeds"), "--json")
    status, everything = run(capsys, "--archive", archive, "search", "internet", "--json")
    status, excluded = run(capsys, "--archive", archive, "search", "-dushanbe", "internet", "--json")
    assert status == 0
    assert 0 < excluded["total"] < everything["total"]
    with pytest.raises(SystemExit) as exit_info:
        main(["--archive", archive, "list", "--bogus"])
    assert exit_info.value.code == 2
