"""Reliability: an import killed at random moments, processes importing and searching at once, huge files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from qirtas.archive.archive import Archive

from tests.conftest import REPO
from tests.support.corpus import write_files
from tests.support.crash import consistent_count, kill_trials

QIRTAS = [sys.executable, "-m", "qirtas.cli.main"]


def qirtas(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*QIRTAS, *args], capture_output=True, text=True, cwd=REPO, timeout=120, **kwargs)


def test_import_killed_at_random_moments_leaves_a_consistent_archive(tmp_path):
    files = 240
    folder = tmp_path / "in"
    write_files(folder, files, size=3000)
    path = tmp_path / "A"
    Archive.open(path).close()
    counts = kill_trials(path, folder, trials=10)
    assert counts == sorted(counts)  # nothing committed is ever lost
    assert sum(count < files for count in counts) >= 5, counts  # most kills landed part-way through
    repaired = qirtas("--archive", str(path), "verify", "--repair", "--json")
    assert not [p for p in json.loads(repaired.stdout)["problems"] if p["kind"] != "orphan-original"]
    after_repair = qirtas("--archive", str(path), "verify", "--json")
    assert json.loads(after_repair.stdout)["problems"] == [], after_repair.stdout
    finished = qirtas("--archive", str(path), "import", str(folder), "--json")
    assert finished.returncode == 0, finished.stderr
    assert consistent_count(path) == files


def test_two_importers_and_a_searcher_at_once_lose_nothing_while_the_gui_is_open(tmp_path, gui_app, qtbot):
    first, second = tmp_path / "first", tmp_path / "second"
    write_files(first, 120)
    for index, path in enumerate(write_files(second, 120)):
        path.write_text(path.read_text(encoding="utf-8") + f"\nsecond folder {index}", encoding="utf-8")
    archive = tmp_path / "A"
    Archive.open(archive).close()
    assert gui_app.open_archive(archive, create=False)
    window = gui_app.window
    logs = [open(tmp_path / f"stderr-{n}.txt", "w+") for n in range(3)]  # noqa: SIM115
    # Output to files, not pipes: an undrained pipe would block a process this loop waits for.
    common = [dict(cwd=REPO, stdout=subprocess.DEVNULL, stderr=log, text=True) for log in logs]
    importers = [
        subprocess.Popen(
            [*QIRTAS, "--archive", str(archive), "import", str(f), "--batch-size", "10"], **common[n]
        )
        for n, f in enumerate((first, second))
    ]
    searcher = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom cli.main import main\n"
            "for _ in range(40):\n"
            "    assert main(['--archive', sys.argv[1], 'search', 'terrorism', '--json']) == 0\n",
            str(archive),
        ],
        **common[2],
    )
    processes = [*importers, searcher]
    refreshes = 0
    while any(process.poll() is None for process in processes):  # the window keeps reading meanwhile
        window.search_field.setText("terrorism" if refreshes % 2 else "")
        window.refresh()
        refreshes += 1
        qtbot.wait(100)
    for process, log in zip(processes, logs, strict=True):
        log.seek(0)
        err = log.read()
        log.close()
        assert process.wait(timeout=180) == 0, err
        assert "locked" not in err
    window.search_field.setText("")
    window.refresh()
    qtbot.waitUntil(lambda: window.result is not None and window.result.total == 240, timeout=15_000)
    assert refreshes > 3
    assert consistent_count(archive) == 240


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:  # 200 MB, sparse: nothing is written or read
        handle.truncate(200 * 1024 * 1024)
    done = qirtas(
        "--archive",
        str(tmp_path / "A"),
        "import",
        str(big),
        "--json",
        env={**os.environ, "QIRTAS_MAX_FILE_MB": "64"},
    )
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert "too large (200 MB)" in report["failed"][0]["error"] and "64 MB" in report["failed"][0]["error"]


@pytest.mark.parametrize("name", ["socket", "urlopen"])
def test_the_suite_itself_cannot_reach_the_network(name):
    import socket
    import urllib.request

    with pytest.raises(Exception, match=r"(?i)socket"):
        if name == "socket":
            socket.create_connection(("127.0.0.1", 9))
        else:
            urllib.request.urlopen("http://127.0.0.1:9/")


def test_a_200_mb_text_file_is_refused_by_default_with_a_clear_message(tmp_path):
    big = tmp_path / "huge.txt"
    line = b"The meeting in Dushanbe discussed countering violent extremism online.\n"
    with open(big, "wb") as handle:
        handle.write(line * (200 * 1024 * 1024 // len(line) + 1))
    done = qirtas("--archive", str(tmp_path / "A"), "import", str(big), "--json")
    failed = json.loads(done.stdout)["failed"]
    assert done.returncode == 1
    assert "too large (200 MB)" in failed[0]["error"] and "QIRTAS_MAX_TEXT_MB" in failed[0]["error"]
