"""The tag queries behind `Archive`'s tag methods: a tag by any spelling of its name, the tree below a tag,
and the rows that attach tags to documents. Run them bound to the archive's database (its methods are)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from peewee import fn
from qirtas.archive.models import DocumentTag, Tag, tuples, utcnow
from qirtas.i18n.normalize import normalize

_folded = lru_cache(maxsize=16384)(normalize)  # tag names, compared across spellings


def find_tag(facet: str, name: str) -> Tag | None:
    """A tag by its English or Arabic name (case-insensitive), or its CLDR code."""
    name = name.strip()
    if not name:
        return None
    lowered = name.casefold()
    exact = (
        Tag.select()
        .where(
            (Tag.facet == facet)
            & ((fn.lower(Tag.name_en) == lowered) | (Tag.name_ar == name) | (Tag.code == name))
        )
        .first()
    )
    if exact is not None:
        return exact
    # Spelling variants: "الامارات" finds "الإمارات", "turkiye" finds "Türkiye".
    wanted = _folded(name)
    if not wanted:
        return None
    names = tuples(Tag.select(Tag.id, Tag.name_en, Tag.name_ar).where(Tag.facet == facet))
    for tag_id, name_en, name_ar in names:
        if wanted in (_folded(name_en), _folded(name_ar)):
            return Tag.get_by_id(tag_id)
    return None


# How alike two folded names must be (difflib's ratio) to be offered for a name that matched nothing:
# one letter dropped from a country ("Tajikstan" 0.95, "طاجكستان" 0.94) or swapped ("Tajiksitan" 0.90)
# is well above it; unrelated names stay below ("Atlantis" and "Antarctica": 0.44).
CLOSE_ENOUGH = 0.75
CLOSEST_SHOWN = 3


def closest_tags(facet: str, name: str, limit: int = CLOSEST_SHOWN) -> list[Tag]:
    """The tags of `facet` whose English or Arabic name is closest to `name` (compared on the search
    normaliser's folding, so case, hamza forms and diacritics do not count), best first: what to offer
    for a name that matches no tag ("Tajikstan" → Tajikistan)."""
    wanted = _folded(name.strip())
    if not wanted:
        return []
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)  # difflib caches what it learns about the second sequence
    scored: list[tuple[float, int]] = []
    names = tuples(Tag.select(Tag.id, Tag.name_en, Tag.name_ar).where(Tag.facet == facet))
    for tag_id, name_en, name_ar in names:
        best = 0.0
        for candidate in (name_en, name_ar):
            folded = _folded(candidate) if candidate else ""
            if not folded:
                continue
            matcher.set_seq1(folded)
            if matcher.real_quick_ratio() >= CLOSE_ENOUGH and matcher.quick_ratio() >= CLOSE_ENOUGH:
                best = max(best, matcher.ratio())
        if best >= CLOSE_ENOUGH:
            scored.append((best, tag_id))
    chosen = [tag_id for _score, tag_id in sorted(scored, key=lambda pair: -pair[0])[:limit]]
    by_id = {tag.id: tag for tag in Tag.select().where(Tag.id.in_(chosen))} if chosen else {}
    return [by_id[tag_id] for tag_id in chosen]


def tag_ids_with_descendants(tag_ids: Iterable[int]) -> list[int]:
    """The tags and every tag below them (Central Asia → Tajikistan → Dushanbe)."""
    children: dict[int, list[int]] = {}
    for tag_id, parent_id in tuples(Tag.select(Tag.id, Tag.parent).where(Tag.parent.is_null(False))):
        children.setdefault(parent_id, []).append(tag_id)
    seen: list[int] = []
    pending = list(tag_ids)
    while pending:
        tag_id = pending.pop()
        if tag_id in seen:
            continue
        seen.append(tag_id)
        pending.extend(children.get(tag_id, []))
    return seen


def attach(document_ids: list[int], tag: Tag, suggested: bool) -> list[int]:
    """Give `tag` to those of the (existing) documents that lack it; returns their ids."""
    already = {
        row[0]
        for start in range(0, len(document_ids), 500)
        for row in tuples(
            DocumentTag.select(DocumentTag.document).where(
                (DocumentTag.tag == tag) & DocumentTag.document.in_(document_ids[start : start + 500])
            )
        )
    }
    new = [i for i in document_ids if i not in already]
    now = utcnow()
    for start in range(0, len(new), 500):
        DocumentTag.insert_many(
            [(i, tag.id, "user", now, suggested) for i in new[start : start + 500]],
            fields=[
                DocumentTag.document,
                DocumentTag.tag,
                DocumentTag.added_by,
                DocumentTag.added_at,
                DocumentTag.suggested,
            ],
        ).execute()
    return new


def detach(document_id: int, tag: Tag) -> int:
    """Take `tag` off one document; returns how many rows went (0 or 1)."""
    return (
        DocumentTag.delete().where((DocumentTag.document == document_id) & (DocumentTag.tag == tag)).execute()
    )


def document_tags(document_id: int) -> dict[str, list[Tag]]:
    """One document's tags by facet, each facet's in name order."""
    grouped: dict[str, list[Tag]] = {"event": [], "region": [], "theme": []}
    query = (
        Tag.select()
        .join(DocumentTag)
        .where(DocumentTag.document == document_id)
        .order_by(Tag.facet, Tag.name_en)
    )
    for tag in query:
        grouped[tag.facet].append(tag)
    return grouped


def tags_for_documents(document_ids: Sequence[int]) -> dict[int, list[Tag]]:
    """Tags of many documents in one query (for table rows)."""
    result: dict[int, list[Tag]] = {i: [] for i in document_ids}
    query = (
        DocumentTag.select(DocumentTag.document, Tag)
        .join(Tag)
        .where(DocumentTag.document.in_(list(document_ids)))
        .order_by(Tag.facet, Tag.name_en)
    )
    for row in query:
        result[row.document_id].append(row.tag)
    return result


__all__ = [
    "attach",
    "closest_tags",
    "detach",
    "document_tags",
    "find_tag",
    "tag_ids_with_descendants",
    "tags_for_documents",
]
