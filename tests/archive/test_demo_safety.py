"""`qirtas demo` and `make clean` never delete what a person put in the demo archive without --force."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from qirtas.archive.archive import NewDocument
from qirtas.archive.bilingual import link
from qirtas.archive.demo import what_a_rebuild_loses
from qirtas.cli.main import main
from qirtas.importers import Extracted

from tests.conftest import REPO


def _note(number: int) -> NewDocument:
    text = f"my own note {number}"
    return NewDocument(text.encode(), Extracted(text, "text/plain"), f"mine-{number:03}.txt")


def _listed(capsys, path) -> list[dict]:
    capsys.readouterr()
    assert main(["--archive", str(path), "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["documents"]


@pytest.fixture
def demo_with_imports(demo_archive):
    """The demo archive after a user imported 250 documents into it and tagged one of them."""
    added = demo_archive.add_batch([_note(number) for number in range(250)])
    demo_archive.tag_documents([added[0].id], demo_archive.ensure_tag("theme", "My research", "بحثي"))
    demo_archive.close()
    return demo_archive.path


def test_rebuilding_a_demo_holding_imported_documents_is_refused_and_keeps_them(demo_with_imports, capsys):
    assert main(["--archive", str(demo_with_imports), "demo"]) == 1
    error = capsys.readouterr().err
    assert "not seeds: 250" in error and "--force" in error
    assert error.count("\n") == 1  # one sentence
    listed = _listed(capsys, demo_with_imports)
    assert len(listed) == 256 and sum(d["title"].startswith("mine-") for d in listed) == 250


def test_with_force_the_demo_is_rebuilt_from_the_seeds_alone(demo_with_imports, capsys):
    assert main(["--archive", str(demo_with_imports), "demo", "--force"]) == 0
    assert len(_listed(capsys, demo_with_imports)) == 6
    assert not [p for p in demo_with_imports.parent.iterdir() if p.name.startswith(".demo.")]


def test_a_demo_as_built_is_rebuilt_without_force(demo_archive, capsys):
    path = demo_archive.path
    demo_archive.close()
    assert main(["--archive", str(path), "demo", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"archive": str(path), "documents": 6, "built": True}
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".demo.")]


def _tag_a_seed(archive):
    archive.tag_documents([1], archive.ensure_tag("theme", "My research", ""))


def _put_a_seed_tag_on_another_seed(archive):
    archive.tag_documents([2], archive.find_tag("region", "Dushanbe"))


def _link_two_seeds(archive):
    link(archive, 1, 2)


def _retitle_a_seed(archive):
    archive.update_document(3, title="My own title for this report")


def _add_a_tag_alone(archive):
    archive.ensure_tag("event", "Our workshop", "ورشتنا")


def _approve_a_reviewed_pair(archive):
    archive.db.execute_sql("UPDATE reviewpair SET status = 'approved', comment = 'checked' WHERE id = 1")


def _leave_a_file_in_the_folder(archive):
    (archive.path / "notes.txt").write_text("kept here by hand", encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (_tag_a_seed, "tags added or changed"),
        (_put_a_seed_tag_on_another_seed, "tags put on seed documents"),
        (_link_two_seeds, "translation links"),
        (_retitle_a_seed, "seed documents edited"),
        (_add_a_tag_alone, "tags added or changed"),
        (_approve_a_reviewed_pair, "paragraph pairs reviewed"),
        (_leave_a_file_in_the_folder, "other files in the folder"),
    ],
)
def test_work_on_the_seed_documents_is_kept_too(demo_archive, capsys, change, kind):
    change(demo_archive)
    path = demo_archive.path
    demo_archive.close()
    assert main(["--archive", str(path), "demo"]) == 1
    assert kind in capsys.readouterr().err
    assert what_a_rebuild_loses(path)  # still there to lose: nothing was changed


def test_check_clean_says_whether_the_demo_can_be_deleted(demo_with_imports, demo_template, tmp_path, capsys):
    pristine = tmp_path / "pristine"
    shutil.copytree(demo_template, pristine)
    assert main(["--archive", str(pristine), "demo", "--check-clean"]) == 0
    assert main(["--archive", str(tmp_path / "absent"), "demo", "--check-clean"]) == 0
    capsys.readouterr()
    assert main(["--archive", str(demo_with_imports), "demo", "--check-clean", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["lost"] == {"documents": 250, "tags": 1}
    assert len(_listed(capsys, demo_with_imports)) == 256


def _make_clean(folder) -> subprocess.CompletedProcess:
    """`make clean` run in `folder` (its own .venv, caches and demo archive), with this venv's qirtas."""
    command = ["make", "-s", "-f", str(REPO / "Makefile"), "-C", str(folder), "clean"]
    command += [f"BIN={REPO / '.venv' / 'bin'}", "DEMO_ARCHIVE=demo"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_make_clean_keeps_a_demo_holding_the_users_documents(demo_with_imports, capsys):
    done = _make_clean(demo_with_imports.parent)
    assert done.returncode == 0, done.stderr
    assert "kept demo" in done.stdout and "not seeds: 250" in done.stderr
    assert len(_listed(capsys, demo_with_imports)) == 256


def test_make_clean_deletes_a_demo_holding_only_the_seeds(demo_template, tmp_path):
    shutil.copytree(demo_template, tmp_path / "demo")
    done = _make_clean(tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "demo").exists()
