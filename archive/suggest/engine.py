"""Tag suggestions from a document's stored text — regions, events, themes — each with the phrase behind it.

    suggestions = suggest(archive, document_id)          # DocumentSuggestions: .event .region .theme
    accept(archive, document_id, suggestion_or_key)     # tags it (suggested=True) and records the evidence
    reject(archive, document_id, suggestion_or_key)     # never proposed again for this document
    suggest_on_import(archive, report_ids)              # after an import: {id: DocumentSuggestions}

Rejections live in the audit trail ("suggestion-rejected"), so they need no table and keep their provenance;
a tag the user took off a document ("untagged") is not proposed for it again either. Theme keywords are a
JSON value in SchemaInfo, edited with `set_theme_keywords`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from qirtas.archive import schema
from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.models import AuditEvent, Document, DocumentTag, Tag, tuples, uses_archive
from qirtas.archive.regions import M49_PARENT, ensure_region, region_names
from qirtas.archive.suggest.events import PlaceHit, find_events, name_key, similarity
from qirtas.archive.suggest.places import (
    CITY_BY_KEY,
    DATELINE_ALIASES,
    City,
    Place,
    PlaceFinder,
    city_places,
    cldr_places,
)
from qirtas.archive.suggest.text import FoldedText, excerpt, fold_phrase, is_arabic, phrase_pattern
from qirtas.archive.suggest.themes import (
    KEYWORDS_INFO,
    ThemeKeywords,
    reset_theme_keywords,
    set_theme_keywords,
    theme_keywords,
)
from qirtas.i18n.dates import find_dates

FACETS = ("event", "region", "theme")
REJECTED, RESTORED, ACCEPTED = "suggestion-rejected", "suggestion-restored", "suggestion-accepted"
MIN_THEME_SCORE = 2  # keyword words found must add up to 2: one phrase of two words, or a word twice


@dataclass
class Suggestion:
    """One proposed tag and the phrase of the document that triggered it."""

    facet: str
    key: str  # stable identity, for accept/reject: "region:AE", "region:new-york", "theme:7", "event:…"
    name_en: str
    name_ar: str
    evidence: str  # the sentence around the phrase, cut to about 180 characters
    match: str  # the phrase itself, as written in the document
    start: int  # where that phrase is in the document's text
    end: int
    count: int = 1  # how many times the document says it
    tag_id: int | None = None  # the tag it would apply, when the archive already has it
    code: str | None = None  # regions: the CLDR code
    parent: str = ""  # regions: the place it belongs to
    date: dt.date | None = None  # events
    place: str = ""  # events
    keywords: list[str] = field(default_factory=list)  # themes: the keywords found

    @property
    def name(self) -> str:
        return self.name_en or self.name_ar

    def to_json(self) -> dict:
        payload = {
            "key": self.key,
            "name": self.name,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "evidence": self.evidence,
            "match": self.match,
            "start": self.start,
            "end": self.end,
            "count": self.count,
            "tag_id": self.tag_id,
        }
        if self.facet == "region":
            payload.update(code=self.code, parent=self.parent)
        if self.facet == "event":
            payload.update(date=self.date.isoformat() if self.date else None, place=self.place)
        if self.facet == "theme":
            payload.update(keywords=self.keywords)
        return payload


@dataclass
class DocumentSuggestions:
    document_id: int
    event: list[Suggestion] = field(default_factory=list)
    region: list[Suggestion] = field(default_factory=list)
    theme: list[Suggestion] = field(default_factory=list)

    def all(self) -> list[Suggestion]:
        return [*self.event, *self.region, *self.theme]

    def find(self, key: str) -> Suggestion | None:
        """A suggestion by its key, or by "facet:name" in either language (case-insensitive)."""
        for suggestion in self.all():
            if suggestion.key == key:
                return suggestion
        facet, _sep, name = key.partition(":")
        wanted = fold_phrase(name)
        for suggestion in getattr(self, facet, []) if facet in FACETS else []:
            if wanted in (fold_phrase(suggestion.name_en), fold_phrase(suggestion.name_ar)):
                return suggestion
        return None

    def to_json(self) -> dict:
        return {facet: [s.to_json() for s in getattr(self, facet)] for facet in FACETS}

    def __len__(self) -> int:
        return len(self.all())


# ---- the suggester ----------------------------------------------------------------------------------


class Suggester:
    """Everything needed to suggest for many documents, built once from the archive's vocabulary."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.places = self._places()
        self._finder = PlaceFinder(self.places)
        self._place_by_key = {place.key: place for place in self.places}
        self._dateline = {fold_phrase(name): key for name, key in DATELINE_ALIASES.items()}
        self.themes = theme_keywords(archive)
        self._theme_patterns = self._compile_themes()
        self.events = archive.tags("event")

    # regions
    def _places(self) -> list[Place]:
        places = cldr_places() + city_places()
        by_code = {p.code: p for p in places if p.code}
        by_name = {fold_phrase(n): p for p in places if p.city for n in (p.name_en, p.name_ar) if n}
        region_tags = self.archive.tags("region")
        labels = {tag.id: tag.label() for tag in region_tags}
        place: Place | None  # a region tag may name no known place
        for place in places:
            parent = place.city.parent if place.city else M49_PARENT.get(place.code or "")
            if parent:
                place.parent = (
                    CITY_BY_KEY[parent].name_en if parent in CITY_BY_KEY else region_names(parent)[0]
                )
        for tag in region_tags:
            if tag.code:
                place = by_code.get(tag.code)
            else:
                place = by_name.get(fold_phrase(tag.name_en)) or by_name.get(fold_phrase(tag.name_ar))
            if place is None:
                if tag.code:
                    continue  # a code this version does not list as a place
                place = Place(f"region:tag:{tag.id}", tag.name_en, tag.name_ar)
                places.append(place)
            place.tag_id = tag.id
            place.parent = labels.get(tag.parent_id, place.parent) if tag.parent_id else place.parent
            place.name_en, place.name_ar = tag.name_en or place.name_en, tag.name_ar or place.name_ar
            for name, names in ((tag.name_en, place.names_en), (tag.name_ar, place.names_ar)):
                if name and name not in names:
                    names.append(name)
        return places

    def find_places(
        self, text: str, folded: FoldedText | None = None, dateline: tuple[Place, int, int] | None = None
    ) -> list[tuple[Place, int, int]]:
        """Every place named in `text` (the dateline's too, when given), in order."""
        found = self._finder.find(text, folded or FoldedText.of(text))
        if dateline:
            found.append(dateline)
        return sorted(found, key=lambda item: item[1])

    def _dateline_place(self, text: str) -> tuple[Place, int, int] | None:
        """'الأمم المتحدة 11 مايو 2016 (شينخوا)': the place a news story was filed from, before its date."""
        stripped = text.lstrip()
        offset = len(text) - len(stripped)
        dates = find_dates(stripped[:120])
        if not dates or dates[0][1] > 60:
            return None
        head = stripped[: dates[0][1]]
        name = head.strip(" ,،-–—:\n")
        key = self._dateline.get(fold_phrase(name))
        if key is None:
            return None
        start = offset + head.find(name)
        return self._place_by_key[f"region:{key}"], start, start + len(name)

    def suggest_regions(self, text: str, hits: list[tuple[Place, int, int]]) -> list[Suggestion]:
        by_key: dict[str, Suggestion] = {}
        for place, start, end in hits:
            if place.key in by_key:
                by_key[place.key].count += 1
                continue
            by_key[place.key] = Suggestion(
                "region", place.key, place.name_en, place.name_ar, excerpt(text, start, end),
                text[start:end], start, end, tag_id=place.tag_id, code=place.code,
                parent=place.parent,
            )  # fmt: skip
        return list(by_key.values())

    # themes
    def _compile_themes(self) -> list[tuple[ThemeKeywords, re.Pattern, dict[str, str]]]:
        compiled = []
        for theme in self.themes:
            exact, prefixes, originals = [], [], {}
            for keyword in [*theme.en, *theme.ar]:
                folded = fold_phrase(keyword.rstrip("*"))
                originals[folded] = keyword
                if keyword.endswith("*"):
                    prefixes.append(folded)
                else:
                    exact.append(folded)
                    if (
                        is_arabic(keyword)
                        and folded.startswith("ال")
                        and " " not in folded
                        and len(folded) > 4
                    ):
                        exact.append(folded[2:])  # الدعاية also as دعاية
                        originals[folded[2:]] = keyword
                    elif not is_arabic(keyword) and not folded.endswith("s"):
                        exact.append(folded + "s")
                        originals[folded + "s"] = keyword
            parts = []
            if exact:
                parts.append(phrase_pattern(exact).pattern)
            if prefixes:
                alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
                parts.append(rf"(?<!\w)(?P<prefix>{alternatives})\w*")
            if parts:
                compiled.append((theme, re.compile("|".join(f"(?:{p})" for p in parts)), originals))
        return compiled

    def suggest_themes(self, text: str, folded: FoldedText) -> list[Suggestion]:
        suggestions = []
        for theme, pattern, originals in self._theme_patterns:
            score, first, found = 0, None, []
            for match in pattern.finditer(folded.folded):
                group = next(g for g in ("core", "coreal", "prefix") if match.groupdict().get(g) is not None)
                phrase = ("ال" if group == "coreal" else "") + match.group(group)
                keyword = originals.get(phrase, phrase)
                # the theme's own name is enough, one word or two ("cybersecurity" = "الأمن السيبراني")
                named = fold_phrase(keyword) in (fold_phrase(theme.name_en), fold_phrase(theme.name_ar))
                score += max(min(3, len(keyword.split())), MIN_THEME_SCORE if named else 0)
                if keyword not in found:
                    found.append(keyword)
                if first is None:
                    first = folded.span(*match.span(group))
            if first is None or score < MIN_THEME_SCORE:
                continue
            start, end = first
            count = sum(1 for _ in pattern.finditer(folded.folded))
            suggestions.append(
                Suggestion(
                    "theme", f"theme:{theme.tag_id}", theme.name_en, theme.name_ar, excerpt(text, start, end),
                    text[start:end], start, end, count=count, tag_id=theme.tag_id, keywords=found,
                )
            )  # fmt: skip
        suggestions.sort(key=lambda s: -s.count)
        return suggestions

    # events
    def suggest_events(
        self, text: str, hits: list[tuple[Place, int, int]], dateline: tuple[Place, int, int] | None = None
    ) -> list[Suggestion]:
        place_hits = [PlaceHit(start, end, place.name_en or place.name_ar) for place, start, end in hits]
        dateline_name = dateline[0].name_en if dateline else ""
        suggestions: dict[str, Suggestion] = {}
        for candidate in find_events(text, place_hits, dateline_name):
            arabic = candidate.language == "ar"
            name_en, name_ar = ("", candidate.name) if arabic else (candidate.name, "")
            tag = self._matching_event(candidate.name, candidate.date)
            if tag is not None:
                key = f"event:tag:{tag.id}"
                name_en, name_ar = tag.name_en, tag.name_ar
                date, place = tag.date or candidate.date, tag.place or candidate.place
            else:
                identity = (
                    f"{name_key(candidate.name)}|{candidate.date.isoformat() if candidate.date else ''}"
                )
                key = "event:" + hashlib.sha1(identity.encode()).hexdigest()[:10]
                date, place = candidate.date, candidate.place
            if key in suggestions:
                continue
            suggestions[key] = Suggestion(
                "event", key, name_en, name_ar, excerpt(text, candidate.start, candidate.end),
                text[candidate.start : candidate.end], candidate.start, candidate.end,
                tag_id=tag.id if tag else None, date=date, place=place,
            )  # fmt: skip
        return list(suggestions.values())

    def _matching_event(self, name: str, date: dt.date | None) -> Tag | None:
        best, best_score = None, 0.0
        for tag in self.events:
            score = max(similarity(name, tag.name_en), similarity(name, tag.name_ar))
            if date and tag.date and date != tag.date:
                continue
            needed = 0.2 if (date and tag.date == date) else 0.5
            if score >= needed and score > best_score:
                best, best_score = tag, score
        return best

    # one document
    def suggest(self, document: Document, known: Known | None = None) -> DocumentSuggestions:
        """Suggestions for one document, less what it has, what was rejected and what the user took off."""
        text = document.text or ""
        folded = FoldedText.of(text)
        dateline = self._dateline_place(text)
        hits = self.find_places(text, folded, dateline)
        result = DocumentSuggestions(
            document.id,
            event=self.suggest_events(text, hits, dateline),
            region=self.suggest_regions(text, hits),
            theme=self.suggest_themes(text, folded),
        )
        known = known or known_for([document])[document.id]
        for facet in FACETS:
            setattr(result, facet, [s for s in getattr(result, facet) if not known.excludes(s)])
        return result


@dataclass
class Known:
    """What a document already has or refused: no suggestion repeats it."""

    tagged: set[int] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)
    untagged: set[int] = field(default_factory=set)

    def excludes(self, suggestion: Suggestion) -> bool:
        if suggestion.key in self.rejected:
            return True
        return suggestion.tag_id is not None and (
            suggestion.tag_id in self.tagged or suggestion.tag_id in self.untagged
        )


def known_for(documents: Sequence[Document]) -> dict[int, Known]:
    """Tags, rejections ("suggestion-rejected") and removed tags ("untagged") of documents, in two queries."""
    known = {document.id: Known() for document in documents}
    hashes = {document.id: document.sha256 for document in documents}
    ids = list(known)
    for document_id, tag_id in tuples(
        DocumentTag.select(DocumentTag.document, DocumentTag.tag).where(DocumentTag.document.in_(ids))
    ):
        known[document_id].tagged.add(tag_id)
    events = (
        AuditEvent.select(AuditEvent.document_id, AuditEvent.action, AuditEvent.details)
        .where(AuditEvent.document_id.in_(ids) & AuditEvent.action.in_([REJECTED, RESTORED, "untagged"]))
        .order_by(AuditEvent.id)
    )
    for event in events:
        assert event.document_id is not None  # the query selects these documents' events
        entry, details = known[event.document_id], event.details or {}
        if event.action == "untagged" and details.get("tag") is not None:
            entry.untagged.add(details["tag"])
        elif details.get("sha256", hashes[event.document_id]) != hashes[event.document_id]:
            continue  # an earlier document with the same id, since deleted
        elif event.action == REJECTED:
            entry.rejected.add(details.get("key", ""))
        else:
            entry.rejected.discard(details.get("key", ""))
    return known


# ---- the public API ---------------------------------------------------------------------------------


_cached: tuple[tuple, Suggester] | None = None


@uses_archive
def vocabulary_signature(archive: Archive) -> tuple:
    """What a Suggester is built from: the tags and the theme keywords (a cheap read; compiling is not)."""
    tags = Tag.select(Tag.id, Tag.facet, Tag.name_en, Tag.name_ar, Tag.code, Tag.parent, Tag.date, Tag.place)
    return (str(archive.db_path), hash(tuple(tuples(tags))), schema.get_info(KEYWORDS_INFO))


@uses_archive
def suggester_for(archive: Archive) -> Suggester:
    """A Suggester for the archive's current vocabulary, reused while the vocabulary stays the same."""
    global _cached
    signature = vocabulary_signature(archive)
    if _cached is None or _cached[0] != signature:
        _cached = (signature, Suggester(archive))
    _cached[1].archive = archive
    return _cached[1]


@uses_archive
def suggest(archive: Archive, document_id: int, suggester: Suggester | None = None) -> DocumentSuggestions:
    """Tag suggestions for one document, from its stored text."""
    document = archive.get(document_id)
    return (suggester or suggester_for(archive)).suggest(document)


@uses_archive
def suggest_on_import(archive: Archive, document_ids: Sequence[int]) -> dict[int, DocumentSuggestions]:
    """Suggestions for newly imported documents (the vocabulary is read once for all of them).

    Call it after an import with the ids of the report: ``suggest_on_import(archive, [f.id for f in
    report.imported])``. It only reads; nothing is tagged until the user accepts a suggestion.
    """
    suggester = suggester_for(archive)
    result = {}
    for start in range(0, len(document_ids), 200):
        chunk = list(document_ids[start : start + 200])
        documents = list(Document.select().where(Document.id.in_(chunk)))
        known = known_for(documents)
        for document in documents:
            result[document.id] = suggester.suggest(document, known[document.id])
    return {i: result[i] for i in document_ids if i in result}


def _resolve(archive: Archive, document_id: int, suggestion: Suggestion | str) -> Suggestion:
    if isinstance(suggestion, Suggestion):
        return suggestion
    found = suggest(archive, document_id).find(suggestion)
    if found is None:
        raise ArchiveError(f"Document {document_id} has no suggestion {suggestion!r} (run `qirtas suggest`).")
    return found


def _city_tag(archive: Archive, city: City) -> Tag:
    if city.parent in CITY_BY_KEY:
        parent = _city_tag(archive, CITY_BY_KEY[city.parent])
    else:
        parent = ensure_region(archive, city.parent)
    return archive.ensure_tag("region", city.name_en, city.name_ar, parent=parent)


@uses_archive
def tag_for(archive: Archive, suggestion: Suggestion) -> Tag:
    """The tag a suggestion stands for, created (with its parents) when the archive does not have it yet."""
    if suggestion.tag_id is not None:
        tag = Tag.get_or_none(Tag.id == suggestion.tag_id)
        if tag is not None:
            return tag
    if suggestion.facet == "region":
        if suggestion.code:
            return ensure_region(archive, suggestion.code)
        city = CITY_BY_KEY.get(suggestion.key.removeprefix("region:"))
        if city is not None:
            return _city_tag(archive, city)
        return archive.ensure_tag("region", suggestion.name_en, suggestion.name_ar)
    if suggestion.facet == "event":
        return archive.ensure_tag(
            "event", suggestion.name_en, suggestion.name_ar, date=suggestion.date, place=suggestion.place
        )
    return archive.ensure_tag(suggestion.facet, suggestion.name_en, suggestion.name_ar)


@uses_archive
def accept(archive: Archive, document_id: int, suggestion: Suggestion | str) -> Tag:
    """Tag the document as suggested (recorded as an accepted suggestion, with its evidence)."""
    suggestion = _resolve(archive, document_id, suggestion)
    with archive.db.atomic("IMMEDIATE"):
        tag = tag_for(archive, suggestion)
        archive.tag_documents([document_id], tag, suggested=True)
        archive.audit(
            ACCEPTED, document_id, key=suggestion.key, facet=suggestion.facet, tag=tag.id,
            evidence=suggestion.evidence, sha256=archive.get(document_id).sha256,
        )  # fmt: skip
    return tag


@uses_archive
def reject(archive: Archive, document_id: int, suggestion: Suggestion | str) -> None:
    """Remember that this suggestion is wrong for this document; it is not proposed again.

    A key not proposed at the moment ("region:FR") can be rejected ahead of time.
    """
    if isinstance(suggestion, Suggestion):
        key, name = suggestion.key, suggestion.name
    else:
        found = suggest(archive, document_id).find(suggestion)
        if found is None and suggestion.partition(":")[0] not in FACETS:
            raise ArchiveError(f"{suggestion!r} is not a suggestion key (facet:key, e.g. region:AE).")
        key, name = (found.key, found.name) if found else (suggestion, "")
    with archive.db.atomic("IMMEDIATE"):
        archive.audit(REJECTED, document_id, key=key, name=name, sha256=archive.get(document_id).sha256)


@uses_archive
def restore(archive: Archive, document_id: int, key: str) -> None:
    """Undo a rejection: the suggestion may be proposed again."""
    with archive.db.atomic("IMMEDIATE"):
        archive.audit(RESTORED, document_id, key=key, sha256=archive.get(document_id).sha256)


@uses_archive
def rejected_keys(archive: Archive, document_id: int) -> set[str]:
    return known_for([archive.get(document_id)])[document_id].rejected


__all__ = [
    "DocumentSuggestions",
    "Known",
    "Suggester",
    "Suggestion",
    "ThemeKeywords",
    "accept",
    "reject",
    "rejected_keys",
    "reset_theme_keywords",
    "restore",
    "set_theme_keywords",
    "suggest",
    "suggest_on_import",
    "suggester_for",
    "theme_keywords",
]
