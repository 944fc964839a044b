"""What supporting Qirtas needs: --version, a quick --help, one log file for every layer, a crash file, an
uncaught exception shown (never fatal) in the window, and Help › About (issue 16, point 3)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

import pytest
from qirtas.cli.main import build_parser, main
from qirtas.desktop import errors as desktop_errors
from qirtas.desktop.errors import UncaughtExceptions
from qirtas.desktop.qt import QMessageBox, QPushButton

import qirtas
from qirtas.logs import CRASH_NAME, LOG_NAME, logger, setup_logging
from tests.conftest import REPO, SEED_FILES


@pytest.fixture
def log_folder(tmp_path, monkeypatch):
    """The log folder of this test (QIRTAS_LOG_DIR), and the shared handler closed afterwards."""
    folder = tmp_path / "log"
    monkeypatch.setenv("QIRTAS_LOG_DIR", str(folder))
    yield folder
    for handler in [h for h in logger.handlers if getattr(h, "qirtas_log", False)]:
        logger.removeHandler(handler)
        handler.close()


def qirtas_command(tmp_path, *argv: str, code: str | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QIRTAS_LOG_DIR": str(tmp_path / "log"), "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "qirtas", *argv]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=environment, timeout=120)


# ---- the command line ----------------------------------------------------------------------------------
def test_version_names_the_release(tmp_path):
    done = qirtas_command(tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"qirtas {qirtas.__version__}\n" == "qirtas 0.2.0\n"


def test_help_and_version_import_nothing_heavy(tmp_path):
    code = (
        "import sys\nfrom qirtas.cli.main import main\n"
        "for argv in (['--help'], ['--version']):\n"
        "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in ('PySide6', 'peewee', 'pdfminer', 'babel', 'qirtas.archive') if m in sys.modules))"
    )
    done = qirtas_command(tmp_path, code=code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_help_lists_every_command_as_the_commands_describe_themselves():
    assert build_parser([]).format_help() == build_parser().format_help()
    for name in ("import", "search", "review", "unlock", "backup", "audit"):
        assert name in build_parser([]).format_help()


def test_a_command_is_found_behind_an_abbreviated_option(tmp_path, capsys, log_folder):
    assert main(["--arch", str(tmp_path / "A"), "import", str(SEED_FILES[0])]) == 0
    assert main(["--arch", str(tmp_path / "A"), "--json", "list"]) == 0
    assert '"id": 1' in capsys.readouterr().out


# ---- the log and the crash file ------------------------------------------------------------------------
def test_warnings_from_every_layer_reach_the_log_file(log_folder):
    assert setup_logging() == log_folder / LOG_NAME
    logging.getLogger("qirtas.archive.importing").warning("a batch took %d attempts", 3)
    desktop_errors.log.warning("the window could not restore its geometry")
    logging.getLogger("qirtas.archive.importing").info("not worth a line")
    text = (log_folder / LOG_NAME).read_text(encoding="utf-8")
    assert "WARNING qirtas.archive.importing: a batch took 3 attempts" in text
    assert "WARNING qirtas.desktop.errors: the window could not restore its geometry" in text
    assert "not worth a line" not in text


def test_the_command_line_logs_to_the_same_file(tmp_path, log_folder, capsys, monkeypatch):
    from qirtas.archive.archive import Archive

    assert main(["--archive", str(tmp_path / "A"), "import", str(SEED_FILES[0])]) == 0

    def slow_and_broken(self, document_id):
        logging.getLogger("qirtas.archive.archive").warning("document %s is slow to read", document_id)
        raise RuntimeError("an unforeseen bug")

    monkeypatch.setattr(Archive, "get", slow_and_broken)
    assert main(["--archive", str(tmp_path / "A"), "show", "1"]) == 1
    assert str(log_folder / LOG_NAME) in capsys.readouterr().err
    text = (log_folder / LOG_NAME).read_text(encoding="utf-8")
    assert "document 1 is slow to read" in text and "an unforeseen bug" in text


def test_a_hard_crash_is_written_to_the_crash_file(tmp_path):
    code = (
        "from qirtas.logs import setup_logging\nimport faulthandler\nsetup_logging()\nfaulthandler._sigsegv()"
    )
    done = qirtas_command(tmp_path, code=code)
    assert done.returncode != 0
    crash = (tmp_path / "log" / CRASH_NAME).read_text(encoding="utf-8")
    assert "Fatal Python error" in crash and "Segmentation fault" in crash


# ---- the window --------------------------------------------------------------------------------------
@pytest.fixture
def dialogs(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text))
    return shown


@pytest.fixture
def uncaught(demo_window, log_folder):
    setup_logging()
    hooks = UncaughtExceptions(lambda: demo_window)
    hooks.install()
    yield hooks
    hooks.uninstall()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_shown_with_the_log_and_the_archive_stays_open(
    demo_window, uncaught, dialogs, log_folder, qtbot
):
    total = demo_window.archive.count()
    button = QPushButton("Break")
    qtbot.addWidget(button)

    def broken_slot():
        raise ZeroDivisionError("a bug in a slot")

    button.clicked.connect(broken_slot)
    button.click()
    assert len(dialogs) == 1
    assert "ZeroDivisionError" in dialogs[0] and str(log_folder / LOG_NAME) in dialogs[0]
    assert "Traceback" not in dialogs[0] and "\n" not in dialogs[0]
    assert "a bug in a slot" in (log_folder / LOG_NAME).read_text(encoding="utf-8")
    assert demo_window.isVisible()
    assert demo_window.archive.count() == total  # still open and readable
    demo_window.search_field.setText("internet")
    demo_window._search_now()
    assert demo_window.model.rowCount() > 0


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_thread_is_shown_in_the_window(demo_window, uncaught, dialogs, log_folder, qtbot):
    def broken_work():
        raise KeyError("a bug in a thread")

    thread = threading.Thread(target=broken_work, name="worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(dialogs) == 1)
    assert "KeyError" in dialogs[0] and str(log_folder / LOG_NAME) in dialogs[0]
    assert "a bug in a thread" in (log_folder / LOG_NAME).read_text(encoding="utf-8")
    assert demo_window.isVisible() and demo_window.archive.count() > 0


def test_about_shows_version_archive_log_and_licences(demo_window, log_folder, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown.append(text))
    demo_window.commands.about.trigger()
    text = shown[0]
    assert qirtas.__version__ in text
    assert str(demo_window.archive.path) in text
    assert str(log_folder / LOG_NAME) in text
    assert "PySide6" in text and "python-bidi" in text and "LGPL-3.0" in text
    assert "Amiri" in text and "OFL" in text and "Qirtas 0.2.0: MIT" in text
