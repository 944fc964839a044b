"""Shared fixtures: headless Qt, fresh temporary archives, the demo archive built once and copied."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SHARED = REPO.parent / "shared"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# PySide6 6.12.0 drops a reference to None on every void call (and to True on every emit): give them a
# reserve before any GUI test runs, or a long session aborts with "deallocating None".
from qirtas.desktop.refcounts import pin_singletons  # noqa: E402  (imports no Qt)

pin_singletons()


@pytest.fixture
def archive(tmp_path):
    """A fresh, empty archive, closed after the test."""
    from qirtas.archive.archive import Archive

    opened = Archive.open(tmp_path / "archive")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo archive built once per session (copy it before changing it)."""
    from qirtas.archive.demo import build_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo"
    archive, _report = build_demo(path)
    archive.close()
    return path


@pytest.fixture
def demo_archive(demo_template, tmp_path):
    """A private copy of the demo archive, open, closed after the test."""
    from qirtas.archive.archive import Archive

    path = tmp_path / "demo"
    shutil.copytree(demo_template, path)
    opened = Archive.open(path, create=False)
    yield opened
    opened.close()


# ---- desktop (pytest-qt) -----------------------------------------------------------------------------
@pytest.fixture
def gui_settings(tmp_path):
    """QSettings in a private file, so tests never read or write the user's own settings."""
    from qirtas.desktop.qt import QSettings

    return QSettings(str(tmp_path / "qirtas-settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def gui_app(qapp, gui_settings):
    """The desktop Application (fonts registered, English UI) without an archive yet; shut down after."""
    from qirtas.desktop.app import Application, create_qapplication

    create_qapplication()
    application = Application(qapp, gui_settings)
    application.apply_language("en")
    yield application
    if application.window is not None:
        application.window.close()
    application.shutdown()
    application.apply_language("en")


@pytest.fixture
def demo_window(gui_app, demo_template, tmp_path):
    """The main window open on a private copy of the demo archive."""
    path = tmp_path / "demo-gui"
    shutil.copytree(demo_template, path)
    assert gui_app.open_archive(path, create=False)
    return gui_app.window


@pytest.fixture
def wait_for_writes(qtbot):
    """Wait until the window's background writes (imports, tagging) have finished and been shown."""

    def wait(session, timeout: int = 15_000) -> None:
        qtbot.waitUntil(lambda: not session.queue.busy, timeout=timeout)

    return wait
