"""Isolating runs of text inside a message, so that a title, a path or a bit of syntax keeps its own order.

Unicode's isolates (UAX #9): FSI … PDI takes the direction of the run's first strong letter, LRI … PDI
forces left-to-right (query syntax, commands, paths), RLI … PDI right-to-left. The message around an
isolate decides its paragraph direction from its own words, as if the run were one neutral character.
"""

from __future__ import annotations

import re

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
LRM, RLM = "\u200e", "\u200f"
_ISOLATE_CONTROLS = re.compile("[\u2066-\u2069]")


def _balanced(text: str) -> str:
    """`text` with every PDI that closes nothing dropped (it would close our own isolate early) and every
    isolate it leaves open closed."""
    if not _ISOLATE_CONTROLS.search(text):
        return text
    depth, kept = 0, []
    for char in text:
        if char in (LRI, RLI, FSI):
            depth += 1
        elif char == PDI:
            if not depth:
                continue
            depth -= 1
        kept.append(char)
    return "".join(kept) + PDI * depth


def isolate(text: object) -> str:
    """`text` as a run of its own direction (first strong letter), whatever the message around it."""
    return f"{FSI}{_balanced(str(text))}{PDI}"


def isolate_ltr(text: object) -> str:
    """`text` as a left-to-right run: query syntax, a command, a path, a code."""
    return f"{LRI}{_balanced(str(text))}{PDI}"


def isolate_rtl(text: object) -> str:
    """`text` as a right-to-left run (Arabic known to be Arabic)."""
    return f"{RLI}{_balanced(str(text))}{PDI}"


def without_isolates(text: str) -> str:
    """`text` with the isolate controls removed (for copying, comparing or plain-text output)."""
    return _ISOLATE_CONTROLS.sub("", text)


__all__ = [
    "FSI",
    "LRI",
    "LRM",
    "PDI",
    "RLI",
    "RLM",
    "isolate",
    "isolate_ltr",
    "isolate_rtl",
    "without_isolates",
]
