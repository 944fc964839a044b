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


@pytest.fixture
def archive(tmp_path):
    """A fresh, empty archive, closed after the test."""
    from archive.archive import Archive

    opened = Archive.open(tmp_path / "archive")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo archive built once per session (copy it before changing it)."""
    from archive.demo import build_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo"
    archive, _report = build_demo(path)
    archive.close()
    return path


@pytest.fixture
def demo_archive(demo_template, tmp_path):
    """A private copy of the demo archive, open, closed after the test."""
    from archive.archive import Archive

    path = tmp_path / "demo"
    shutil.copytree(demo_template, path)
    opened = Archive.open(path, create=False)
    yield opened
    opened.close()
