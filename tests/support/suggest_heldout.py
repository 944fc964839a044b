"""Tag suggestions scored on held-out paragraphs (tests/archive/data/suggest_heldout_*.txt): precision and
recall per facet and language, shared by tests/archive/test_suggest_heldout.py and the benchmark."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.suggest import Suggester
from qirtas.archive.suggest.text import fold_phrase
from qirtas.importers import Extracted
from qirtas.seeds import METADATA

DATA = Path(__file__).resolve().parents[1] / "archive" / "data"
LANGUAGES = ("en", "ar")
FACETS = ("region", "event", "theme")


@dataclass
class Paragraph:
    """One held-out paragraph and the tags a careful person gives it."""

    id: str
    kind: str
    regions: set[str]
    events: list[str]  # per event, the (folded) words its name must contain
    themes: set[str]
    text: str


def _items(value: str, separator: str) -> list[str]:
    return [item.strip() for item in value.split(separator) if item.strip()]


def load(language: str) -> list[Paragraph]:
    raw = (DATA / f"suggest_heldout_{language}.txt").read_text(encoding="utf-8")
    paragraphs = []
    for block in re.split(r"^## ", raw, flags=re.MULTILINE)[1:]:
        head, *lines = block.split("\n")
        fields = {}
        while lines and re.match(r"(regions|events|themes):", lines[0]):
            name, _sep, value = lines.pop(0).partition(":")
            fields[name] = value
        identifier, _sep, kind = head.partition(" ")
        paragraphs.append(
            Paragraph(
                identifier, kind.strip(), set(_items(fields["regions"], ",")), _items(fields["events"], ";"),
                set(_items(fields["themes"], ";")), "\n".join(lines).strip(),
            )
        )  # fmt: skip
    return paragraphs


@dataclass
class Score:
    true: int = 0
    false: int = 0
    missed: int = 0
    wrong: list[str] = field(default_factory=list)  # "id: found (not expected)" / "id: expected (missed)"

    @property
    def precision(self) -> float:
        return self.true / (self.true + self.false) if self.true + self.false else 1.0

    @property
    def recall(self) -> float:
        return self.true / (self.true + self.missed) if self.true + self.missed else 1.0

    def add(self, paragraph: str, found: set[str], expected: set[str]) -> None:
        self.true += len(found & expected)
        self.false += len(found - expected)
        self.missed += len(expected - found)
        self.wrong += [f"{paragraph}: {name} (not expected)" for name in sorted(found - expected)]
        self.wrong += [f"{paragraph}: {name} (missed)" for name in sorted(expected - found)]


def _words(name: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in fold_phrase(name)).split()


def _event_matches(name: str, words: str) -> bool:
    # Arabic clitics: لمجلس contains مجلس, so a wanted word may end a found one
    found = _words(name)
    return all(any(w == f or (len(w) > 3 and f.endswith(w)) for f in found) for w in _words(words))


def _score_events(score: Score, paragraph: Paragraph, names: list[str]) -> None:
    unmatched = list(paragraph.events)
    for name in names:
        match = next((wanted for wanted in unmatched if _event_matches(name, wanted)), None)
        if match is None:
            score.false += 1
            score.wrong.append(f"{paragraph.id}: {name} (not expected)")
        else:
            unmatched.remove(match)
            score.true += 1
    score.missed += len(unmatched)
    score.wrong += [f"{paragraph.id}: {wanted} (missed)" for wanted in unmatched]


def measure(folder: Path | None = None) -> dict[tuple[str, str], Score]:
    """(facet, language) → Score, in a new archive whose vocabulary is the built-in themes."""
    with tempfile.TemporaryDirectory(prefix="qirtas-heldout-") as temporary:
        archive = Archive.open(Path(folder or temporary) / "archive")
        try:
            for theme in json.loads(METADATA.read_text(encoding="utf-8"))["themes"].values():
                archive.ensure_tag("theme", theme["en"], theme["ar"])
            suggester = Suggester(archive)
            scores = {(facet, language): Score() for facet in FACETS for language in LANGUAGES}
            for language in LANGUAGES:
                for paragraph in load(language):
                    extracted = Extracted(paragraph.text, "text/plain", language=language, title=paragraph.id)
                    document = archive.add(
                        NewDocument(paragraph.text.encode(), extracted, f"{paragraph.id}.txt")
                    )
                    result = suggester.suggest(archive.get(document.id))
                    regions = {s.key.removeprefix("region:") for s in result.region}
                    scores["region", language].add(paragraph.id, regions, paragraph.regions)
                    themes = {s.name_en for s in result.theme}
                    scores["theme", language].add(paragraph.id, themes, paragraph.themes)
                    _score_events(scores["event", language], paragraph, [s.name for s in result.event])
            return scores
        finally:
            archive.close()


def table(scores: dict[tuple[str, str], Score]) -> str:
    lines = [f"{'facet':8} {'lang':4} {'precision':>9} {'recall':>7}   tp  fp  fn"]
    for facet in FACETS:
        for language in LANGUAGES:
            score = scores[facet, language]
            lines.append(
                f"{facet:8} {language:4} {score.precision:9.2f} {score.recall:7.2f}  "
                f"{score.true:3} {score.false:3} {score.missed:3}"
            )
    return "\n".join(lines)
