"""Suggested translations: documents that share dates, numbers, names and tags with a given one.

The names come from the same bilingual lexicon the paragraph aligner uses (CLDR places, UN bodies, and
the archive's tags named in both languages), so "Dushanbe" in one text meets "دوشانبي" in the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import fn
from qirtas.archive.alignment import Lexicon, anchors
from qirtas.archive.archive import Archive
from qirtas.archive.models import Document, DocumentTag, Tag, tuples, uses_archive

CANDIDATE_POOL = 400  # documents scored when suggesting translations
PROFILE_CHARS = 30_000  # enough of a long text to tell what it is about, fast to read
MIN_SCORE = 4.0  # below this, what two documents share is what any two on one subject share


@dataclass
class Candidate:
    """A document that may be the translation of another, with what corresponds between them."""

    id: int
    title: str
    language: str
    score: float
    evidence: dict[str, list[str]] = field(default_factory=dict)  # kind → shared values

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "score": round(self.score, 3),
            "evidence": self.evidence,
        }


def archive_lexicon() -> Lexicon:
    """Place names from CLDR plus every tag named in both languages (events, themes, cities)."""
    names = Tag.select(Tag.name_en, Tag.name_ar).where((Tag.name_en != "") & (Tag.name_ar != ""))
    return Lexicon(list(tuples(names)))


def _opposite_languages(language: str) -> list[str] | None:
    return {"en": ["ar", "mixed"], "ar": ["en", "mixed"]}.get(language)


def _jaccard(one: set, other: set) -> float:
    return len(one & other) / len(one | other) if one and other else 0.0


@uses_archive
def candidates(archive: Archive, document_id: int, limit: int = 10) -> list[Candidate]:
    """Documents likely to be this one's translation: shared dates, numbers, names, tags; plausible length."""
    document = archive.get(document_id)
    linked = set(archive.translations(document_id)) | {document_id}
    pool = Document.select(Document.id).where(Document.id.not_in(list(linked)))
    languages = _opposite_languages(document.language)
    if languages:
        pool = pool.where(Document.language.in_(languages))
    own_tags = {
        row[0]
        for row in tuples(DocumentTag.select(DocumentTag.tag).where(DocumentTag.document == document_id))
    }
    # Score the likeliest first: same tags or date, then the nearest ids (imported together).
    tagged = set()
    if own_tags:
        tagged = {
            row[0]
            for row in tuples(
                DocumentTag.select(DocumentTag.document).where(
                    DocumentTag.tag.in_(list(own_tags)) & DocumentTag.document.in_(pool)
                )
            )
        }
    dated = set()
    if document.date:
        dated = {row[0] for row in tuples(pool.where(Document.date == document.date))}
    nearest = tuples(pool.order_by(fn.ABS(Document.id - document_id)).limit(CANDIDATE_POOL))
    ids = list(dict.fromkeys([*tagged, *dated, *(row[0] for row in nearest)]))[:CANDIDATE_POOL]
    if not ids:
        return []
    lexicon = archive_lexicon()
    own = _profile(document, lexicon)
    tags_of: dict[int, set[int]] = {}
    for doc, tag in tuples(
        DocumentTag.select(DocumentTag.document, DocumentTag.tag).where(DocumentTag.document.in_(ids))
    ):
        tags_of.setdefault(doc, set()).add(tag)
    found = []
    for other in Document.select().where(Document.id.in_(ids)):
        theirs = _profile(other, lexicon)
        evidence: dict[str, list[str]] = {}
        score = 0.0
        if document.date and document.date == other.date:
            score += 2.0
            evidence["document_date"] = [document.date.isoformat()]
        for kind, weight in (("date", 3.0), ("number", 3.0), ("name", 3.0), ("latin", 2.0)):
            shared = own[kind] & theirs[kind]
            if shared:
                score += weight * _jaccard(own[kind], theirs[kind]) + 0.25 * min(len(shared), 4)
                evidence[kind] = sorted(shared)[:10]
        shared_tags = own_tags & tags_of.get(other.id, set())
        if shared_tags:
            score += 2.0 * _jaccard(own_tags, tags_of[other.id])
            evidence["tag"] = [Tag.get_by_id(t).label() for t in sorted(shared_tags)]
        ratio = (len(other.text) + 1) / (len(document.text) + 1)
        if document.language == "ar":
            ratio = 1 / ratio
        if not 0.4 <= ratio <= 2.0:  # Arabic runs about 0.8–1.1 of the English length
            score -= 2.0
        if score >= MIN_SCORE:
            found.append(Candidate(other.id, other.title, other.language, score, evidence))
    found.sort(key=lambda c: (-c.score, c.id))
    return found[:limit]


def _profile(document: Document, lexicon: Lexicon) -> dict[str, set[str]]:
    counts = anchors(f"{document.title}\n{document.text[:PROFILE_CHARS]}", lexicon)
    profile: dict[str, set[str]] = {"date": set(), "number": set(), "name": set(), "latin": set()}
    for key in counts:
        kind, _colon, value = key.partition(":")
        if kind == "number" and len(value) < 2:
            continue  # single digits are everywhere
        if kind == "latin" and not (value.isupper() or len(value) > 3):
            continue
        profile[kind].add(value)
    return profile
