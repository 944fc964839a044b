"""Opening the SQLite file, creating the schema, and migrating older archives forward."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from peewee import CharField, SqliteDatabase, TextField
from playhouse.migrate import SqliteMigrator, migrate
from qirtas.archive import search
from qirtas.archive.models import MODELS, ReviewPair, SchemaInfo, database
from qirtas.archive.store import text_digest
from qirtas.i18n import _

SCHEMA_VERSION = 4
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 30_000,
    "synchronous": "full",  # an archive favours durability: a committed import survives power loss
    "cache_size": -32_000,
    # Reads map the file instead of copying each page in with a system call: a search that touches a few
    # hundred scattered pages (its candidates' terms, its hits' texts) for the first time runs 1.5× faster
    # (benchmarks/bench_search.py). SQLite caps it at its compiled maximum (2 GB); writes are unchanged.
    "mmap_size": 2_000_000_000,
}


class SchemaError(Exception):
    pass


def _v2_event_places(migrator: SqliteMigrator) -> list:
    """v2: events carry a place (v1 had only a date)."""
    return [migrator.add_column("tag", "place", TextField(default=""))]


def _v3_review_pairs(migrator: SqliteMigrator) -> list:
    """v3: aligned paragraph pairs of translations, with their review status (a new table)."""
    ReviewPair.create_table(safe=True)
    return []


def _v4_text_digests(migrator: SqliteMigrator) -> list:
    """v4: each document keeps the SHA-256 of its title and text (filled in by `_fill_text_digests`)."""
    if "text_sha256" in {column.name for column in migrator.database.get_columns("document")}:
        return []  # an archive made by this version whose schema number was set back (a test does)
    return [migrator.add_column("document", "text_sha256", CharField(null=True, max_length=64))]


# version reached → the operations that reach it from the version before
MIGRATIONS: dict[int, Callable[[SqliteMigrator], list]] = {
    2: _v2_event_places,
    3: _v3_review_pairs,
    4: _v4_text_digests,
}

# Every path that writes a title or a text (an edit, a re-extraction, a bag restored, a migration) goes
# through these, so the digest always describes what is stored: only a change made outside Qirtas (or
# bits rotting on the disk) leaves a text that no longer matches it. The function is Qirtas's own, so a
# tool that does not know it cannot update a text without failing loudly.
DIGEST_FUNCTION = "qirtas_text_digest"
_DIGEST_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS document_text_digest_on_insert AFTER INSERT ON document "
    "WHEN NEW.text_sha256 IS NULL BEGIN UPDATE document SET text_sha256 = "
    f"{DIGEST_FUNCTION}(NEW.title, NEW.text) WHERE id = NEW.id; END",
    "CREATE TRIGGER IF NOT EXISTS document_text_digest_on_update AFTER UPDATE OF title, text ON document "
    f"BEGIN UPDATE document SET text_sha256 = {DIGEST_FUNCTION}(NEW.title, NEW.text) WHERE id = NEW.id; END",
)


def _keep_text_digests(db: SqliteDatabase) -> None:
    for trigger in _DIGEST_TRIGGERS:
        db.execute_sql(trigger)


def _fill_text_digests(db: SqliteDatabase) -> None:
    """Once, when an archive reaches schema 4: the digests of the texts it already holds. (Not at every
    open: finding the rows without one reads every text, 50 ms a warm open of 100,000 documents.)"""
    db.execute_sql(
        f"UPDATE document SET text_sha256 = {DIGEST_FUNCTION}(title, text) WHERE text_sha256 IS NULL"
    )


# A read-only archive (a DVD, a write-protected disk, a read-only share): no journal mode to set, and
# SQLite refuses any write ("attempt to write a readonly database") however it is attempted.
READ_ONLY_PRAGMAS = {
    **{name: value for name, value in PRAGMAS.items() if name not in ("journal_mode", "synchronous")},
    "query_only": 1,
}


def connect(path: Path, read_only: bool = False) -> SqliteDatabase:
    """Open (or create) the database file; the models use it in threads bound to it (and, by default,
    in threads bound to none, until another archive opens).

    Read-only: `mode=ro` where SQLite can still keep its shared-memory file beside the database, else
    (a folder nobody can write to) `immutable=1`, which promises SQLite that nobody changes the file."""
    if read_only:
        wal = path.with_name(path.name + "-wal")
        committed_in_wal = wal.exists() and wal.stat().st_size > 0  # `immutable` would not read it
        mode = "mode=ro" if committed_in_wal or os.access(path.parent, os.W_OK) else "immutable=1"
        db = SqliteDatabase(f"{path.as_uri()}?{mode}", uri=True, pragmas=READ_ONLY_PRAGMAS, timeout=30)
    else:
        db = SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=30)
    db.register_function(text_digest, DIGEST_FUNCTION, 2, deterministic=True)  # every connection
    db.connect(reuse_if_open=True)
    with database.bound(db):
        if read_only:
            _check_readable(db, path.parent)
        else:
            prepare(db)
        search.check_ranking(db)  # bm25 computed from FTS5's tables, or FTS5's own for this archive
    database.opened(db)
    return db


def disconnect(db: SqliteDatabase) -> None:
    """Close this thread's connection and stop offering `db` as the default database."""
    database.closed(db)
    if not db.is_closed():
        db.close()


def schema_version(db: SqliteDatabase) -> int:
    if not db.table_exists("schemainfo"):
        return 0
    row = SchemaInfo.get_or_none(SchemaInfo.key == "schema_version")
    return int(row.value) if row else 0


def set_info(key: str, value: str) -> None:
    SchemaInfo.insert(key=key, value=value).on_conflict_replace().execute()


def get_info(key: str) -> str | None:
    row = SchemaInfo.get_or_none(SchemaInfo.key == key)
    return row.value if row else None


def _check_readable(db: SqliteDatabase, folder: Path) -> None:
    """A read-only archive cannot be migrated or re-indexed: it must be of this version already."""
    version = schema_version(db)
    if version != SCHEMA_VERSION or get_info("index_version") != search.INDEX_VERSION:
        raise SchemaError(
            _(
                "The archive {folder} is read-only and was written by another version of Qirtas (schema "
                "{version}); copy it to a disk you can write to and open the copy."
            ).format(folder=folder, version=version)
        )


def prepare(db: SqliteDatabase) -> None:
    """Create a new schema, or migrate an older one, then make sure the search index is current."""
    with db.atomic("IMMEDIATE"):
        version = schema_version(db)
        if version == 0 and not db.table_exists("document"):
            db.create_tables(MODELS)
            set_info("schema_version", str(SCHEMA_VERSION))
        elif version > SCHEMA_VERSION:
            raise SchemaError(
                f"This archive was written by a newer Qirtas (schema {version}); "
                f"this one knows schema {SCHEMA_VERSION}."
            )
        elif version < SCHEMA_VERSION:
            migrator = SqliteMigrator(db)
            for target in range(version + 1, SCHEMA_VERSION + 1):
                migrate(*MIGRATIONS[target](migrator))
                set_info("schema_version", str(target))
        _keep_text_digests(db)
        if version < 4 and db.execute_sql("SELECT 1 FROM document LIMIT 1").fetchone():
            _fill_text_digests(db)  # an older archive's texts (a new one has none yet)
        search.create_index(db)
    if get_info("index_version") != search.INDEX_VERSION:
        with db.atomic("IMMEDIATE"):
            search.rebuild_index(db)
            set_info("index_version", search.INDEX_VERSION)
