"""`qirtas gui` starts or says in one sentence why not: no display, missing system libraries (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from qirtas.cli.main import main
from qirtas.desktop import platform_check
from qirtas.desktop.platform_check import check_display, missing_libraries

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f53)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibEGL.so.1 => /lib/x86_64-linux-gnu/libEGL.so.1 (0x00007f53)
\tlibxcb-icccm.so.4 => not found
"""


@pytest.fixture
def qt(tmp_path):
    """A PySide6 Qt folder with the xcb and wayland platform plugins (empty files: ldd is faked)."""
    platforms = tmp_path / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (tmp_path / "Qt" / "lib").mkdir()
    for name in ("libqxcb.so", "libqwayland.so"):
        (platforms / name).touch()
    (tmp_path / "Qt" / "lib" / "libQt6XcbQpa.so.6").touch()
    return tmp_path / "Qt"


@pytest.fixture
def linux(monkeypatch):
    monkeypatch.setattr(platform_check.sys, "platform", "linux")


@pytest.fixture
def libraries(monkeypatch):
    """What the loader cannot find, per file: {plugin file name: [sonames]}; all found by default."""
    missing: dict[str, list[str]] = {}

    def fake(files):
        return [name for file in files for name in missing.get(file.name, [])]

    monkeypatch.setattr(platform_check, "missing_libraries", fake)
    return missing


def test_without_a_display_the_sentence_names_the_command_line_commands(qt, linux, libraries):
    problem = check_display({}, qt)
    assert problem is not None and problem.status == 2
    assert "no display" in problem.sentence
    for command in ("import", "search", "list", "show"):
        assert command in problem.sentence
    assert "\n" not in problem.sentence


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "vnc", "offscreen;xcb"])
def test_a_platform_without_a_display_needs_none(qt, linux, libraries, platform):
    assert check_display({"QT_QPA_PLATFORM": platform}, qt) is None


def test_missing_xcb_libraries_are_named_with_the_apt_and_dnf_packages(qt, linux, libraries):
    libraries["libqxcb.so"] = ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    libraries["libQt6XcbQpa.so.6"] = ["libxcb-cursor.so.0"]
    problem = check_display({"DISPLAY": ":0"}, qt)
    assert problem is not None and problem.status == 2
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0" in problem.sentence
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms xcb-util-cursor" in problem.sentence


def test_with_every_library_found_the_window_may_open(qt, linux, libraries):
    environ = {"DISPLAY": ":0"}
    assert check_display(environ, qt) is None
    assert "QT_QPA_PLATFORM" not in environ  # X11 stays Qt's own choice


def test_wayland_is_used_where_it_runs(qt, linux, libraries):
    environ = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert check_display(environ, qt) is None
    assert environ["QT_QPA_PLATFORM"] == "wayland"


def test_the_users_platform_choice_is_kept(qt, linux, libraries):
    environ = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}
    assert check_display(environ, qt) is None
    assert environ["QT_QPA_PLATFORM"] == "xcb"


def test_wayland_without_its_libraries_falls_back_to_x11(qt, linux, libraries):
    libraries["libqwayland.so"] = ["libwayland-cursor.so.0"]
    environ = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert check_display(environ, qt) is None
    assert "QT_QPA_PLATFORM" not in environ
    problem = check_display({"WAYLAND_DISPLAY": "wayland-0"}, qt)
    assert problem is not None and "libwayland-cursor0" in problem.sentence


def test_libraries_are_found_the_way_the_loader_finds_them(qt, monkeypatch):
    runs = []

    def ldd(command, **kwargs):
        runs.append(command)
        return SimpleNamespace(stdout=LDD_OUTPUT)

    monkeypatch.setattr(platform_check.shutil, "which", lambda name: "/usr/bin/ldd")
    monkeypatch.setattr(platform_check.subprocess, "run", ldd)
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    assert missing_libraries([plugin]) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert runs == [["/usr/bin/ldd", str(plugin)]]


def test_without_ldd_each_library_is_tried_with_dlopen(qt, monkeypatch):
    def dlopen(name):
        if name in ("libxcb-keysyms.so.1", "libgl.so.1", "libGL.so.1"):
            raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(platform_check.shutil, "which", lambda name: None)
    monkeypatch.setattr(platform_check.ctypes, "CDLL", dlopen)
    assert missing_libraries([qt / "plugins" / "platforms" / "libqxcb.so"]) == [
        "libxcb-keysyms.so.1",
        "libGL.so.1",
    ]


def test_qirtas_gui_stops_before_qt_with_one_sentence(qt, linux, libraries, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(platform_check, "qt_folder", lambda: qt)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    libraries["libqxcb.so"] = ["libxcb-icccm.so.4"]
    assert main(["--archive", str(tmp_path / "archive"), "gui"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "sudo apt install libxcb-icccm4" in error
    assert not (tmp_path / "archive").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's platform plugins are checked on Linux")
def test_qirtas_gui_without_a_display_exits_2_with_one_sentence(tmp_path):
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    environ["QIRTAS_ARCHIVE"] = str(tmp_path / "archive")
    environ["QIRTAS_LOG_DIR"] = str(tmp_path / "logs")
    done = subprocess.run(
        [sys.executable, "-m", "qirtas", "gui"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr  # Qt's abort is 134
    assert done.stderr.count("\n") == 1
    assert "no display" in done.stderr and "search" in done.stderr
    assert "Traceback" not in done.stderr and "qt.qpa" not in done.stderr
