"""`qirtas [--archive DIR] COMMAND …` — argument parsing, archive location, exit statuses."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from platformdirs import user_data_dir
from qirtas.cli.output import escape_field, escape_text, json_text
from qirtas.i18n import _

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# Each module defines `register(subparsers, common)`; one module per group of commands.
COMMAND_MODULES = [
    "qirtas.cli.core_commands",
    "qirtas.cli.export_commands",
    "qirtas.cli.suggest_commands",
    "qirtas.cli.pdf_commands",
    "qirtas.cli.bilingual_commands",
]


class CommandError(Exception):
    """A failure to report in one sentence (exit status 1)."""


class UsageError(CommandError):
    """A command asked for something that cannot be asked (exit status 2). `payload`: the keys its --json
    document always has (a search's "total" and "results"), so scripts read the same shape."""

    def __init__(self, sentence: str, payload: dict | None = None) -> None:
        super().__init__(sentence)
        self.payload = payload or {}


MAX_ID = 2**63 - 1  # SQLite's largest integer


def _whole_number(text: str, smallest: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not smallest <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(
            _("give a whole number from {smallest} to {largest}, not {text}").format(
                smallest=smallest, largest=MAX_ID, text=escape_field(text)
            )
        )
    return value


def document_id(text: str) -> int:
    """argparse type of an id: a positive integer that SQLite can hold."""
    return _whole_number(text, 1)


def position(text: str) -> int:
    """argparse type of a 1-based position (a pair, a page)."""
    return _whole_number(text, 1)


def count(text: str) -> int:
    """argparse type of a limit or an offset."""
    return _whole_number(text, 0)


def default_archive() -> Path:
    return Path(
        os.environ.get("QIRTAS_ARCHIVE") or Path(user_data_dir("Qirtas", appauthor=False)) / "archive"
    )


def default_demo_archive() -> Path:
    return Path(user_data_dir("Qirtas", appauthor=False)) / "demo"


def archive_path(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "archive", None) or default_archive())


def emit(args: argparse.Namespace, payload: dict, text: str) -> None:
    """Print the JSON document with --json, else the human-readable text.

    Commands escape each value they put on a line (`escape_field`); the text is escaped once more here
    (`escape_text`, which keeps its lines), so no command's output can drive the terminal."""
    if getattr(args, "json", False):
        sys.stdout.write(json_text(payload) + "\n")
    elif text:
        print(escape_text(text))


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS keeps a value given before the command from being reset by the subcommand's default.
    common.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS, help="archive folder")
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document"
    )
    parser = argparse.ArgumentParser(
        prog="qirtas", parents=[common], description="Offline archive for English/Arabic documents."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if getattr(args, "command", None) != "search":
            parser.error(f"unrecognized arguments: {escape_field(' '.join(unknown))}")
        # `qirtas search -terror`: an exclusion looks like an option to argparse; it belongs to the query.
        args.query = [*args.query, *unknown]
    if not getattr(args, "command", None):
        args = parser.parse_args(["gui", *(argv if argv is not None else sys.argv[1:])])
    try:
        _check_archive_folder(args)
        if args.command == "gui" and (problem := _window_cannot_open()) is not None:
            print(f"qirtas: {problem}", file=sys.stderr)
            return EXIT_USAGE
        return int(args.handler(args) or EXIT_OK)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("qirtas: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the one place where every failure becomes a sentence
        return report_error(args, error)


def _window_cannot_open() -> str | None:
    """Why Qt could not open a window here (no display, missing system libraries), asked before PySide6
    is imported: Qt's own answer is an abort with a misleading message."""
    from qirtas.desktop.platform_check import check_display

    problem = check_display()
    return problem.sentence if problem is not None else None


def _archive_folder(args: argparse.Namespace) -> Path:
    given = getattr(args, "archive", None)
    if not given and getattr(args, "command", None) == "demo":
        return default_demo_archive()
    return Path(given or default_archive()).expanduser().absolute()


def _check_archive_folder(args: argparse.Namespace) -> None:
    folder = _archive_folder(args)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("The archive path {path} is a file, not a folder; give the folder of an archive.").format(
                path=folder
            )
        )


def report_error(args: argparse.Namespace, error: Exception) -> int:
    """One sentence on stderr (and as {"error": …} with --json); the exit status it deserves."""
    from qirtas.archive.archive import ArchiveError
    from qirtas.cli import errors

    folder = _archive_folder(args)
    if isinstance(error, UsageError):
        problem = errors.Problem(str(error), EXIT_USAGE)
    elif isinstance(error, CommandError | ArchiveError):
        problem = errors.hides_a_storage_problem(error, folder) or errors.Problem(str(error))
    else:
        problem = errors.describe(error, folder) or errors.unexpected(error)
    if getattr(args, "json", False):
        emit(args, {**getattr(error, "payload", {}), "error": problem.sentence}, "")
    print(f"qirtas: {escape_field(problem.sentence)}", file=sys.stderr)
    return problem.status


if __name__ == "__main__":
    sys.exit(main())
