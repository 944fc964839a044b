"""A query's facet filters (`region:Tajikistan`, `theme:extremism`) matched to tags: by name in either
language, any spelling, or code, else by the words of a name; a place stands for the places inside it."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from qirtas.archive.models import Tag, tuples
from qirtas.i18n.normalize import normalize, query_terms


def tag_choices(facets: set[str]) -> list[tuple[int, str, str, str, str | None, int | None]]:
    """(id, facet, English name, Arabic name, code, parent) of every tag of these facets."""
    return list(
        tuples(
            Tag.select(Tag.id, Tag.facet, Tag.name_en, Tag.name_ar, Tag.code, Tag.parent).where(
                Tag.facet.in_(sorted(facets))
            )
        )
    )


# Tag names folded once (a region filter compares the value with the names of all 300 regions).
_folded_name = functools.lru_cache(maxsize=8192)(normalize)
_name_terms = functools.lru_cache(maxsize=8192)(query_terms)


def matching_tags(value: str, tags, facet: str) -> list[int]:
    """Tags of `facet` named `value` (either language, any spelling, or a CLDR code); else tags whose
    name contains its words (theme:extremism finds "Violent extremism")."""
    folded = normalize(value.strip())
    exact = [
        tag_id
        for tag_id, tag_facet, name_en, name_ar, code, _parent in tags
        if tag_facet == facet
        and (folded in (_folded_name(name_en), _folded_name(name_ar)) or (code and folded == code.casefold()))
    ]
    if exact:
        return exact
    wanted = query_terms(value)
    if not wanted:
        return []
    size = len(wanted)
    found = []
    for tag_id, tag_facet, name_en, name_ar, _code, _parent in tags:
        if tag_facet != facet:
            continue
        for name in (name_en, name_ar):
            terms = _name_terms(name)
            if any(terms[i : i + size] == wanted for i in range(len(terms) - size + 1)):
                found.append(tag_id)
                break
    return found


def with_descendants(tag_ids: Iterable[int], tags) -> list[int]:
    """These tags and every tag inside them, from the rows `tag_choices` gave."""
    children: dict[int, list[int]] = {}
    for tag_id, *_names, parent in tags:
        if parent is not None:
            children.setdefault(parent, []).append(tag_id)
    seen: list[int] = []
    pending = list(tag_ids)
    while pending:
        tag_id = pending.pop()
        if tag_id not in seen:
            seen.append(tag_id)
            pending.extend(children.get(tag_id, []))
    return seen
