"""Arabic in PDFs: glyphs laid out in visual order back to logical text.

A PDF stores where each glyph is drawn, not the order a reader reads them. For a right-to-left line the
glyphs sit left to right in visual order, so the line has to be reordered with the Unicode
bidirectional algorithm (UAX #9), not reversed blindly: digits and Latin words inside an Arabic line keep
their own order. The algorithm runs on glyphs, not characters: a glyph that stands for several letters
(a lam-alef ligature whose text is "لأ") keeps its letters in their own order, which is exactly what a
character-level reversal gets wrong ("األمم" instead of "الأمم").
"""

from __future__ import annotations

import re
import unicodedata

from bidi import algorithm as uax9
from qirtas.i18n.normalize import fold_compatibility

_RTL_CLASSES = frozenset(("R", "AL"))
_STRONG = frozenset(("L", "R", "AL"))
# Brackets, mirrored where the producer maps the glyph it drew (")" for a logical "(") to text.
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_OPEN, _CLOSE = "([{", ")]}"
_ALEFS = "\u0622\u0623\u0625\u0627\u0671"  # آ أ إ ا ٱ
_LAM = "\u0644"
_BACKWARD_LAM_ALEF = re.compile(f"^([{_ALEFS}])({_LAM})$")
# "ا" + hamza-alef + lam at a word start never occurs in Arabic: it is the article "ال" before a word
# starting with a hamza-alef whose lam-alef ligature was written backwards (الأمم → األمم).
_BACKWARD_ARTICLE = re.compile("(?<![\\w])([وفبكل]?)\u0627([\u0622\u0623\u0625])\u0644")


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)


def rtl_share(text: str) -> float:
    """Share of right-to-left letters among the strong (directional) letters of `text`."""
    strong = rtl = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG:
            strong += 1
            rtl += kind != "L"
    return rtl / strong if strong else 0.0


def _representative(glyph: str) -> str:
    """The character whose bidi class stands for the whole glyph (the first strong one, else the first)."""
    for char in glyph:
        if unicodedata.bidirectional(char) in _STRONG:
            return char
    return glyph[:1] or " "


def repair_glyph(glyph: str) -> str:
    """A lam-alef ligature whose text a producer wrote alef-first is turned back to lam-alef."""
    match = _BACKWARD_LAM_ALEF.match(glyph)
    return match.group(2) + match.group(1) if match else glyph


def reorder(glyphs: list[str], rtl: bool) -> tuple[str, str]:
    """One visual line (glyph texts, left to right) in logical order, without and with brackets mirrored.

    Producers differ: some map a bracket glyph in a right-to-left run to the character it stands for,
    others to the character it looks like. `bracket_errors` on both readings tells which one this is.
    """
    if not glyphs:
        return "", ""
    if not rtl and not any(has_rtl(glyph) for glyph in glyphs):
        text = "".join(glyphs)
        return text, text
    storage = uax9.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uax9.get_embedding_levels("".join(_representative(glyph) for glyph in glyphs), storage)
    for char, glyph in zip(storage["chars"], glyphs, strict=True):
        char["glyph"] = repair_glyph(glyph)
    uax9.explicit_embed_and_overrides(storage, False)
    uax9.resolve_weak_types(storage, False)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    uax9.reorder_resolved_levels(storage, False)
    chars = storage["chars"]
    plain = "".join(char["glyph"] for char in chars)
    mirrored = "".join(
        char["glyph"].translate(_MIRROR) if char["level"] % 2 else char["glyph"] for char in chars
    )
    return plain, mirrored


def bracket_errors(text: str) -> int:
    """How many brackets close before they open (or open and never close) in one line."""
    errors = 0
    depth = 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            if depth:
                depth -= 1
            else:
                errors += 1
    return errors + depth


def repair_text(text: str) -> str:
    """Fold presentation forms and ligatures; repair lam-alef ligatures written backwards."""
    text = fold_compatibility(text)
    return _BACKWARD_ARTICLE.sub(lambda m: f"{m.group(1)}\u0627\u0644{m.group(2)}", text)
