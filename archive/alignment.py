"""Paragraph alignment of a text and its translation: Gale–Church lengths plus anchors that survive translation.

Pure functions over lists of paragraphs (no database): `align(en, ar)` returns the beads — runs of
paragraphs on each side that translate each other — allowing 1–1, 1–2, 2–1, 1–0 and 0–1 beads.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from qirtas.i18n.dates import find_dates
from qirtas.i18n.normalize import normalize

# How often each bead occurs. Gale & Church (1993) measured sentences (1–0: 0.005, 2–1: 0.045); between
# paragraphs a translator joins or splits about as rarely as one is left out, and with those sentence
# priors a missing paragraph was swallowed by a neighbour's 2–1 (benchmarks/bench_alignment.py: 18/22
# missing paragraphs found with the sentence priors, 20/22 with these; joined paragraphs 20/20 both ways).
PRIORS = {(1, 1): 0.92, (1, 0): 0.02, (0, 1): 0.02, (2, 1): 0.02, (1, 2): 0.02}
# Variance of the length difference per character (Gale & Church's figure).
VARIANCE = 6.8
ANCHOR_BONUS = 3.0  # an anchor found on both sides of a bead (in -log probability units)
ANCHOR_PENALTY = 1.0  # an anchor on one side whose counterpart is not in the bead
FULL_TABLE = 40_000  # beyond this many cells, search a band around the diagonal
BAND = 60

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Z]")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a]")


@dataclass(frozen=True)
class Bead:
    """`en_count` paragraphs from `en_first` translate `ar_count` paragraphs from `ar_first`."""

    en_first: int
    en_count: int
    ar_first: int
    ar_count: int

    @property
    def kind(self) -> str:
        return f"{self.en_count}–{self.ar_count}"


# Names that keep one meaning across the two languages beyond CLDR's places: the bodies that appear
# in UN and OSCE texts, and the other common spelling of a few regions.
COMMON_NAMES = (
    ("United Nations", "الأمم المتحدة"),
    ("UN", "الأمم المتحدة"),
    ("Security Council", "مجلس الأمن"),
    ("General Assembly", "الجمعية العامة"),
    ("Secretary-General", "الأمين العام"),
    ("UNDP", "برنامج الأمم المتحدة الإنمائي"),
    ("UNESCO", "اليونسكو"),
    ("UNODC", "مكتب الأمم المتحدة المعني بالمخدرات والجريمة"),
    ("CTED", "المديرية التنفيذية للجنة مكافحة الإرهاب"),
    ("OSCE", "منظمة الأمن والتعاون في أوروبا"),
    ("European Union", "الاتحاد الأوروبي"),
    ("CIS", "رابطة الدول المستقلة"),
    ("SCO", "منظمة شنغهاي للتعاون"),
    ("CSTO", "منظمة معاهدة الأمن الجماعي"),
    ("Central Asia", "آسيا الوسطى"),
    ("Central Asian", "آسيا الوسطى"),
    ("Middle East", "الشرق الأوسط"),
)
_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _cldr_names() -> tuple[tuple[str, str], ...]:
    """Place names in both languages (CLDR territories and regions, through Babel)."""
    from babel import Locale

    english, arabic = Locale("en").territories, Locale("ar").territories
    return tuple((name, arabic[code]) for code, name in english.items() if code in arabic and len(name) >= 4)


@lru_cache(maxsize=65536)
def _arabic_forms(word: str) -> tuple[str, ...]:
    """A word as written and without the particles Arabic joins to it (و ف ب ل ك, and لل for "to the")."""
    forms = [word]
    if word.startswith("لل") and len(word) > 4:
        forms.append("ال" + word[2:])
    for cut in (1, 2):
        head, rest = word[:cut], word[cut:]
        if len(rest) >= 3 and all(c in "وفبلك" for c in head):
            forms.append(rest)
            if rest.startswith("لل") and len(rest) > 4:
                forms.append("ال" + rest[2:])
    return tuple(forms)


class Lexicon:
    """Names whose English and Arabic forms are known: each found name becomes one shared anchor."""

    def __init__(self, extra: Iterable[tuple[str, str]] = ()) -> None:
        self._names: dict[tuple[str, ...], str] = {}
        for name_en, name_ar in (*_cldr_names(), *COMMON_NAMES, *extra):
            key = tuple(_WORDS.findall(normalize(name_en)))
            arabic = tuple(_WORDS.findall(normalize(name_ar)))
            if not key or not arabic or len("".join(key)) < 2:
                continue
            # An English variant ("Central Asian") takes the label its Arabic form already has.
            label = self._names.get(arabic) or self._names.get(key) or " ".join(key)
            self._names.setdefault(key, label)
            self._names.setdefault(arabic, label)
        self._starts: dict[str, int] = {}  # a name's first word → the most words a name starting so has
        for words in self._names:
            self._starts[words[0]] = max(self._starts.get(words[0], 0), len(words))

    def names(self, text: str) -> list[str]:
        """The names a text mentions, longest first at each word ("Central Asia", not also "Asia")."""
        words = _WORDS.findall(normalize(text))
        found = []
        at = 0
        while at < len(words):
            match = None
            for first in _arabic_forms(words[at]):
                longest = self._starts.get(first)
                if longest is None:
                    continue
                for size in range(min(longest, len(words) - at), 0, -1):
                    label = self._names.get((first, *words[at + 1 : at + size]))
                    if label and (match is None or size > match[1]):
                        match = (label, size)
                        break
            if match:
                found.append(match[0])
                at += match[1]
            else:
                at += 1
        return found


def anchors(paragraph: str, lexicon: Lexicon | None = None) -> Counter[str]:
    """What survives translation in a paragraph: dates, numbers, Latin words, names of places."""
    text = paragraph.translate(_DIGITS)
    found: Counter[str] = Counter()
    spans = []
    for date, start, end in find_dates(text):
        found[f"date:{date.isoformat()}"] += 1
        spans.append((start, end))
    for start, end in reversed(spans):
        text = text[:start] + " " * (end - start) + text[end:]
    for match in _NUMBER.finditer(text):
        number = match.group().replace(",", "")
        found[f"number:{number.rstrip('.')}"] += 1
    for word in _LATIN_WORD.findall(text):
        if not word.islower():  # names and acronyms (OSCE, Kaspersky), not a quoted "the"
            found[f"latin:{word.casefold()}"] += 1
    if lexicon is not None:
        for name in lexicon.names(paragraph):
            found[f"name:{name}"] += 1
    return found


def _shared_only(counts: list[Counter[str]], other: list[Counter[str]]) -> None:
    """Keep only anchors the other text also has somewhere (a word nobody translates is no anchor)."""
    present: set[str] = set()
    for counter in other:
        present.update(counter)
    for counter in counts:
        for key in [k for k in counter if k not in present]:
            del counter[key]


def _log_erfc(x: float) -> float:
    value = math.erfc(x)
    if value > 1e-300:
        return math.log(value)
    return -x * x - math.log(x * math.sqrt(math.pi))  # the asymptote, where erfc underflows


def _length_cost(len_en: int, len_ar: int, ratio: float) -> float:
    """-log P(lengths | translation), Gale–Church: the length difference is normally distributed."""
    if len_en == 0 and len_ar == 0:
        return 0.0
    mean = (len_en + len_ar / ratio) / 2
    delta = (len_en * ratio - len_ar) / math.sqrt(max(mean, 1.0) * VARIANCE)
    return -_log_erfc(abs(delta) / math.sqrt(2))


def _runs(lengths: list[int], counts: list[Counter[str]]) -> list[list[tuple[int, dict, int]]]:
    """For d = 0, 1, 2 and each i: the length, anchors and anchor count of the d paragraphs before i."""
    empty: tuple[int, dict, int] = (0, {}, 0)
    one = [empty] + [(lengths[i], dict(counts[i]), sum(counts[i].values())) for i in range(len(lengths))]
    two = [empty, empty]
    for i in range(2, len(lengths) + 1):
        joined = counts[i - 2] + counts[i - 1]
        two.append((lengths[i - 2] + lengths[i - 1], dict(joined), sum(joined.values())))
    return [[empty] * (len(lengths) + 1), one, two]


def align(
    en: Sequence[str], ar: Sequence[str], lexicon: Lexicon | None = None, ratio: float | None = None
) -> list[Bead]:
    """Align paragraphs by dynamic programming over beads; returns beads covering both sides in order."""
    n, m = len(en), len(ar)
    if n == 0 or m == 0:
        return [Bead(i, 1, 0, 0) for i in range(n)] + [Bead(n, 0, j, 1) for j in range(m)]
    len_en = [len(p) for p in en]
    len_ar = [len(p) for p in ar]
    if ratio is None:
        ratio = max(sum(len_ar), 1) / max(sum(len_en), 1)
    anchors_en = [anchors(p, lexicon) for p in en]
    anchors_ar = [anchors(p, lexicon) for p in ar]
    _shared_only(anchors_en, anchors_ar)
    _shared_only(anchors_ar, anchors_en)
    # runs[d][i]: the d paragraphs ending before i, as (length, anchors, number of anchors).
    runs_en = _runs(len_en, anchors_en)
    runs_ar = _runs(len_ar, anchors_ar)
    prior = {bead: -math.log(p) for bead, p in PRIORS.items()}
    matches = [(di, dj, prior[(di, dj)]) for di, dj in PRIORS if di and dj]

    banded = (n + 1) * (m + 1) > FULL_TABLE
    width = max(BAND, abs(n - m) + BAND)
    infinity = float("inf")
    cost = [[infinity] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        if banded:
            centre = round(i * m / n)
            columns = range(max(0, centre - width), min(m, centre + width) + 1)
        else:
            columns = range(m + 1)
        row, row_steps = cost[i], step[i]
        for j in columns:
            best, choice = row[j], row_steps[j]
            if i:  # an English paragraph with no Arabic counterpart
                value = cost[i - 1][j] + ANCHOR_PENALTY * runs_en[1][i][2] + prior[(1, 0)]
                if value < best:
                    best, choice = value, (1, 0)
            if j:
                value = row[j - 1] + ANCHOR_PENALTY * runs_ar[1][j][2] + prior[(0, 1)]
                if value < best:
                    best, choice = value, (0, 1)
            for di, dj, bead_prior in matches:
                if di > i or dj > j:
                    continue
                before = cost[i - di][j - dj]
                if before == infinity:
                    continue
                len_a, anchors_a, count_a = runs_en[di][i]
                len_b, anchors_b, count_b = runs_ar[dj][j]
                common = 0
                if count_a and count_b:
                    small, large = (
                        (anchors_a, anchors_b) if len(anchors_a) < len(anchors_b) else (anchors_b, anchors_a)
                    )
                    for key, times in small.items():
                        other = large.get(key)
                        if other:
                            common += times if times < other else other
                value = (
                    before
                    + bead_prior
                    + _length_cost(len_a, len_b, ratio)
                    + ANCHOR_PENALTY * (count_a + count_b - 2 * common)
                    - ANCHOR_BONUS * common
                )
                if value < best:
                    best, choice = value, (di, dj)
            row[j], row_steps[j] = best, choice
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj = step[i][j]
        i, j = i - di, j - dj
        beads.append(Bead(i, di, j, dj))
    beads.reverse()
    return beads
