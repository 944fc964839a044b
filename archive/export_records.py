"""What an export writes about each document: every field, tags with their ancestors, links, review."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from qirtas.archive.models import FACETS, Document, DocumentLink, DocumentTag, Tag, database
from qirtas.importers.notices import codes, english_texts

from qirtas.jobs import Cancel, Progress, stop_if_cancelled

_CHUNK = 500


def tick(done: int, total: int, progress: Progress | None, cancel: Cancel | None) -> None:
    """Report progress and honour Cancel every 100 documents (and at the end)."""
    if done % 100 == 0 or done == total:
        stop_if_cancelled(cancel)
        if progress:
            progress(done, total)


def umask() -> int:
    """The process's umask, read without changing it (Linux); a common default elsewhere."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def iso(value) -> str | None:
    return value.isoformat() if value else None


def tag_record(tag: Tag) -> dict:
    """A vocabulary entry: enough to rebuild the tag with its parent, code, date and place."""
    return {
        "id": tag.id,
        "facet": tag.facet,
        "en": tag.name_en,
        "ar": tag.name_ar,
        "parent": tag.parent_id,
        "code": tag.code,
        "date": iso(tag.date),
        "place": tag.place,
    }


class Vocabulary:
    """Every tag by id, loaded once, to give each document's tags their ancestors' names."""

    def __init__(self) -> None:
        self.tags = {tag.id: tag for tag in Tag.select()}

    def ancestors(self, tag: Tag) -> list[Tag]:
        chain: list[Tag] = []
        seen = {tag.id}
        parent_id = tag.parent_id
        while parent_id and parent_id in self.tags and parent_id not in seen:
            seen.add(parent_id)
            chain.insert(0, self.tags[parent_id])
            parent_id = self.tags[parent_id].parent_id
        return chain

    def with_ancestors(self, tag_ids: set[int]) -> list[Tag]:
        wanted: set[int] = set()
        for tag_id in tag_ids:
            if tag_id in self.tags:
                wanted.add(tag_id)
                wanted.update(t.id for t in self.ancestors(self.tags[tag_id]))
        return [self.tags[i] for i in sorted(wanted)]


def _document_tags(document_ids: Sequence[int]) -> dict[int, list[tuple[Tag, DocumentTag]]]:
    result: dict[int, list[tuple[Tag, DocumentTag]]] = {i: [] for i in document_ids}
    query = (
        DocumentTag.select(DocumentTag, Tag)
        .join(Tag)
        .where(DocumentTag.document.in_(list(document_ids)))
        .order_by(Tag.facet, Tag.name_en, Tag.name_ar)
    )
    for row in query:
        result[row.document_id].append((row.tag, row))
    return result


def _links(document_ids: Sequence[int]) -> dict[int, list[DocumentLink]]:
    result: dict[int, list[DocumentLink]] = {i: [] for i in document_ids}
    ids = list(document_ids)
    query = DocumentLink.select().where(DocumentLink.document.in_(ids) | DocumentLink.translation.in_(ids))
    for link in query:
        for side in (link.document_id, link.translation_id):
            if side in result and link not in result[side]:
                result[side].append(link)
    return result


def review_tables() -> list[str]:
    """Tables holding the bilingual review state (pairs, statuses, comments), when that feature exists."""
    return sorted(name for name in database.get_tables() if name.startswith("review"))


def _review_rows(document_ids: Sequence[int]) -> dict[int, dict[str, list[dict]]]:
    """Each document's review rows, table by table (rows whose `document…` column names it)."""
    result: dict[int, dict[str, list[dict]]] = {}
    ids = list(document_ids)
    for table in review_tables():
        columns = [c.name for c in database.get_columns(table)]
        keys = [c for c in columns if c in ("document_id", "document")]
        if not keys:
            continue
        placeholders = ",".join("?" * len(ids))
        cursor = database.execute_sql(
            f'SELECT * FROM "{table}" WHERE "{keys[0]}" IN ({placeholders}) ORDER BY rowid', ids
        )
        for row in cursor.fetchall():
            record = dict(zip(columns, row, strict=True))
            result.setdefault(record[keys[0]], {}).setdefault(table, []).append(record)
    return result


def document_record(
    document: Document,
    tags: list[tuple[Tag, DocumentTag]],
    links: list[DocumentLink],
    vocabulary: Vocabulary,
    reviews: dict[str, list[dict]] | None = None,
    with_text: bool = True,
) -> dict:
    """Every field of a document, its tags in both languages (with their ancestors), links and review."""
    record = {
        "id": document.id,
        "title": document.title,
        "language": document.language,
        "date": iso(document.date),
        "status": document.status,
        "source_name": document.source_name,
        "media_type": document.media_type,
        "sha256": document.sha256,
        "size": document.size,
        "pages": document.pages,
        "page_starts": document.page_starts,
        "metadata": document.metadata,
        "warnings": english_texts(document.warnings),
        "warning_codes": codes(document.warnings),
        "imported_at": iso(document.imported_at),
        "modified_at": iso(document.modified_at),
        "text_sha256": document.text_sha256,  # SHA-256 of title, NUL, text (UTF-8)
    }
    if with_text:
        record["text"] = document.text
    grouped: dict[str, list[dict]] = {facet: [] for facet in FACETS}
    for tag, attached in tags:
        ancestors = vocabulary.ancestors(tag)
        grouped[tag.facet].append(
            {
                **tag_record(tag),
                "path_en": [t.name_en for t in ancestors],
                "path_ar": [t.name_ar for t in ancestors],
                "added_by": attached.added_by,
                "added_at": iso(attached.added_at),
                "suggested": attached.suggested,
            }
        )
    record["tags"] = grouped
    record["translations"] = sorted(
        link.translation_id if link.document_id == document.id else link.document_id for link in links
    )
    record["links"] = [
        {
            "document": link.document_id,
            "translation": link.translation_id,
            "created_at": iso(link.created_at),
        }
        for link in links
    ]
    record["review"] = reviews or {}
    return record


def iter_records(
    document_ids: Sequence[int], with_text: bool = True, vocabulary: Vocabulary | None = None
) -> Iterator[dict]:
    """Document records in the order of `document_ids`, read in chunks so memory stays flat."""
    vocabulary = vocabulary or Vocabulary()
    for start in range(0, len(document_ids), _CHUNK):
        chunk = list(document_ids[start : start + _CHUNK])
        documents = {d.id: d for d in Document.select().where(Document.id.in_(chunk))}
        tags = _document_tags(chunk)
        links = _links(chunk)
        reviews = _review_rows(chunk)
        for document_id in chunk:
            if document_id in documents:
                yield document_record(
                    documents[document_id],
                    tags[document_id],
                    links[document_id],
                    vocabulary,
                    reviews.get(document_id),
                    with_text,
                )
