"""Building the stored search vectors of measure texts.

Chinese text is converted to Simplified and segmented with jieba (search mode) in Python,
then stored with the `simple` configuration so the Chinese tokens stay intact. English is
stored with the `english` configuration (stemmed). Title weighs A, section heading and tag
names B, body D.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from measures.segment import index_tokens

CONFIGS = {"zh": "simple", "en": "english"}


def config_for(language: str) -> str:
    return CONFIGS.get(language, "simple")


@dataclass(frozen=True)
class IndexInput:
    text_id: int
    language: str
    title: str
    context: str  # section heading and tag names
    body: str


def tokens(language: str, title: str, context: str, body: str) -> tuple[str, str, str]:
    """What the index stores for each weight: segmented for Chinese, as is for English."""
    if language == "zh":
        return index_tokens(title), index_tokens(context), index_tokens(body)
    return title, context, body


def prepare(item: IndexInput) -> tuple[int, str, str, str, str]:
    """Segment one text; returns the row for `store`."""
    parts = tokens(item.language, item.title, item.context, item.body)
    return (item.text_id, config_for(item.language), *parts)


_UPDATE = """
UPDATE measures_measuretext AS t SET search_vector =
    setweight(to_tsvector(v.cfg::regconfig, v.title), 'A') ||
    setweight(to_tsvector(v.cfg::regconfig, v.context), 'B') ||
    setweight(to_tsvector(v.cfg::regconfig, v.body), 'D')
FROM (VALUES {rows}) AS v(id, cfg, title, context, body)
WHERE t.id = v.id
"""


def store(rows: Sequence[tuple[int, str, str, str, str]], *, batch: int = 500) -> None:
    """Write vectors for prepared rows, a few hundred per statement."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            placeholders = ",".join(["(%s::bigint, %s, %s, %s, %s)"] * len(chunk))
            params = [value for row in chunk for value in row]
            cursor.execute(_UPDATE.format(rows=placeholders), params)


def index_texts(items: Iterable[IndexInput]) -> int:
    rows = [prepare(item) for item in items]
    store(rows)
    return len(rows)


_INSERT = """
INSERT INTO measures_measuretext
    (measure_id, language, script, provenance, title, text, search_vector)
SELECT v.measure_id, v.language, v.script, v.provenance, v.title, v.text,
    setweight(to_tsvector(v.cfg::regconfig, v.t_title), 'A') ||
    setweight(to_tsvector(v.cfg::regconfig, v.t_context), 'B') ||
    setweight(to_tsvector(v.cfg::regconfig, v.t_body), 'D')
FROM (VALUES {rows})
    AS v(measure_id, language, script, provenance, title, text, cfg, t_title, t_context, t_body)
RETURNING id
"""


@dataclass(frozen=True)
class NewText:
    measure_id: int
    language: str
    script: str
    provenance: str
    title: str
    text: str
    tokens: tuple[str, str, str]


def insert_texts(rows: Sequence[NewText], *, batch: int = 500) -> list[int]:
    """Insert measure texts with their vectors in one statement per batch; returns ids.

    One INSERT instead of INSERT then UPDATE: the vector is written once, with no dead
    row version and a single GIN index entry per text.
    """
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            placeholders = ",".join(
                ["(%s::bigint, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk)
            )
            params = [
                value
                for r in chunk
                for value in (
                    r.measure_id, r.language, r.script, r.provenance, r.title, r.text,
                    config_for(r.language), *r.tokens,
                )
            ]  # fmt: skip
            cursor.execute(_INSERT.format(rows=placeholders), params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids
