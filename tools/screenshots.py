"""Screenshots of the main window's states, in the English and the Arabic UI, into screenshots/.

    python tools/screenshots.py [OUT_DIR] [--size WIDTHxHEIGHT]

Runs on a private Xvfb screen when there is no DISPLAY (falls back to Qt's offscreen platform without
Xvfb). There is no window manager, so each window's size is set explicitly and grabbed by Qt.
With --size (say 1366x768 or 1280x800) the screen has that size, the window keeps the size it chose for
that screen, and each shot is of the whole screen, so whatever does not fit shows as cut off; the files
are named …-1366x768.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SIZE = (1440, 900)

MIXED_NOTE = (
    "Field note: Dushanbe meeting, mixed English and Arabic\n"
    "\n"
    "The delegates agreed on a joint statement.\n"
    "اتفق المندوبون على بيان مشترك بشأن مكافحة التطرف العنيف على الإنترنت.\n"
    "قال المنسق إن منصة «Tech Against Terrorism» ستنشر التقرير في 9 ديسمبر 2020.\n"
    "The Arabic summary above quotes the UN Office of Counter-Terrorism (مكتب الأمم المتحدة لمكافحة الإرهاب).\n"
)


def start_display(screen: tuple[int, int] | None = None) -> subprocess.Popen | None:
    if os.environ.get("DISPLAY") or not shutil.which("Xvfb"):
        if not os.environ.get("DISPLAY"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    display = f":{150 + os.getpid() % 300}"
    width, height = screen or (SIZE[0] + 100, SIZE[1] + 100)
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return xvfb


def main(out_dir: Path, screen: tuple[int, int] | None = None) -> int:
    xvfb = start_display(screen)
    try:
        return take_screenshots(out_dir, screen)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()


def take_screenshots(out_dir: Path, screen: tuple[int, int] | None = None) -> int:
    from qirtas.archive.demo import build_demo
    from qirtas.archive.importing import import_paths
    from qirtas.desktop.app import Application, create_qapplication
    from qirtas.desktop.qt import QApplication, QSettings, Qt, QWidget

    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="qirtas-shots-"))
    archive, _report = build_demo(work / "demo")
    note = work / "incoming" / "field-note-mixed.txt"
    note.parent.mkdir()
    note.write_text(MIXED_NOTE, encoding="utf-8")
    (work / "incoming" / "empty.txt").write_bytes(b"")
    import_paths(archive, [note])
    archive.close()

    qapp = create_qapplication()
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    app = Application(qapp, settings)
    written: list[Path] = []

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)

    def shoot(widget, name: str) -> None:
        settle()
        if screen is None:
            path = out_dir / f"{name}.png"
            widget.grab().save(str(path))
        else:  # the whole screen: a window larger than it would show cut off
            path = out_dir / f"{name}-{screen[0]}x{screen[1]}.png"
            widget.screen().grabWindow(0).save(str(path))
        written.append(path)

    def window():
        win = app.window
        win.move(0, 0)
        if screen is None:
            win.resize(*SIZE)
            win.main_splitter.setSizes([270, 500, 670])
        return win

    def select(win, language: str) -> None:
        for document_id in win.model.ids():
            if win.archive.get(document_id).language == language:
                win.select_document(document_id)
                return

    def select_title(win, start: str) -> None:
        for document_id in win.model.ids():
            if win.archive.get(document_id).title.startswith(start):
                win.select_document(document_id)
                return

    for language in ("en", "ar"):
        app.apply_language(language)
        if app.session is None:
            app.open_archive(work / "demo", create=False)
        else:
            app.build_window()
        win = window()
        win.clear_filters()
        select(win, "en")
        shoot(win, f"{language}-1-english-seed")
        select(win, "ar")
        shoot(win, f"{language}-2-arabic-seed")
        select_title(win, "Field note")
        shoot(win, f"{language}-3-mixed-note")
        win.search_field.setText("الإنترنت" if language == "ar" else "internet")
        win._search_now()
        select(win, language)
        shoot(win, f"{language}-4-search")
        win.clear_filters()
        central_asia = win.archive.find_tag("region", "Central Asia")
        win.sidebar.set_checked(central_asia.id)
        shoot(win, f"{language}-5-facet-central-asia")
        win.clear_filters()
        win.table.selectAll()
        shoot(win, f"{language}-6-tag-editor-all-selected")
        win.show_vocabulary()
        shoot(win.vocabulary_dialog, f"{language}-7-vocabulary")
        win.vocabulary_dialog.close()
        select(win, "ar")  # the Arabic seed has its English original linked
        win.review_translation()
        if win.review_window is not None:
            deadline = time.monotonic() + 20
            while win.session.queue.busy and time.monotonic() < deadline:  # the pairs come from the writer
                settle(0.1)
            if screen is None:
                win.review_window.resize(1100, 700)
            QWidget.move(win.review_window, 0, 0)  # BilingualView.move(step) moves between pairs
            shoot(win.review_window, f"{language}-9-review")
            win.review_window.close()
        incoming = work / f"incoming-{language}"
        incoming.mkdir()
        shutil.copy(note, incoming / note.name)  # already in the archive: a duplicate
        (incoming / "empty.txt").write_bytes(b"")  # fails, with the reason
        (incoming / f"minutes-{language}.txt").write_text(
            f"Minutes of the working group ({language})\n\nمحضر اجتماع فريق العمل\n", encoding="utf-8"
        )
        job = win.imports.start([str(incoming)])
        deadline = time.monotonic() + 20
        while job.report is None and time.monotonic() < deadline:
            settle(0.1)
        if win.imports.report_dialog is not None:
            if screen is None:
                win.imports.report_dialog.resize(900, 420)
            shoot(win.imports.report_dialog, f"{language}-8-import-report")
            win.imports.report_dialog.close()
        win.table.setFocus(Qt.FocusReason.OtherFocusReason)

    app.shutdown()
    shutil.rmtree(work, ignore_errors=True)
    for path in written:
        print(path)
    return 0


def screen_size(text: str) -> tuple[int, int]:
    width, _x, height = text.lower().partition("x")
    return int(width), int(height)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=REPO / "screenshots")
    parser.add_argument("--size", type=screen_size, help="the screen's size, e.g. 1366x768")
    arguments = parser.parse_args()
    sys.exit(main(arguments.out_dir, arguments.size))
