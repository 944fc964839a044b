"""Damaged PDFs never crash the caller, and reordering a line never loses or invents a character."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from qirtas.importers import Extracted, ExtractionError
from qirtas.importers.base import STATUSES
from qirtas.importers.pdf_arabic import reorder
from qirtas.importers.workers import extract_isolated

FIXTURES = Path(__file__).parents[1] / "fixtures" / "pdf"
SOURCES = [
    FIXTURES / "libreoffice" / "ar_news.pdf",
    FIXTURES / "chromium" / "bilingual.pdf",
    FIXTURES / "status" / "encrypted_user.pdf",
]


def mutations(data: bytes, rng: random.Random) -> list[bytes]:
    """Truncations, flipped bytes, a dropped chunk and a doubled chunk of one file."""
    size = len(data)
    flipped = bytearray(data)
    for _ in range(40):
        flipped[rng.randrange(size)] = rng.randrange(256)
    start, length = rng.randrange(size // 2), rng.randrange(1, size // 4)
    return [
        data[: rng.randrange(size)],
        data[rng.randrange(1, 200) :],
        bytes(flipped),
        data[:start] + data[start + length :],
        data[:start] + data[start : start + length] * 3 + data[start:],
    ]


def test_damaged_pdfs_end_as_documents_or_failures_in_words(tmp_path):
    rng = random.Random(20261201)
    paths = []
    for source in SOURCES:
        for number, damaged in enumerate(mutations(source.read_bytes(), rng)):
            path = tmp_path / f"{source.parent.name}-{source.stem}-{number}.pdf"
            path.write_bytes(damaged)
            paths.append(path)
    outcomes = extract_isolated(paths, timeout=30, workers=2)
    assert set(outcomes) == set(paths)
    for path, outcome in outcomes.items():
        if isinstance(outcome, ExtractionError):
            message = str(outcome)
            assert message[:1].isupper() and message.rstrip(")").endswith("."), (path.name, message)
            assert "stopped" not in message, (path.name, message)  # no hang, no crash
        else:
            assert isinstance(outcome, Extracted) and outcome.status in STATUSES
    # What pdfminer skips or guesses in a damaged file is passed on to the reader.
    read = [outcome for outcome in outcomes.values() if isinstance(outcome, Extracted)]
    assert any("damaged and were skipped" in warning for outcome in read for warning in outcome.warnings)


GLYPHS = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي") + list("Qirtas2019") + [" ", "(", ")", ".", "،", "لا"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(GLYPHS, max_size=40), st.booleans())
def test_reordering_a_line_keeps_every_character(glyphs, rtl):
    plain, mirrored = reorder(glyphs, rtl)
    assert Counter(plain) == Counter("".join(glyphs))
    assert len(mirrored) == len(plain)
