"""A query's tsqueries as PostgreSQL prints them, and the score of a text for them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from measures.search import tsquery
from measures.search.query import ParsedQuery


@dataclass(frozen=True)
class Match:
    """A query's tsqueries as PostgreSQL printed them; `full` is own OR expansion."""

    own: str | None
    exp: str | None
    full: str

    FROM = (
        "(SELECT %s::tsquery AS own, %s::tsquery AS exp, %s::tsquery AS full,"
        " %s::tsquery AS own_a, %s::tsquery AS exp_a) q"
    )

    @property
    def params(self) -> list[str | None]:
        return [self.own, self.exp, self.full, tsquery.in_titles(self.own), tsquery.in_titles(self.exp)]  # fmt: skip


# Own-language matches score above 1, expansions below: a Chinese query lists Chinese
# measures before English ones found through the glossary. Title matches add a bonus.
SCORE = (
    "CASE WHEN t.search_vector @@ q.own THEN 1.0 + ts_rank(t.search_vector, q.own)"
    " + CASE WHEN t.search_vector @@ q.own_a THEN 0.5 ELSE 0 END"
    " ELSE 0.5 * ts_rank(t.search_vector, q.exp)"
    " + CASE WHEN t.search_vector @@ q.exp_a THEN 0.25 ELSE 0 END"
    " END"
)


def resolve(parsed: ParsedQuery) -> Match | None:
    """The parsed query's tsqueries, or None when they hold no lexeme (only stop words)."""
    own, exp = parsed.own, parsed.expansion
    sql = (
        f"SELECT o::text, e::text, coalesce(o || e, o, e)::text FROM"
        f" (SELECT {own.sql if own else 'NULL'}::tsquery AS o,"
        f" {exp.sql if exp else 'NULL'}::tsquery AS e) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(own.params if own else []), *(exp.params if exp else [])])
        o, e, full = cursor.fetchone()
    # Stop words alone give an empty tsquery, which matches nothing.
    if not tsquery.lexemes(full or ""):
        return None
    return Match(o if tsquery.lexemes(o or "") else None, e, full)
