"""measures_search: ranked, filtered, faceted search over published measures."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction

from measures.models import GlossaryTerm, Measure
from measures.search.query import Glossary, ParsedQuery, SqlQuery, parse
from measures.search.snippets import snippet

SORTS = ("relevance", "date", "-date")
MAX_PAGE_SIZE = 100


@dataclass
class SearchFilters:
    agency: str | None = None
    level: str | None = None
    region: str | None = None
    year: int | None = None
    tags: list[str] = field(default_factory=list)
    lang: str | None = None


@dataclass
class Hit:
    measure: Measure
    score: float
    language: str
    snippet: str


@dataclass
class SearchPage:
    query: ParsedQuery | None
    count: int
    page: int
    page_size: int
    hits: list[Hit]
    facets: dict[str, list[dict]]

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.count


@lru_cache(maxsize=1)
def _glossary_cached(version: int) -> Glossary:
    return Glossary.from_pairs(list(GlossaryTerm.objects.values_list("zh", "en")))


def glossary() -> Glossary:
    """The glossary, re-read when staff change it (keyed on the newest history row)."""
    latest = GlossaryTerm.history.order_by("-history_id").values_list("history_id", flat=True)
    return _glossary_cached(latest.first() or 0)


def _where(filters: SearchFilters) -> tuple[list[str], list]:
    clauses, params = ["m.is_public"], []
    if filters.agency:
        clauses.append("m.agency_id = (SELECT id FROM documents_agency WHERE key = %s)")
        params.append(filters.agency)
    if filters.level:
        clauses.append("m.level = %s")
        params.append(filters.level)
    if filters.region:
        clauses.append("m.region = %s")
        params.append(filters.region)
    if filters.year:
        clauses.append("m.year = %s")
        params.append(filters.year)
    for slug in filters.tags:
        clauses.append(
            "EXISTS (SELECT 1 FROM measures_measure_tags mt JOIN measures_tag g ON g.id = mt.tag_id"
            " WHERE mt.measure_id = m.id AND g.slug = %s)"
        )
        params.append(slug)
    if filters.lang:
        clauses.append("t.language = %s")
        params.append(filters.lang)
    return clauses, params


def _hits_cte(parsed: ParsedQuery | None, filters: SearchFilters) -> tuple[str, list]:
    """SQL of the matching (measure, best text, score) rows, one row per measure."""
    clauses, params = _where(filters)
    if parsed is None:
        select = "1.0::float AS score"
        q_params: list = []
    else:
        own = parsed.own or SqlQuery("NULL::tsquery", [])
        exp = parsed.expansion or SqlQuery("NULL::tsquery", [])
        q_params = [*own.params, *exp.params]
        select = (
            "CASE WHEN t.search_vector @@ q.own THEN 1.0 + ts_rank(t.search_vector, q.own)"
            " + CASE WHEN ts_filter(t.search_vector, '{a}') @@ q.own THEN 0.5 ELSE 0 END"
            " ELSE 0.5 * ts_rank(t.search_vector, q.exp)"
            " + CASE WHEN ts_filter(t.search_vector, '{a}') @@ q.exp THEN 0.25 ELSE 0 END"
            " END AS score"
        )
        clauses.append("t.search_vector @@ q.full")
    from_q = (
        f", (SELECT o AS own, e AS exp, coalesce(o || e, o, e) AS full FROM"
        f" (SELECT {own.sql}::tsquery AS o, {exp.sql}::tsquery AS e) s) q"
        if parsed is not None
        else ""
    )
    sql = f"""
        SELECT DISTINCT ON (m.id) m.id AS measure_id, t.language, m.agency_id, m.level,
               m.region, m.year, m.issued_on, {select}
        FROM measures_measuretext t JOIN measures_measure m ON m.id = t.measure_id {from_q}
        WHERE {" AND ".join(clauses)}
        ORDER BY m.id, score DESC
    """
    return sql, [*q_params, *params]


FACET_SQL = {
    "agency": "SELECT a.key, a.name_en, a.name_zh, count(*) FROM search_hits h"
    " JOIN documents_agency a ON a.id = h.agency_id GROUP BY 1, 2, 3",
    "level": "SELECT level, level, level, count(*) FROM search_hits WHERE level <> '' GROUP BY 1",
    "region": "SELECT region, region, region, count(*) FROM search_hits WHERE region <> '' GROUP BY 1",
    "year": "SELECT year::text, year::text, year::text, count(*) FROM search_hits"
    " WHERE year IS NOT NULL GROUP BY 1",
    "language": "SELECT language, language, language, count(*) FROM search_hits GROUP BY 1",
    "tag": "SELECT g.kind || ':' || g.slug, g.name_en, g.name_zh, count(*) FROM search_hits h"
    " JOIN measures_measure_tags mt ON mt.measure_id = h.measure_id"
    " JOIN measures_tag g ON g.id = mt.tag_id GROUP BY 1, 2, 3",
}

ORDER = {
    "relevance": "score DESC, issued_on DESC NULLS LAST, measure_id",
    "date": "issued_on ASC NULLS LAST, measure_id",
    "-date": "issued_on DESC NULLS LAST, measure_id",
}


def measures_search(
    *,
    q: str = "",
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    with_facets: bool = True,
) -> SearchPage:
    """Published measures matching `q` (any language or script) and the filters."""
    filters = filters or SearchFilters()
    page, page_size = max(1, page), max(1, min(page_size, MAX_PAGE_SIZE))
    sort = sort if sort in SORTS else "relevance"
    parsed = parse(q, glossary()) if q.strip() else None
    if parsed is not None and parsed.is_empty:
        return SearchPage(parsed, 0, page, page_size, [], {})
    if parsed is None and sort == "relevance":
        sort = "-date"
    hits_sql, params = _hits_cte(parsed, filters)
    # The match is evaluated once into a temporary table; the page, the count and every
    # facet then read that table instead of repeating the full-text match.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS search_hits")
        cursor.execute(f"CREATE TEMP TABLE search_hits AS {hits_sql}", params)
        count = cursor.rowcount
        cursor.execute(
            f"SELECT measure_id, score, language FROM search_hits ORDER BY {ORDER[sort]}"
            " LIMIT %s OFFSET %s",
            [page_size, (page - 1) * page_size],
        )
        rows = cursor.fetchall()
        facets = _facets(cursor) if with_facets else {}
        cursor.execute("DROP TABLE search_hits")
    loaded = {m.pk: m for m in Measure.objects.filter(pk__in=[r[0] for r in rows]).with_details()}
    hits = []
    for measure_id, score, language in rows:
        measure = loaded[measure_id]
        text = next((t for t in measure.texts.all() if t.language == language), None)
        hits.append(
            Hit(measure, float(score), language, snippet(text.text if text else "", parsed))
        )
    return SearchPage(parsed, count, page, page_size, hits, facets)


def _facets(cursor) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    facets: dict[str, list[dict]] = {}
    for name, sql in FACET_SQL.items():
        cursor.execute(f"{sql} ORDER BY 4 DESC, 1 LIMIT 50")
        facets[name] = [
            {"value": value, "name_en": en, "name_zh": zh, "count": n}
            for value, en, zh, n in cursor.fetchall()
        ]
    return facets
