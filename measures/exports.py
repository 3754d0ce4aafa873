"""Complete exports of a result set (search or matcher) as CSV, JSON or JSON Lines.

Rows are read through a server-side cursor inside one transaction and written as they
come, so an export of the whole base holds a few thousand rows in memory at a time,
whatever its size. Nothing is capped or estimated: the file is the result set. The
columns are declared once here; the "about the data" page documents them from this list.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
FETCH = 2000


@dataclass(frozen=True)
class Column:
    name: str
    sql: str
    description: object  # a lazy translation
    values: tuple[str, ...] = ()  # the codes the column holds, shown as written


COLUMNS = (
    Column("measure_id", "m.id", _("Identifier of the measure in PolicyKB (stable).")),
    Column("url", "''", _("Address of the measure's page in PolicyKB, in the language of the export.")),
    Column("number", "m.number", _("Number of the measure within its notice (1, 2, …).")),
    Column("label", "m.label", _("The number as the notice writes it, e.g. (3) or Article 3.")),
    Column("section", "m.section_title", _("Heading of the section the measure is in.")),
    Column("language", "d.language", _("Language of the original text."), ("zh", "en")),
    Column("title_zh", "tx.title_zh", _("Title in Chinese (original or translation), if any.")),
    Column("text_zh", "tx.text_zh", _("Full text in Chinese, if any.")),
    Column("title_en", "tx.title_en", _("Title in English (original or translation), if any.")),
    Column("text_en", "tx.text_en", _("Full text in English, if any.")),
    Column("issuer", "coalesce(a.key, '')", _("Key of the lead issuing body, as in the data API's list of agencies.")),
    Column("issuer_zh", "coalesce(a.name_zh, '')", _("Chinese name of the lead issuing body.")),
    Column("issuer_en", "coalesce(a.name_en, '')", _("English name of the lead issuing body.")),
    Column("co_issuers", "coalesce(ci.keys, '')", _("Keys of the other issuers of a joint notice, in order, separated by “; ”.")),
    Column("level", "m.level", _("Level of the lead issuer."), ("national", "provincial", "municipal", "district")),
    Column("region", "m.region", _("Region of the lead issuer, in English as the agency registry writes it."), ("China", "Shandong", "Qingdao")),
    Column("issued_on", "m.issued_on", _("Issue date of the notice; empty if not stated."), ("2024-05-20",)),
    Column("year", "m.year", _("Year of issue; empty if not stated.")),
    Column("tags", "coalesce(tg.slugs, '')", _("Tags (target groups, topics, support types, size classes), separated by “; ”.")),
    Column("targets", "m.targets", _("Quantitative targets read from the text (a JSON list).")),
    Column("document_id", "d.id", _("Identifier of the notice in PolicyKB.")),
    Column("document_title_zh", "d.title_zh", _("Title of the notice in Chinese.")),
    Column("document_title_en", "d.title_en", _("Title of the notice in English, if any.")),
    Column("doc_number", "d.doc_number", _("Document number as the notice states it.")),
    Column("validity", "d.validity", _("Whether the notice is in force."), ("effective", "expired", "unknown")),
    Column("effective_on", "d.effective_on", _("Date from which the notice applies, if stated.")),
    Column("expires_on", "d.expires_on", _("Date until which the notice applies, if stated.")),
    Column("source_url", "d.source_url", _("Address of the notice at its issuing body, if known.")),
    Column("published_at", "d.published_at", _("When the notice was published in PolicyKB, in coordinated universal time."), ("2026-01-31T08:00:00Z",)),
)  # fmt: skip

_SELECT = """
SELECT {columns}
FROM ({hits}) h
JOIN measures_measure m ON m.id = h.measure_id
JOIN documents_document d ON d.id = m.document_id
LEFT JOIN documents_agency a ON a.id = m.agency_id
LEFT JOIN LATERAL (
    SELECT max(x.title) FILTER (WHERE x.language = 'zh') AS title_zh,
           max(x.text) FILTER (WHERE x.language = 'zh') AS text_zh,
           max(x.title) FILTER (WHERE x.language = 'en') AS title_en,
           max(x.text) FILTER (WHERE x.language = 'en') AS text_en
    FROM measures_measuretext x WHERE x.measure_id = m.id) tx ON true
LEFT JOIN LATERAL (
    SELECT string_agg(ca.key, '; ' ORDER BY c.position) AS keys
    FROM documents_documentcoissuer c JOIN documents_agency ca ON ca.id = c.agency_id
    WHERE c.document_id = d.id) ci ON true
LEFT JOIN LATERAL (
    SELECT string_agg(t.slug, '; ' ORDER BY t.slug) AS slugs
    FROM measures_measure_tags mt JOIN measures_tag t ON t.id = mt.tag_id
    WHERE mt.measure_id = m.id) tg ON true
ORDER BY {order}
"""


def rows(hits: tuple[str, list] | None, *, order: str) -> Iterator[dict]:
    """Every row of the result set `hits` (SQL with measure_id, issued_on, score), in order."""
    if hits is None:
        return
    sql, params = hits
    statement = _SELECT.format(columns=", ".join(c.sql for c in COLUMNS), hits=sql,
                               order=_qualified(order))  # fmt: skip
    names = [c.name for c in COLUMNS]
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(statement, params)
        while batch := cursor.fetchmany(FETCH):
            for row in batch:
                yield dict(zip(names, row, strict=True))


def _qualified(order: str) -> str:
    """A search ORDER BY (on the hits' columns) as it reads on the export's joins."""
    return ", ".join(f"h.{part.strip()}" for part in order.split(","))


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class _Line:
    """A file-like object csv.writer writes one line into."""

    def write(self, value: str) -> str:
        return value


def _csv(records: Iterator[dict]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow([c.name for c in COLUMNS]).encode()
    chunk: list[str] = []
    for record in records:
        cells = []
        for name, value in record.items():
            value = _plain(value)
            if name == "targets":
                value = json.dumps(value, ensure_ascii=False) if value else ""
            if value is None:
                value = ""
            cells.append(neutralise(value) if isinstance(value, str) else value)
        chunk.append(writer.writerow(cells))
        if len(chunk) >= 500:
            yield "".join(chunk).encode()
            chunk = []
    yield "".join(chunk).encode()


def _json_lines(records: Iterator[dict]) -> Iterator[bytes]:
    chunk: list[str] = []
    for record in records:
        chunk.append(json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False))
        if len(chunk) >= 500:
            yield ("\n".join(chunk) + "\n").encode()
            chunk = []
    if chunk:
        yield ("\n".join(chunk) + "\n").encode()


def _json(records: Iterator[dict]) -> Iterator[bytes]:
    """One JSON array, written element by element."""
    yield b"["
    separator, chunk = "\n", []
    for record in records:
        chunk.append(
            separator + json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False)
        )
        separator = ",\n"
        if len(chunk) >= 500:
            yield "".join(chunk).encode()
            chunk = []
    yield ("".join(chunk) + "\n]\n").encode()


def with_urls(records: Iterator[dict], url_of) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    for record in records:
        record["url"] = url_of(record["measure_id"])
        yield record


def response(records: Iterator[dict], *, fmt: str, name: str) -> StreamingHttpResponse:
    """The export as a download, streamed as the rows arrive."""
    writer = {"csv": _csv, "json": _json, "jsonl": _json_lines}[fmt]
    answer = StreamingHttpResponse(writer(records), content_type=FORMATS[fmt])
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    answer["Content-Disposition"] = f'attachment; filename="policykb-{name}-{stamp}.{fmt}"'
    answer["X-Export-Limit"] = "none"  # the file is the whole result set
    answer["Cache-Control"] = "no-store"
    return answer
