"""Extraction in worker processes: a file that stalls or eats memory is stopped and reported, the batch
goes on, cancel is honoured, and every PDF of pdfminer's own sample corpus ends in a clear outcome."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from qirtas.archive.importing import ImportOptions, import_paths
from qirtas.importers import Extracted, ExtractionError
from qirtas.importers.base import STATUSES
from qirtas.importers.ocr import find_engine
from qirtas.importers.workers import MEMORY_LIMIT_ENV, ReaderHooks, extract_isolated

FIXTURES = Path(__file__).parents[1] / "fixtures" / "pdf"
GOOD = [FIXTURES / "libreoffice" / "en_conference.pdf", FIXTURES / "chromium" / "bilingual.pdf"]
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "pdfminer-samples"


def test_a_stalling_file_is_stopped_at_the_time_limit_and_the_others_are_read(monkeypatch):
    stalling = FIXTURES / "chromium" / "columns_en.pdf"
    outcomes = extract_isolated(
        [stalling, *GOOD], timeout=1.5, workers=2, hooks=ReaderHooks(stall=stalling.name)
    )
    assert isinstance(outcomes[stalling], ExtractionError)
    assert "longer than the 1.5 seconds allowed" in str(outcomes[stalling])
    assert all(isinstance(outcomes[path], Extracted) for path in GOOD)
    assert not multiprocessing.active_children()


def test_a_file_that_needs_too_much_memory_is_stopped_and_reported(monkeypatch):
    hungry = FIXTURES / "chromium" / "columns_en.pdf"
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "400")
    outcomes = extract_isolated([hungry, *GOOD], workers=1, hooks=ReaderHooks(hog=hungry.name))
    assert "more memory than a reader may use (400 MB)" in str(outcomes[hungry])
    assert all(isinstance(outcomes[path], Extracted) for path in GOOD)


def test_cancel_ends_the_batch_without_waiting_for_a_stalled_file(monkeypatch):
    stalling = GOOD[0]
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    outcomes = extract_isolated(
        [stalling], timeout=600, workers=1, cancel=cancel, hooks=ReaderHooks(stall=stalling.name)
    )
    assert outcomes == {}
    assert not multiprocessing.active_children()


def test_the_import_goes_on_past_a_runaway_file(archive, monkeypatch, tmp_path):
    stalling = FIXTURES / "chromium" / "ar_news.pdf"
    options = ImportOptions(timeout=1.5, workers=2, reader_hooks=ReaderHooks(stall=stalling.name))
    report = import_paths(archive, [stalling, *GOOD], options)
    assert [Path(item.path).name for item in report.failed] == ["ar_news.pdf"]
    assert "stopped" in report.failed[0].error
    assert len(report.imported) == 2


@pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="../shared/corpora/pdfminer-samples is not beside the repository"
)
def test_every_pdf_of_the_pdfminer_samples_ends_in_a_document_or_a_clear_failure():
    paths = sorted(SAMPLES.rglob("*.pdf"))
    assert len(paths) >= 50
    outcomes = extract_isolated(paths, timeout=120, workers=2)
    assert set(outcomes) == set(paths)
    by_name = {path.relative_to(SAMPLES).as_posix(): outcome for path, outcome in outcomes.items()}
    for name, outcome in by_name.items():
        if isinstance(outcome, ExtractionError):
            message = str(outcome)
            assert message[:1].isupper() and "Traceback" not in message and "stopped" not in message, name
        else:
            assert outcome.status in STATUSES, name
            assert outcome.status != "ok" or outcome.text.strip(), name
    for name in ("encryption/aes-128.pdf", "encryption/aes-256.pdf", "encryption/rc4-40.pdf"):
        assert by_name[name].status == "encrypted"
    assert "Secret!" in by_name["encryption/base.pdf"].text
    jbig2 = by_name["contrib/pdf-with-jbig2.pdf"]  # a scanned page: OCR'd when Tesseract is installed
    assert jbig2.status == "needs_ocr" if find_engine() is None else "It Doesn't Work" in jbig2.text
    assert "Hello" in by_name["contrib/issue-1113-evil-xobjects.pdf"].text
    failures = sum(isinstance(outcome, ExtractionError) for outcome in outcomes.values())
    assert failures <= 2  # 175.pdf has no page tree at all
    # The user password the encrypted samples were made with opens them (RC4 40/128, AES 128/256).
    locked = [
        SAMPLES / "encryption" / name for name in ("rc4-40.pdf", "rc4-128.pdf", "aes-128.pdf", "aes-256.pdf")
    ]
    for outcome in extract_isolated(locked, password="foo", workers=2).values():
        assert outcome.status == "ok" and outcome.text == "Secret!"
