"""Whatever stops a command becomes one sentence (naming the path and what to do) and an exit status;
the traceback of anything unforeseen goes to a log file, never to the terminal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qirtas.archive.problems import exception_chain, hidden_storage_problem, storage_problem
from qirtas.i18n import _

from qirtas.logs import log_exception

EXIT_PROBLEMS, EXIT_USAGE = 1, 2


@dataclass(frozen=True)
class Problem:
    sentence: str
    status: int = EXIT_PROBLEMS


def describe(error: BaseException, archive: Path | None) -> Problem | None:
    """The sentence for the first known kind of failure found from the root of the chain outwards."""
    for link in reversed(exception_chain(error)):
        if isinstance(link, OverflowError) or "too large to convert to sqlite" in str(link).casefold():
            return Problem(
                _("A number on the command line is too large; ids and counts are below {limit}.").format(
                    limit=2**63
                ),
                EXIT_USAGE,
            )
    sentence = storage_problem(error, archive or Path("."))
    return None if sentence is None else Problem(sentence)


def hides_a_storage_problem(error: BaseException, archive: Path | None) -> Problem | None:
    """A full disk or a damaged database under an error that carries its own sentence (see
    `archive.problems.hidden_storage_problem`)."""
    sentence = hidden_storage_problem(error, archive or Path("."))
    return None if sentence is None else Problem(sentence)


# ---- the unforeseen ------------------------------------------------------------------------------------
def log_unexpected(error: BaseException) -> Path | None:
    """Write the traceback to the log file (`qirtas.logs`, shared with the window); that file, or None
    when there is none to write to."""
    return log_exception("unexpected error in the qirtas command", error)


def unexpected(error: BaseException) -> Problem:
    kind = type(error).__name__
    where = log_unexpected(error)
    if where is None:
        return Problem(
            _("Something unexpected went wrong ({kind}: {reason}); please report it.").format(
                kind=kind, reason=str(error).splitlines()[0] if str(error) else kind
            )
        )
    return Problem(
        _("Something unexpected went wrong ({kind}); the details are in {path}.").format(
            kind=kind, path=where
        )
    )
