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

from qirtas import __version__
from qirtas.logs import setup_logging

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# Every command, the module that registers it (`register(subparsers, common)`) and its one-line help.
# Only the module of the command being run is imported: together they import peewee, Babel, pdfminer and
# the archive (0.3 s), which `qirtas --help` and `--version` do without; they list the others from here.
COMMANDS: dict[str, tuple[str, str]] = {
    "gui": ("qirtas.cli.core_commands", "open the desktop application"),
    "demo": ("qirtas.cli.core_commands", "build (or rebuild) the demo archive from seeds/"),
    "import": ("qirtas.cli.core_commands", "import files or folders (recursively)"),
    "list": ("qirtas.cli.core_commands", "list documents, optionally filtered"),
    "show": ("qirtas.cli.core_commands", "show one document"),
    "search": ("qirtas.cli.core_commands", "full-text search"),
    "tag": ("qirtas.cli.core_commands", "add (or with --remove, take off) event, region and theme tags"),
    "verify": ("qirtas.cli.core_commands", "re-hash every original and check the database and index"),
    "export": ("qirtas.cli.export_commands", "export documents as CSV, JSON Lines or a BagIt bag"),
    "import-bag": ("qirtas.cli.export_commands", "restore a bag made by export --format bagit"),
    "backup": (
        "qirtas.cli.export_commands",
        "copy the archive (database and originals) while it may be in use",
    ),
    "suggest": (
        "qirtas.cli.suggest_commands",
        "suggest event, region and theme tags for a document, with evidence",
    ),
    "theme-keywords": ("qirtas.cli.suggest_commands", "show or edit the keywords that suggest each theme"),
    "audit": (
        "qirtas.cli.suggest_commands",
        "check stored texts for mojibake, stray scripts, U+FFFD, reversed Arabic, invisible characters and low OCR confidence",
    ),
    "unlock": (
        "qirtas.cli.pdf_commands",
        "re-read an encrypted PDF with its password (the original is untouched)",
    ),
    "ocr": (
        "qirtas.cli.ocr_commands",
        "read documents' text again with OCR (the originals are untouched)",
    ),
    "link": (
        "qirtas.cli.bilingual_commands",
        "link two documents as translations of each other (and align them)",
    ),
    "unlink": (
        "qirtas.cli.bilingual_commands",
        "remove a translation link (its aligned pairs and their review go too)",
    ),
    "link-candidates": (
        "qirtas.cli.bilingual_commands",
        "suggest documents that may be this one's translation",
    ),
    "review": (
        "qirtas.cli.bilingual_commands",
        "the aligned pairs of a document and its translation, with their review",
    ),
    "reviews": ("qirtas.cli.bilingual_commands", "documents with translations and their review state"),
}
COMMAND_MODULES = list(dict.fromkeys(module for module, _help_text in COMMANDS.values()))


class CommandError(Exception):
    """A failure to report in one sentence (exit status 1). `payload`: keys its --json document has
    beside "error" (a search's "total" and "results", a tag name's "did_you_mean")."""

    def __init__(self, sentence: str, payload: dict | None = None) -> None:
        super().__init__(sentence)
        self.payload = dict(payload or {})  # its own copy: report_error adds "error" beside these keys


class UsageError(CommandError):
    """A command asked for something that cannot be asked (exit status 2)."""


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
    elif text:  # after a file written to standard output ("-"), the report goes beside it, to stderr
        print(escape_text(text), file=sys.stderr if writes_to_standard_output(args) else sys.stdout)


# The options and arguments that name a file a command writes: "-" there means standard output.
OUTPUT_OPTIONS = ("destination", "csv", "pdf", "tmx", "xliff")


def writes_to_standard_output(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) == "-" for name in OUTPUT_OPTIONS)


def refuse_json_with_standard_output(args: argparse.Namespace) -> None:
    """--json and a file written to "-" would share standard output: one of them has to go elsewhere."""
    if getattr(args, "json", False) and writes_to_standard_output(args):
        raise UsageError(
            _("--json and “-” both write to standard output; give a file name, or leave out --json.")
        )


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; given the command line, only its command's module is imported, the
    other commands are listed (for --help) without their options."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS keeps a value given before the command from being reset by the subcommand's default.
    common.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS, help="archive folder")
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document"
    )
    parser = argparse.ArgumentParser(
        prog="qirtas", parents=[common], description="Offline archive for English/Arabic documents."
    )
    parser.add_argument("--version", action="version", version=f"qirtas {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = COMMAND_MODULES if argv is None else [COMMANDS[name][0] for name in _commands_named(argv)]
    for name, (module, help_text) in COMMANDS.items():
        if name in subparsers.choices:
            continue  # registered with the rest of its module
        if module in wanted:
            importlib.import_module(module).register(subparsers, common)
        else:  # listed only: main() imports the module should this command be chosen after all
            subparsers.add_parser(name, help=help_text, add_help=False).set_defaults(handler=None)
    return parser


def _commands_named(argv: list[str]) -> list[str]:
    """The command the command line names: its first word that is neither an option nor --archive's value
    (an abbreviated --arch DIR may mislead this; main() then loads every command)."""
    words = iter(argv)
    for word in words:
        if word == "--archive":
            next(words, None)
        elif word == "--":
            break
        elif not word.startswith("-"):
            return [word] if word in COMMANDS else []
    return []


def main(argv: list[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args, unknown = parser.parse_known_args(words)
    if getattr(args, "command", None) and args.handler is None:  # a command _commands_named missed
        parser = build_parser()
        args, unknown = parser.parse_known_args(words)
    if unknown:
        if getattr(args, "command", None) != "search":
            parser.error(f"unrecognized arguments: {escape_field(' '.join(unknown))}")
        # `qirtas search -terror`: an exclusion looks like an option to argparse; it belongs to the query.
        args.query = [*args.query, *unknown]
    if not getattr(args, "command", None):
        args = build_parser(["gui"]).parse_args(["gui", *words])
    try:
        setup_logging()
        _check_arguments(args)
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


def _check_arguments(args: argparse.Namespace) -> None:
    """What no command can do: open an archive that is a file, or share standard output between --json
    and a file written to "-"."""
    refuse_json_with_standard_output(args)
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
