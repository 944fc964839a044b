"""What search keeps about one open archive's database, for as long as that database object lives."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from peewee import SqliteDatabase


@dataclass(eq=False)
class SearchState:
    """Per database: made on first use (an archive opening, its first import or search), dropped with
    the `SqliteDatabase` object (the archive closed and released), so two archives open in one process
    never share a word, a count or a verdict."""

    # Words this process already wrote to the archive's prefix lexicon (writes skip them); emptied when
    # the index is created or rebuilt.
    known_words: set[str] = field(default_factory=set)
    # ... and the terms it wrote to the term list, the last one to find out whether they were rolled back.
    known_terms: set[str] = field(default_factory=set)
    last_term: str | None = None
    # How many times the terms written were forgotten (found rolled back, or the index made again): an
    # import relies on the terms its workers sent before only while this is what it was (`SentTerms`).
    terms_forgotten: int = 0
    # phrase expression → (documents holding it, exact?), valid while the index is as `counted_for` says
    # (its averages and structure records, which change with every write to it).
    counted: dict[str, tuple[float, bool]] = field(default_factory=dict)
    counted_for: tuple | None = None
    # The ranking self-check (`ranking.check_ranking`): what it was run for (SQLite version, index
    # version) and its verdict, True while bm25 computed here ranks as FTS5's `bm25()` does.
    ranking_checked_for: tuple[str, str] | None = None
    ranking_here: bool = True

    def forget_weights(self) -> None:
        """Forget the counted phrases (as if no earlier query had weighed its phrases)."""
        self.counted.clear()
        self.counted_for = None


_states: weakref.WeakKeyDictionary[SqliteDatabase, SearchState] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def state_of(db: SqliteDatabase) -> SearchState:
    """The search state of this database (an archive's `db`, or `database.obj` for the bound one)."""
    state = _states.get(db)
    if state is None:
        with _lock:
            state = _states.setdefault(db, SearchState())
    return state
