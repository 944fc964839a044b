"""Curating the tag vocabulary: rename, merge, move a region, delete — each a transaction with an audit event."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from qirtas.archive import tags
from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.models import DocumentTag, Tag, tuples, uses_archive
from qirtas.archive.regions import M49_PARENT, WORLD, region_names
from qirtas.i18n import _
from qirtas.i18n.normalize import normalize
from qirtas.i18n.script import in_arabic_script, shows_nothing


def _tag(tag_id: int) -> Tag:
    tag = Tag.get_or_none(Tag.id == tag_id)
    if tag is None:
        raise ArchiveError(f"There is no tag {tag_id} in this archive.")
    return tag


@uses_archive
def get_tag(archive: Archive, tag_id: int) -> Tag | None:
    """The tag with this id, or None when it no longer exists."""
    return Tag.get_or_none(Tag.id == tag_id)


@uses_archive
def closest_tags(archive: Archive, facet: str, name: str, limit: int = tags.CLOSEST_SHOWN) -> list[Tag]:
    """The existing tags of `facet` named most like `name`, best first (for a name that matched none)."""
    return tags.closest_tags(facet, name, limit)


@uses_archive
def closest_names(archive: Archive, facet: str, name: str, limit: int = tags.CLOSEST_SHOWN) -> list[str]:
    """What to offer for a name that matched no tag: the closest existing tags' names, in the language
    `name` is typed in; for a region close to no tag, the closest CLDR names (a country not tagged yet)."""
    arabic = in_arabic_script(name)
    found = [tag.label("ar" if arabic else "en") for tag in tags.closest_tags(facet, name, limit)]
    if facet == "region" and not found:
        found = _closest_region_names(name, arabic)[:limit]
    return found


def _closest_region_names(name: str, arabic: bool) -> list[str]:
    wanted = normalize(name.strip())
    scored = []
    for code in [WORLD, *M49_PARENT]:
        candidate = region_names(code)[1 if arabic else 0]
        if candidate:
            ratio = SequenceMatcher(None, normalize(candidate), wanted, autojunk=False).ratio()
            if ratio >= tags.CLOSE_ENOUGH:
                scored.append((ratio, candidate))
    return [candidate for _ratio, candidate in sorted(scored, key=lambda pair: -pair[0])]


def refuse_invisible_name(*names: str) -> None:
    """ArchiveError unless one of the names shows something: a name of spaces, zero-width or other
    invisible characters would look like no name at all in every list."""
    given = [name for name in names if name]
    if not given:
        raise ArchiveError(_("A tag needs a name in English or Arabic."))
    if all(shows_nothing(name) for name in given):
        raise ArchiveError(_("A tag name needs visible letters, not only spaces or invisible marks."))


@uses_archive
def document_tag_ids(archive: Archive, document_ids: Sequence[int]) -> dict[int, list[int]]:
    """Document id → ids of its tags, in one light query (for table rows and the tag editor)."""
    result: dict[int, list[int]] = {document_id: [] for document_id in document_ids}
    if not result:
        return result
    query = (
        DocumentTag.select(DocumentTag.document, DocumentTag.tag)
        .where(DocumentTag.document.in_(list(result)))
        .order_by(DocumentTag.document, DocumentTag.tag)
    )
    for document_id, tag_id in tuples(query):
        result[document_id].append(tag_id)
    return result


@uses_archive
def documents_touched(archive: Archive, tag_id: int) -> int:
    """How many documents carry this tag directly (what renaming, merging or deleting it changes)."""
    return DocumentTag.select().where(DocumentTag.tag == tag_id).count()


@uses_archive
def rename_tag(archive: Archive, tag_id: int, name_en: str, name_ar: str) -> Tag:
    """Give a tag new English and Arabic names (one of them may be empty, not both)."""
    name_en, name_ar = name_en.strip(), name_ar.strip()
    refuse_invisible_name(name_en, name_ar)
    with archive.db.atomic("IMMEDIATE"):
        tag = _tag(tag_id)
        clash = (
            Tag.select()
            .where((Tag.facet == tag.facet) & (Tag.id != tag.id))
            .where(
                ((Tag.name_en == name_en) & (Tag.name_en != ""))
                | ((Tag.name_ar == name_ar) & (Tag.name_ar != ""))
            )
            .first()
        )
        if clash is not None:
            raise ArchiveError(
                f"Another {tag.facet} tag is already called “{clash.label()}”; merge the two instead."
            )
        before = {"en": tag.name_en, "ar": tag.name_ar}
        tag.name_en, tag.name_ar = name_en, name_ar
        tag.save()
        archive.audit("tag-renamed", None, tag=tag.id, before=before, after={"en": name_en, "ar": name_ar})
    return tag


@uses_archive
def merge_tags(archive: Archive, source_id: int, target_id: int) -> int:
    """Move every document and child of `source` onto `target`, then remove `source`.

    Returns how many documents gained `target` (documents that had both keep one).
    """
    if source_id == target_id:
        raise ArchiveError("A tag cannot be merged into itself.")
    with archive.db.atomic("IMMEDIATE"):
        source, target = _tag(source_id), _tag(target_id)
        if source.facet != target.facet:
            raise ArchiveError("Only tags of the same kind (event, region or theme) can be merged.")
        if source_id in archive.tag_ids_with_descendants([target_id])[1:]:
            raise ArchiveError("A region cannot be merged into a place inside it.")
        already = DocumentTag.select(DocumentTag.document).where(DocumentTag.tag == target_id)
        moved = (
            DocumentTag.update(tag=target_id)
            .where((DocumentTag.tag == source_id) & DocumentTag.document.not_in(already))
            .execute()
        )
        DocumentTag.delete().where(DocumentTag.tag == source_id).execute()
        Tag.update(parent=target_id).where(Tag.parent == source_id).execute()
        source.delete_instance()
        archive.audit(
            "tag-merged",
            None,
            source=source_id,
            target=target_id,
            source_name=source.label(),
            target_name=target.label(),
            documents=moved,
        )
    return moved


@uses_archive
def move_region(archive: Archive, tag_id: int, parent_id: int | None) -> Tag:
    """Place a region under another (Dushanbe under Tajikistan), or at the top with `parent_id=None`."""
    with archive.db.atomic("IMMEDIATE"):
        tag = _tag(tag_id)
        if tag.facet != "region":
            raise ArchiveError("Only regions nest; events and themes have no parent.")
        if parent_id is not None:
            parent = _tag(parent_id)
            if parent.facet != "region":
                raise ArchiveError("A region can only be placed under another region.")
            if parent_id in archive.tag_ids_with_descendants([tag_id]):
                raise ArchiveError("A region cannot be placed under itself or a place inside it.")
        before = tag.parent_id
        tag.parent = parent_id
        tag.save()
        archive.audit("tag-moved", None, tag=tag_id, before=before, after=parent_id)
    return tag


@uses_archive
def delete_tag(archive: Archive, tag_id: int) -> int:
    """Remove a tag from every document and from the vocabulary; its children move up a level.

    Returns how many documents lost it.
    """
    with archive.db.atomic("IMMEDIATE"):
        tag = _tag(tag_id)
        touched = DocumentTag.delete().where(DocumentTag.tag == tag_id).execute()
        Tag.update(parent=tag.parent_id).where(Tag.parent == tag_id).execute()
        tag.delete_instance()
        archive.audit(
            "tag-deleted",
            None,
            tag=tag_id,
            facet=tag.facet,
            en=tag.name_en,
            ar=tag.name_ar,
            documents=touched,
        )
    return touched


__all__ = [
    "closest_names",
    "closest_tags",
    "delete_tag",
    "document_tag_ids",
    "documents_touched",
    "get_tag",
    "merge_tags",
    "move_region",
    "refuse_invisible_name",
    "rename_tag",
]
