"""What an import does with inputs that are not plain files in a plain folder: FIFOs and devices, folders
that cannot be listed, links that lead out of the folder, files that change while they are read, and
PDFs too long for one time limit or too greedy for the machine's memory. Nothing is lost without a word:
each ends as a document, a duplicate or a failure that says why."""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path

import pytest
from qirtas.archive.importing import ImportOptions, import_paths, writing
from qirtas.archive.models import Document
from qirtas.archive.verify import verify
from qirtas.cli.main import main
from qirtas.importers import Extracted, ExtractionError, extract, pool
from qirtas.importers.workers import MEMORY_LIMIT_ENV, ReaderHooks, extract_isolated

FIXTURES = Path(__file__).parents[1] / "fixtures" / "pdf"
ENGLISH_PDF = FIXTURES / "libreoffice" / "en_conference.pdf"
OTHER_PDF = FIXTURES / "chromium" / "bilingual.pdf"
WORDS = b"river canal delta flood treaty harvest basin spring meadow orchard".split()


def many_page_pdf(pages: int, lines_per_page: int = 4) -> bytes:
    """A PDF of `pages` pages, each with its own few lines of English (written by hand: no PDF library)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for number in range(1, pages + 1):
        name = b" ".join(WORDS[number // 10**k % 10] for k in range(5))
        lines = b" ".join(
            b"(%s %s: the council met about water rights, page %d.) Tj T*" % (WORDS[line % 10], name, number)
            for line in range(lines_per_page)
        )
        content = b"BT /F1 11 Tf 14 TL 72 740 Td %s ET" % lines
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(out)


def failures(report) -> dict[str, str]:
    return {item.path: item.error for item in report.failed}


def names(paths) -> list[str]:
    return sorted(Path(path).name for path in paths)


# ---- 10. FIFOs, devices and files without a size ---------------------------------------------------
def test_a_fifo_in_the_import_folder_is_reported_and_the_import_goes_on(archive, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Minutes of the river council.", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "z.txt").write_text("Report on the canal works.", encoding="utf-8")
    outcome = {}
    thread = threading.Thread(
        target=lambda: outcome.update(report=import_paths(archive, [folder])), daemon=True
    )
    thread.start()
    thread.join(60)
    if thread.is_alive():  # the import is blocked opening the FIFO: give it a writer so the test can end
        os.close(os.open(folder / "pipe.txt", os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
        pytest.fail("the import waited for a writer on the FIFO")
    report = outcome["report"]
    assert names(item.path for item in report.imported) == ["a.txt", "z.txt"]
    assert failures(report) == {
        str(folder / "pipe.txt"): "pipe.txt is not a regular file (a FIFO); only files are imported."
    }


def test_a_device_named_for_import_is_refused_as_not_a_file_without_reading_it(archive):
    report = import_paths(archive, ["/dev/zero"])
    assert failures(report) == {
        "/dev/zero": "zero is not a regular file (a character device); only files are imported."
    }
    assert archive.count() == 0


def test_a_link_to_a_device_is_refused_without_reading_it_when_links_are_followed(archive, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zero.txt").symlink_to("/dev/zero")
    report = import_paths(archive, [folder], ImportOptions(follow_symlinks=True))
    assert failures(report) == {
        str(
            folder / "zero.txt"
        ): "zero.txt is not a regular file (a character device); only files are imported."
    }


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_the_size_limit_applies_to_the_bytes_read_not_to_the_size_the_file_claims(archive):
    # /proc files are regular files that say they hold 0 bytes.
    report = import_paths(archive, ["/proc/self/status"], ImportOptions(max_bytes=100))
    assert archive.count() == 0
    assert "more than the limit" in failures(report)["/proc/self/status"]


# ---- 11. folders that cannot be read, links -------------------------------------------------------
def test_a_subfolder_that_cannot_be_read_is_reported_with_its_reason(archive, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "inside.txt").write_text("Never seen.", encoding="utf-8")
    (folder / "open.txt").write_text("Seen.", encoding="utf-8")
    if os.geteuid() == 0:  # root reads every folder: the refusal is simulated
        real_scandir = os.scandir

        def scandir(path="."):
            if os.fspath(path).endswith("locked"):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        (folder / "locked").chmod(0)
    try:
        report = import_paths(archive, [folder])
    finally:
        (folder / "locked").chmod(0o755)
    assert names(item.path for item in report.imported) == ["open.txt"]
    assert failures(report) == {
        str(
            folder / "locked"
        ): "The folder could not be read, so its files were not imported: Permission denied."
    }


def test_a_subfolder_too_deep_to_open_is_reported(archive, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "top.txt").write_text("Top.", encoding="utf-8")
    handle = os.open(folder, os.O_RDONLY)
    depth = 4200 // 201 + 1  # past PATH_MAX (4096)
    for _level in range(depth):
        os.mkdir("d" * 200, dir_fd=handle)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=handle)
        os.close(handle)
        handle = inner
    os.close(handle)
    report = import_paths(archive, [folder])
    assert names(item.path for item in report.imported) == ["top.txt"]
    [(path, error)] = failures(report).items()
    assert path.startswith(str(folder / ("d" * 200))) and len(path) > 4000
    assert error == "The folder could not be read, so its files were not imported: File name too long."


def outside_and_inside(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:secret of the machine", encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "own.txt").write_text("Minutes of the delta committee.", encoding="utf-8")
    (folder / "sub" / "deep.txt").write_text("Notes on the orchard survey.", encoding="utf-8")
    (folder / "passwd-link").symlink_to(outside / "passwd")
    (folder / "outside-folder").symlink_to(outside)
    (folder / "alias.txt").symlink_to("own.txt")  # inside the folder, to a file inside it
    (folder / "sub-alias").symlink_to("sub")  # to a folder inside it
    return outside, folder


def test_links_out_of_the_imported_folder_are_not_followed_and_are_reported(archive, tmp_path):
    outside, folder = outside_and_inside(tmp_path)
    report = import_paths(archive, [folder])
    assert names(item.path for item in report.imported) == ["deep.txt", "own.txt"]
    # A link to a file inside the folder is followed: the file is a duplicate of its target.
    assert [(Path(item.path).name, item.id) for item in report.duplicates] == [
        ("alias.txt", next(item.id for item in report.imported if item.path.endswith("own.txt")))
    ]
    assert failures(report) == {
        str(folder / "outside-folder"): (
            f"Skipped: outside-folder is a link to {outside}, outside the imported folder; links out of it "
            "are not followed (import with --follow-symlinks to follow them)."
        ),
        str(folder / "passwd-link"): (
            f"Skipped: passwd-link is a link to {outside / 'passwd'}, outside the imported folder; links out "
            "of it are not followed (import with --follow-symlinks to follow them)."
        ),
    }
    assert not any("secret" in document.text for document in Document.select())


def test_links_out_of_the_folder_are_followed_when_asked(archive, tmp_path):
    _outside, folder = outside_and_inside(tmp_path)
    report = import_paths(archive, [folder], ImportOptions(follow_symlinks=True))
    assert report.failed == []
    # passwd-link is met first, then outside-folder/passwd (the folder's files come before its subfolders')
    assert names(item.path for item in report.imported) == ["deep.txt", "own.txt", "passwd-link"]
    assert names(item.path for item in report.duplicates) == ["alias.txt", "passwd"]
    assert sum("secret" in document.text for document in Document.select()) == 1


def test_the_command_line_follows_links_out_of_the_folder_only_when_asked(tmp_path, capsys):
    _outside, folder = outside_and_inside(tmp_path)
    assert main(["--archive", str(tmp_path / "A"), "import", str(folder)]) == 1
    assert (
        "failed: " + str(folder / "passwd-link") + ": Skipped: passwd-link is a link"
        in capsys.readouterr().out
    )
    assert main(["--archive", str(tmp_path / "B"), "import", "--follow-symlinks", str(folder)]) == 0
    assert "imported 3, duplicates 2, failed 0" in capsys.readouterr().out


# ---- 12. PDF workers: memory shared out, time by the page --------------------------------------------
def test_the_readers_memory_limits_add_up_to_half_the_machines_memory(monkeypatch):
    hungry = FIXTURES / "chromium" / "columns_en.pdf"
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)  # the default: 4096 MB for the readers at most
    monkeypatch.setattr(pool, "physical_memory_mb", lambda: 3200)
    outcomes = extract_isolated(
        [hungry, ENGLISH_PDF, OTHER_PDF], workers=2, hooks=ReaderHooks(hog=hungry.name)
    )
    # 3200 MB of memory: 1600 for the readers, 800 each.
    assert "more memory than a reader may use (800 MB: the readers share 1600 MB" in str(outcomes[hungry])
    assert isinstance(outcomes[ENGLISH_PDF], Extracted) and isinstance(outcomes[OTHER_PDF], Extracted)


@pytest.mark.slow
def test_a_long_pdf_finishes_though_its_pages_together_take_longer_than_the_time_limit(tmp_path):
    long_pdf = tmp_path / "long.pdf"
    long_pdf.write_bytes(many_page_pdf(2000))
    outcome = extract_isolated([long_pdf], timeout=1.0, workers=1)[long_pdf]
    assert isinstance(outcome, Extracted), outcome
    assert outcome.pages == 2000 and "orchard orchard delta canal river" in outcome.text  # page 1987


def test_a_pdf_that_stalls_after_its_first_pages_is_stopped_within_the_time_limit(tmp_path, monkeypatch):
    long_pdf = tmp_path / "stalls.pdf"
    long_pdf.write_bytes(many_page_pdf(30))
    started = time.monotonic()
    hooks = ReaderHooks(stall_page=("stalls.pdf", 20))
    outcome = extract_isolated([long_pdf], timeout=2.0, workers=1, hooks=hooks)[long_pdf]
    assert time.monotonic() - started < 2.0 * 1.19 + 1.5  # the limit and 1 % of it for each of 19 pages
    assert isinstance(outcome, ExtractionError)
    # Which of the two limits ends it first depends on how fast the first 19 pages were read.
    assert str(outcome) in (
        "Reading this file stopped after page 19: page 20 took longer than the 2 seconds allowed for a "
        "page, so it was stopped; the file may be damaged or built to stall readers (import it alone with "
        "a longer --timeout to try again).",
        "Reading this file took longer than the 2 seconds allowed for its first 19 pages, so it was "
        "stopped; the file may be damaged or built to stall readers (import it alone with a longer "
        "--timeout to try again).",
    )


# ---- 7. the text comes from the bytes that were hashed --------------------------------------------------
def test_a_pdf_replaced_while_it_is_imported_keeps_the_text_of_the_bytes_archived(
    archive, tmp_path, monkeypatch
):
    folder = tmp_path / "in"
    folder.mkdir()
    document_path = folder / "report.pdf"
    document_path.write_bytes(ENGLISH_PDF.read_bytes())
    real_extract_isolated = writing.extract_isolated

    def replaced_before_extraction(paths, **options):
        document_path.write_bytes(OTHER_PDF.read_bytes())  # the user saves another version meanwhile
        return real_extract_isolated(paths, **options)

    monkeypatch.setattr(writing, "extract_isolated", replaced_before_extraction)
    report = import_paths(archive, [folder])
    [imported] = report.imported
    document = archive.get(imported.id)
    original = archive.original_path(document)
    assert original.read_bytes() == ENGLISH_PDF.read_bytes()
    assert document.text == extract(original).text
    assert document.text != extract(OTHER_PDF).text
    assert verify(archive).problems == []
