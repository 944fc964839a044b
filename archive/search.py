"""Full-text search: an FTS5 index of normalised, stemmed terms, ranked results and snippets of the original.

The index holds `i18n.normalize.index_text` of each title and text (FTS5's own tokenizer would split
Arabic at harakat), so the `ascii` tokenizer only splits at spaces. The archive keeps it in sync: it calls
`index_document` / `remove_document` in the same transaction as every insert, edit and delete.

Snippets are cut from the original text, never from the normalised copy: the matching words are found
again with `term_spans`, which gives each term the span of its word in the original, so the marks are
right even where folding changed lengths (tashkeel, ligatures, decomposed accents).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from peewee import OperationalError, SqliteDatabase
from qirtas.archive import query as query_language
from qirtas.archive.models import Document, DocumentTag, Tag, database
from qirtas.archive.query import Clause, ParsedQuery
from qirtas.archive.store import text_digest
from qirtas.i18n.catalog import _
from qirtas.i18n.normalize import (
    WORD_PATTERN,
    folded_words,
    normalize,
    stem,
    strip_clitics,
    term_spans,
    word_terms,
)

# Bump when the normaliser or the index layout changes: archives re-index themselves when opened.
INDEX_VERSION = "5"
TITLE_WEIGHT = 5.0  # bm25 weight of a title match against 1.0 for the text
MARK_OPEN, MARK_CLOSE = "<<", ">>"  # around each match in `Hit.snippet` (plain ASCII, never in the text?)
SNIPPET_CHARS = 220
_FTS = "document_fts"
_FACETS = "facets"  # the index column of filter tokens (see `_facets_of`)
_LEXICON = "search_lexicon"
_FACTS = "search_facts"  # language and date of each indexed document: small rows, cheap to probe
_DOCUMENT_TAG = DocumentTag._meta.table_name
_SCAN_LIMIT = 200_000
COUNT_LIMIT = 1_000  # a quick search counts matches up to this many ("more than 1,000" beyond) ...
CANDIDATES = 300  # ... and ranks this many of the most recently added (all of a smaller result)
_DF_SAMPLE = 300  # a quick ranking estimates how common a phrase is from its first matches up to this
_K1, _B = 1.2, 0.75  # bm25 parameters, as FTS5's bm25() has them
_MARKS_CONSIDERED = 24
_WINDOW_TOKENS = 24  # about the words a snippet shows  # characters of a long text searched for a snippet


@dataclass
class Hit:
    """One result. `snippet` carries the matches marked with << >>; `excerpt` is the same text unmarked
    and `matches` the (start, end) spans of the matches in `excerpt` — what a GUI highlights.
    `title_matches` are the spans of matches in `title`."""

    id: int
    title: str
    language: str
    snippet: str
    score: float
    excerpt: str = ""
    matches: list[tuple[int, int]] = field(default_factory=list)
    title_matches: list[tuple[int, int]] = field(default_factory=list)
    date: dt.date | None = None


@dataclass
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)
    hint: str | None = None  # a readable sentence when the query was empty, unclear or found nothing
    ids: list[int] = field(default_factory=list)  # every matching id, best first (see `complete`)
    ranked_among: int | None = None  # a quick search ranked its first ids among this many recent matches
    total_exact: bool = True  # False: more than `total` match (a quick search stops counting there)

    @property
    def complete(self) -> bool:
        """False when `ids` holds only the first of the matches (a quick search of a broad query)."""
        return self.total_exact and len(self.ids) >= self.total


# ---- the index -------------------------------------------------------------------------------------
def create_index(db: SqliteDatabase) -> None:
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {_FTS} USING fts5(title, body, {_FACETS}, tokenize='ascii')"
    )
    # Words whose stem is not a prefix of them (radicalisation → radic): what `radical*` must also find.
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {_LEXICON} (word TEXT PRIMARY KEY, stem TEXT) WITHOUT ROWID")
    # Filters read these instead of document rows, which each hold a whole text.
    db.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {_FACTS} (id INTEGER PRIMARY KEY, language TEXT, date TEXT, terms_sha256 TEXT)"
    )
    # The digest of each index row's terms (`verify` finds a row changed behind Qirtas's back). Indexes
    # made before it get the column, filled in from the rows as they are (one pass, no re-indexing).
    if "terms_sha256" not in {column.name for column in db.get_columns(_FACTS)}:
        db.execute_sql(f"ALTER TABLE {_FACTS} ADD COLUMN terms_sha256 TEXT")
        db.execute_sql(
            f"UPDATE {_FACTS} SET terms_sha256 = (SELECT qirtas_text_digest(title, body) FROM {_FTS} "
            f"WHERE rowid = {_FACTS}.id)"
        )
    # Every path that tags or untags a document (GUI, CLI, bag import, vocabulary merges, cascades) goes
    # through these, so the facet tokens of the index always follow the document's tags.
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS search_facets_on_tag_{event.lower()} AFTER {event} ON "
            f"{_DOCUMENT_TAG} BEGIN {_refresh_facets(f'{row}.document_id')}; END"
        )
    db.execute_sql(
        "CREATE TRIGGER IF NOT EXISTS search_facets_on_tag_update AFTER UPDATE OF document_id, tag_id ON "
        f"{_DOCUMENT_TAG} BEGIN {_refresh_facets('OLD.document_id')}; {_refresh_facets('NEW.document_id')}; END"
    )
    _lexicon_known.pop(db, None)


# The facet column of a document's index row: its language (l + code), year (y2018) and tags (t + id),
# as tokens, so that filters are part of the full-text match and FTS5 intersects them with the words in
# its own doclists instead of probing a table for each match.
def _facets_of(document_id: str) -> str:
    return (
        "(SELECT 'l' || replace(replace(lower(coalesce(f.language, 'und')), '-', ''), '_', '') "
        "|| coalesce(' y' || substr(f.date, 1, 4), '') "
        f"|| coalesce((SELECT ' ' || group_concat('t' || tag_id, ' ') FROM {_DOCUMENT_TAG} "
        f"WHERE document_id = f.id), '') FROM {_FACTS} f WHERE f.id = {document_id})"
    )


def _refresh_facets(document_id: str) -> str:
    return f"UPDATE {_FTS} SET {_FACETS} = {_facets_of(document_id)} WHERE rowid = {document_id}"


def language_token(code: str) -> str:
    """The facet token of a language code, as `_facets_of` writes it in SQL (keep the two alike)."""
    return "l" + code.lower().replace("-", "").replace("_", "")


# Words this process already wrote to the lexicon of each open archive's database (forgotten when one is
# opened or closed: keyed weakly by the database object). After a rolled-back import a few may be missing
# until the next rebuild; `prefix*` then misses only those words whose stem does not start with the prefix.
_lexicon_known: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _known_words() -> set[str]:
    db = database.obj
    known = _lexicon_known.get(db)
    if known is None:
        known = _lexicon_known[db] = set()
    return known


def lexicon_entries(words: Iterable[str]) -> list[tuple[str, str]]:
    """The prefix lexicon's (word, stem) rows for these words: the words whose stem is not themselves.
    Pure, so an import worker computes them (its stems are cached) and the writer only inserts them."""
    entries = []
    for word in words:
        key = strip_clitics(word)
        term = stem(word)
        if term != key:
            entries.append((key, term))
    return entries


def _record_words(words: Iterable[str], entries: Iterable[tuple[str, str]] = ()) -> None:
    known = _known_words()
    fresh = [word for word in words if word not in known]
    known.update(fresh)
    pairs = [*lexicon_entries(fresh), *entries]
    if pairs:
        database.cursor().executemany(f"INSERT OR IGNORE INTO {_LEXICON}(word, stem) VALUES (?, ?)", pairs)
    if len(known) > 1_000_000:
        known.clear()


@dataclass(frozen=True)
class PreparedIndex:
    """A document's index terms, computed ahead (by an import worker process) for the title given."""

    title: str
    title_terms: str
    body_terms: str
    words: frozenset[str]


def prepare_index(title: str, text: str) -> PreparedIndex:
    """Fold and stem a title and text: the costly half of indexing, safe to run in another process."""
    title_words, text_words = folded_words(title), folded_words(text)
    return PreparedIndex(
        title,
        " ".join(map(stem, title_words)),
        " ".join(map(stem, text_words)),
        frozenset(title_words).union(text_words),
    )


def index_document(document: Document, prepared: PreparedIndex | None = None) -> None:
    """Index (or re-index) one document: call inside the transaction that writes it.

    `prepared` (from `prepare_index`) is used when it was made for this document's title.
    """
    index_documents(
        [(document.id, document.title or "", document.text or "", document.language, document.date, prepared)]
    )


def index_documents(
    documents: Iterable[tuple[int, str, str, str, dt.date | str | None, PreparedIndex | None]],
    lexicon: Iterable[tuple[str, str]] = (),
) -> None:
    """Index (or re-index) documents given as (id, title, text, language, date, prepared), with one
    statement per table for all of them (a batch import). Call inside the transaction that writes them.
    `lexicon`: `lexicon_entries` computed ahead for words left out of the documents' `prepared.words`."""
    facts, terms, words = [], [], set()
    for document_id, title, text, language, date, prepared in documents:
        if prepared is None or prepared.title != (title or ""):
            prepared = prepare_index(title or "", text or "")
        day = date.isoformat() if hasattr(date, "isoformat") else date
        facts.append(
            (document_id, language, day or None, text_digest(prepared.title_terms, prepared.body_terms))
        )
        terms.append((document_id, prepared.title_terms, prepared.body_terms, document_id))
        words |= prepared.words
    cursor = database.cursor()
    cursor.executemany(
        f"INSERT OR REPLACE INTO {_FACTS}(id, language, date, terms_sha256) VALUES (?, ?, ?, ?)", facts
    )
    cursor.executemany(
        f"INSERT OR REPLACE INTO {_FTS}(rowid, title, body, {_FACETS}) VALUES (?, ?, ?, {_facets_of('?')})",
        terms,
    )
    _record_words(words - _known_words(), lexicon)


def remove_document(document_id: int) -> None:
    database.execute_sql(f"DELETE FROM {_FTS} WHERE rowid = ?", (document_id,))
    database.execute_sql(f"DELETE FROM {_FACTS} WHERE id = ?", (document_id,))


def rebuild_index(db: SqliteDatabase) -> None:
    """Drop and rebuild the index (and the prefix lexicon) from every document."""
    with db.atomic():
        db.execute_sql(f"DROP TABLE IF EXISTS {_FTS}")
        db.execute_sql(f"DROP TABLE IF EXISTS {_LEXICON}")
        db.execute_sql(f"DROP TABLE IF EXISTS {_FACTS}")
        for trigger in ("insert", "delete", "update"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS search_facets_on_tag_{trigger}")
        create_index(db)
        query = Document.select(
            Document.id, Document.title, Document.text, Document.language, Document.date
        ).order_by(Document.id)
        for document in query.iterator():
            index_document(document)
        db.execute_sql(f"INSERT INTO {_FTS}({_FTS}) VALUES ('optimize')")


BULK_REWRITES = 2_000  # index rows rewritten at once (a bulk tagging) after which the index is optimised


def optimize_index() -> None:
    """Merge the index into one segment. Each tag change rewrites its document's index row (the facet
    tokens), which leaves the old row's entries behind as deletions in a new segment: after 350,000 tag
    rows the index had 200 MB of segments where 113 MB hold the same, and broad queries read both.
    Optimising took 4.3 s on 100,000 documents; `rebuild_index` (verify --repair) ends with it too."""
    database.execute_sql(f"INSERT INTO {_FTS}({_FTS}) VALUES ('optimize')")


def changed_index_rows() -> list[int]:
    """Ids of the index rows whose terms no longer match the digest written with them."""
    rows = database.execute_sql(
        f"SELECT f.id, f.terms_sha256, t.title, t.body FROM {_FACTS} f JOIN {_FTS} t ON t.rowid = f.id"
    )
    return [document_id for document_id, digest, title, body in rows if text_digest(title, body) != digest]


def indexed_ids() -> set[int]:
    return {row[0] for row in database.execute_sql(f"SELECT rowid FROM {_FTS}")}


def index_size() -> int:
    """Bytes the search index takes in the database file (needs SQLite's dbstat; 0 without it)."""
    try:
        row = database.execute_sql(
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE ? OR name IN (?, ?)",
            (f"{_FTS}%", _LEXICON, _FACTS),
        ).fetchone()
    except OperationalError:
        return 0
    return int(row[0] or 0)


# ---- from a parsed query to SQL --------------------------------------------------------------------
def _quoted(terms: Iterable[str]) -> str:
    # FTS5 reads its expression as a C string: a NUL (say in `lang:\x00`) would end it mid-quote
    return '"' + " ".join(terms).replace('"', '""').replace("\x00", "") + '"'


def _prefix_expansions(prefixes: set[str]) -> dict[str, list[str]]:
    """For each typed prefix, the stems of words starting with it that `prefix*` alone would miss."""
    expansions: dict[str, list[str]] = {}
    for prefix in prefixes:
        rows = database.execute_sql(
            f"SELECT DISTINCT stem FROM {_LEXICON} WHERE word >= ? AND word < ? LIMIT 500",
            (prefix, prefix + "\U0010ffff"),
        ).fetchall()
        stems = sorted({stem for (stem,) in rows if not stem.startswith(prefix)})
        expansions[prefix] = stems[:40]
    return expansions


def _phrase_expression(terms: tuple[str, ...], prefix: bool) -> str:
    return _quoted(terms) + (" *" if prefix else "")


def _clause_phrases(clause: Clause, expansions: dict[str, list[str]]) -> list[tuple[tuple[str, ...], bool]]:
    """(terms, prefix) of the FTS5 phrases a clause becomes: itself, and for a one-word prefix the stems
    it would miss (see `_prefix_expansions`)."""
    extra = expansions.get(clause.terms[-1], []) if clause.prefix and len(clause.terms) == 1 else []
    return [(clause.terms, clause.prefix), *(((stem,), False) for stem in extra)]


def _clause_expression(clause: Clause, expansions: dict[str, list[str]]) -> str:
    phrases = [_phrase_expression(*phrase) for phrase in _clause_phrases(clause, expansions)]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def _groups_expression(groups, expansions, joiner: str) -> str:
    parts = []
    for group in groups:
        alternatives = [_clause_expression(clause, expansions) for clause in group.clauses]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return joiner.join(parts)


def _tag_choices(facets: set[str]) -> list[tuple[int, str, str, str, str | None, int | None]]:
    return list(
        Tag.select(Tag.id, Tag.facet, Tag.name_en, Tag.name_ar, Tag.code, Tag.parent)
        .where(Tag.facet.in_(sorted(facets)))
        .tuples()
    )


# Tag names folded once (a region filter compares the value with the names of all 300 regions).
_folded_name = functools.lru_cache(maxsize=8192)(normalize)
_name_terms = functools.lru_cache(maxsize=8192)(query_language.index_terms)


def _matching_tags(value: str, tags, facet: str) -> list[int]:
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
    wanted = query_language.index_terms(value)
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


def _with_descendants(tag_ids: Iterable[int], tags) -> list[int]:
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


@dataclass
class _Plan:
    """A parsed query made ready to run: one FTS5 expression (words and filters), what to mark.

    Filters become tokens of the index's facet column (`_facets_of`) inside the full-text match, so
    FTS5 intersects them with the words in its own doclists. Only a query with nothing positive to match
    (`-lang:ar` alone) or a date range the year tokens cannot say exactly falls back to SQL conditions.
    """

    parsed: ParsedQuery
    text: str | None = None  # FTS5 expression of the words every result matches (title and text)
    text_excluded: str | None = None  # ... of the words no result has, when there is no `text`
    languages: list[str] = field(default_factory=list)
    excluded_languages: list[str] = field(default_factory=list)
    tag_sets: list[list[int]] = field(default_factory=list)  # a result carries one tag of each set
    excluded_tags: list[int] = field(default_factory=list)  # ... and none of these
    impossible: bool = False  # a filter named nothing in this archive: no result can match
    expansions: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    rewritten: bool = False  # FTS5 rejected the expression: `text` holds the query's plain words instead

    @property
    def ranked(self) -> bool:
        """Results are ranked by bm25 when words are searched; filters alone list them in id order."""
        return bool(self.text)

    def _years(self) -> list[str] | None:
        """Year tokens covering the date range, or None when they cannot (open or very long range)."""
        start, end = self.parsed.date_from, self.parsed.date_to
        if start is None or end is None or not 0 <= end.year - start.year <= 60:
            return None
        return [f"y{year:04d}" for year in range(start.year, end.year + 1)]

    def _exact_dates(self) -> tuple[str, list] | None:
        """A condition on the facts table for the bounds the year tokens do not say exactly."""
        start, end = self.parsed.date_from, self.parsed.date_to
        if not (start or end):
            return None
        whole_years = (
            self._years() is not None
            and (start.month, start.day) == (1, 1)
            and (end.month, end.day) == (12, 31)
        )
        if whole_years:
            return None
        bounds, values = [], []
        if start:
            bounds.append("date >= ?")
            values.append(start.isoformat())
        if end:
            bounds.append("date <= ?")
            values.append(end.isoformat())
        return " AND ".join(bounds), values

    def expression(self) -> str | None:
        """The FTS5 expression every result matches; None when nothing positive can be matched."""

        def tokens(values: Iterable[str]) -> str:
            return f"{_FACETS} : (" + " OR ".join(_quoted([value]) for value in values) + ")"

        required = [f"{{title body}} : ({self.text})"] if self.text else []
        required += [tokens(f"t{tag_id}" for tag_id in tag_ids) for tag_ids in self.tag_sets]
        if self.languages:
            required.append(tokens(map(language_token, self.languages)))
        years = self._years()
        if years:
            required.append(tokens(years))
        if not required:
            return None
        excluded = (
            [f"{{title body}} : ({self.text_excluded})"] if self.text_excluded and not self.text else []
        )
        if self.excluded_tags:
            excluded.append(tokens(f"t{tag_id}" for tag_id in self.excluded_tags))
        if self.excluded_languages:
            excluded.append(tokens(map(language_token, self.excluded_languages)))
        expression = " AND ".join(f"({part})" for part in required)
        return f"({expression}) NOT ({' OR '.join(excluded)})" if excluded else expression

    def _fts_select(self, expression: str, score: bool) -> tuple[str, list]:
        parameters: list = [expression]
        conditions = [f"{_FTS} MATCH ?"]
        dates = self._exact_dates()
        if dates:
            conditions.append(f"EXISTS (SELECT 1 FROM {_FACTS} WHERE id = {_FTS}.rowid AND {dates[0]})")
            parameters.extend(dates[1])
        value = f"bm25({_FTS}, {TITLE_WEIGHT}, 1.0, 0.0)" if score and self.ranked else "0.0"
        return (
            f"SELECT {_FTS}.rowid AS id, {value} AS score FROM {_FTS} WHERE {' AND '.join(conditions)}",
            parameters,
        )

    def select(self, order: bool = True) -> tuple[str, list]:
        """SQL selecting (id, score) of every matching document, best first (or by id) when `order`."""
        expression = self.expression()
        if expression:
            sql, parameters = self._fts_select(expression, score=order)
            if order:
                sql += " ORDER BY 2, 1" if self.ranked else " ORDER BY 1"
            return sql, parameters
        return self._select_without_match(order)

    def count(self) -> tuple[str, list]:
        expression = self.expression()
        if expression:
            sql, parameters = self._fts_select(expression, score=False)
        else:
            sql, parameters = self._select_without_match(order=False)
        return f"SELECT count(*) FROM ({sql})", parameters

    def sample(self, count: int) -> tuple[str, list]:
        """(id, 0.0) of up to `count` matches: the most recently added when ranked (what a quick search
        ranks), else the first in id order. Reads no position list: nothing is scored."""
        expression = self.expression()
        assert expression
        sql, parameters = self._fts_select(expression, score=False)
        return f"{sql} ORDER BY 1{' DESC' if self.ranked else ''} LIMIT {int(count)}", parameters

    def newest_ranked(self, count: int) -> tuple[str, list]:
        """(id, bm25) of the `count` most recently added matches, best first."""
        expression = self.expression()
        assert expression
        sql, parameters = self._fts_select(expression, score=True)
        return f"SELECT id, score FROM ({sql} ORDER BY 1 DESC LIMIT {int(count)}) ORDER BY 2, 1", parameters

    def phrases(self) -> list[tuple[tuple[str, ...], bool]]:
        """(terms, prefix) of every phrase the words of `text` put in the FTS5 expression, in its order
        (what bm25 weighs one by one; excluded words and filter tokens never add to a score)."""
        return [
            phrase
            for group in self.parsed.positive
            for clause in group.clauses
            for phrase in _clause_phrases(clause, self.expansions)
        ]

    def _select_without_match(self, order: bool) -> tuple[str, list]:
        """Filters with nothing positive to match (e.g. `-lang:ar`, `date:..2018`): from the sets of ids
        the indexes give, starting from the first one, each checked against the others."""
        parameters: list = []

        def tagged(tag_ids: list[int]) -> str:
            parameters.extend(tag_ids)
            return f"SELECT document_id AS id FROM {_DOCUMENT_TAG} WHERE tag_id IN ({', '.join('?' for _id in tag_ids)})"

        def documents(clause: str, values: list) -> str:
            parameters.extend(values)
            return f"SELECT id FROM {_FACTS} WHERE {clause}"

        def marks(values: list) -> str:
            return ", ".join("?" for _value in values)

        included = [(lambda ids=ids: tagged(ids)) for ids in self.tag_sets]
        if self.languages:
            included.append(lambda: documents(f"language IN ({marks(self.languages)})", self.languages))
        dates = self._exact_dates() or (
            (
                "substr(date, 1, 4) IN (" + marks(self._years() or []) + ")",
                [y[1:] for y in self._years() or []],
            )
            if self._years()
            else None
        )
        if dates:
            included.append(lambda: documents(*dates))
        excluded = []
        if self.excluded_languages:
            excluded.append(
                lambda: documents(f"language IN ({marks(self.excluded_languages)})", self.excluded_languages)
            )
        if self.excluded_tags:
            excluded.append(lambda: tagged(self.excluded_tags))
        if self.text_excluded:
            excluded.append(
                lambda: (
                    parameters.append(f"{{title body}} : ({self.text_excluded})")
                    or f"SELECT rowid FROM {_FTS} WHERE {_FTS} MATCH ?"
                )
            )
        identity, conditions = "b.id", []
        # from the first set, or every document
        source = f"(SELECT DISTINCT id FROM ({included.pop(0)()})) AS b" if included else f"{_FACTS} AS b"
        conditions += [f"{identity} IN ({subquery()})" for subquery in included]
        conditions += [f"{identity} NOT IN ({subquery()})" for subquery in excluded]
        where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        return f"SELECT b.id AS id, 0.0 AS score FROM {source}{where}" + (
            " ORDER BY 1" if order else ""
        ), parameters


def _plan(parsed: ParsedQuery) -> _Plan:
    plan = _Plan(parsed, notes=list(parsed.notes))
    _add_filters(plan, parsed)  # first: a facet value may take the words after it (region:Central Asia)
    prefixes = {c.terms[-1] for g in parsed.groups for c in g.clauses if c.prefix and len(c.terms) == 1}
    plan.expansions = _prefix_expansions(prefixes) if prefixes else {}
    positive, negative = parsed.positive, parsed.negative
    if positive:
        plan.text = _groups_expression(positive, plan.expansions, " AND ")
        if negative:
            plan.text = f"({plan.text}) NOT ({_groups_expression(negative, plan.expansions, ' OR ')})"
    elif negative:
        plan.text_excluded = _groups_expression(negative, plan.expansions, " OR ")
    return plan


def _add_filters(plan: _Plan, parsed: ParsedQuery) -> None:
    plan.languages = list(parsed.languages)
    plan.excluded_languages = list(parsed.excluded_languages)
    if not parsed.facets:
        return
    tags = _tag_choices({facet.facet for facet in parsed.facets})
    consumed: set[int] = set()
    chosen: dict[tuple[str, bool], list[int]] = {}
    for facet in parsed.facets:
        found: list[int] = []
        for size in range(len(facet.continuation), -1, -1):  # the longest value that names a tag
            words = [word for _index, word in facet.continuation[:size]]
            found = _matching_tags(" ".join([facet.value, *words]), tags, facet.facet)
            if found:
                consumed.update(index for index, _word in facet.continuation[:size])
                break
        if not found:
            plan.impossible = True
            plan.notes.append(
                _("No {facet} called “{value}” in this archive.").format(
                    facet=_(facet.facet), value=facet.value
                )
            )
            continue
        chosen.setdefault((facet.facet, facet.negated), []).extend(found)
    for (_facet, negated), tag_ids in chosen.items():
        wanted = _with_descendants(tag_ids, tags)
        if negated:
            plan.excluded_tags.extend(wanted)
        else:
            plan.tag_sets.append(wanted)
    if consumed:  # words that continued a facet value are not searched for as text
        for group in parsed.groups:
            group.clauses = [c for c in group.clauses if c.token not in consumed]
        parsed.groups = [group for group in parsed.groups if group.clauses]


# ---- marking matches -------------------------------------------------------------------------------
class _Marker:
    """Finds the words of a text that match the positive clauses of a query, as spans of the original."""

    def __init__(self, plan: _Plan) -> None:
        self.single: dict[str, int] = {}
        self.prefixes: list[tuple[str, int]] = []
        self.phrases: list[tuple[tuple[str, ...], bool, int]] = []
        clauses = [clause for group in plan.parsed.positive for clause in group.clauses]
        for number, clause in enumerate(clauses):
            if len(clause.terms) > 1:
                self.phrases.append((clause.terms, clause.prefix, number))
            elif clause.prefix:
                self.prefixes.append((clause.terms[0], number))
                for stem in plan.expansions.get(clause.terms[0], []):
                    self.single.setdefault(stem, number)
            else:
                self.single.setdefault(clause.terms[0], number)
        self.count = len(clauses)
        self.longest = max((len(terms) for terms, _p, _n in self.phrases), default=1)

    def spans(self, text: str) -> Iterable[tuple[int, int, int]]:
        """(start, end, clause number) of each matching word, in text order."""
        if not self.count:
            return
        recent: list[tuple[str, int, int]] = []
        for term, start, end in term_spans(text):
            if self.phrases:
                recent.append((term, start, end))
                if len(recent) > self.longest:
                    del recent[0]
                for terms, prefix, number in self.phrases:
                    size = len(terms)
                    if len(recent) < size:
                        continue
                    window = recent[-size:]
                    if all(w[0] == t for w, t in zip(window[:-1], terms[:-1], strict=True)) and (
                        window[-1][0].startswith(terms[-1]) if prefix else window[-1][0] == terms[-1]
                    ):
                        for _term, word_start, word_end in window:
                            yield word_start, word_end, number
            number = self.single.get(term)
            if number is None:
                number = next((n for prefix, n in self.prefixes if term.startswith(prefix)), None)
            if number is not None:
                yield start, end, number


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, marker: _Marker) -> tuple[int, list[tuple[int, int, int]]]:
    """Where the snippet should start (the match with the most different clauses near it) and the matches."""
    found: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    complete_at: int | None = None
    for span in marker.spans(text[:_SCAN_LIMIT]):
        found.append(span)
        seen.add(span[2])
        if complete_at is None and len(seen) == marker.count:
            complete_at = span[0]
        if complete_at is not None and span[0] > complete_at + SNIPPET_CHARS:
            break
    if not found:
        return 0, []
    best, best_cover = found[0][0], 0
    reach = SNIPPET_CHARS * 2 // 3
    for index, (start, _end, _number) in enumerate(found):
        cover = len({n for s, _e, n in found[index:] if s < start + reach})
        if cover > best_cover:
            best, best_cover = start, cover
    return best, found


_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")


def _excerpt(text: str, anchor: int, found: Sequence[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """About SNIPPET_CHARS of `text` around `anchor`, cut at spaces, whitespace runs made one space;
    with the spans of `found` (in `text`) moved into it."""
    start = 0
    if anchor > 60:
        start = anchor - 60
        paragraph = text.rfind("\n", start, anchor)
        if paragraph >= 0:
            start = paragraph + 1
        else:
            space = text.find(" ", start, anchor)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", max(anchor, start + SNIPPET_CHARS // 2), end)
        end = space if space > 0 else end
    piece = text[start:end]
    lead = "… " if start > 0 else ""
    pieces, removed_before, last, removed = [lead], [], 0, -len(lead)
    for run in _WHITESPACE.finditer(piece):
        pieces += [piece[last : run.start()], " "]
        removed += run.end() - run.start() - 1
        removed_before.append((run.end(), removed))
        last = run.end()
    pieces.append(piece[last:])
    excerpt = "".join(pieces)
    ends = [position for position, _removed in removed_before]

    def moved(position: int) -> int:
        index = bisect.bisect_right(ends, position) - 1
        return position - (removed_before[index][1] if index >= 0 else -len(lead))

    matches = [(moved(s - start), moved(e - start)) for s, e in found if s >= start and e <= end]
    stripped = excerpt.rstrip()
    if end < len(text):
        stripped += " …"
    return stripped, _merge(matches)


def mark(
    text: str, spans: Sequence[tuple[int, int]], open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE
) -> str:
    """`text` with each span put between the marks."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], open_mark, text[start:end], close_mark]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def highlight(query: str, text: str) -> list[tuple[int, int]]:
    """Spans of `text` (e.g. a whole document shown in the reader) that match `query`. Never raises."""
    try:
        marker = _Marker(_plan(query_language.parse(query)))
        return _merge((start, end) for start, end, _n in marker.spans(text))
    except Exception:  # marking is a convenience: never let it break showing a document
        return []


def _indexed_matches(indexed: str, marker: _Marker, most: int) -> list[tuple[int, str, int]]:
    """(token position, term, clause) of the first matches in an indexed column (terms and spaces),
    found with plain string search, as FTS5 matched them."""
    padded = f" {indexed} "
    found: list[tuple[int, str, int]] = []  # (character position, needle, clause)

    def scan(needle: str, clause: int) -> None:
        start = count = 0
        while count < most and (at := padded.find(needle, start)) >= 0:
            found.append((at + 1, needle, clause))
            count += 1
            start = at + 1

    for term, clause in marker.single.items():
        scan(f" {term} ", clause)
    for prefix, clause in marker.prefixes:
        scan(f" {prefix}", clause)
    for terms, prefix, clause in marker.phrases:
        scan(" " + " ".join(terms) + ("" if prefix else " "), clause)
    found.sort()
    marked: list[tuple[int, str, int]] = []
    token, counted = -1, 0
    for position, needle, clause in found[:most]:
        token += padded.count(" ", counted, position)
        counted = position
        end = padded.find(" ", position + len(needle) - 2)
        for offset, term in enumerate(padded[position:end].split(" ")):
            marked.append((token + offset, term, clause))
    return sorted(set(marked))


def _word_spans(text: str, marked: list[tuple[int, str]]) -> list[tuple[int, int]] | None:
    """Spans in `text` of the words at these token positions, each checked to give its marked term;
    None when they do not (the words of a text and its terms pair one to one, except around rare
    characters such as the ligature ﷺ, which gives several terms)."""
    spans, current, position = [], -1, 0
    for token, term in marked:
        if token <= current:  # two clauses matched the same word
            continue
        position = _after_words(text, position, token - current - 1)
        match = None if position is None else WORD_PATTERN.search(text, position)
        if match is None or term not in word_terms(match.group()):
            return None
        spans.append(match.span())
        current, position = token, match.end()
    return spans


# Skipping words by the hundred in one regular expression each (possessive, so a word is never split)
# instead of making a match object of each: a match far into a text is found several times faster.
_WORD_CLASS = WORD_PATTERN.pattern[1:-2]
assert WORD_PATTERN.pattern == f"[{_WORD_CLASS}]+"
_SKIPS = [
    (size, re.compile(f"(?:[^{_WORD_CLASS}]*+[{_WORD_CLASS}]++){{{size}}}")) for size in (256, 32, 4, 1)
]


def _after_words(text: str, position: int, count: int) -> int | None:
    """Where the `count` words of `text` after `position` end; None when there are fewer."""
    for size, pattern in _SKIPS:
        while count >= size:
            match = pattern.match(text, position)
            if match is None:
                return None
            position, count = match.end(), count - size
    return position


def _marked(text: str, indexed: str | None, marker: _Marker) -> tuple[int, list[tuple[int, int]]]:
    """(anchor, spans): where a snippet of `text` should start and the matches to mark in it.

    The matches are found in the indexed terms of `text` (fast string search), then the words at
    those positions in the original, each checked to give its term; the slow path reads every word.
    """
    if not marker.count:
        return 0, []
    if indexed is not None:
        # The first matches are enough to choose a window from (a frequent word has hundreds); the
        # window is chosen on token positions, so only the words up to its end are read.
        marked = _indexed_matches(indexed, marker, _MARKS_CONSIDERED)
        if not marked:
            return 0, []
        best, best_cover, last = 0, 0, 0
        for index, (token, _term, _clause) in enumerate(marked):
            last = max(last, index)
            while last + 1 < len(marked) and marked[last + 1][0] < token + _WINDOW_TOKENS:
                last += 1
            cover = len({clause for _token, _term, clause in marked[index : last + 1]})
            if cover > best_cover:
                best, best_cover = index, cover
                if cover == marker.count:  # every clause: no later window can do better
                    break
        first = marked[best][0]
        window = [
            (token, term) for token, term, _clause in marked[best:] if token < first + 2 * _WINDOW_TOKENS
        ]
        spans = _word_spans(text, window)
        if spans is not None:
            return spans[0][0], spans
    anchor, found = _window(text, marker)
    return anchor, [(start, end) for start, end, _number in found]


def _hit(row: tuple, score: float, marker: _Marker) -> Hit:
    document_id, title, language, text, date, title_marked, text_marked = row
    anchor, found = _marked(text or "", text_marked, marker)
    excerpt, matches = _excerpt(text or "", anchor, found)
    title_matches = _merge(_marked(title or "", title_marked, marker)[1])
    return Hit(
        document_id,
        title,
        language,
        mark(excerpt, matches),
        score,
        excerpt=excerpt,
        matches=matches,
        title_matches=title_matches,
        date=dt.date.fromisoformat(date) if isinstance(date, str) and date else date,
    )


# ---- ranking a few candidates: bm25 computed here ------------------------------------------------------
# FTS5's bm25() weighs each phrase by how many documents hold it, and counts them by reading the phrase's
# whole doclist before it scores the first row: for a phrase of two frequent words, or a filter, that is
# most of the cost of ranking even 300 rows. The same formula computed here from the candidates' indexed
# terms (which hold the words as FTS5 tokenized them) and document sizes gives the same order. Phrases
# are weighed by exact counts, kept until the index changes (a search is refined word by word, so its
# words come back), or for the head of a broad result, estimated from the ids of a phrase's first matches.
def _varints(blob: bytes) -> list[int]:
    """The SQLite varints FTS5 stores sizes as (7 bits a byte, high bit set when more follow)."""
    values, value, index = [], 0, 0
    for byte in blob:
        index += 1
        if index == 9:  # the ninth byte of a varint gives all its 8 bits
            values.append((value << 8) | byte)
            value, index = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            values.append((value << 7) | byte)
            value, index = 0, 0
    return values


# FTS5's records of its averages (documents, terms a column) and of its structure (segments, with a counter
# of writes): one or the other changes with every write to the index.
_AVERAGES, _STRUCTURE = 1, 10
# (archive file, phrase) → (documents holding it, exact?), for the index ... (the file in the key: two
# archives open in one process, each searched from its own thread, never share a count)
_counted: dict[tuple[str, str], tuple[float, bool]] = {}
_counted_state: tuple | None = None  # ... in this state (archive file, averages and structure)


def _averages() -> tuple[int, float] | None:
    """(documents, mean terms a document) of the index; forgets the counted phrases when it changed."""
    global _counted_state
    blocks = dict(
        database.execute_sql(
            f"SELECT id, block FROM {_FTS}_data WHERE id IN ({_AVERAGES}, {_STRUCTURE})"
        ).fetchall()
    )
    state = (database.database, blocks.get(_AVERAGES), blocks.get(_STRUCTURE))
    if state != _counted_state:
        _counted.clear()
        _counted_state = state
    values = _varints(blocks[_AVERAGES]) if blocks.get(_AVERAGES) else []
    if len(values) < 2 or values[0] <= 0:
        return None
    return values[0], sum(values[1:]) / values[0]


def _occurrences(spaced: bytes, needle: bytes) -> int:
    count, start = 0, 0
    while (at := spaced.find(needle, start)) >= 0:
        count, start = count + 1, at + 1
    return count


class _Phrase:
    """How often one phrase of the expression occurs in an indexed column: its UTF-8 bytes (decoding
    them costs more than counting in them), padded with a space at each end, terms separated by one."""

    def __init__(self, terms: tuple[str, ...], prefix: bool) -> None:
        self.expression = _phrase_expression(terms, prefix)
        self.needle = (" " + " ".join(terms) + ("" if prefix else " ")).encode()
        # bytes.count does not count overlapping matches: " t " once in " t t ", " a a " once in " a a a ".
        # A prefix needle (" pre") cannot overlap itself; a term only where it follows itself.
        self.repeated = None if prefix or len(terms) > 1 else f" {terms[0]} {terms[0]} ".encode()
        self.counted = prefix or len(terms) == 1

    def frequency(self, padded: bytes) -> int:
        if self.counted and (self.repeated is None or self.repeated not in padded):
            return padded.count(self.needle)
        return _occurrences(padded, self.needle)


def _document_frequency(phrase: _Phrase, documents: int, exact: bool) -> float:
    """How many documents hold the phrase (in a title or text): counted, or unless `exact`, for a phrase
    in more than `_DF_SAMPLE` not yet counted, estimated from the span of ids its first `_DF_SAMPLE`
    matches take (reading a frequent phrase's whole doclist is what costs)."""
    key = (database.database, phrase.expression)
    known = _counted.get(key)
    if known is not None and (known[1] or not exact):
        return known[0]
    expression = [f"{{title body}} : ({phrase.expression})"]
    sql = f"SELECT rowid FROM {_FTS} WHERE {_FTS} MATCH ? ORDER BY rowid LIMIT {_DF_SAMPLE}"
    rows = database.execute_sql(sql, expression).fetchall()
    if len(rows) < _DF_SAMPLE:
        known = (len(rows), True)
    elif exact:
        sql = f"SELECT count(*) FROM {_FTS} WHERE {_FTS} MATCH ?"
        known = (database.execute_sql(sql, expression).fetchone()[0], True)
    else:  # ids are given in order and rarely freed: a span of ids holds about as many documents
        ends = f"(SELECT min(id) FROM {_FACTS}), (SELECT max(id) FROM {_FACTS})"  # each read off the key
        first, last = database.execute_sql(f"SELECT {ends}").fetchone()
        share = (rows[-1][0] - first + 1) / max(last - first + 1, 1)
        known = (min(documents, _DF_SAMPLE / max(share, 1e-9)), False)
    if len(_counted) > 10_000:
        _counted.clear()
    _counted[key] = known
    return known[0]


def _bm25_here(plan: _Plan, ids: Sequence[int], whole: bool) -> list[tuple[int, float]] | None:
    """(id, score) of `ids`, best first, scored as `bm25()` scores them (negative, title weighted), or
    None when it cannot be (then FTS5 ranks). `whole`: `ids` are every match, and the order must be
    bm25's exactly, so every phrase weight is counted (a head's may be estimated)."""
    averages = _averages()
    if plan.rewritten or averages is None or not ids:
        return None
    documents, mean_size = averages
    phrases = [_Phrase(terms, prefix) for terms, prefix in plan.phrases()]
    if len(phrases) == 1:
        weights = [1.0]  # one phrase: its weight scales every score alike
    else:
        weights = []
        for phrase in phrases:
            frequency = _document_frequency(phrase, documents, exact=whole)
            weight = math.log((documents - frequency + 0.5) / (frequency + 0.5))
            weights.append(weight if weight > 0 else 1e-6)
    marks = ", ".join(str(int(i)) for i in ids)
    padded = ", ".join(f"CAST(' ' || coalesce(c.{column}, '') || ' ' AS BLOB)" for column in ("c0", "c1"))
    rows = database.execute_sql(
        f"SELECT c.id, {padded}, s.sz FROM {_FTS}_content c JOIN {_FTS}_docsize s ON s.id = c.id "
        f"WHERE c.id IN ({marks})"
    ).fetchall()
    scored = []
    for document_id, title, body, sizes in rows:
        size = _K1 * (1 - _B + _B * sum(_varints(sizes)) / mean_size)
        score = 0.0
        for phrase, weight in zip(phrases, weights, strict=True):  # as fts5_aux.c, to the last bit
            frequency = TITLE_WEIGHT * phrase.frequency(title) + phrase.frequency(body)
            score += weight * ((frequency * (_K1 + 1.0)) / (frequency + size))
        scored.append((document_id, -score))
    scored.sort(key=lambda row: (row[1], row[0]))
    return scored


# ---- running a search --------------------------------------------------------------------------------
def _fetch(plan: _Plan, build: Callable[[], tuple[str, list]]) -> list[tuple]:
    """Rows of the SQL `build()` makes from the plan. Should FTS5 still reject the expression (every term
    is quoted, so it should not), the query's plain words are searched instead, and the hint says so."""
    sql, parameters = build()
    try:
        return database.execute_sql(sql, parameters).fetchall()
    except OperationalError as error:
        if "fts5" not in str(error).lower() and "match" not in str(error).lower():
            raise
    terms = plan.parsed.terms()
    plan.rewritten = True
    plan.text = " AND ".join(_quoted([term]) for term in terms) if terms else None
    plan.text_excluded = None
    plan.notes.append(_("Part of the query could not be understood; searched for its words."))
    if not plan.text:
        return []
    sql, parameters = build()
    return database.execute_sql(sql, parameters).fetchall()


def _prepared(query: str) -> tuple[_Plan | None, SearchResult | None]:
    """The plan of a query, or the (empty) result that says why there is nothing to run."""
    parsed = query_language.parse(query if isinstance(query, str) else "")
    if not parsed.blank and not parsed.groups and not parsed.has_filters:
        return None, SearchResult(total=0, hint=" ".join([*parsed.notes, _("Type a word to search for.")]))
    plan = _plan(parsed)
    if plan.impossible:
        return None, SearchResult(total=0, hint=" ".join(plan.notes))
    return plan, None


def search(query: str, limit: int = 50, offset: int = 0, quick: bool = False) -> SearchResult:
    """Documents matching `query` (see `archive.query` for the language), best first. Never raises on
    any input: what cannot be read becomes plain words or is left out, and `hint` says so.

    An empty query lists every document (with its facet filters applied), in id order.

    Ranking every match of a broad query costs about 2.5 µs a match (bm25 reads each one's position
    lists and length): 150 ms for 60,000. With `quick` (what a screen wants as one types), a request
    within the first `CANDIDATES` rows counts the matches up to `COUNT_LIMIT` (`total_exact` is False
    beyond) and ranks the `CANDIDATES` most recently added (`ranked_among` says so when there are more;
    a smaller result is ranked whole, in bm25's order). `ranked_ids(query)` gives the complete ranking
    (the desktop reads it on a worker thread).
    """
    plan, empty = _prepared(query)
    if plan is None:
        return empty
    limit, offset = max(0, int(limit)), max(0, int(offset))
    ranked_among, total_exact = None, True
    if quick and plan.expression() and offset + limit <= CANDIDATES:
        rows = _fetch(plan, lambda: plan.sample(COUNT_LIMIT + 1))
        total_exact = len(rows) <= COUNT_LIMIT
        total = min(len(rows), COUNT_LIMIT)
        if plan.ranked:
            whole = len(rows) <= CANDIDATES
            candidates = [row[0] for row in rows[:CANDIDATES]]
            try:
                ranked = _bm25_here(plan, candidates, whole)
            except OperationalError:  # FTS5's shadow tables not as expected: let FTS5 rank
                ranked = None
            rows = ranked or _fetch(plan, plan.select if whole else lambda: plan.newest_ranked(CANDIDATES))
            ranked_among = None if whole else len(candidates)
        else:
            rows = rows[:total]
    else:
        rows = _fetch(plan, plan.select)
        total = len(rows)
    hits = _hits(plan, rows[offset : offset + limit])
    notes = list(plan.notes)
    if not total:
        notes.append(_("Nothing matches; check the spelling, use fewer words, or remove a filter."))
    return SearchResult(
        total=total,
        hits=hits,
        hint=" ".join(notes) or None,
        ids=[row[0] for row in rows],
        ranked_among=ranked_among,
        total_exact=total_exact,
    )


def ranked_ids(query: str) -> list[int]:
    """Every id matching `query`, best first (as `search` without `quick` ranks them)."""
    plan, _empty = _prepared(query)
    return [] if plan is None else [row[0] for row in _fetch(plan, plan.select)]


def _hits(plan: _Plan, page: list[tuple[int, float]]) -> list[Hit]:
    """The page's documents with their snippets, in the page's order."""
    if not page:
        return []
    marker = _Marker(plan)
    wanted = [document_id for document_id, _score in page]
    marks = ", ".join("?" for _id in wanted)
    # The indexed terms of each page document come along: matches are found in them, then marked
    # in the original words (a MATCH per row, or highlight(), costs far more).
    sql = (
        f"SELECT d.id, d.title, d.language, d.text, d.date, {_FTS}.title, {_FTS}.body "
        f"FROM document d CROSS JOIN {_FTS} ON {_FTS}.rowid = d.id WHERE d.id IN ({marks})"
    )
    found = {row[0]: row for row in database.execute_sql(sql, wanted).fetchall()}
    return [_hit(found[i], -score or 0.0, marker) for i, score in page if i in found]


def facet_counts(
    query: str | None = None,
    within: tuple[str, Sequence] | None = None,
    include_descendants: bool = False,
) -> dict[int, int]:
    """How many documents matching `query` (and the SQL `within`, selecting document ids) carry each tag.

    With `include_descendants` a tag counts the documents tagged with it or any tag below it (Central Asia
    counts Tajikistan's documents), each document once. Runs in SQL joined on the full-text match.
    """
    plan, _empty = _prepared(query or "")
    if plan is None:
        return {}
    conditions, parameters = [], []
    parsed = plan.parsed
    if parsed.groups or parsed.has_filters:
        matching, parameters = plan.select(order=False)
        source = f"({matching}) AS m CROSS JOIN {_DOCUMENT_TAG} dt ON dt.document_id = m.id"
    else:
        source = f"{_DOCUMENT_TAG} dt"
    if within is not None:
        conditions.append(f"dt.document_id IN ({within[0]})")
        parameters = [*parameters, *within[1]]
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    if include_descendants:
        sql = (
            "WITH RECURSIVE closure(ancestor, tag) AS (SELECT id, id FROM tag UNION "
            "SELECT closure.ancestor, tag.id FROM tag JOIN closure ON tag.parent_id = closure.tag) "
            f"SELECT closure.ancestor, COUNT(DISTINCT dt.document_id) FROM {source} "
            f"JOIN closure ON closure.tag = dt.tag_id{where} GROUP BY closure.ancestor"
        )
    else:
        sql = f"SELECT dt.tag_id, COUNT(*) FROM {source}{where} GROUP BY dt.tag_id"
    try:
        rows = database.execute_sql(sql, parameters).fetchall()
    except OperationalError as error:
        if "fts5" not in str(error).lower():
            raise
        return {}
    return dict(rows)
