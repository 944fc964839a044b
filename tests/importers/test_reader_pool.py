"""The one reader pool (importers/pool.py): its limits, cancelling, the state a worker keeps for its owner,
and an import reading its text files and extracting its PDFs in one pool."""

from __future__ import annotations

import os
import time
from concurrent.futures import wait

import pytest
from qirtas.archive.importing import ImportOptions, import_paths
from qirtas.importers import pool as pool_module
from qirtas.importers.pool import ReaderPool, WorkerLost

from tests.conftest import REPO


# Tasks run in the workers: module-level, so they travel by name.
def pages_then_stall(context, pages: int) -> None:
    for page in range(1, pages + 1):
        context.progress(page)
    time.sleep(3600)


def slow_pages(context, pages: int, allowance: float, seconds: float) -> int:
    """Pages that each take `seconds`, each reported with `allowance` (as OCR'd pages are)."""
    for page in range(1, pages + 1):
        time.sleep(seconds)
        context.progress(page, allowance)
    return pages


def counted(context) -> tuple[int, int]:
    """This worker's process and how many tasks its state has seen."""
    context.state.append(None)
    return os.getpid(), len(context.state)


def pid(context) -> int:
    return os.getpid()


def crash(context) -> None:
    os._exit(3)


def _cancelled(future) -> bool:
    """Ended without running to its end: cancelled before it was sent, or stopped in its worker."""
    if future.cancelled():
        return True
    error = future.exception()
    return isinstance(error, WorkerLost) and error.reason == "cancelled"


def test_a_task_stalled_on_a_page_is_stopped_and_says_how_far_it_got():
    with ReaderPool(1, timeout=1.0) as pool:
        started = time.monotonic()
        future = pool.submit(pages_then_stall, 3)
        error = future.exception(timeout=30)
        assert isinstance(error, WorkerLost) and error.reason == "time"
        assert error.pages == 3
        assert time.monotonic() - started < 10
        # A fresh worker takes the next task.
        assert pool.submit(pid).result(timeout=30) > 0


def test_pages_read_by_ocr_are_allowed_more_time_than_pages_of_text():
    # 6 pages of 0.4 s with a 2 s limit: 2.4 s in all, beyond 2 s and 1 % a page (2.12 s), within 2 s
    # and a quarter of it a page (0.5 s a page).
    with ReaderPool(2, timeout=2.0) as pool:
        text = pool.submit(slow_pages, 6, pool_module.PAGE_ALLOWANCE, 0.4)
        scanned = pool.submit(slow_pages, 6, pool_module.OCR_PAGE_ALLOWANCE, 0.4)
        error = text.exception(timeout=30)
        assert isinstance(error, WorkerLost) and error.reason == "time" and not error.stalled
        assert 2.0 <= error.allowed < 2.2
        assert scanned.result(timeout=30) == 6


def test_cancel_stops_a_running_task_at_once_and_the_pool_goes_on():
    with ReaderPool(1, timeout=600) as pool:
        running = pool.submit(pages_then_stall, 1)
        first = pool.submit(pid).result  # queued behind it: one worker
        time.sleep(0.5)
        started = time.monotonic()
        pool.cancel([running])
        running.exception(timeout=5)
        assert _cancelled(running) and time.monotonic() - started < 1.0
        assert first(timeout=30) > 0


def test_a_worker_that_dies_fails_its_task_only():
    with ReaderPool(1) as pool:
        error = pool.submit(crash).exception(timeout=30)
        assert isinstance(error, WorkerLost) and error.reason == "crash" and error.exitcode == 3
        assert pool.submit(pid).result(timeout=30) > 0


def test_a_task_waiting_behind_one_whose_worker_dies_is_run_by_the_next_worker():
    with ReaderPool(1) as pool:
        dying, behind = pool.submit(crash), pool.submit(pid)  # the second waits in the worker's pipe
        assert isinstance(dying.exception(timeout=30), WorkerLost)
        assert behind.result(timeout=30) > 0


def test_each_worker_keeps_its_owners_state_between_tasks_and_a_new_pool_starts_afresh():
    with ReaderPool(1, state=list) as pool:
        answers = [pool.submit(counted).result(timeout=30) for _ in range(3)]
    assert len({process for process, _count in answers}) == 1
    assert [count for _process, count in answers] == [1, 2, 3]
    with ReaderPool(1, state=list) as pool:
        assert pool.submit(counted).result(timeout=30)[1] == 1


def test_closing_the_pool_cancels_what_has_not_run():
    pool = ReaderPool(1, timeout=600)
    running = pool.submit(pages_then_stall, 1)
    waiting = pool.submit(pid)
    time.sleep(0.3)
    started = time.monotonic()
    pool.close()
    assert time.monotonic() - started < 5
    done, _pending = wait([running, waiting], timeout=5)
    assert len(done) == 2 and all(map(_cancelled, done))
    with pytest.raises(RuntimeError):
        pool.submit(pid)


def test_an_import_reads_text_and_extracts_pdfs_in_one_pool(archive, tmp_path, monkeypatch):
    pools: list[ReaderPool] = []
    original = ReaderPool.__init__

    def counting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        pools.append(self)

    monkeypatch.setattr(pool_module.ReaderPool, "__init__", counting)
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(40):
        (folder / f"note-{number}.txt").write_text(f"Field note {number} on water in Gaza.", encoding="utf-8")
    for pdf in ("ar_news.pdf", "en_conference.pdf"):
        (folder / pdf).write_bytes((REPO / "tests" / "fixtures" / "pdf" / "libreoffice" / pdf).read_bytes())
    report = import_paths(archive, [folder], ImportOptions(workers=2))
    assert not report.failed, report.failed
    assert len(report.imported) == 42
    assert len(pools) == 1 and pools[0].size == 2


def test_an_import_reports_each_page_of_a_scan_it_reads_by_ocr(archive, tmp_path):
    from qirtas.importers.ocr import find_engine

    if find_engine() is None:
        pytest.skip(
            "Tesseract is not installed (apt install tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng)"
        )
    folder = tmp_path / "in"
    folder.mkdir()
    scan = folder / "partly_scanned.pdf"
    scan.write_bytes((REPO / "tests" / "fixtures" / "pdf" / "status" / "partly_scanned.pdf").read_bytes())
    calls = []
    report = import_paths(
        archive, [folder], progress=lambda done, total, current="", page=0: calls.append((current, page))
    )
    assert [item.status for item in report.imported] == ["ocr"]
    pages = [page for current, page in calls if page]
    assert pages and pages == sorted(pages) and {current for current, page in calls if page} == {str(scan)}
