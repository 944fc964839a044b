"""The lock (constraints.txt) covers every dependency pyproject.toml names, and the environment the tests
run in is the locked one: a drift (an upgrade by hand, a stale venv, a forgotten `make lock`) fails here."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO


def _pins() -> dict[str, tuple[str, str]]:
    """Canonical name → (version, comment) for each ``name==version`` line of constraints.txt."""
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        requirement, _, comment = line.partition("#")
        if not requirement.strip():
            continue
        name, separator, pinned = requirement.strip().partition("==")
        assert separator, f"constraints.txt: {line!r} is not pinned with =="
        pins[canonicalize_name(name)] = (pinned.strip(), comment.strip())
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(text) for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    ]


def test_every_dependency_of_pyproject_is_pinned_in_constraints_within_its_range():
    pins = _pins()
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"{requirement.name} (pyproject.toml) has no pin in constraints.txt: run `make lock`"
        )
        pinned = pins[name][0]
        assert requirement.specifier.contains(pinned, prereleases=True), (
            f"constraints.txt pins {requirement.name}=={pinned}, outside pyproject's {requirement.specifier}"
        )


def test_the_installed_versions_are_the_pinned_ones():
    drift = []
    for name, (pinned, _comment) in _pins().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            drift.append(f"{name}: pinned {pinned}, not installed")
            continue
        if Version(installed) != Version(pinned):
            drift.append(f"{name}: pinned {pinned}, installed {installed}")
    assert not drift, "the venv is not the locked one (reinstall with `make test`): " + "; ".join(drift)


def test_pyside6_6_12_0_is_pinned_only_with_its_reason_beside_it():
    pinned, comment = _pins()["pyside6-essentials"]
    if pinned == "6.12.0":
        assert "refcounts.py" in comment, "PySide6 6.12.0 is pinned without the reason it is kept"
