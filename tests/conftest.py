"""Shared fixtures: headless Qt, fresh temporary archives, the demo archive built once and copied."""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
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


class WriterThreadGuard:
    """Records every statement that changes a database (INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP,
    ALTER, BEGIN IMMEDIATE/EXCLUSIVE) issued with a `qirtas.desktop` module on the calling stack, and which
    thread issued it: the desktop may change an archive only on the session's write thread
    ("qirtas-writer…"). Checked at the SQL, not at a list of functions, so a read that stores something on
    the way (a review's first alignment) is caught as well as a direct call. Opening an archive
    (`schema.connect`: create, migrate) comes before any session exists and is not counted."""

    WRITING = re.compile(
        r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|BEGIN\s+(IMMEDIATE|EXCLUSIVE))\b", re.I
    )

    def __init__(self) -> None:
        self.writes: list[tuple[str, str, str]] = []  # (thread name, statement, the desktop frame)
        self.lock = threading.Lock()

    @property
    def off_the_writer(self) -> list[tuple[str, str, str]]:
        return [write for write in self.writes if not write[0].startswith("qirtas-writer")]

    def install(self, monkeypatch) -> None:
        """Trace every statement of every connection (SQLite calls back for each one it runs, cached
        statements and peewee's own BEGIN included) by hooking where peewee hands out cursors."""
        import peewee

        original = peewee.SqliteDatabase.cursor

        def cursor(db, *args, **kwargs):
            made = original(db, *args, **kwargs)
            if db.database not in ("", ":memory:"):  # an archive's file, not a scratch table in memory
                made.connection.set_trace_callback(self.trace)
            return made

        monkeypatch.setattr(peewee.SqliteDatabase, "cursor", cursor)

    def trace(self, sql: str) -> None:
        if self.WRITING.match(sql) and not re.match(r"\s*CREATE\s+TEMP", sql, re.I):
            self.record(sql)

    def record(self, sql: str) -> None:
        desktop_frame = None
        frame = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename == SCHEMA_FILE and frame.f_code.co_name == "connect":
                return  # opening (creating, migrating) an archive
            if desktop_frame is None and filename.startswith(DESKTOP_DIR) and not filename.endswith("qt.py"):
                desktop_frame = f"{Path(filename).name}:{frame.f_lineno} {frame.f_code.co_name}"
            frame = frame.f_back
        if desktop_frame is not None:
            with self.lock:
                self.writes.append(
                    (threading.current_thread().name, " ".join(sql.split())[:80], desktop_frame)
                )

    def check(self) -> None:
        assert not self.off_the_writer, "desktop writes off the write thread:\n" + "\n".join(
            f"  {thread}: {statement}  (from {where})" for thread, statement, where in self.off_the_writer
        )


DESKTOP_DIR = str(REPO / "desktop") + os.sep
SCHEMA_FILE = str(REPO / "archive" / "schema.py")


@pytest.fixture
def writer_guard(monkeypatch):
    """The WriterThreadGuard of this test, checked when it ends (every desktop fixture uses it)."""
    guard = WriterThreadGuard()
    guard.install(monkeypatch)
    yield guard
    guard.check()


@pytest.fixture
def gui_app(qapp, gui_settings, writer_guard):
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


@pytest.fixture
def demo_session(demo_archive, writer_guard):
    """A desktop Session on the private demo archive (its write and read threads), for a view on its own."""
    from qirtas.desktop.jobs.session import Session

    session = Session(demo_archive)
    yield session
    session.reads.shutdown()
    session.queue.shutdown()  # the archive itself is closed by demo_archive


@pytest.fixture(autouse=True)
def no_unanswered_message_box(monkeypatch):
    """A message box nobody answers would wait forever under the offscreen platform: a test that does
    not answer one itself (by patching it) fails at once, naming the message, instead of hanging CI."""
    if "PySide6.QtWidgets" not in sys.modules:
        yield
        return
    from PySide6.QtWidgets import QMessageBox

    def unexpected(kind: str):
        def show(_parent, title, text, *_args, **_kwargs):
            raise AssertionError(f"unexpected {kind} message box: {title}: {text}")

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, unexpected(kind))
    yield


def show_demo_window(gui_app, demo_template, tmp_path, qtbot, language: str):
    """A copy of the demo archive open in a shown main window, in the English or the Arabic UI."""
    path = tmp_path / f"demo-{language}"
    shutil.copytree(demo_template, path)
    gui_app.apply_language(language)
    assert gui_app.open_archive(path, create=False)
    main = gui_app.window
    main.show()
    qtbot.waitExposed(main)
    return main
