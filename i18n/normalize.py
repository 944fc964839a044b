"""One normaliser for search, applied identically to indexed text and to queries."""

from __future__ import annotations

import re
import unicodedata

_TASHKEEL = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
)  # harakat, Quranic marks, tatweel
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
_COMPAT = re.compile(
    "[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufeff]"
)  # Latin ligatures, Arabic presentation forms


def fold_compatibility(text: str) -> str:
    """Fold Latin ligatures (ﬁ) and Arabic presentation forms back to plain letters."""
    return _COMPAT.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


def _strip_latin_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not (unicodedata.combining(char) and ord(char) < 0x0590))


def normalize(text: str) -> str:
    """Case-folded, diacritic-free text with Arabic letter variants unified (same length not kept)."""
    text = fold_compatibility(text).casefold()
    text = _strip_latin_marks(text)
    text = _TASHKEEL.sub("", text)
    return unicodedata.normalize("NFC", text.translate(_ARABIC_FOLD))
