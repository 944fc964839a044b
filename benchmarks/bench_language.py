"""Language identification on the test set of tests/i18n/data/languages: confusion table and speed.

Run: `python benchmarks/bench_language.py [--repeat N] [--libraries]` — prints, for Qirtas's identifier
(`i18n.script.paragraph_language`) and, with --libraries, py3langid and lingua-language-detector when they
are importable (they are not dependencies: `pip install --target DIR …` and put DIR on PYTHONPATH), the
share right of paragraphs of 20 words or more, a confusion table (rows: the true language; a paragraph
counts in its row's column of the language found), and microseconds per paragraph.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: tests/ importable

from qirtas.i18n.script import paragraph_language

from tests.i18n.language_data import confusion, paragraphs

Identifier = Callable[[str], str]


def _libraries() -> dict[str, Identifier]:
    found: dict[str, Identifier] = {}
    try:
        import py3langid  # type: ignore[import-not-found]

        found["py3langid"] = lambda text: py3langid.classify(text)[0]
    except ImportError:
        pass
    try:
        from lingua import LanguageDetectorBuilder  # type: ignore[import-not-found]

        detector = LanguageDetectorBuilder.from_all_languages().build()

        def lingua(text: str) -> str:
            language = detector.detect_language_of(text)
            return language.iso_code_639_1.name.lower() if language else "und"

        lingua("warm up")  # the models load on first use
        found["lingua"] = lingua
    except ImportError:
        pass
    return found


def report(name: str, identify: Identifier, repeat: int) -> None:
    test_set = paragraphs()
    found = [(paragraph, identify(paragraph.text)) for paragraph in test_set]
    start = time.perf_counter()
    for _round in range(repeat):
        for paragraph in test_set:
            identify(paragraph.text)
    micros = (time.perf_counter() - start) / (repeat * len(test_set)) * 1e6
    long = [(paragraph, language) for paragraph, language in found if paragraph.long]
    right = sum(paragraph.language == language for paragraph, language in long)
    print(
        f"== {name}: {right}/{len(long)} right ({right / len(long):.1%}) of paragraphs of 20 words or more,"
    )
    print(f"   {sum(p.language == g for p, g in found)}/{len(found)} of all; {micros:.1f} µs per paragraph")
    print(confusion(found))
    for paragraph, language in found:
        if paragraph.language != language:
            print(f"   {paragraph.language} → {language}: {paragraph.text[:70]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over the test set")
    parser.add_argument("--libraries", action="store_true", help="also measure py3langid and lingua")
    arguments = parser.parse_args()
    report("qirtas (i18n.script.paragraph_language)", paragraph_language, arguments.repeat)
    if arguments.libraries:
        for name, identify in _libraries().items():
            report(name, identify, arguments.repeat)


if __name__ == "__main__":
    main()
