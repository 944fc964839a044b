"""Arabic letters as their contextual presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF), for a PDF writer.

Qt's PDF writer maps back to Unicode only glyphs the font's cmap reaches; a font that shapes through GSUB
(Noto Sans Arabic splits dotted letters into a dotless form and its dots) leaves them unmapped. Text given
already in presentation forms is drawn with cmap glyphs only, so every glyph has its character.
"""

from __future__ import annotations

import unicodedata
from functools import cache

ISOLATED, FINAL, INITIAL, MEDIAL = "isolated", "final", "initial", "medial"
_FORM_TAGS = {"<isolated>": ISOLATED, "<final>": FINAL, "<initial>": INITIAL, "<medial>": MEDIAL}
_JOIN_CAUSING = {"\u0640", "\u200d"}  # tatweel, zero-width joiner
_LAM = "\u0644"
_PRESENTATION_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@cache
def _forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """(letter → form → presentation character, alef → form → lam-alef ligature), from Unicode's own
    compatibility decompositions."""
    letters: dict[str, dict[str, str]] = {}
    lam_alef: dict[str, dict[str, str]] = {}
    for first, last in _PRESENTATION_RANGES:
        for code in range(first, last + 1):
            tag, *parts = unicodedata.decomposition(chr(code)).split() or [""]
            form = _FORM_TAGS.get(tag)
            if form is None:
                continue
            base = "".join(chr(int(part, 16)) for part in parts)
            if len(base) == 1:
                letters.setdefault(base, {}).setdefault(form, chr(code))
            elif len(base) == 2 and base[0] == _LAM and form in (ISOLATED, FINAL):
                lam_alef.setdefault(base[1], {}).setdefault(form, chr(code))
    return letters, lam_alef


def _joining(char: str) -> str:
    """The joining type that matters here: T transparent, D dual, R right, C causing, U none."""
    if char in _JOIN_CAUSING:
        return "C"
    if unicodedata.category(char) in ("Mn", "Me") or (
        unicodedata.category(char) == "Cf" and char != "\u200c"
    ):
        return "T"
    forms = _forms()[0].get(char)
    if not forms:
        return "U"
    if INITIAL in forms or MEDIAL in forms:
        return "D"
    return "R" if FINAL in forms else "U"


def presentation_forms(text: str) -> str:
    """`text` with each Arabic letter replaced by its contextual form (lam-alef as its ligature); marks,
    letters without such a form and every other character stay as they are, in the same (logical) order."""
    if not any("\u0600" <= char <= "\u06ff" for char in text):
        return text
    letters, lam_alef = _forms()
    types = [_joining(char) for char in text]
    shaped: list[str] = []
    skip: int | None = None
    for index, char in enumerate(text):
        if index == skip:
            continue
        kind = types[index]
        if kind in ("T", "U", "C"):
            shaped.append(char)
            continue
        before = _neighbour(types, index, -1)
        after = _neighbour(types, index, 1)
        joins_before = before is not None and types[before] in ("D", "C")
        joins_after = kind == "D" and after is not None and types[after] in ("D", "R", "C")
        if char == _LAM and after is not None and text[after] in lam_alef:
            ligature = lam_alef[text[after]].get(FINAL if joins_before else ISOLATED)
            if ligature:
                shaped.append(ligature)
                skip = after  # the marks between lam and alef follow the ligature
                continue
        form = {
            (True, True): MEDIAL,
            (True, False): FINAL,
            (False, True): INITIAL,
            (False, False): ISOLATED,
        }[(joins_before, joins_after)]
        shaped.append(letters[char].get(form, char))
    return "".join(shaped)


def _neighbour(types: list[str], index: int, step: int) -> int | None:
    """The nearest character before (-1) or after (1) `index` that is not a mark."""
    index += step
    while 0 <= index < len(types):
        if types[index] != "T":
            return index
        index += step
    return None
