"""Event suggestions: a meeting, conference, webinar or session named in the text, with its date and place."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from qirtas.archive.suggest.text import fold_phrase, sentence_bounds
from qirtas.i18n.dates import find_dates

_KW_EN = (
    r"meeting|conference|webinar|session|forum|summit|workshop|seminar|symposium|round[- ]?table|briefing"
    r"|consultation"
)
_NAME_WORD = r"(?:[A-Z][\w'’-]*)"
_CONNECT = r"(?:of|the|and|on|for|to|&)"
# 'the "Title" event', 'webinar about “Title”', 'Breakout Session 1: “Title”'
_QUOTED_AFTER = re.compile(
    rf"\b(?P<kw>{_KW_EN}|event)(?P<num>\s+\d+)?\s*(?:about|on|entitled|titled|called|:)?\s*\*{{0,2}}"
    r"[“\"](?P<title>[^”\"\n]{8,300})[”\"]",
    re.IGNORECASE,
)
_QUOTED_BEFORE = re.compile(
    rf"[“\"](?P<title>[^”\"\n]{{8,300}})[”\"]\*{{0,2}}\s+(?P<kw>{_KW_EN}|event)\b", re.IGNORECASE
)
# 'UN High-Level Conference of Heads of …', 'Breakout Session 1', 'Internet Governance Forum'
_CAPITALISED = re.compile(
    rf"(?<![\w'’-])(?:{_NAME_WORD}\s+(?:{_CONNECT}\s+)*)*{_NAME_WORD}?\s*"
    rf"\b(?P<kw>{'|'.join(w.capitalize() for w in _KW_EN.split('|'))})\b(?:\s+\d+)?"
    rf"(?:\s+(?:{_CONNECT}\s+)+{_NAME_WORD}(?:\s+{_NAME_WORD})*)*"
)
# 'The Human Rights Council opened its 48th session', 'GIFCT will hold its annual summit'
_UNITS = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ORDINAL = (
    rf"\d+(?:st|nd|rd|th)|(?:{_TENS})-(?:{_UNITS})|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth|{_UNITS}|tenth|eleventh|twelfth"
    r"|(?:thir|four|fif|six|seven|eigh|nine)teenth|hundredth|annual|regular|special|plenary|extraordinary"
    r"|ministerial|high-level"
)
_ITS_EVENT = re.compile(
    rf"(?<![\w'’-])(?P<org>(?:{_NAME_WORD}\s+(?:{_CONNECT}\s+)*)*{_NAME_WORD})(?:\s+\((?P<acronym>[A-Z]{{2,8}})\))?"
    r"\s+(?:will\s+|is\s+to\s+|to\s+)?(?:holds?|held|opens?|opened|convenes?|convened|begins?|began"
    r"|concludes?|concluded|closes?|closed|hosts?|hosted)\s+its\s+"
    rf"(?P<ord>{_ORDINAL})(?:\s+(?:{_ORDINAL}))?\s+(?P<kw>{_KW_EN})\b"
)
_CAPITALISED_KW = re.compile(rf"\b(?:{'|'.join(w.capitalize() for w in _KW_EN.split('|'))})\b")
_NOT_AN_EVENT_AFTER = re.compile(r"\s+(?:Room|Hall|Centre|Center|Building|Secretariat|Series)\b")
# 'a two-day Central Asian meeting on countering violent extremism in the digital dimension'
# 'Security Council meeting' (on Tuesday is when, not what)
_NOT_A_TOPIC = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July"
    r"|August|September|October|November|December|\d|the (?:sidelines|margins|occasion)|its|their|his|her)\b"
)
# 'a regional forum on disaster risk reduction opened in Bangkok': the scope is part of the name, the verb
# after the topic is not
_SCOPE = r"(?:regional|subregional|interregional|international|national|global|expert|technical|ministerial)"
_DESCRIBED = re.compile(
    rf"(?<![\w'’-])(?:{_NAME_WORD}\s+){{0,4}}(?:{_SCOPE}\s+)?(?P<kw>{_KW_EN})\b"
    rf"(?:\s+(?:on|about)\s+(?!{_NOT_A_TOPIC})"
    r"(?P<topic>[^.;:,“”\"\n]{5,160}?)"
    r"(?=\s*[.;:,\n]|\s+(?:in|at)\s+[A-Z]|\s+(?:with|was|were|which|that|where)\b"
    r"|\s+(?:(?:was|were|is|will be)\s+)?(?:held|hosted|organi[sz]ed|convened|opened|closed|began|ended"
    r"|concluded|took place|will)\b|$))?"
)
_MARKS = "[\u064b-\u0652]*"  # harakat and tanween, as in اجتماعًا
_KW_AR = "|".join(
    _MARKS.join(word) + f"{_MARKS}(?:ا{_MARKS})?"
    for word in ("اجتماع", "مؤتمر", "ندوة", "جلسة", "منتدى", "ملتقى", "ورشة عمل", "قمة", "حلقة نقاش")
)
_ARABIC = re.compile(
    rf"(?<!\w)[وفبلك]?(?P<kw>(?:ال)?(?:{_KW_AR}))(?P<rest>(?:\s+[^\s،,.؛:()«»\"“”]+){{1,16}})"
)
# 'افتتح مجلس حقوق الإنسان دورته الثانية والخمسين', 'عقدت لجنة المخدرات دورتها السادسة والستين'
_ARABIC_ITS = re.compile(
    r"(?<!\w)[وف]?(?:افتتح|افتتحت|عقد|عقدت|اختتم|اختتمت|يعقد|تعقد|يفتتح|تفتتح|استأنف|استأنفت)\s+"
    r"(?P<org>(?:[^\s،,.؛:()«»\"“”]+\s+){0,5}?[^\s،,.؛:()«»\"“”]+)\s+دورت(?:ه|ها)\s+"
    r"(?P<ord>[^\s،,.؛:()«»\"“”]+(?:\s+(?:و[^\s،,.؛:()«»\"“”]+|عشرة?))?)"
)
_ARABIC_HELD = re.compile(
    r"\s+(?:الذي\s+|التي\s+)?(?:عقدت?|انعقدت?)(?:\s+هنا|\s+اليوم|\s+أمس)?"
    r"|\s+(?:استمرت?|دامت?)\s+(?:يومين|يوما|أياما|\S+\s+أيام)|\s+لمدة\s+(?:يومين|\S+\s+أيام)"
)
_ARABIC_TOPIC = {"حول", "بشأن", "عن", "بعنوان", "لمناقشة", "لبحث", "حَوْل", "المعني", "المعنية"}
_ARABIC_AFTER_NAME = {
    "يوم",
    "أمس",
    "اليوم",
    "بمشاركة",
    "بحضور",
    "برئاسة",
    "وذلك",
    "وقد",
    "حيث",
}
_ARABIC_TRAILING = {"و", "في", "من", "على", "إلى", "عن", "مع", "يوم", "أمس", "اليوم", "هنا"}
_LEADING_ARTICLES = re.compile(r"^(?:The|This|That|A|An|Our|Its|Their)\s+")
_HERE = re.compile(r"\bhere\b|(?<!\w)هنا(?!\w)", re.IGNORECASE)
_ONLINE = re.compile(r"\b(?:webinar|online|virtual(?:ly)?)\b|عبر الإنترنت|افتراضي", re.IGNORECASE)
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|at|held in|hosted in|venue:?)\s+(?:the\s+)?|(?<!\w)(?:في|استضافت|احتضنت|استضاف)\s+)$",
    re.IGNORECASE,
)
_HOST_AFTER = re.compile(r"^\s+(?:hosted|host|hosts|welcomed)\b|^\s+(?:استضافت|احتضنت)")


@dataclass
class PlaceHit:
    """A region found in the text (see archive.suggest), as events need it: where and what it is called."""

    start: int
    end: int
    name: str  # the place's canonical name


@dataclass
class EventCandidate:
    name: str
    start: int
    end: int
    kind: str  # the event word: meeting, webinar, اجتماع …
    date: dt.date | None = None
    place: str = ""

    @property
    def language(self) -> str:
        return "ar" if any("\u0600" <= c <= "\u06ff" for c in self.name) else "en"


def _clean_title(title: str) -> str:
    return " ".join(title.strip(" *.,;:").split())


def _english_candidates(text: str) -> list[EventCandidate]:
    found: list[EventCandidate] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for pattern in (_QUOTED_AFTER, _QUOTED_BEFORE):
        for match in pattern.finditer(text):
            title = _clean_title(match.group("title"))
            kw = match.group("kw")
            if pattern is _QUOTED_AFTER:
                lead = _CAPITALISED.search(text, max(0, match.start() - 80), match.end("kw") + 4)
                if lead and lead.end("kw") == match.end("kw") and len(lead.group().split()) > 1:
                    prefix = " ".join(lead.group().split())
                    start = lead.start()
                    name = f"{prefix}: {title}"
                elif kw.lower() == "event":
                    start, name = match.start("title") - 1, title
                else:
                    start, name = match.start(), f"{kw.capitalize()}: {title}"
            else:
                start, name = match.start(), title
            if free(start, match.end()):
                found.append(EventCandidate(name, start, match.end(), kw.lower()))
                taken.append((start, match.end()))
    for match in _ITS_EVENT.finditer(text):
        org = _LEADING_ARTICLES.sub("", match.group("acronym") or " ".join(match.group("org").split()))
        name = f"{org} {' '.join(text[match.start('ord') : match.end('kw')].split())}"
        if free(match.start(), match.end()):
            found.append(EventCandidate(name, match.start(), match.end(), match.group("kw").lower()))
            taken.append((match.start(), match.end()))
    for match in _capitalised_names(text):
        name = _LEADING_ARTICLES.sub("", " ".join(match.group().replace("*", " ").split()))
        words = [w for w in name.split() if w[:1].isalpha()]
        if len(words) < 2 or _NOT_AN_EVENT_AFTER.match(text, match.end()):
            continue
        if free(match.start(), match.end()):
            found.append(EventCandidate(name, match.start(), match.end(), match.group("kw").lower()))
            taken.append((match.start(), match.end()))
    for match in _DESCRIBED.finditer(text):
        following = text[match.end() : match.end() + 2].lstrip()
        if following[:1] in '“"' or not free(match.start(), match.end()):
            continue
        name = _LEADING_ARTICLES.sub("", " ".join(match.group().split()))
        if match.group("topic") is None and len(name.split()) < 3:
            continue  # 'the meeting', 'a webinar': a mention, not a name
        found.append(EventCandidate(name, match.start(), match.end(), match.group("kw").lower()))
        taken.append((match.start(), match.end()))
    return found


def _capitalised_names(text: str) -> list[re.Match]:
    """Matches of _CAPITALISED, looked for only around a capitalised event word (a full scan is slow)."""
    found: list[re.Match] = []
    for keyword in _CAPITALISED_KW.finditer(text):
        if found and found[-1].end() > keyword.start():
            continue
        window = text.rfind("\n", 0, max(0, keyword.start() - 160)) + 1
        for match in _CAPITALISED.finditer(text, window, min(len(text), keyword.end() + 200)):
            if match.start("kw") == keyword.start():
                found.append(match)
                break
    return found


def _ends_arabic_name(word: str) -> bool:
    """Words after which an Arabic event's name has ended: a date, 'with the participation of', 'which'."""
    return word in _ARABIC_AFTER_NAME or any(c.isdigit() for c in word)


# 'ندوة حول … في جاكرتا', '… في الفترة من 6 إلى 20': where and when it was held, no longer its name
_ARABIC_WHERE = re.compile(r"\s+في\s+(?P<next>\S+)")
_ARABIC_NOT_NAME = {"الفترة", "العاصمة", "مدينة", "يوم"}


def _arabic_name_part(rest: str, rest_start: int, place_starts: set[int]) -> str:
    """The words after an Arabic event word up to where the text says where or when it took place."""
    for where in _ARABIC_WHERE.finditer(rest):
        following = where.group("next")
        if rest_start + where.start("next") in place_starts or following in _ARABIC_NOT_NAME:
            return rest[: where.start()]
        if following[:1].isdigit():
            return rest[: where.start()]
    return rest


def _arabic_candidates(text: str, place_starts: set[int]) -> list[EventCandidate]:
    found = []
    for match in _ARABIC.finditer(text):
        rest = _arabic_name_part(match.group("rest"), match.start("rest"), place_starts)
        words = _ARABIC_HELD.sub("", rest).split()
        # a named event says what it is about within a few words ("اجتماع لمجلس الأمن حول الإرهاب");
        # "جلسة أخرى" or "اجتماع الخبراء في دوشانبي" only refer to one
        topic = next((i for i, word in enumerate(words[:5]) if word in _ARABIC_TOPIC), None)
        if topic is None:
            continue
        words = words[: topic + 11]
        stop = next((i for i, word in enumerate(words) if i > topic and _ends_arabic_name(word)), len(words))
        words = words[:stop]
        while words and words[-1] in _ARABIC_TRAILING:
            words.pop()
        keyword = re.sub("[\u064b-\u0652]", "", match.group("kw"))
        if keyword.endswith("ا") and keyword[:-1].removeprefix("ال") in ("اجتماع", "مؤتمر"):
            keyword = keyword[:-1]
        name = " ".join([keyword, *words])
        found.append(EventCandidate(name, match.start("kw"), match.end(), match.group("kw")))
    for match in _ARABIC_ITS.finditer(text):
        org = match.group("org")
        of_org = "لل" + org[2:] if org.startswith("ال") else "ل" + org
        name = f"الدورة {match.group('ord')} {of_org}"
        found.append(EventCandidate(name, match.start("org"), match.end(), "دورة"))
    return found


def _head_end(text: str, lines: int = 3, limit: int = 700) -> int:
    """Where the opening of a document (title, dateline, first lines) ends."""
    position = 0
    for seen, match in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text), start=1):
        position = match.end()
        if seen >= lines:
            break
    return min(position, limit)


def _place_cluster(text: str, places: list[PlaceHit], first: int) -> str:
    """The place at places[first] plus those written right after it: 'UN Headquarters, New York'."""
    names = [places[first].name]
    end = places[first].end
    for hit in places[first + 1 :]:
        between = text[end : hit.start]
        if between.strip() not in (",", "،") or hit.name in names:
            break
        names.append(hit.name)
        end = hit.end
    return ", ".join(names)


def _locative(text: str, hit: PlaceHit) -> bool:
    before = text[max(0, hit.start - 14) : hit.start]
    return bool(
        _LOCATIVE_BEFORE.search(before)
        or (hit.start > 0 and text[hit.start - 1] == "ب")
        or _HOST_AFTER.match(text[hit.end : hit.end + 16])
    )


def _dateline(text: str, places: list[PlaceHit], dates: list) -> str:
    """The place of a dateline — 'GENEVA (5 October 2021) –', 'القاهرة في 3 أكتوبر 2019' — or ''."""
    start = len(text) - len(text.lstrip())
    first = next((i for i, hit in enumerate(places) if hit.start == start), None)
    if first is None or not dates:
        return ""
    gap = text[places[first].end : dates[0][1]]
    if dates[0][1] < places[first].end or not re.fullmatch(r"[\s,،(\-–—]*(?:في|on)?[\s,،(]*", gap):
        return ""
    return _place_cluster(text, places, first)


def _range_start(text: str, date: dt.date, start: int, end: int) -> tuple[dt.date, int, int]:
    """'14–15 July 2022' or 'من 14 إلى 15 يوليو' states the 15th: an event starts on the 14th."""
    before = re.search(r"(\d{1,2})\s*(?:[-–—]|إلى|الى|to|and)\s*$", text[max(0, start - 12) : start])
    if before:
        try:
            return date.replace(day=int(before.group(1))), start - len(before.group()), end
        except ValueError:
            pass
    return date, start, end


def find_events(text: str, places: list[PlaceHit], dateline_place: str = "") -> list[EventCandidate]:
    """Events named in `text`, each with the date and place the text gives for it (merged by name)."""
    places = sorted(places, key=lambda hit: hit.start)
    dates = [_range_start(text, *found) for found in find_dates(text)]
    head_end = _head_end(text)
    head_dates = [date for date, start, _end in dates if start < head_end]
    venue_date, venue_place = None, ""
    for line in re.finditer(r"[^\n]+", text[:head_end]):
        line_dates = [d for d, s, _e in dates if line.start() <= s < line.end()]
        line_places = [i for i, p in enumerate(places) if line.start() <= p.start < line.end()]
        if line_dates and line_places and len(line.group().split()) <= 12:  # a venue line, not a sentence
            venue_date, venue_place = line_dates[0], _place_cluster(text, places, line_places[0])
            break
    dateline_place = dateline_place or _dateline(text, places, dates)
    candidates = _english_candidates(text) + _arabic_candidates(text, {hit.start for hit in places})
    candidates.sort(key=lambda c: c.start)
    for candidate in candidates:
        left, right = sentence_bounds(text, candidate.start, candidate.end)
        in_head = candidate.start < head_end
        said_here = bool(_HERE.search(text, left, right))
        sentence_dates = [d for d, s, _e in dates if left <= s < right]
        if sentence_dates:
            candidate.date = sentence_dates[0]
        elif in_head:
            candidate.date = venue_date or (head_dates[0] if head_dates else None)
        elif said_here and head_dates:
            candidate.date = head_dates[0]
        for index, hit in enumerate(places):
            if left <= hit.start < right and _locative(text, hit):
                candidate.place = _place_cluster(text, places, index)
                break
        if not candidate.place:
            if said_here and dateline_place:
                candidate.place = dateline_place
            elif in_head and (venue_place or dateline_place):
                candidate.place = venue_place or dateline_place
            elif _ONLINE.search(text, left, right) or candidate.kind == "webinar":
                candidate.place = "Online"
    return _merge([c for c in candidates if c.date or c.place])


def name_key(name: str) -> str:
    return " ".join(re.findall(r"\w+", fold_phrase(name)))


def _merge(candidates: list[EventCandidate]) -> list[EventCandidate]:
    """One candidate per event: names that extend one another ('Breakout Session 1', '… 1: Digital …')."""
    merged: list[EventCandidate] = []
    for candidate in candidates:
        key = name_key(candidate.name)
        for kept in merged:
            kept_key = name_key(kept.name)
            if kept_key.startswith(key) or key.startswith(kept_key):
                if len(key) > len(kept_key):
                    kept.name = candidate.name
                kept.date = kept.date or candidate.date
                kept.place = kept.place or candidate.place
                break
        else:
            merged.append(candidate)
    return merged


def name_tokens(name: str) -> set[str]:
    words = set()
    for word in re.findall(r"\w+", fold_phrase(name)):
        if word[:3] in ("وال", "بال", "كال", "فال"):
            word = word[1:]  # والإنترنت → الإنترنت
        elif word.startswith("لل") and len(word) > 4:
            word = "ال" + word[2:]  # للإنترنت → الإنترنت
        elif len(word) > 4 and word[0] in "ولب" and not word.startswith("ال"):
            word = word[1:]  # لمجلس → مجلس
        if len(word) > 2:
            words.add(word)
    return words


def similarity(a: str, b: str) -> float:
    """Word overlap of two event names (Jaccard)."""
    first, second = name_tokens(a), name_tokens(b)
    return len(first & second) / len(first | second) if first and second else 0.0
