"""Generated documents for benchmarks: ≈3 kB English or Arabic texts built from the seeds' vocabulary."""

from __future__ import annotations

import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _words(language: str) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    arabic = texts[2]
    english = " ".join(texts[:2] + texts[3:])
    source = arabic if language == "ar" else english
    return re.findall(r"[^\W\d_]{2,}", source)


def generate_texts(count: int, size: int = 3000, seed: int = 7) -> list[str]:
    """`count` distinct texts of about `size` characters, one in three Arabic."""
    rng = random.Random(seed)
    vocabulary = {"en": _words("en"), "ar": _words("ar")}
    texts = []
    for index in range(count):
        language = "ar" if index % 3 == 2 else "en"
        words = vocabulary[language]
        paragraphs, length = [], 0
        while length < size:
            paragraph = " ".join(rng.choice(words) for _ in range(rng.randint(30, 70))) + "."
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        texts.append(f"Document {index}\n\n" + "\n\n".join(paragraphs))
    return texts


def write_files(folder: Path, count: int, size: int = 3000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, text in enumerate(generate_texts(count, size)):
        path = folder / f"doc{index:06}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
