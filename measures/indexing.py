"""Building the stored search vectors of measure texts.

Chinese text is converted to Simplified and segmented with jieba (search mode) in Python,
then stored with the `simple` configuration so the Chinese tokens stay intact. English is
stored with the `english` configuration (stemmed). Title weighs A, section heading and tag
names B, body D.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from measures.search import amounts
from measures.segment import index_tokens
from policykb.chinese import to_simplified
from policykb.pagecache import public_content_changed

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
    """What the index stores for each weight: segmented for Chinese, as is for English.

    The body also carries the text's amounts as value tokens (measures.search.amounts).
    """
    values = value_tokens(f"{title}\n{body}")
    if language == "zh":
        return index_tokens(title), index_tokens(context), f"{index_tokens(body)} {values}".strip()
    title, context, body = (_sentences_apart(t) for t in (title, context, body))
    return title, context, f"{body} {values}".strip()


# A full stop with no space before the next sentence ("the epidemic and floods.The
# provincial …", common in machine-translated notices): PostgreSQL's parser reads
# "floods.the" as one host-name token, so neither word could be found.
_RUN_ON = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z])")


def _sentences_apart(text: str) -> str:
    return _RUN_ON.sub(". ", text)


def value_tokens(text: str) -> str:
    return amounts.index_tokens(to_simplified(unicodedata.normalize("NFKC", text)))


def prepare(item: IndexInput) -> tuple[int, str, str, str, str]:
    """Segment one text; returns the row for `store`."""
    parts = tokens(item.language, item.title, item.context, item.body)
    return (item.text_id, config_for(item.language), *parts)


# The measure facts each text carries for search (see MeasureText), read from its measure.
# indexed_at is set where the vector is written: search treats texts indexed after the
# champion lists were built as candidates of their own.
COPIED = "is_public, agency_id, agency_ids, level, region, year, issued_on, tag_ids"
# agency_ids: the lead issuer, then the document's co-issuers in their order.
_FROM_MEASURE = """m.is_public, m.agency_id,
    array_remove(ARRAY[m.agency_id], NULL) || coalesce(
        (SELECT array_agg(ci.agency_id ORDER BY ci.position) FROM documents_documentcoissuer ci
         WHERE ci.document_id = m.document_id), ARRAY[]::bigint[]),
    m.level, m.region, m.year, m.issued_on,
    coalesce((SELECT array_agg(mt.tag_id ORDER BY mt.tag_id) FROM measures_measure_tags mt
              WHERE mt.measure_id = m.id), ARRAY[]::bigint[])"""

_UPDATE = f"""
UPDATE measures_measuretext AS t SET search_vector =
    setweight(to_tsvector(v.cfg::regconfig, v.title), 'A') ||
    setweight(to_tsvector(v.cfg::regconfig, v.context), 'B') ||
    setweight(to_tsvector(v.cfg::regconfig, v.body), 'D'),
    ({COPIED}, indexed_at) = ({_FROM_MEASURE}, clock_timestamp())
FROM (VALUES {{rows}}) AS v(id, cfg, title, context, body), measures_measure m
WHERE t.id = v.id AND m.id = t.measure_id
"""


_SAMPLED = (
    "measure_id", "language", "provenance", "is_public", "agency_id", "agency_ids", "level",
    "region",
    "year", "tag_ids", "search_vector",
)  # fmt: skip
_SAMPLE = f"""
INSERT INTO measures_searchsample (text_id, {", ".join(_SAMPLED)})
SELECT t.id, {", ".join("t." + c for c in _SAMPLED)}
FROM measures_measuretext t WHERE t.measure_id %% %s = 0 AND {{where}}
ON CONFLICT (text_id) DO UPDATE
SET ({", ".join(_SAMPLED)}) = ({", ".join("EXCLUDED." + c for c in _SAMPLED)})
"""


def _sample(cursor, where: str, params: list) -> None:  # type: ignore[no-untyped-def]
    """Copy the texts matching `where` (on t) that are in the search sample."""
    cursor.execute(_SAMPLE.format(where=where), [settings.SEARCH_SAMPLE_MODULUS, *params])


def sample_rebuild() -> int:
    """Copy the sample afresh (after SEARCH_SAMPLE_MODULUS changed); returns its size."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM measures_searchsample")
        _sample(cursor, "true", [])
        return cursor.rowcount


def store(rows: Sequence[tuple[int, str, str, str, str]], *, batch: int = 500) -> None:
    """Write vectors for prepared rows, a few hundred per statement."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            placeholders = ",".join(["(%s::bigint, %s, %s, %s, %s)"] * len(chunk))
            params = [value for row in chunk for value in row]
            cursor.execute(_UPDATE.format(rows=placeholders), params)
            _sample(cursor, "t.id = ANY(%s)", [[row[0] for row in chunk]])


def index_texts(items: Iterable[IndexInput]) -> int:
    rows = [prepare(item) for item in items]
    store(rows)
    public_content_changed()
    return len(rows)


_INSERT = f"""
INSERT INTO measures_measuretext
    (measure_id, language, script, provenance, title, text, search_vector, {COPIED}, indexed_at)
SELECT v.measure_id, v.language, v.script, v.provenance, v.title, v.text,
    setweight(to_tsvector(v.cfg::regconfig, v.t_title), 'A') ||
    setweight(to_tsvector(v.cfg::regconfig, v.t_context), 'B') ||
    setweight(to_tsvector(v.cfg::regconfig, v.t_body), 'D'),
    {_FROM_MEASURE}, clock_timestamp()
FROM (VALUES {{rows}})
    AS v(measure_id, language, script, provenance, title, text, cfg, t_title, t_context, t_body)
JOIN measures_measure m ON m.id = v.measure_id
"""

_SYNC = f"""
UPDATE measures_measuretext AS t SET ({COPIED}) = ({_FROM_MEASURE})
FROM measures_measure m WHERE m.id = t.measure_id AND m.document_id = %s
"""


def sync_document_facts(document_id: int) -> int:
    """Copy the (changed) facts of a document's measures onto their texts."""
    public_content_changed()  # status, agency or date: what pages and search show
    with connection.cursor() as cursor:
        cursor.execute(_SYNC, [document_id])
        synced = cursor.rowcount
        _sample(
            cursor,
            "t.measure_id IN (SELECT id FROM measures_measure WHERE document_id = %s)",
            [document_id],
        )
        return synced


@dataclass(frozen=True)
class NewText:
    measure_id: int
    language: str
    script: str
    provenance: str
    title: str
    text: str
    tokens: tuple[str, str, str]


def insert_texts(rows: Sequence[NewText], *, batch: int = 500) -> int:
    """Insert measure texts with their vectors in one statement per batch; returns the count.

    The measures (and their tags) must exist: each text copies their facts for search.

    One INSERT instead of INSERT then UPDATE: the vector is written once, with no dead
    row version and a single GIN index entry per text.
    """
    inserted = 0
    public_content_changed()
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
            inserted += cursor.rowcount
            modulus = settings.SEARCH_SAMPLE_MODULUS
            sampled = [r.measure_id for r in chunk if r.measure_id % modulus == 0]
            if sampled:
                _sample(cursor, "t.measure_id = ANY(%s)", [sampled])
    return inserted
