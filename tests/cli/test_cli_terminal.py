"""What a title, a tag name or a file name holds never drives the terminal: controls, escape sequences and
bidi overrides are shown as escapes in plain text, and stay exact (but escaped) in JSON."""

from __future__ import annotations

import json

import pytest
from qirtas.archive.archive import Archive
from qirtas.cli.main import main
from qirtas.cli.output import escape_field, escape_text, json_text

HOSTILE_TITLE = "\x1b[2J\x1b[Himported 0"
FAKE_LINE_TAG = "x\n region: fake"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2028")


def body(first_line: str) -> str:
    lines = [f"The council met in Cairo about the internet, meeting number {n}." for n in range(30)]
    return "\n\n".join(
        [first_line, *lines, "A bell \x07, an override \u202eevil\u202c and an isolate \u2066x\u2069."]
    )


@pytest.fixture
def hostile(tmp_path, capsys) -> str:
    """An archive whose English document has a screen-clearing title, a bell, an override and an isolate
    in its text, a theme tag whose name holds a newline, and an Arabic translation linked to it."""
    english, arabic = tmp_path / "en.txt", tmp_path / "ar.txt"
    english.write_text(body(HOSTILE_TITLE), encoding="utf-8")
    arabic.write_text(
        "\n\n".join(f"اجتمع المجلس في القاهرة بشأن الإنترنت، الاجتماع رقم {n}." for n in range(31)),
        encoding="utf-8",
    )
    archive = str(tmp_path / "A")
    assert main(["--archive", archive, "import", str(english), str(arabic)]) == 0
    assert main(["--archive", archive, "link", "1", "2"]) == 0
    assert main(["--archive", archive, "tag", "1", "--theme", FAKE_LINE_TAG, "--create"]) == 0
    capsys.readouterr()
    return archive


def plain(capsys, *argv: str) -> str:
    status = main(list(argv))
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    return captured.out + captured.err


def assert_terminal_safe(out: str) -> None:
    for char in RAW:
        assert char not in out, (char, out)
    assert not any(line.strip().startswith("region: fake") for line in out.splitlines()), out


# ---- the escapes -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", "\\e[2J"),
        ("bell\x07", "bell\\x07"),
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        ("\x00\x7f", "\\x00\\x7f"),
        ("\x9b31m", "\\u009b31m"),  # the one-byte CSI of C1
        ("\u202eevil\u202c", "\\u202eevil\\u202c"),
        ("\u2066x\u2069\u2067\u2068", "\\u2066x\\u2069\\u2067\\u2068"),
        ("line\u2028paragraph\u2029", "line\\u2028paragraph\\u2029"),
        ("bytes \udcff", "bytes \\udcff"),  # an undecodable byte of a file name
        ("الإرهاب في دوشنبه", "الإرهاب في دوشنبه"),  # Arabic needs no marks and gets none added
        ("Report 2018\u200f \u200e\u061c", "Report 2018\u200f \u200e\u061c"),  # marks stay
        ("Café, naïve — “quoted”", "Café, naïve — “quoted”"),
    ],
)
def test_a_field_shows_controls_and_overrides_as_escapes(text, shown):
    assert escape_field(text) == shown


def test_a_text_keeps_its_lines_and_tabs_but_not_its_controls():
    assert escape_text("one\n\ttwo\x1b[31m\r\n") == "one\n\ttwo\\e[31m\\r\n"


def test_json_is_exact_but_escapes_what_a_terminal_would_act_on():
    value = {"title": HOSTILE_TITLE + "\x7f\x9b\u202e\u2066\u2028\u2029 \udcff القاهرة\u200f"}
    text = json_text(value)
    assert json.loads(text) == value
    assert not any(char in text for char in (*RAW, "\x7f", "\u2029", "\udcff"))
    assert "القاهرة\u200f" in text  # ensure_ascii=False still: Arabic stays readable
    text.encode("utf-8")  # a lone surrogate would not encode


# ---- every plain-text command ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["show", "1"],
        ["search", "cairo"],
        ["search", "bell"],
        ["review", "1"],
        ["reviews"],
        ["link-candidates", "1"],
        ["suggest", "1"],
        ["audit"],
        ["audit", "--repaired"],
        ["theme-keywords"],
        ["verify"],
    ],
)
def test_plain_output_of_every_command_is_terminal_safe(hostile, capsys, argv):
    out = plain(capsys, "--archive", hostile, *argv)
    assert_terminal_safe(out)


def test_the_hostile_title_is_shown_escaped_on_one_line(hostile, capsys):
    out = plain(capsys, "--archive", hostile, "list")
    line = next(line for line in out.splitlines() if line.split()[0] == "1")
    assert line.endswith("\\e[2J\\e[Himported 0")
    shown = plain(capsys, "--archive", hostile, "show", "1").splitlines()
    assert shown[0] == "\\e[2J\\e[Himported 0"


def test_a_tag_name_with_a_newline_stays_on_the_tag_line(hostile, capsys):
    lines = plain(capsys, "--archive", hostile, "show", "1").splitlines()
    assert "theme: x\\n region: fake" in lines[2]
    added = plain(capsys, "--archive", hostile, "tag", "2", "--theme", FAKE_LINE_TAG)
    assert_terminal_safe(added)
    assert added.strip() == "x\\n region: fake: added to 1 document"


def test_a_title_with_a_newline_is_one_line_of_the_listing(hostile, capsys):
    with Archive.open(hostile, create=False) as archive:
        archive.update_document(1, title="Minutes\nregion: fake\x1b]0;owned\x07")
    out = plain(capsys, "--archive", hostile, "list")
    assert len(out.strip().splitlines()) == 2
    assert "Minutes\\nregion: fake\\e]0;owned\\x07" in out
    assert_terminal_safe(out)


def test_json_output_keeps_the_exact_values(hostile, capsys):
    assert main(["--archive", hostile, "show", "1", "--json"]) == 0
    out = capsys.readouterr().out
    shown = json.loads(out)
    assert shown["title"] == HOSTILE_TITLE
    assert [t["en"] for t in shown["tags"]["theme"]] == [FAKE_LINE_TAG]
    assert "\u202eevil\u202c" in shown["text"]
    assert not any(char in out for char in RAW)


def test_a_failed_file_name_in_the_import_report_is_escaped(tmp_path, capsys):
    (tmp_path / "clear\x1b[2J.txt").write_bytes(b"")
    out = plain(capsys, "--archive", str(tmp_path / "A"), "import", str(tmp_path))
    assert "clear\\e[2J.txt" in out
    assert_terminal_safe(out)


def test_an_error_sentence_is_escaped_too(tmp_path, capsys):
    (tmp_path / "a\x1b[2Jb\nregion: fake").write_text("a file, not an archive", encoding="utf-8")
    assert main(["--archive", str(tmp_path / "a\x1b[2Jb\nregion: fake"), "list"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "a\\e[2Jb\\nregion: fake" in err
    assert_terminal_safe(err)


def test_a_hostile_query_is_echoed_escaped(hostile, capsys):
    out = plain(capsys, "--archive", hostile, "search", "cairo", "lang:\x1b[2J")
    assert "\\e[2J" in out
    assert_terminal_safe(out)


# ---- tag names that show nothing ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "\u200b",  # zero width space
        "\u200c\u200d",  # zero width non-joiner, joiner
        "\ufeff",  # byte order mark
        "\u200e\u200f\u061c",  # bidi marks
        " \u200b\u2066\u2069 ",
        "\u3164",  # Hangul filler: a letter that shows nothing
    ],
)
@pytest.mark.parametrize("facet", ["--theme", "--event", "--region"])
def test_a_tag_name_that_shows_nothing_is_refused(hostile, capsys, name, facet):
    with Archive.open(hostile, create=False) as archive:
        before = len(archive.tags())
    assert main(["--archive", hostile, "tag", "1", facet, name]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and len(captured.err.strip().splitlines()) == 1
    assert "visible" in captured.err
    with Archive.open(hostile, create=False) as archive:
        assert len(archive.tags()) == before


def test_a_name_with_marks_around_letters_is_a_name(hostile, capsys):
    assert main(["--archive", hostile, "tag", "1", "--theme", "\u200fحقوق الإنسان\u200f", "--create"]) == 0
