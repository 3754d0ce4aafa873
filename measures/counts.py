"""Stored counts of published measures and documents, kept current by the services.

Counting a million measures on every page view costs a second or more; these counts are
read in milliseconds. Every service that changes what is public (publish, withdraw,
supersede, edit of a document's facts or issuers, new measures, a measure's tags) calls
``documents_recount`` for the documents it touched, inside its own transaction: the
document's previous contribution (``CountedDocument``) is taken out and its present one
put in, so counts move with the content, atomically. ``counts_rebuild`` recounts
everything from the measures (the worker runs it daily, ``manage.py counts`` on demand)
and so repairs any drift, e.g. after a raw SQL change.

They agree with search: a measure counts for every issuer of its notice (the agency
facet counts ``MeasureText.agency_ids``), for its lead issuer's level and region, for
its year and each of its tags, and only while its notice is published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, connections, router, transaction

# The contribution of each published document among `where` (SQL on d). The tag counts
# start from the document's measures (the LATERAL OFFSET 0 keeps that order): on tables not yet
# analysed the planner otherwise walked every tag row for each document, minutes a batch.
_CONTRIBUTION = """
SELECT d.id,
    array_remove(ARRAY[d.agency_id], NULL) || coalesce(
        (SELECT array_agg(ci.agency_id ORDER BY ci.position) FROM documents_documentcoissuer ci
         WHERE ci.document_id = d.id), ARRAY[]::bigint[]),
    coalesce(a.level, ''), coalesce(a.region, ''),
    coalesce(extract(year FROM d.issued_on)::int, 0),
    (SELECT count(*) FROM measures_measure m WHERE m.document_id = d.id AND m.is_public),
    coalesce((SELECT jsonb_object_agg(x.tag_id, x.n) FROM (
        SELECT t.tag_id, count(*) AS n FROM measures_measure m CROSS JOIN LATERAL (
            SELECT mt.tag_id FROM measures_measure_tags mt WHERE mt.measure_id = m.id OFFSET 0
        ) t WHERE m.document_id = d.id AND m.is_public GROUP BY t.tag_id) x), '{{}}'::jsonb)
FROM documents_document d LEFT JOIN documents_agency a ON a.id = d.agency_id
WHERE d.status = 'published' AND {where}
"""

# The count rows a set of contributions (CTE `c`) adds, times `sign`, one row per key.
_ROWS = """
SELECT agency_id, level, region, year, tag_id, sum(measures) * {sign}, sum(documents) * {sign}
FROM (
    SELECT a AS agency_id, '' AS level, '' AS region, c.year, 0::bigint AS tag_id,
        c.measures, 1 AS documents FROM c, unnest(c.agency_ids) a
    UNION ALL
    SELECT a, '', '', c.year, kv.key::bigint, kv.value::int, 0
        FROM c, unnest(c.agency_ids) a, jsonb_each_text(c.tag_counts) kv
    UNION ALL
    SELECT 0, c.level, c.region, c.year, 0, c.measures, 1 FROM c
    UNION ALL
    SELECT 0, c.level, c.region, c.year, kv.key::bigint, kv.value::int, 0
        FROM c, jsonb_each_text(c.tag_counts) kv
) r
GROUP BY agency_id, level, region, year, tag_id
ORDER BY agency_id, level, region, year, tag_id
"""

_UPSERT = """
INSERT INTO measures_measurecount AS t (agency_id, level, region, year, tag_id, measures, documents)
{rows}
ON CONFLICT (agency_id, level, region, year, tag_id) DO UPDATE
SET measures = t.measures + EXCLUDED.measures, documents = t.documents + EXCLUDED.documents
"""

_COLUMNS = "document_id, agency_ids, level, region, year, measures, tag_counts"


def _add(cursor, where: str, params: list) -> None:  # type: ignore[no-untyped-def]
    """Count the published documents among `where` (on d) and remember what they added."""
    cursor.execute(
        f"WITH c AS (INSERT INTO measures_counteddocument ({_COLUMNS})"
        f" {_CONTRIBUTION.format(where=where)} RETURNING *)"
        f" {_UPSERT.format(rows=_ROWS.format(sign=1))}",
        params,
    )


def documents_recount(*, document_ids: Iterable[int]) -> None:
    """Bring the counts in line with the present state of these documents.

    Call inside the transaction that changed them, after the change. The documents'
    rows are locked first, so two transactions recounting one document take turns.
    """
    ids = sorted(set(document_ids))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM documents_document WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids]
        )
        cursor.execute(
            "WITH c AS (DELETE FROM measures_counteddocument WHERE document_id = ANY(%s)"
            f" RETURNING *) {_UPSERT.format(rows=_ROWS.format(sign=-1))}",
            [ids],
        )
        _add(cursor, "d.id = ANY(%s)", [ids])


def measures_recount(*, measure_ids: Iterable[int]) -> None:
    """documents_recount for the documents of these measures (after a tag edit)."""
    ids = list(set(measure_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT document_id FROM measures_measure WHERE id = ANY(%s)", [ids]
        )
        documents_recount(document_ids=[row[0] for row in cursor.fetchall()])


def counts_rebuild() -> int:
    """Recount everything from the measures; returns the number of published measures.

    Holds an exclusive lock on the counts while it runs: a publish meanwhile waits and
    then recounts its own documents on top of the rebuilt figures.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "LOCK TABLE measures_counteddocument, measures_measurecount IN EXCLUSIVE MODE"
        )
        cursor.execute("DELETE FROM measures_counteddocument")
        cursor.execute("DELETE FROM measures_measurecount")
        _add(cursor, "true", [])
        cursor.execute("SELECT coalesce(sum(measures), 0) FROM measures_counteddocument")
        return int(cursor.fetchone()[0])


# ---------------------------------------------------------------- reads


@dataclass(frozen=True)
class CountFilters:
    """What the matrix and year pages may be narrowed to (as search filters them)."""

    level: str = ""
    region: str = ""
    tag_id: int = 0


def _select(sql: str, params: list) -> list[tuple]:
    """A read of the stored counts, on the database the router reads from (a replica)."""
    from measures.models import MeasureCount

    with connections[router.db_for_read(MeasureCount)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def totals() -> dict[str, int]:
    """Published measures, published documents and the bodies that issued them."""
    rows = _select(
        "SELECT coalesce(sum(measures) FILTER (WHERE agency_id = 0), 0),"
        " coalesce(sum(documents) FILTER (WHERE agency_id = 0), 0),"
        " count(DISTINCT agency_id) FILTER (WHERE agency_id <> 0 AND documents > 0)"
        " FROM measures_measurecount WHERE tag_id = 0",
        [],
    )
    measures, documents, agencies = rows[0]
    return {"measures": int(measures), "documents": int(documents), "agencies": int(agencies)}


def _place(filters: CountFilters) -> tuple[str, list]:
    clauses, params = ["agency_id = 0", "tag_id = %s"], [filters.tag_id]
    for column in ("level", "region"):
        if value := getattr(filters, column):
            clauses.append(f"{column} = %s")
            params.append(value)
    return " AND ".join(clauses), params


def by_year(filters: CountFilters = CountFilters()) -> dict[int, tuple[int, int]]:
    """Year (0 for undated) → (measures, documents), by the lead issuer's level and region.

    With a tag, documents are not counted (a notice is not of one topic): 0.
    """
    where, params = _place(filters)
    rows = _select(
        f"SELECT year, sum(measures), sum(documents) FROM measures_measurecount WHERE {where}"
        " GROUP BY year HAVING sum(measures) > 0 OR sum(documents) > 0",
        params,
    )
    return {int(y): (int(m), int(d)) for y, m, d in rows}


def by_tag_year(*, tag_ids: list[int], filters: CountFilters = CountFilters()) -> dict:
    """(tag id, year) → measures, for the tags asked for (level and region apply)."""
    clauses, params = ["agency_id = 0", "tag_id = ANY(%s)"], [tag_ids]
    for column in ("level", "region"):
        if value := getattr(filters, column):
            clauses.append(f"{column} = %s")
            params.append(value)
    rows = _select(
        f"SELECT tag_id, year, sum(measures) FROM measures_measurecount"
        f" WHERE {' AND '.join(clauses)} GROUP BY tag_id, year HAVING sum(measures) > 0",
        params,
    )
    return {(int(t), int(y)): int(n) for t, y, n in rows}


def by_tag(filters: CountFilters = CountFilters(), *, year: int | None = None) -> dict[int, int]:
    """Tag id → published measures with that tag (level, region and a year apply)."""
    clauses, params = ["agency_id = 0", "tag_id <> 0"], []
    for column in ("level", "region"):
        if value := getattr(filters, column):
            clauses.append(f"{column} = %s")
            params.append(value)
    if year is not None:
        clauses.append("year = %s")
        params.append(year)
    rows = _select(
        f"SELECT tag_id, sum(measures) FROM measures_measurecount WHERE {' AND '.join(clauses)}"
        " GROUP BY tag_id HAVING sum(measures) > 0",
        params,
    )
    return {int(t): int(n) for t, n in rows}


def by_agency_year(
    *, tag_id: int = 0, year: int | None = None
) -> dict[int, dict[int, tuple[int, int]]]:
    """Agency id → year → (measures, documents), counting every issuer of a joint notice."""
    clauses, params = ["agency_id <> 0", "tag_id = %s"], [tag_id]
    if year is not None:
        clauses.append("year = %s")
        params.append(year)
    rows = _select(
        f"SELECT agency_id, year, measures, documents FROM measures_measurecount"
        f" WHERE {' AND '.join(clauses)} AND (measures > 0 OR documents > 0)",
        params,
    )
    found: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for agency_id, y, m, d in rows:
        found[int(agency_id)][int(y)] = (int(m), int(d))
    return dict(found)


def by_agency() -> dict[int, tuple[int, int]]:
    """Agency id → (published measures, published documents), every year together."""
    rows = _select(
        "SELECT agency_id, sum(measures), sum(documents) FROM measures_measurecount"
        " WHERE agency_id <> 0 AND tag_id = 0 GROUP BY agency_id HAVING sum(documents) > 0",
        [],
    )
    return {int(a): (int(m), int(d)) for a, m, d in rows}


def document_measures(document_ids: list[int]) -> dict[int, int]:
    """Document id → its published measures, as counted."""
    rows = _select(
        "SELECT document_id, measures FROM measures_counteddocument WHERE document_id = ANY(%s)",
        [document_ids],
    )
    return {int(d): int(n) for d, n in rows}
