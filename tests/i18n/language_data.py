"""The language identification test set: tests/i18n/data/languages/<code>.txt, paragraphs separated by
blank lines, each written for it (UN vocabulary, short and long, some quoting another script)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "languages"
LANGUAGES = ("en", "ar", "fr", "es", "ru", "zh", "fa", "ur")
LONG = 20  # words from which a paragraph must be identified right
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Paragraph:
    language: str
    text: str

    @property
    def words(self) -> int:
        """Words separated by spaces; Chinese, written without them, counts a word per two characters."""
        han = len(_HAN.findall(self.text))
        return len(_HAN.sub(" ", self.text).split()) + han // 2

    @property
    def long(self) -> bool:
        return self.words >= LONG


def paragraphs() -> list[Paragraph]:
    return [
        Paragraph(language, text.strip())
        for language in LANGUAGES
        for text in (DATA / f"{language}.txt").read_text(encoding="utf-8").split("\n\n")
        if text.strip()
    ]


def confusion(found: list[tuple[Paragraph, str]]) -> str:
    """The confusion table of (paragraph, language found) pairs, as text."""
    counts = Counter((paragraph.language, language) for paragraph, language in found)
    columns = list(LANGUAGES) + sorted({language for _p, language in found} - set(LANGUAGES))
    lines = ["true\\found " + "".join(f"{column:>6}" for column in columns)]
    for row in LANGUAGES:
        lines.append(f"{row:<11}" + "".join(f"{counts[row, column]:>6}" for column in columns))
    return "\n".join(lines)
