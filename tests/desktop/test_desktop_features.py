"""The main window's features come through one declared interface (desktop/feature.py; issue 17, point 4)."""

from __future__ import annotations

import ast
import shutil

import pytest
from qirtas.desktop.feature import Feature
from qirtas.desktop.qt import QAction, QLabel, QPushButton
from qirtas.desktop.views import window as window_module

from tests.conftest import REPO

pytestmark = pytest.mark.usefixtures("qapp")
DESKTOP = REPO / "desktop"


def test_each_feature_is_kept_by_its_key_and_reached_by_a_declared_name(demo_window):
    keys = [feature.key for feature in window_module.FEATURES]
    assert len(set(keys)) == len(keys)
    assert list(demo_window.features) == keys
    assert all(isinstance(feature, Feature) for feature in demo_window.features.values())
    assert demo_window.archive_jobs is demo_window.features["archive_jobs"]
    assert demo_window.list_filters == [demo_window.integrity_filter, demo_window.review_filter]
    assert demo_window.suggestions_panel is demo_window.features["suggestions"].panel
    assert demo_window.reader.unlock_button is demo_window.features["unlocking"].button
    tools = [action.text() for action in demo_window.tools_menu.actions()]
    assert tools == ["&Suggest tags", "&Theme keywords…", "&Verify archive…", "Read text with &OCR…"]


def test_every_attribute_of_the_window_is_declared_in_window_py(demo_window):
    """Nothing outside desktop/views/window.py sets an attribute on the window (the old install_* functions did)."""
    tree = ast.parse((DESKTOP / "views" / "window.py").read_text(encoding="utf-8"))
    declared = {
        target.attr
        for node in ast.walk(tree)
        for target in (node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)])
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    }
    own = {
        n for n in vars(demo_window) if not (hasattr(type(demo_window), n) or n.startswith("__"))
    }  # not Qt's
    assert own and own <= declared, own - declared


def test_no_desktop_module_sets_attributes_on_the_window():
    found = []
    for path in sorted(DESKTOP.rglob("*.py")):
        if path.name == "window.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for target in targets:
                if isinstance(target, ast.Attribute) and ast.unparse(target.value) in (
                    "window",
                    "self.window",
                ):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno} {ast.unparse(target)}")
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) == "setattr"
                and node.args
                and ast.unparse(node.args[0]) in ("window", "self.window")
            ):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} setattr")
    assert not found, found


class Extra(Feature):
    """A feature made for this test: one of each thing a feature can add."""

    key = "extra"
    retired = 0

    def __init__(self, window) -> None:
        self.action = QAction("Extra tool", window)
        self.file_action = QAction("Extra file command", window)
        self.panel = QLabel("Extra panel")
        self.button = QPushButton("Extra button")

    def file_actions(self):
        return [self.file_action]

    def tools_actions(self):
        return [self.action]

    def side_panels(self):
        return [self.panel]

    def reader_buttons(self):
        return {"extra": self.button}

    def retire(self) -> None:
        Extra.retired += 1


def test_a_new_feature_is_one_entry_in_the_list(gui_app, demo_template, tmp_path, monkeypatch):
    monkeypatch.setattr(window_module, "FEATURES", (*window_module.FEATURES, Extra))
    path = tmp_path / "demo"
    shutil.copytree(demo_template, path)
    assert gui_app.open_archive(path, create=False)
    window = gui_app.window
    extra = window.features["extra"]
    assert window.tools_menu.actions()[-1] is extra.action
    file_menu = window.menuBar().actions()[0].menu()
    assert extra.file_action in file_menu.actions()
    assert file_menu.actions().index(extra.file_action) < file_menu.actions().index(window.commands.quit)
    assert window.right_splitter.widget(window.right_splitter.count() - 1) is extra.panel
    assert window.reader.extra_buttons["extra"] is extra.button
    window.close()
    assert Extra.retired >= 1
