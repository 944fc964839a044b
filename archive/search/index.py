"""The search index: its tables, and writing documents into it in the transaction that writes them.

The index holds `i18n.normalize.index_text` of each title and text (FTS5's own tokenizer would split
Arabic at harakat), so the `ascii` tokenizer only splits at spaces. The archive keeps it in sync: it calls
`index_document` / `remove_document` in the same transaction as every insert, edit and delete.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from peewee import OperationalError, SqliteDatabase
from qirtas.archive.models import Document, DocumentTag, database
from qirtas.archive.search.state import state_of
from qirtas.archive.store import text_digest
from qirtas.i18n.normalize import DEFAULT, folded_words, stem, stemmer, stemming_of, strip_clitics
from qirtas.i18n.script import counted_language

# Bump when the normaliser or the index layout changes: archives re-index themselves when opened.
# 6: texts in French, Spanish, Persian and Urdu stemmed by their language, Russian stemmed, Chinese by
# pairs of characters, more invisible characters folded away.
INDEX_VERSION = "6"
FTS = "document_fts"
FACETS = "facets"  # the index column of filter tokens (see `_facets_of`)
COLUMNS = f"title, body, {FACETS}"
TOKENIZER = "ascii"
LEXICON = "search_lexicon"
TERMS = "search_terms"  # every term of the titles and texts (see `_record_terms`)
FACTS = "search_facts"  # language and date of each indexed document: small rows, cheap to probe
STEMMED = "search_stemmings"  # see `indexed_stemmings`
DOCUMENT_TAG = DocumentTag._meta.table_name
TITLE_WEIGHT = 5.0  # bm25 weight of a title match against 1.0 for the text (the facets weigh nothing)
BM25 = f"bm25({FTS}, {TITLE_WEIGHT}, 1.0, 0.0)"


def create_index(db: SqliteDatabase) -> None:
    db.execute_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({COLUMNS}, tokenize='{TOKENIZER}')")
    # Words whose stem is not a prefix of them (radicalisation → radic): what `radical*` must also find.
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {LEXICON} (word TEXT PRIMARY KEY, stem TEXT) WITHOUT ROWID")
    # Every term ever indexed in a title or text, so that a query can name the terms a prefix stands for.
    if not db.table_exists(TERMS):
        db.execute_sql(f"CREATE TABLE {TERMS} (term TEXT PRIMARY KEY) WITHOUT ROWID")
        # an index made before the table: its terms, read once off FTS5's own list (1 s for 100,000 documents)
        db.execute_sql(f"CREATE VIRTUAL TABLE temp.{TERMS}_vocabulary USING fts5vocab(main, {FTS}, 'row')")
        db.execute_sql(f"INSERT INTO {TERMS}(term) SELECT term FROM temp.{TERMS}_vocabulary")
        db.execute_sql(f"DROP TABLE temp.{TERMS}_vocabulary")
    # Filters read these instead of document rows, which each hold a whole text.
    db.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {FACTS} (id INTEGER PRIMARY KEY, language TEXT, date TEXT, terms_sha256 TEXT)"
    )
    # The stemmings other than DEFAULT that texts were indexed with (`indexed_stemmings`).
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {STEMMED} (stemming TEXT PRIMARY KEY) WITHOUT ROWID")
    # The digest of each index row's terms (`verify` finds a row changed behind Qirtas's back). Indexes
    # made before it get the column, filled in from the rows as they are (one pass, no re-indexing).
    if "terms_sha256" not in {column.name for column in db.get_columns(FACTS)}:
        db.execute_sql(f"ALTER TABLE {FACTS} ADD COLUMN terms_sha256 TEXT")
        db.execute_sql(
            f"UPDATE {FACTS} SET terms_sha256 = (SELECT qirtas_text_digest(title, body) FROM {FTS} "
            f"WHERE rowid = {FACTS}.id)"
        )
    # Every path that tags or untags a document (GUI, CLI, bag import, vocabulary merges, cascades) goes
    # through these, so the facet tokens of the index always follow the document's tags.
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS search_facets_on_tag_{event.lower()} AFTER {event} ON "
            f"{DOCUMENT_TAG} BEGIN {_refresh_facets(f'{row}.document_id')}; END"
        )
    db.execute_sql(
        "CREATE TRIGGER IF NOT EXISTS search_facets_on_tag_update AFTER UPDATE OF document_id, tag_id ON "
        f"{DOCUMENT_TAG} BEGIN {_refresh_facets('OLD.document_id')}; {_refresh_facets('NEW.document_id')}; END"
    )
    state = state_of(db)
    state.known_words.clear()
    state.known_terms.clear()
    state.last_term = None
    state.terms_forgotten += 1  # an import's workers may have sent terms the table no longer holds


# The facet column of a document's index row: its language (l + code), year (y2018) and tags (t + id),
# as tokens, so that filters are part of the full-text match and FTS5 intersects them with the words in
# its own doclists instead of probing a table for each match.
def _facets_of(document_id: str) -> str:
    return (
        "(SELECT 'l' || replace(replace(lower(coalesce(f.language, 'und')), '-', ''), '_', '') "
        "|| coalesce(' y' || substr(f.date, 1, 4), '') "
        f"|| coalesce((SELECT ' ' || group_concat('t' || tag_id, ' ') FROM {DOCUMENT_TAG} "
        f"WHERE document_id = f.id), '') FROM {FACTS} f WHERE f.id = {document_id})"
    )


def _refresh_facets(document_id: str) -> str:
    return f"UPDATE {FTS} SET {FACETS} = {_facets_of(document_id)} WHERE rowid = {document_id}"


def language_token(code: str) -> str:
    """The facet token of a language code, as `_facets_of` writes it in SQL (keep the two alike)."""
    return "l" + code.lower().replace("-", "").replace("_", "")


def lexicon_entries(words: Iterable[str]) -> list[tuple[str, str]]:
    """The prefix lexicon's (word, stem) rows for these words: the words whose stem is not themselves.
    Pure, so an import worker computes them (its stems are cached) and the writer only inserts them."""
    entries = []
    for word in words:
        key = strip_clitics(word)
        term = stem(word)
        if term != key and " " not in term:  # a run of Chinese characters is found by its pairs instead
            entries.append((key, term))
    return entries


def _record_words(words: Iterable[str], entries: Iterable[tuple[str, str]] = ()) -> None:
    # Words this process already wrote to this archive's lexicon are skipped (see `SearchState`). After a
    # rolled-back import a few may be missing until the next rebuild; `prefix*` then misses only those
    # words whose stem does not start with the prefix.
    known = state_of(database.obj).known_words
    fresh = [word for word in words if word not in known]
    known.update(fresh)
    pairs = [*lexicon_entries(fresh), *entries]
    if pairs:
        database.cursor().executemany(f"INSERT OR IGNORE INTO {LEXICON}(word, stem) VALUES (?, ?)", pairs)
    if len(known) > 1_000_000:
        known.clear()


# What the `ascii` tokenizer splits at (ASCII that is not a letter or digit) or folds (A-Z), besides spaces:
# terms never hold them but for rare characters, so a term is split like FTS5 splits it only when needed.
_SPLIT_BY_FTS5 = re.compile(r"[\x00-\x1f!-/:-@A-Z\[-`{-\x7f]")
_FTS5_TOKEN = re.compile(r"[^\x00-/:-@\[-`{-\x7f]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _tokens(terms: str) -> list[str]:
    """The tokens FTS5's `ascii` tokenizer makes of indexed terms (usually the terms themselves)."""
    if _SPLIT_BY_FTS5.search(terms) is None:
        return terms.split()
    return [token.translate(_ASCII_LOWER) for token in _FTS5_TOKEN.findall(terms)]


def index_terms(words: Iterable[str]) -> set[str]:
    """The index terms (as FTS5 splits them) of these words: a document's are those of its words."""
    return {token for word in words for token in _tokens(stem(word))}


def _forget_rolled_back() -> None:
    """A quick search lists a prefix as the terms it stands for (`plan.Plan.expression`), so the term list
    must hold every term. The words and terms this process wrote are skipped, but if the last term written
    is missing (its transaction rolled back), all of them are forgotten and written again as they come
    (and the terms import workers sent before, see `SentTerms`, are no longer relied on)."""
    state = state_of(database.obj)
    if (
        state.last_term is not None
        and not database.execute_sql(f"SELECT 1 FROM {TERMS} WHERE term = ?", (state.last_term,)).fetchone()
    ):
        state.known_terms.clear()
        state.known_words.clear()
        state.last_term = None
        state.terms_forgotten += 1


def _record_terms(terms: set[str]) -> None:
    state = state_of(database.obj)
    fresh = terms - state.known_terms
    if fresh:
        database.cursor().executemany(
            f"INSERT OR IGNORE INTO {TERMS}(term) VALUES (?)", [(t,) for t in fresh]
        )
        state.known_terms.update(fresh)
        state.last_term = next(iter(fresh))
    if len(state.known_terms) > 1_000_000:
        state.known_terms.clear()


@dataclass(frozen=True)
class PreparedIndex:
    """A document's index terms, computed ahead (by an import worker process) for the title given."""

    title: str
    title_terms: str
    body_terms: str
    words: frozenset[str]
    # Left out with `words` by an import worker: the document's terms it had not sent before in this
    # import (each is sent once, see `SentTerms`). None: the writer finds the terms itself.
    new_terms: frozenset[str] | None = None


@dataclass(eq=False)
class SentTerms:
    """What the importing process keeps of the index terms an import's workers send (each once per
    worker, with the first document that has it: `PreparedIndex.new_terms`). One per import, handed to
    `index_documents` with each of its batches.

    The writer relies on a document's terms having come before only while every batch of the import
    that wrote terms was committed: once terms written are found rolled back (`_forget_rolled_back`),
    it splits that import's documents itself again, as it does a document that comes without them."""

    # the terms sent with the files of the batch being written, whether their documents are written
    # or not (a duplicate): the workers do not send them again
    batch: set[str] = field(default_factory=set)
    forgotten: int | None = None  # `SearchState.terms_forgotten` when the import first wrote


def prepare_index(title: str, text: str, language: str | None = None) -> PreparedIndex:
    """Fold and stem a title and text: the costly half of indexing, safe to run in another process.
    The text is stemmed by its `language`; by default by the one `i18n.script.document_language` found
    for it if it was the last text it counted (as an import worker's `index_text_of_pieces` does), else
    by DEFAULT. The title by DEFAULT: too short to tell its language, and a query always has DEFAULT terms."""
    title_words, text_words = folded_words(title), folded_words(text)
    stemming = stemming_of(counted_language(text) if language is None else language)
    return PreparedIndex(
        title,
        " ".join(map(stem, title_words)),
        " ".join(map(stemmer(stemming), text_words)),
        frozenset(title_words).union(text_words),
    )


def indexed_stemmings() -> set[str]:
    """The stemmings other than DEFAULT that texts of this archive were indexed with (a query is looked
    up in each). A table of its own, written only with such texts: an archive of English and Arabic
    imports at no cost. Texts deleted leave their stemming listed until the index is rebuilt, which
    costs a query a lookup of terms that match nothing."""
    return {stemming for (stemming,) in database.execute_sql(f"SELECT stemming FROM {STEMMED}")}


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
    sent: SentTerms | None = None,
) -> None:
    """Index (or re-index) documents given as (id, title, text, language, date, prepared), with one
    statement per table for all of them (a batch import). Call inside the transaction that writes them.
    `lexicon`: `lexicon_entries` computed ahead for words left out of the documents' `prepared.words`;
    `sent`: the import's terms sent by its workers (a document whose `prepared.new_terms` is not None
    is split here unless they are given and none of those written before was rolled back)."""
    _forget_rolled_back()
    state = state_of(database.obj)
    facts, terms = [], []
    words: set[str] = set()
    stemmings: set[str] = set()
    distinct: set[str] = set()
    sent_before = False  # every term the import's workers sent with its earlier batches is written
    if sent is not None:
        if sent.forgotten is None:
            sent.forgotten = state.terms_forgotten
        sent_before = sent.forgotten == state.terms_forgotten
        distinct.update(sent.batch)
    for document_id, title, text, language, date, prepared in documents:
        if prepared is None or prepared.title != (title or ""):
            prepared = prepare_index(title or "", text or "", language or "")
        day = date.isoformat() if isinstance(date, dt.date) else date  # a datetime is a date too
        facts.append(
            (document_id, language, day or None, text_digest(prepared.title_terms, prepared.body_terms))
        )
        terms.append((document_id, prepared.title_terms, prepared.body_terms, document_id))
        if (stemming := stemming_of(language)) != DEFAULT:  # its terms are not those of its words by `stem`
            distinct.update(_tokens(f"{prepared.title_terms} {prepared.body_terms}"))
            stemmings.add(stemming)
        if prepared.words:  # the terms of those not written before are added below
            words |= prepared.words
        elif prepared.new_terms is not None and sent_before:  # those not sent before come with it
            distinct.update(prepared.new_terms)
        else:  # an import worker left out the words: the terms as FTS5 splits them
            distinct.update(_tokens(f"{prepared.title_terms} {prepared.body_terms}"))
    cursor = database.cursor()
    cursor.executemany(
        f"INSERT OR REPLACE INTO {FACTS}(id, language, date, terms_sha256) VALUES (?, ?, ?, ?)", facts
    )
    cursor.executemany(
        f"INSERT OR REPLACE INTO {FTS}(rowid, title, body, {FACETS}) VALUES (?, ?, ?, {_facets_of('?')})",
        terms,
    )
    if stemmings:
        cursor.executemany(f"INSERT OR IGNORE INTO {STEMMED}(stemming) VALUES (?)", [(s,) for s in stemmings])
    new_words = words - state.known_words
    distinct.update(index_terms(new_words))
    _record_terms(distinct)
    _record_words(new_words, lexicon)


def remove_document(document_id: int) -> None:
    database.execute_sql(f"DELETE FROM {FTS} WHERE rowid = ?", (document_id,))
    database.execute_sql(f"DELETE FROM {FACTS} WHERE id = ?", (document_id,))


def rebuild_index(db: SqliteDatabase) -> None:
    """Drop and rebuild the index (and the prefix lexicon) from every document."""
    with db.atomic():
        db.execute_sql(f"DROP TABLE IF EXISTS {FTS}")
        db.execute_sql(f"DROP TABLE IF EXISTS {LEXICON}")
        db.execute_sql(f"DROP TABLE IF EXISTS {FACTS}")
        db.execute_sql(f"DROP TABLE IF EXISTS {TERMS}")
        db.execute_sql(f"DROP TABLE IF EXISTS {STEMMED}")
        for trigger in ("insert", "delete", "update"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS search_facets_on_tag_{trigger}")
        create_index(db)
        query = Document.select(
            Document.id, Document.title, Document.text, Document.language, Document.date
        ).order_by(Document.id)
        for document in query.iterator():
            index_document(document)
        db.execute_sql(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")


BULK_REWRITES = 2_000  # index rows rewritten at once (a bulk tagging) after which the index is optimised


def optimize_index() -> None:
    """Merge the index into one segment. Each tag change rewrites its document's index row (the facet
    tokens), which leaves the old row's entries behind as deletions in a new segment: after 350,000 tag
    rows the index had 200 MB of segments where 113 MB hold the same, and broad queries read both.
    Optimising took 4.3 s on 100,000 documents; `rebuild_index` (verify --repair) ends with it too."""
    database.execute_sql(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")


def changed_index_rows() -> list[int]:
    """Ids of the index rows whose terms no longer match the digest written with them."""
    rows = database.execute_sql(
        f"SELECT f.id, f.terms_sha256, t.title, t.body FROM {FACTS} f JOIN {FTS} t ON t.rowid = f.id"
    )
    return [document_id for document_id, digest, title, body in rows if text_digest(title, body) != digest]


def indexed_ids() -> set[int]:
    return {row[0] for row in database.execute_sql(f"SELECT rowid FROM {FTS}")}


def index_size() -> int:
    """Bytes the search index takes in the database file (needs SQLite's dbstat; 0 without it)."""
    try:
        row = database.execute_sql(
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE ? OR name IN (?, ?, ?)",
            (f"{FTS}%", LEXICON, FACTS, TERMS),
        ).fetchone()
    except OperationalError:
        return 0
    return int(row[0] or 0)
