"""Theme keywords for suggestions: the defaults for common themes, and the user's own lists kept in the
archive (a JSON value in SchemaInfo, so an archive carries its keywords when it is copied)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from qirtas.archive import schema
from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.models import Tag, uses_archive
from qirtas.archive.suggest.text import fold_phrase

KEYWORDS_INFO = "suggest.theme_keywords"


def _distinct(keywords: Iterable[str]) -> list[str]:
    """Keywords without blanks and without repeats that differ only in case, accents or hamza."""
    seen: dict[str, str] = {}
    for keyword in keywords:
        keyword = keyword.strip()
        if keyword:
            seen.setdefault(fold_phrase(keyword), keyword)
    return list(seen.values())


# Starting keywords for common themes, by English name; the user's own list (set_theme_keywords) replaces them.
# A trailing * matches any ending ("radicali*": radicalism, radicalisation).
DEFAULT_THEME_KEYWORDS: dict[str, tuple[list[str], list[str]]] = {
    "terrorist use of the internet": (
        ["terrorist use of the internet", "use of the internet for terrorist purposes", "terrorist content",
         "exploitation of the internet"],
        ["استخدام الإرهابيين للإنترنت", "استخدام الإنترنت لأغراض إرهابية", "المحتوى الإرهابي",
         "الإرهاب والإنترنت"],
    ),
    "international cooperation": (
        ["international cooperation", "regional cooperation", "cooperation between", "public-private partnership*"],
        ["التعاون الدولي", "التعاون الإقليمي"],
    ),
    "social media": (["social media", "social network*"], ["وسائل التواصل الاجتماعي", "التواصل الاجتماعي"]),
    "hate speech": (["hate speech", "online hate"], ["خطاب الكراهية"]),
    "violent extremism": (["violent extremis*", "countering extremism", "radicali*"], ["التطرف العنيف", "التطرف"]),
    "human rights": (["human rights", "freedom of expression", "privacy"], ["حقوق الإنسان", "حرية التعبير"]),
    "cybersecurity": (["cybersecurity", "cyber security", "cyber-security"], ["الأمن السيبراني"]),
    "terrorist propaganda": (["terrorist propaganda", "extremist propaganda", "propaganda"], ["الدعاية الإرهابية", "الدعاية"]),
}  # fmt: skip


@dataclass
class ThemeKeywords:
    tag_id: int
    name_en: str
    name_ar: str
    en: list[str]
    ar: list[str]
    edited: bool  # False while the defaults are in use


# ---- theme keywords ---------------------------------------------------------------------------------


def _stored_keywords() -> dict[str, dict]:
    raw = schema.get_info(KEYWORDS_INFO)
    return json.loads(raw) if raw else {}


@uses_archive
def theme_keywords(archive: Archive) -> list[ThemeKeywords]:
    """Every theme with the keywords that suggest it (the user's, or the defaults: its names and more)."""
    stored = _stored_keywords()
    result = []
    for tag in archive.tags("theme"):
        if str(tag.id) in stored:
            entry = stored[str(tag.id)]
            result.append(ThemeKeywords(tag.id, tag.name_en, tag.name_ar, entry["en"], entry["ar"], True))
            continue
        extra_en, extra_ar = DEFAULT_THEME_KEYWORDS.get(tag.name_en.casefold(), ([], []))
        en = _distinct([tag.name_en, *extra_en])
        ar = _distinct([tag.name_ar, *extra_ar])
        result.append(ThemeKeywords(tag.id, tag.name_en, tag.name_ar, en, ar, False))
    return result


@uses_archive
def set_theme_keywords(archive: Archive, tag_id: int, en: Iterable[str], ar: Iterable[str]) -> ThemeKeywords:
    """Replace a theme's keywords (one phrase per entry; a trailing * matches any ending)."""
    tag = Tag.get_or_none((Tag.id == tag_id) & (Tag.facet == "theme"))
    if tag is None:
        raise ArchiveError(f"There is no theme {tag_id} in this archive.")
    en, ar = _distinct(en), _distinct(ar)
    with archive.db.atomic("IMMEDIATE"):
        stored = _stored_keywords()
        before = stored.get(str(tag_id))
        stored[str(tag_id)] = {"en": en, "ar": ar}
        schema.set_info(KEYWORDS_INFO, json.dumps(stored, ensure_ascii=False))
        archive.audit("theme-keywords-edited", None, tag=tag_id, before=before, after={"en": en, "ar": ar})
    return ThemeKeywords(tag.id, tag.name_en, tag.name_ar, en, ar, True)


@uses_archive
def reset_theme_keywords(archive: Archive, tag_id: int) -> None:
    """Go back to the default keywords of a theme."""
    with archive.db.atomic("IMMEDIATE"):
        stored = _stored_keywords()
        if stored.pop(str(tag_id), None) is not None:
            schema.set_info(KEYWORDS_INFO, json.dumps(stored, ensure_ascii=False))
            archive.audit("theme-keywords-edited", None, tag=tag_id, before=None, after="defaults")
