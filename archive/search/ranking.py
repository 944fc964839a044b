"""bm25 computed here for a quick search's candidates, from FTS5's shadow tables, trusted per database
only after it ranked a probe exactly as FTS5's own `bm25()` does.

FTS5's `bm25()` weighs each phrase by how many documents hold it, and counts them by reading the phrase's
whole doclist before it scores the first row: for a phrase of two frequent words, or a filter, that is most
of the cost of ranking even 300 rows. The same formula computed here from the candidates' indexed terms
(which hold the words as FTS5 tokenized them) and document sizes gives the same order. Phrases are weighed
by exact counts, kept until the index changes (a search is refined word by word, so its words come back),
or for the head of a broad result, estimated from the ids of a phrase's first matches.

What is read of FTS5's own tables (`document_fts_*`), as fts5_index.c and fts5_storage.c write them. Checked
on SQLite 3.40.1; none of it is a documented interface, hence `check_ranking`:

==================  ======  ==============================================================================
table, row          field   layout
==================  ======  ==============================================================================
_data, id 1         block   the averages record: varints — documents in the index, then for each column
                            (title, body, facets) the tokens of that column over all documents
_data, id 10        block   the structure record: a 4-byte cookie, then varints — levels, segments, write
                            counter, then each level's segments. Only compared as bytes: it changes with
                            every write, and with the averages tells when counted phrases are stale
_docsize, id = rowid sz     varints: the tokens of each column of that document
_content, id = rowid c0-c2  title, body, facets as inserted (space-separated terms)
_config, k 'version' v      4: the format the above describe (FTS5_CURRENT_VERSION)
==================  ======  ==============================================================================

A varint is SQLite's: big-endian groups of 7 bits, the high bit set on every byte but the last; a ninth
byte, when reached, gives all its 8 bits.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence

import peewee
from peewee import SqliteDatabase
from qirtas.archive.models import database
from qirtas.archive.search import index
from qirtas.archive.search.index import BM25, FACTS, FTS, TITLE_WEIGHT
from qirtas.archive.search.plan import Plan, phrase_expression
from qirtas.archive.search.state import state_of

log = logging.getLogger(__name__)

_K1, _B = 1.2, 0.75  # bm25 parameters, as FTS5's bm25() has them
_AVERAGES, _STRUCTURE = 1, 10  # ids of the averages and structure records in the _data table
_FORMAT_VERSION = "4"
_DF_SAMPLE = 300  # a quick ranking estimates how common a phrase is from its first matches up to this
PROBE_DOCUMENTS = 12  # the newest indexed documents the self-check ranks
_TOLERANCE = 1e-9  # relative: both sides compute the same sum in the same order


def varints(blob: bytes) -> list[int]:
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


def decode_averages(block: bytes | None) -> tuple[int, float] | None:
    """(documents, mean tokens a document) from the averages record; None when it holds none."""
    values = varints(block) if block else []
    if len(values) < 2 or values[0] <= 0:
        return None
    return values[0], sum(values[1:]) / values[0]


def averages(db: SqliteDatabase) -> tuple[int, float] | None:
    """(documents, mean tokens a document) of the index; forgets the counted phrases when it changed."""
    blocks = dict(
        db.execute_sql(f"SELECT id, block FROM {FTS}_data WHERE id IN ({_AVERAGES}, {_STRUCTURE})").fetchall()
    )
    state = state_of(db)
    marker = (blocks.get(_AVERAGES), blocks.get(_STRUCTURE))
    if marker != state.counted_for:
        state.forget_weights()
        state.counted_for = marker
    return decode_averages(blocks.get(_AVERAGES))


def _occurrences(spaced: bytes, needle: bytes) -> int:
    count, start = 0, 0
    while (at := spaced.find(needle, start)) >= 0:
        count, start = count + 1, at + 1
    return count


class Phrase:
    """How often one phrase of the expression occurs in an indexed column: its UTF-8 bytes (decoding
    them costs more than counting in them), padded with a space at each end, terms separated by one."""

    def __init__(self, terms: tuple[str, ...], prefix: bool) -> None:
        self.expression = phrase_expression(terms, prefix)
        self.needle = (" " + " ".join(terms) + ("" if prefix else " ")).encode()
        # bytes.count does not count overlapping matches: " t " once in " t t ", " a a " once in " a a a ".
        # A prefix needle (" pre") cannot overlap itself; a term only where it follows itself.
        self.repeated = None if prefix or len(terms) > 1 else f" {terms[0]} {terms[0]} ".encode()
        self.counted = prefix or len(terms) == 1

    def frequency(self, padded: bytes) -> int:
        if self.counted and (self.repeated is None or self.repeated not in padded):
            return padded.count(self.needle)
        return _occurrences(padded, self.needle)


def document_frequency(db: SqliteDatabase, phrase: Phrase, documents: int, exact: bool) -> float:
    """How many documents hold the phrase (in a title or text): counted, or unless `exact`, for a phrase
    in more than `_DF_SAMPLE` not yet counted, estimated from the span of ids its first `_DF_SAMPLE`
    matches take (reading a frequent phrase's whole doclist is what costs)."""
    counted = state_of(db).counted
    known = counted.get(phrase.expression)
    if known is not None and (known[1] or not exact):
        return known[0]
    expression = [f"{{title body}} : ({phrase.expression})"]
    sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH ? ORDER BY rowid LIMIT {_DF_SAMPLE}"
    rows = db.execute_sql(sql, expression).fetchall()
    if len(rows) < _DF_SAMPLE:
        known = (len(rows), True)
    elif exact:
        sql = f"SELECT count(*) FROM {FTS} WHERE {FTS} MATCH ?"
        known = (db.execute_sql(sql, expression).fetchone()[0], True)
    else:  # ids are given in order and rarely freed: a span of ids holds about as many documents
        ends = f"(SELECT min(id) FROM {FACTS}), (SELECT max(id) FROM {FACTS})"  # each read off the key
        first, last = db.execute_sql(f"SELECT {ends}").fetchone()
        share = (rows[-1][0] - first + 1) / max(last - first + 1, 1)
        known = (min(documents, _DF_SAMPLE / max(share, 1e-9)), False)
    if len(counted) > 10_000:
        counted.clear()
    counted[phrase.expression] = known
    return known[0]


def bm25_scores(
    db: SqliteDatabase, phrases: Sequence[tuple[tuple[str, ...], bool]], ids: Sequence[int], whole: bool
) -> list[tuple[int, float]] | None:
    """(id, score) of `ids`, best first, scored as `bm25()` scores them (negative, title weighted) for
    these phrases, or None when the index holds nothing. `whole`: every phrase weight is counted."""
    found = averages(db)
    if found is None or not ids:
        return None
    documents, mean_size = found
    weighed = [Phrase(terms, prefix) for terms, prefix in phrases]
    if len(weighed) == 1:
        weights = [1.0]  # one phrase: its weight scales every score alike
    else:
        weights = []
        for phrase in weighed:
            frequency = document_frequency(db, phrase, documents, exact=whole)
            weight = math.log((documents - frequency + 0.5) / (frequency + 0.5))
            weights.append(weight if weight > 0 else 1e-6)
    marks = ", ".join(str(int(i)) for i in ids)
    padded = ", ".join(f"CAST(' ' || coalesce(c.{column}, '') || ' ' AS BLOB)" for column in ("c0", "c1"))
    rows = db.execute_sql(
        f"SELECT c.id, {padded}, s.sz FROM {FTS}_content c JOIN {FTS}_docsize s ON s.id = c.id "
        f"WHERE c.id IN ({marks})"
    ).fetchall()
    scored = []
    for document_id, title, body, sizes in rows:
        size = _K1 * (1 - _B + _B * sum(varints(sizes)) / mean_size)
        score = 0.0
        for phrase, weight in zip(weighed, weights, strict=True):  # as fts5_aux.c, to the last bit
            frequency = TITLE_WEIGHT * phrase.frequency(title) + phrase.frequency(body)
            score += weight * ((frequency * (_K1 + 1.0)) / (frequency + size))
        scored.append((document_id, -score))
    scored.sort(key=lambda row: (row[1], row[0]))
    return scored


def rank_here(plan: Plan, ids: Sequence[int], whole: bool) -> list[tuple[int, float]] | None:
    """(id, score) of `ids`, best first, as `bm25()` ranks them; None when FTS5 must rank (the query was
    rewritten, the index is empty, or this database failed `check_ranking`). `whole`: `ids` are every
    match, and the order must be bm25's exactly, so every phrase weight is counted."""
    db = database.obj
    if plan.rewritten or not ids or not check_ranking(db):
        return None
    return bm25_scores(db, plan.phrases(), ids, whole)


# ---- the self-check ------------------------------------------------------------------------------------
def check_ranking(db: SqliteDatabase) -> bool:
    """Whether bm25 computed here may rank this database's searches: a probe ranked both ways must agree
    (same documents, same order, same scores). Run once per database for each SQLite and index version
    (when an archive opens, else by its first quick search); when they disagree FTS5 ranks from then on,
    and a warning says why."""
    state = state_of(db)
    # peewee's stubs leave out the driver module it picked (sqlite3, or pysqlite3 when that is newer)
    checked_for = (peewee.sqlite3.sqlite_version, index.INDEX_VERSION)  # type: ignore[attr-defined]
    if state.ranking_checked_for == checked_for:
        return state.ranking_here
    try:
        phrases = _probe_terms(db)
        disagreement = _disagreement(db, phrases) if phrases else _disagreement_in_memory()
    except Exception as error:  # whatever a changed layout makes of the readers, FTS5 still ranks
        disagreement = f"the index could not be read as expected ({type(error).__name__}: {error})"
    state.ranking_here, state.ranking_checked_for = disagreement is None, checked_for
    if disagreement:
        log.warning(
            "Search ranking of %s: bm25 computed from FTS5's tables disagrees with FTS5's bm25() on SQLite "
            "%s (%s); FTS5 ranks this archive's searches from now on (slower on broad queries)",
            db.database,
            checked_for[0],
            disagreement,
        )
    return state.ranking_here


def _probe_terms(db: SqliteDatabase) -> list[tuple[tuple[str, ...], bool]]:
    """Three phrases for a probe of the newest indexed documents (two terms and a prefix): the terms
    fewest of them share, so that counting them everywhere stays cheap; none when too few are shared."""
    rows = db.execute_sql(
        f"SELECT title, body FROM {FTS} ORDER BY rowid DESC LIMIT {PROBE_DOCUMENTS}"
    ).fetchall()
    holding = Counter(term for title, body in rows for term in set(f"{title or ''} {body or ''}".split()))
    shared = sorted((count, -len(term), term) for term, count in holding.items() if count > 1)
    terms = [term for _count, _length, term in shared[:3]]
    if len(terms) < 3:
        return []
    return [((terms[0],), False), ((terms[1],), False), ((terms[2],), True)]


def _disagreement(db: SqliteDatabase, phrases: list[tuple[tuple[str, ...], bool]]) -> str | None:
    """None when bm25 here ranks the newest documents matching the probe as FTS5's bm25() does, else
    what differs. Costs about one quick search of the probe's words."""
    (version,) = db.execute_sql(f"SELECT v FROM {FTS}_config WHERE k = 'version'").fetchone() or (None,)
    if str(version) != _FORMAT_VERSION:
        return f"FTS5 format {version}, read here as {_FORMAT_VERSION}"
    expression = "{title body} : (" + " OR ".join(phrase_expression(*phrase) for phrase in phrases) + ")"
    (newest,) = db.execute_sql(
        f"SELECT min(rowid) FROM (SELECT rowid FROM {FTS} ORDER BY rowid DESC LIMIT {PROBE_DOCUMENTS})"
    ).fetchone()
    theirs = db.execute_sql(
        f"SELECT rowid, {BM25} FROM {FTS} WHERE {FTS} MATCH ? AND rowid >= ? ORDER BY 2, 1",
        (expression, newest),
    ).fetchall()
    ours = bm25_scores(db, phrases, [row[0] for row in theirs], whole=True) or []
    if [row[0] for row in ours] == [row[0] for row in theirs] and all(
        math.isclose(mine, fts5, rel_tol=_TOLERANCE, abs_tol=1e-12)
        for (_id, mine), (_same, fts5) in zip(ours, theirs, strict=True)
    ):
        return None
    return f"probe {expression!r}: FTS5 {theirs[:4]}…, here {ours[:4]}…"


# A small index of known terms for an archive with too few documents to probe: lengths, repeats, title
# and text matches of two words and a prefix differ from row to row, so a wrong size or weight shows.
_PROBE_ROWS = [
    ("river bank", "river river delta bank bank bank note", "len y2020"),
    ("delta", "river delta", "len"),
    ("", "bank bank bank bank bank bank bank bank bank river lake", "lar"),
    ("notes on the bank", "delta delta delta river water water", "lar y2019"),
    ("lake", "lake water stone", "len"),
    ("river", "deltas of the river and the deltaic plain", "len t1"),
]


def _disagreement_in_memory() -> str | None:
    """`_disagreement` on a table made in memory as `index.create_index` makes the index."""
    probe = SqliteDatabase(":memory:")
    try:
        probe.execute_sql(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5({index.COLUMNS}, tokenize='{index.TOKENIZER}')"
        )
        probe.execute_sql(f"CREATE TABLE {FACTS} (id INTEGER PRIMARY KEY)")
        for number, row in enumerate(_PROBE_ROWS, start=1):
            probe.execute_sql(
                f"INSERT INTO {FTS}(rowid, {index.COLUMNS}) VALUES (?, ?, ?, ?)", (number, *row)
            )
            probe.execute_sql(f"INSERT INTO {FACTS}(id) VALUES (?)", (number,))
        return _disagreement(probe, [(("river",), False), (("bank",), False), (("delta",), True)])
    finally:
        probe.close()
