"""`qirtas [--archive DIR] COMMAND …` — argument parsing, archive location, exit statuses."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

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


def default_archive() -> Path:
    return Path(
        os.environ.get("QIRTAS_ARCHIVE") or Path(user_data_dir("Qirtas", appauthor=False)) / "archive"
    )


def default_demo_archive() -> Path:
    return Path(user_data_dir("Qirtas", appauthor=False)) / "demo"


def archive_path(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "archive", None) or default_archive())


def emit(args: argparse.Namespace, payload: dict, text: str) -> None:
    """Print the JSON document with --json, else the human-readable text."""
    if getattr(args, "json", False):
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=None, default=str)
        sys.stdout.write("\n")
    elif text:
        print(text)


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
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        # `qirtas search -terror`: an exclusion looks like an option to argparse; it belongs to the query.
        args.query = [*args.query, *unknown]
    if not getattr(args, "command", None):
        args = parser.parse_args(["gui", *(argv if argv is not None else sys.argv[1:])])
    from qirtas.archive.archive import ArchiveError

    try:
        return int(args.handler(args) or EXIT_OK)
    except (CommandError, ArchiveError) as error:
        if getattr(args, "json", False):
            emit(args, {"error": str(error)}, "")
        print(f"qirtas: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("qirtas: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
