"""Translations: linking documents, their aligned paragraph pairs, and the review of each pair.

`link`/`unlink` pair two documents (`archive/translation_candidates.py` suggests which); `Review` holds the aligned
pairs of one link (English side first), re-aligned when either text changes, keeping reviewed pairs
whose text is unchanged. Every change is written to the audit trail of both documents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from peewee import fn
from qirtas.archive.alignment import Bead, align
from qirtas.archive.archive import Archive, ArchiveError
from qirtas.archive.models import REVIEW_STATUSES, DocumentLink, ReviewPair, tuples, uses_archive, utcnow
from qirtas.archive.translation_candidates import archive_lexicon
from qirtas.i18n.script import split_paragraphs

UNREVIEWED, APPROVED, NEEDS_REVISION = REVIEW_STATUSES
# A document's review state, for filtering the document table.
REVIEW_STATES = ("none", "unreviewed", "in_progress", "needs_revision", "approved")
PARAGRAPH_SEPARATOR = "\n\n"


class AlignmentChanged(ArchiveError):
    """The pairs were re-aligned (a text changed) since the caller read them."""


class SameLanguage(ArchiveError):
    """Two documents in the same language asked to be linked as translations without saying it is meant."""

    def __init__(self, first: int, second: int, language: str) -> None:
        super().__init__(f"Documents {first} and {second} are both in the same language ({language}).")
        self.language = language


# ---- linking -----------------------------------------------------------------------------------------
def _link_row(first: int, second: int) -> DocumentLink | None:
    low, high = sorted((first, second))
    return DocumentLink.get_or_none((DocumentLink.document == low) & (DocumentLink.translation == high))


@uses_archive
def sides(archive: Archive, first: int, second: int) -> tuple[int, int]:
    """(English side, Arabic side) of two documents: the Arabic one goes right, else the lower id left."""
    one, other = archive.get(first), archive.get(second)
    if one.language == "ar" and other.language != "ar":
        return other.id, one.id
    if other.language == "ar" and one.language != "ar":
        return one.id, other.id
    return min(first, second), max(first, second)


@uses_archive
def shared_language(archive: Archive, first: int, second: int) -> str | None:
    """The language two documents are both known to be in (None when they differ or one is unknown)."""
    one, other = archive.get(first).language, archive.get(second).language
    return one if one == other and one not in ("", "und") else None


@uses_archive
def link(archive: Archive, first: int, second: int, allow_same_language: bool = True) -> bool:
    """Link two documents as translations of each other and align them; False when already linked.

    With `allow_same_language` False, two documents in the same language are refused (SameLanguage)."""
    if first == second:
        raise ArchiveError("A document cannot be its own translation.")
    language = shared_language(archive, first, second)
    if language is not None and not allow_same_language and _link_row(first, second) is None:
        raise SameLanguage(first, second, language)
    en_id, ar_id = sides(archive, first, second)
    with archive.db.atomic("IMMEDIATE"):
        if _link_row(first, second) is not None:
            return False
        low, high = sorted((first, second))
        DocumentLink.create(document=low, translation=high)
        for document_id, other in ((first, second), (second, first)):
            archive.audit("linked", document_id, translation=other)
    Review(archive, en_id, ar_id).pairs()  # the first alignment
    return True


@uses_archive
def unlink(archive: Archive, first: int, second: int) -> int:
    """Remove the link and its aligned pairs; returns how many reviewed pairs were discarded."""
    with archive.db.atomic("IMMEDIATE"):
        row = _link_row(first, second)
        if row is None:
            raise ArchiveError(f"Documents {first} and {second} are not linked as translations.")
        pairs = ReviewPair.select().where(_pair_of(first, second))
        reviewed = sum(1 for p in pairs if p.status != UNREVIEWED)
        ReviewPair.delete().where(_pair_of(first, second)).execute()
        row.delete_instance()
        for document_id, other in ((first, second), (second, first)):
            archive.audit("unlinked", document_id, translation=other, discarded_reviews=reviewed)
    return reviewed


def _pair_of(first: int, second: int):
    return ((ReviewPair.document == first) & (ReviewPair.translation == second)) | (
        (ReviewPair.document == second) & (ReviewPair.translation == first)
    )


# ---- review ------------------------------------------------------------------------------------------
@dataclass
class Progress:
    total: int = 0
    approved: int = 0
    needs_revision: int = 0

    @property
    def unreviewed(self) -> int:
        return self.total - self.approved - self.needs_revision

    @property
    def reviewed(self) -> int:
        return self.approved + self.needs_revision

    @property
    def percent(self) -> float:
        return round(100.0 * self.reviewed / self.total, 1) if self.total else 0.0

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "reviewed": self.reviewed,
            "approved": self.approved,
            "needs_revision": self.needs_revision,
            "unreviewed": self.unreviewed,
            "percent": self.percent,
        }


def progress_of(pairs: list[ReviewPair]) -> Progress:
    counts = Counter(p.status for p in pairs)
    return Progress(len(pairs), counts[APPROVED], counts[NEEDS_REVISION])


def _join(paragraphs: list[str], first: int, count: int) -> str:
    return PARAGRAPH_SEPARATOR.join(paragraphs[first : first + count])


class Review:
    """The aligned pairs of one translation link, English side (`en_id`) first, Arabic (`ar_id`) second."""

    def __init__(self, archive: Archive, en_id: int, ar_id: int) -> None:
        self.archive = archive
        self.en_id = en_id
        self.ar_id = ar_id

    @classmethod
    def open(cls, archive: Archive, document_id: int, translation_id: int | None = None) -> Review:
        """The review of `document_id` with its translation (the first linked one unless named)."""
        linked = archive.translations(document_id)
        if translation_id is None:
            if not linked:
                raise ArchiveError(f"Document {document_id} is not linked to a translation.")
            translation_id = linked[0]
        elif translation_id not in linked:
            raise ArchiveError(
                f"Documents {document_id} and {translation_id} are not linked as translations."
            )
        return cls(archive, *sides(archive, document_id, translation_id))

    # -- reading -------------------------------------------------------------------------------------
    def _stored(self) -> list[ReviewPair]:
        query = ReviewPair.select().where(
            (ReviewPair.document == self.en_id) & (ReviewPair.translation == self.ar_id)
        )
        return list(query.order_by(ReviewPair.position))

    def paragraphs(self) -> tuple[list[str], list[str]]:
        en = split_paragraphs(self.archive.get(self.en_id).text)
        ar = split_paragraphs(self.archive.get(self.ar_id).text)
        return en, ar

    def pairs(self) -> list[ReviewPair]:
        """The pairs in order; aligned now if never aligned, re-aligned if either text has changed."""
        en, ar = self.paragraphs()
        stored = self._stored()
        if stored and _still_current(stored, en, ar):
            return stored
        if not (stored or en or ar):
            return []  # two texts without paragraphs (a scan awaiting OCR): nothing to align or record
        return self._realign(en, ar, stored)

    def progress(self) -> Progress:
        return progress_of(self.pairs())

    def titles(self) -> tuple[str, str]:
        return self.archive.get(self.en_id).title, self.archive.get(self.ar_id).title

    # -- alignment -----------------------------------------------------------------------------------
    def realign(self, keep_reviewed: bool = True) -> list[ReviewPair]:
        """Align again from the texts; reviewed pairs whose text is unchanged keep their status."""
        en, ar = self.paragraphs()
        return self._realign(en, ar, self._stored() if keep_reviewed else [], forced=True)

    def _realign(
        self, en: list[str], ar: list[str], stored: list[ReviewPair], forced: bool = False
    ) -> list[ReviewPair]:
        lexicon = archive_lexicon()
        kept = _locate_reviewed(stored, en, ar)
        beads: list[Bead] = []
        en_at = ar_at = 0
        for old, (en_first, ar_first) in kept:  # align the stretches between pairs a person has settled
            beads += _offset(align(en[en_at:en_first], ar[ar_at:ar_first], lexicon), en_at, ar_at)
            beads.append(Bead(en_first, old.en_count, ar_first, old.ar_count))
            en_at, ar_at = en_first + old.en_count, ar_first + old.ar_count
        beads += _offset(align(en[en_at:], ar[ar_at:], lexicon), en_at, ar_at)
        previous: dict[tuple[str, str], list[ReviewPair]] = {}
        for old in stored:
            previous.setdefault((old.en_text, old.ar_text), []).append(old)
        rows = []
        for position, bead in enumerate(beads):
            texts = (_join(en, bead.en_first, bead.en_count), _join(ar, bead.ar_first, bead.ar_count))
            same = previous.get(texts)
            rows.append(self._row(position, bead, texts, same.pop(0) if same else None))
        carried = sum(1 for row in rows if row["status"] != UNREVIEWED)
        lost = sum(1 for old in stored if old.status != UNREVIEWED) - carried
        with self.archive.db.atomic("IMMEDIATE"):
            self._replace(rows)
            details = {"pairs": len(rows), "kinds": dict(Counter(b.kind for b in beads))}
            if stored:
                details.update(kept_reviews=carried, reset_reviews=lost, requested=forced)
            self._audit("realigned" if stored else "aligned", **details)
        return self._stored()

    def _row(self, position: int, bead: Bead, texts: tuple[str, str], old: ReviewPair | None) -> dict:
        """A stored pair for `bead`, keeping the review of `old` (the pair it replaces) if there is one."""
        return {
            "document": self.en_id,
            "translation": self.ar_id,
            "position": position,
            "en_first": bead.en_first,
            "en_count": bead.en_count,
            "ar_first": bead.ar_first,
            "ar_count": bead.ar_count,
            "en_text": texts[0],
            "ar_text": texts[1],
            "status": old.status if old else UNREVIEWED,
            "comment": old.comment if old else "",
            "manual": old.manual if old else False,
            "reviewed_at": old.reviewed_at if old else None,
        }

    def _replace(self, rows: list[dict]) -> None:
        ReviewPair.delete().where(
            (ReviewPair.document == self.en_id) & (ReviewPair.translation == self.ar_id)
        ).execute()
        for start in range(0, len(rows), 100):
            ReviewPair.insert_many(rows[start : start + 100]).execute()

    def merge(self, index: int) -> list[ReviewPair]:
        """Join pair `index` with the one after it (a person's correction of the alignment)."""
        pairs = self.pairs()
        if not 0 <= index < len(pairs) - 1:
            raise ArchiveError(f"There is no pair after pair {index + 1} to merge with.")
        first, second = pairs[index], pairs[index + 1]
        en, ar = self.paragraphs()
        merged = Bead(
            first.en_first if first.en_count else second.en_first,
            first.en_count + second.en_count,
            first.ar_first if first.ar_count else second.ar_first,
            first.ar_count + second.ar_count,
        )
        comment = "\n".join(c for c in (first.comment, second.comment) if c)
        beads = [_bead_of(p) for p in pairs[:index]] + [merged] + [_bead_of(p) for p in pairs[index + 2 :]]
        states = {i: p for i, p in enumerate(pairs[:index])}
        states.update({i + index + 1: p for i, p in enumerate(pairs[index + 2 :])})
        with self.archive.db.atomic("IMMEDIATE"):
            self._write(beads, en, ar, states, {index: {"comment": comment, "manual": True}})
            self._audit("pairs-merged", pair=index + 1, kind=merged.kind)
        return self._stored()

    def split(self, index: int, en_at: int | None = None, ar_at: int | None = None) -> list[ReviewPair]:
        """Split pair `index` after `en_at` English and `ar_at` Arabic paragraphs (default: after the first)."""
        pairs = self.pairs()
        if not 0 <= index < len(pairs):
            raise ArchiveError(f"There is no pair {index + 1}.")
        pair = pairs[index]
        en_at = min(1, pair.en_count) if en_at is None else en_at
        ar_at = min(1, pair.ar_count) if ar_at is None else ar_at
        if not (0 <= en_at <= pair.en_count and 0 <= ar_at <= pair.ar_count):
            raise ArchiveError("A pair splits between its paragraphs.")
        head = Bead(pair.en_first, en_at, pair.ar_first, ar_at)
        tail = Bead(
            pair.en_first + en_at, pair.en_count - en_at, pair.ar_first + ar_at, pair.ar_count - ar_at
        )
        if not (head.en_count + head.ar_count and tail.en_count + tail.ar_count):
            raise ArchiveError(f"Pair {index + 1} has a single paragraph on each side: nothing to split.")
        en, ar = self.paragraphs()
        beads = (
            [_bead_of(p) for p in pairs[:index]] + [head, tail] + [_bead_of(p) for p in pairs[index + 1 :]]
        )
        states = {i: p for i, p in enumerate(pairs[:index])}
        states.update({i + index + 2: p for i, p in enumerate(pairs[index + 1 :])})
        manual = {"manual": True, "comment": pair.comment}
        with self.archive.db.atomic("IMMEDIATE"):
            self._write(beads, en, ar, states, {index: manual, index + 1: {"manual": True}})
            self._audit("pair-split", pair=index + 1, kinds=[head.kind, tail.kind])
        return self._stored()

    def _write(
        self,
        beads: list[Bead],
        en: list[str],
        ar: list[str],
        states: dict[int, ReviewPair],
        fresh: dict[int, dict],
    ) -> None:
        rows = []
        for position, bead in enumerate(beads):
            texts = (_join(en, bead.en_first, bead.en_count), _join(ar, bead.ar_first, bead.ar_count))
            row = self._row(position, bead, texts, states.get(position))
            row.update(fresh.get(position, {}))
            rows.append(row)
        self._replace(rows)

    # -- review --------------------------------------------------------------------------------------
    def set_review(
        self,
        index: int,
        status: str | None = None,
        comment: str | None = None,
        expected: ReviewPair | None = None,
    ) -> ReviewPair:
        """Set the status and/or comment of pair `index` (0-based), recorded in the audit trail.

        `expected`, when given, is the pair the caller is showing: if a text changed and the pairs were
        re-aligned meanwhile so that pair `index` now holds other text, nothing is written
        (AlignmentChanged) rather than reviewing a pair the person has not read.
        """
        if status is not None and status not in REVIEW_STATUSES:
            raise ArchiveError(f"Unknown review status {status!r}: use {', '.join(REVIEW_STATUSES)}.")
        pairs = self.pairs()
        if not 0 <= index < len(pairs):
            raise ArchiveError(f"There is no pair {index + 1}; this document has {len(pairs)} pairs.")
        pair = pairs[index]
        if expected is not None and (pair.en_text, pair.ar_text) != (expected.en_text, expected.ar_text):
            raise AlignmentChanged("One of the texts has changed and the pairs were aligned again.")
        before = {"status": pair.status, "comment": pair.comment}
        if status is not None:
            pair.status = status
            pair.reviewed_at = None if status == UNREVIEWED else utcnow()
        if comment is not None:
            pair.comment = comment.strip()
        if before == {"status": pair.status, "comment": pair.comment}:
            return pair
        with self.archive.db.atomic("IMMEDIATE"):
            pair.save(only=[ReviewPair.status, ReviewPair.comment, ReviewPair.reviewed_at])
            self._audit(
                "pair-reviewed", pair=index + 1, status=pair.status, comment=pair.comment, before=before
            )
        return pair

    def audit(self, action: str, **details) -> None:
        """Record `action` in the audit trail of both documents (exports and imports of the review use it)."""
        self._audit(action, **details)

    def _audit(self, action: str, **details) -> None:
        self.archive.audit(action, self.en_id, translation=self.ar_id, **details)
        self.archive.audit(action, self.ar_id, translation=self.en_id, **details)


def _bead_of(pair: ReviewPair) -> Bead:
    return Bead(pair.en_first, pair.en_count, pair.ar_first, pair.ar_count)


def _offset(beads: list[Bead], en_at: int, ar_at: int) -> list[Bead]:
    return [Bead(b.en_first + en_at, b.en_count, b.ar_first + ar_at, b.ar_count) for b in beads]


def _still_current(stored: list[ReviewPair], en: list[str], ar: list[str]) -> bool:
    """Whether the stored pairs still cover both texts, paragraph by paragraph, with the same words."""
    en_at = ar_at = 0
    for pair in stored:
        if (pair.en_count and pair.en_first != en_at) or (pair.ar_count and pair.ar_first != ar_at):
            return False
        if pair.en_text != _join(en, pair.en_first, pair.en_count):
            return False
        if pair.ar_text != _join(ar, pair.ar_first, pair.ar_count):
            return False
        en_at += pair.en_count
        ar_at += pair.ar_count
    return en_at == len(en) and ar_at == len(ar)


def _locate_reviewed(
    stored: list[ReviewPair], en: list[str], ar: list[str]
) -> list[tuple[ReviewPair, tuple[int, int]]]:
    """Reviewed or hand-made pairs whose texts still stand in both documents, in order, with their new places."""
    kept = []
    en_at = ar_at = 0
    for pair in stored:
        settled = pair.status != UNREVIEWED or pair.comment or pair.manual
        if not settled or not (pair.en_count and pair.ar_count):
            continue
        en_first = _find_run(en, pair.en_text, pair.en_count, en_at, pair.en_first)
        ar_first = _find_run(ar, pair.ar_text, pair.ar_count, ar_at, pair.ar_first)
        if en_first is None or ar_first is None:
            continue
        kept.append((pair, (en_first, ar_first)))
        en_at, ar_at = en_first + pair.en_count, ar_first + pair.ar_count
    return kept


def _find_run(paragraphs: list[str], text: str, count: int, start: int, near: int) -> int | None:
    """Where `count` paragraphs joined read `text`, at or after `start`, the one nearest `near`."""
    places = [i for i in range(start, len(paragraphs) - count + 1) if _join(paragraphs, i, count) == text]
    return min(places, key=lambda i: abs(i - near)) if places else None


@uses_archive
def linked_reviews(archive: Archive, document_ids: list[int] | None = None) -> list[Review]:
    """The review of every translation link (of those touching `document_ids`, when given), by ids."""
    wanted = None if document_ids is None else set(document_ids)
    links = tuples(
        DocumentLink.select(DocumentLink.document, DocumentLink.translation).order_by(
            DocumentLink.document, DocumentLink.translation
        )
    )
    return [
        Review(archive, *sides(archive, first, second))
        for first, second in links
        if wanted is None or first in wanted or second in wanted
    ]


# ---- review state of documents -----------------------------------------------------------------------
@uses_archive
def review_progress(archive: Archive, document_ids: list[int] | None = None) -> dict[int, Progress]:
    """Each linked document's review progress over all its translations, in two grouped queries.

    Documents without a translation are left out. A link never aligned yet counts no pairs.
    """
    wanted = None if document_ids is None else set(document_ids)
    progress: dict[int, Progress] = {}
    for pair in tuples(DocumentLink.select(DocumentLink.document, DocumentLink.translation)):
        for document_id in pair:
            if wanted is None or document_id in wanted:
                progress[document_id] = Progress()
    for column in (ReviewPair.document, ReviewPair.translation):
        query = ReviewPair.select(column, ReviewPair.status, fn.COUNT(ReviewPair.id)).group_by(
            column, ReviewPair.status
        )
        for document_id, status, count in tuples(query):
            if document_id not in progress:
                continue
            tally = progress[document_id]
            tally.total += count
            if status == APPROVED:
                tally.approved += count
            elif status == NEEDS_REVISION:
                tally.needs_revision += count
    return progress


def review_state(progress: Progress) -> str:
    """unreviewed, in_progress, needs_revision (any pair) or approved (every pair)."""
    if progress.needs_revision:
        return "needs_revision"
    if progress.approved and progress.approved == progress.total:
        return APPROVED
    if progress.approved:
        return "in_progress"
    return UNREVIEWED


@uses_archive
def review_states(archive: Archive, document_ids: list[int] | None = None) -> dict[int, str]:
    """Each linked document's review state (see `review_state`); documents without a translation are
    left out (their state is "none")."""
    return {i: review_state(p) for i, p in review_progress(archive, document_ids).items()}


@uses_archive
def documents_in_review_state(archive: Archive, state: str) -> list[int]:
    """Ids of documents in one review state (for `DocumentFilter(ids=…)`); "none" is the unlinked ones."""
    if state not in REVIEW_STATES:
        raise ArchiveError(f"Unknown review state {state!r}: use {', '.join(REVIEW_STATES)}.")
    states = review_states(archive)
    if state == "none":
        linked = set(states)
        return [i for i in archive.document_ids() if i not in linked]
    return sorted(i for i, s in states.items() if s == state)
