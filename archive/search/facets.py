"""Facet counts: how many of a query's matches carry each tag, counted in SQL on the full-text match."""

from __future__ import annotations

from collections.abc import Sequence

from peewee import OperationalError
from qirtas.archive.models import database
from qirtas.archive.search.index import DOCUMENT_TAG
from qirtas.archive.search.results import prepared


def facet_counts(
    query: str | None = None,
    within: tuple[str, Sequence] | None = None,
    include_descendants: bool = False,
) -> dict[int, int]:
    """How many documents matching `query` (and the SQL `within`, selecting document ids) carry each tag.

    With `include_descendants` a tag counts the documents tagged with it or any tag below it (Central Asia
    counts Tajikistan's documents), each document once. Runs in SQL joined on the full-text match.
    """
    plan, _empty = prepared(query or "")
    if plan is None:
        return {}
    conditions: list[str] = []
    parameters: list = []
    parsed = plan.parsed
    if parsed.groups or parsed.has_filters:
        matching, parameters = plan.select(order=False)
        source = f"({matching}) AS m CROSS JOIN {DOCUMENT_TAG} dt ON dt.document_id = m.id"
    else:
        source = f"{DOCUMENT_TAG} dt"
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
