"""OCR quality on scans made from the committed PDFs (tests/fixtures/ocr/make_scans.py): our pipeline's
character error rate against plain Tesseract's, per case, within issue 20's targets."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from qirtas.importers.ocr import OcrSettings, find_engine, read_page

from tests.fixtures.ocr.make_scans import CASES, TARGETS, cer, plain, scan, truth

ENGINE = find_engine()
pytestmark = pytest.mark.skipif(
    ENGINE is None or not {"ara", "eng"} <= ENGINE.languages,
    reason="Tesseract with the ara and eng models is not installed (apt install tesseract-ocr "
    "tesseract-ocr-ara tesseract-ocr-eng)",
)


@pytest.fixture(scope="module")
def rates() -> dict[str, tuple[float, float]]:
    """Case → (plain Tesseract's CER, ours), in %."""
    assert ENGINE is not None
    measured = {}
    for case in CASES:
        data, dpi = scan(case)
        ours = read_page(Image.open(io.BytesIO(data)), dpi, OcrSettings(), ENGINE).text
        reference = truth(case)
        measured[case.name] = (cer(reference, plain(data)), cer(reference, ours))
    return measured


@pytest.mark.slow
@pytest.mark.parametrize("case", [case.name for case in CASES])
def test_ocr_meets_the_target_and_halves_plain_tesseracts_errors(rates, case):
    plain_rate, ours = rates[case]
    assert ours <= TARGETS[case], f"{case}: {ours:.2f} % (plain Tesseract {plain_rate:.2f} %)"
    if plain_rate > 1:
        assert ours <= plain_rate / 2, f"{case}: {ours:.2f} % against plain Tesseract's {plain_rate:.2f} %"


def test_the_degraded_scans_are_as_hard_as_the_copier_scans_issue_20_measured(rates):
    """Plain Tesseract misreads a fifth of the degraded Arabic page (the issue: 21–35 %): the fixture
    is not too kind to prove anything."""
    assert rates["arabic-degraded"][0] > 15
