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


def prepare(item: IndexInput) -> tuple[int, str, str, str, str]:
    """Segment one text; returns the row for `store`."""
    if item.language == "zh":
        parts = (index_tokens(item.title), index_tokens(item.context), index_tokens(item.body))
    else:
        parts = (item.title, item.context, item.body)
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
