"""Text for a terminal: what a title, a tag name or a file name holds is shown, never obeyed.

C0 and C1 controls (ESC among them), DEL, the line and paragraph separators and the bidi embeddings,
overrides and isolates become escapes, as git shows such file names: `\\e`, `\\x07`, `\\u202e`. Arabic
needs none of these to display (the terminal's bidi algorithm orders it), so nothing legitimate is lost;
the bidi marks (LRM, RLM, ALM), which only nudge neutral characters, stay. JSON keeps every value exact.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Lone surrogates are the undecodable bytes of a file name: printed raw, they would not even encode.
_BIDI_AND_SEPARATORS = "\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_UNSAFE_FIELD = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
_UNSAFE_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")  # keeps \t and \n
_UNSAFE_JSON = re.compile(f"[\x7f-\x9f{_BIDI_AND_SEPARATORS}]")  # json.dumps escapes C0 itself
_NAMED = {"\x1b": "\\e", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def escape_field(text: object) -> str:
    """A one-line value (a title, a name, a path): every control, newlines included, as an escape."""
    text = "" if text is None else str(text)
    return _UNSAFE_FIELD.sub(_escape, text) if _UNSAFE_FIELD.search(text) else text


def escape_text(text: object) -> str:
    """Text of several lines (a document, a report): its lines and tabs stay, other controls are escaped."""
    text = "" if text is None else str(text)
    return _UNSAFE_TEXT.sub(_escape, text) if _UNSAFE_TEXT.search(text) else text


def json_text(payload: object) -> str:
    """One JSON document, readable (not ASCII-only) yet with DEL, C1 controls, separators, bidi controls
    and lone surrogates as \\u escapes: still valid JSON, decoding to the very same values."""
    text = json.dumps(payload, ensure_ascii=False, indent=None, default=str)
    return _UNSAFE_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


STANDARD_OUTPUT = "-"  # as an output path: write to standard output, as `tar -f -` and `curl -o -` do


@contextmanager
def output_path(path: str, suffix: str = "") -> Iterator[str]:
    """Where a command writes a file: `path` itself, or for "-" a temporary file whose bytes are copied
    to standard output once it is complete (the writers replace a file atomically, so they need one)."""
    if path != STANDARD_OUTPUT:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="qirtas-output-") as folder:
        written = Path(folder) / f"standard-output{suffix}"
        yield str(written)
        sys.stdout.flush()
        with written.open("rb") as source:
            shutil.copyfileobj(source, sys.stdout.buffer)
        sys.stdout.buffer.flush()
