"""Can Qt show a window here? Checked before PySide6 is imported: Qt itself aborts (exit 134, uncatchable)
when its platform plugin finds no display or misses a system library, and names the wrong library."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from qirtas.i18n import _

# Platforms that draw without a display server (QT_QPA_PLATFORM=offscreen in tests, vnc for remote use).
HEADLESS_PLATFORMS = {"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}
COMMANDS = "import, search, list, show, tag, export, backup, verify"

# Library file (soname) → (Debian/Ubuntu package, Fedora package). The xcb plugin's own list first (what
# a minimal install lacks), then what the Qt libraries it loads need.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libSM.so.6": ("libsm6", "libSM"),
    "libICE.so.6": ("libice6", "libICE"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl"),
}
# What the xcb plugin and libQt6XcbQpa need (Qt 6.12), for machines without `ldd`.
XCB_NEEDS = [name for name in PACKAGES if not name.startswith("libwayland")]

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


@dataclass(frozen=True)
class StartProblem:
    """Why the window cannot open, in one sentence for the terminal; the exit status is 2."""

    sentence: str
    status: int = 2


def qt_folder() -> Path | None:
    """PySide6's Qt folder (plugins/, lib/), found without importing PySide6."""
    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def missing_libraries(files: list[Path]) -> list[str]:
    """The libraries the dynamic loader would not find for `files` (sonames, in the order ldd names them).

    `ldd` resolves exactly as the loader does (the plugin's RUNPATH into the wheel, ld.so.cache,
    LD_LIBRARY_PATH); without it, each library the plugin needs is tried with dlopen."""
    files = [file for file in files if file.exists()]
    if not files:
        return []
    ldd = shutil.which("ldd")
    if ldd is not None:
        missing: dict[str, None] = {}  # ldd names a library once for each library that needs it
        for file in files:
            try:
                listing = subprocess.run(
                    [ldd, str(file)], capture_output=True, text=True, timeout=20, check=False
                ).stdout
            except (OSError, subprocess.SubprocessError):
                return _missing_by_dlopen(XCB_NEEDS)
            missing.update(dict.fromkeys(_NOT_FOUND.findall(listing)))
        return list(missing)
    return _missing_by_dlopen(XCB_NEEDS)


def _missing_by_dlopen(sonames: list[str]) -> list[str]:
    missing = []
    for soname in sonames:
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(soname)
    return missing


def packages_sentence(missing: list[str]) -> str:
    """The install commands that bring the missing libraries, for apt and dnf."""
    debian = _unique(PACKAGES.get(name, (name, name))[0] for name in missing)
    fedora = _unique(PACKAGES.get(name, (name, name))[1] for name in missing)
    return _(
        "The window cannot open: the system libraries {libraries} are missing. Install them with "
        "'sudo apt install {debian}' (Debian, Ubuntu) or 'sudo dnf install {fedora}' (Fedora), "
        "or use the command line (qirtas --help)."
    ).format(libraries=", ".join(missing), debian=" ".join(debian), fedora=" ".join(fedora))


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def check_display(environ: os._Environ | dict | None = None, qt: Path | None = None) -> StartProblem | None:
    """None when Qt can open a window; else why not. Chooses Wayland (QT_QPA_PLATFORM=wayland in
    `environ`) when a Wayland session is running, its plugin is there and the user chose no platform."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None  # Windows and macOS bring everything their platform plugin needs
    qt = qt_folder() if qt is None else qt
    if qt is None:
        return None  # PySide6 missing: the import fails with its own clear message
    platforms = qt / "plugins" / "platforms"
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen in HEADLESS_PLATFORMS:
        return None
    has_wayland = bool(environ.get("WAYLAND_DISPLAY"))
    has_x11 = bool(environ.get("DISPLAY"))
    wayland = platforms / "libqwayland.so"
    if chosen.startswith("wayland"):
        if not has_wayland:
            return _no_display()
        missing = missing_libraries([wayland])
        return StartProblem(packages_sentence(missing)) if missing else None
    if not chosen and has_wayland and wayland.exists():
        missing = missing_libraries([wayland])
        if not missing:
            environ["QT_QPA_PLATFORM"] = "wayland"
            return None
        if not has_x11:
            return StartProblem(packages_sentence(missing))
    if chosen and chosen != "xcb":
        return None  # a platform we do not know how to check: let Qt try it
    if not has_x11:
        return _no_display()
    missing = missing_libraries([platforms / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"])
    return StartProblem(packages_sentence(missing)) if missing else None


def _no_display() -> StartProblem:
    return StartProblem(
        _(
            "There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            "the command-line commands work without one: {commands} (qirtas --help lists them all)."
        ).format(commands=COMMANDS)
    )
