"""The Tantivy baseline of bench/search_bench.py: the same texts and tokens, BM25, facets.

Every public measure text becomes one Tantivy document whose `tokens` field holds exactly
the lexemes of its stored PostgreSQL search vector, at their positions (a gap that
PostgreSQL left, such as a dropped English stop word, is kept by a filler token, so
phrases match at the same distances). A query is the tsquery the API itself searches
(own language OR glossary expansion, as PostgreSQL printed it), turned into a Tantivy
boolean query term for term: `&` must, `|` should, `!` must not, `<->`/`<N>` a phrase with
those offsets. A search returns the BM25 top 20 and the count of matches, with term
aggregations over the agency and year fast fields (the facets the API shows first);
filters become must clauses, a date sort orders on the date fast field.

The index is built once per database state and kept under var/bench/ (it is rebuilt when
the number of texts or the newest indexing time changes). Tantivy (`tantivy` on PyPI) is
a benchmark-only dependency: pyproject.toml's `bench` extra.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.db import connection

FILLER = "\u2063"  # never a lexeme: PostgreSQL's parser drops invisible separators
_ENTRY = re.compile(r"'((?:[^']|'')*)':([0-9A-D,]+)")
_EPOCH = dt.date(1970, 1, 1)
LEVELS = ("national", "provincial", "municipal", "district")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # Tokens are PostgreSQL's lexemes already: split on whitespace only, keep case.
    builder.add_text_field("tokens", tokenizer_name="whitespace", index_option="position")
    builder.add_unsigned_field("measure_id", stored=True, fast=True)
    builder.add_unsigned_field("agency_ids", indexed=True, fast=True)
    builder.add_unsigned_field("year", indexed=True, fast=True)
    builder.add_unsigned_field("level", indexed=True, fast=True)  # index in LEVELS
    builder.add_unsigned_field("language", indexed=True, fast=True)  # 0 zh, 1 en
    builder.add_integer_field("issued_on", indexed=True, fast=True)  # days since 1970
    return builder.build()


def _tokens(vector_text: str) -> str:
    """The lexemes of a tsvector's text in position order, gaps filled."""
    at: dict[int, str] = {}
    for lexeme, positions in _ENTRY.findall(vector_text):
        word = lexeme.replace("''", "'")
        for p in positions.split(","):
            at[int(p.rstrip("ABCD"))] = word
    if not at:
        return ""
    return " ".join(at.get(i, FILLER) for i in range(1, max(at) + 1))


def _state() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), max(indexed_at)::text FROM measures_measuretext WHERE is_public"
        )
        count, newest = cursor.fetchone()
    return {"texts": count, "newest": newest, "database": connection.settings_dict["NAME"]}


@dataclass
class TantivyIndex:
    index: tantivy.Index
    schema: tantivy.Schema
    build_seconds: float | None  # None when an existing index was reused

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()


def open_or_build(folder: Path, progress=print) -> TantivyIndex:  # type: ignore[no-untyped-def]
    """The index of the current database state in `folder`, built if missing or stale."""
    schema = _schema()
    state = _state()
    marker = folder / "state.json"
    if marker.exists() and json.loads(marker.read_text()) == state:
        return TantivyIndex(tantivy.Index(schema, path=str(folder), reuse=True), schema, None)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    index = tantivy.Index(schema, path=str(folder), reuse=False)
    writer = index.writer(heap_size=256_000_000)
    done = 0
    connection.ensure_connection()
    # COPY streams the rows far faster than a cursor's FETCHes (text format: tab-separated,
    # arrays as {1,2}, a backslash doubled).
    sql = ("COPY (SELECT measure_id, language, agency_ids, year, level, issued_on,"
           " search_vector::text FROM measures_measuretext WHERE is_public) TO STDOUT")  # fmt: skip
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        pending = b""
        for block in copy:
            lines = (pending + bytes(block)).split(b"\n")
            pending = lines.pop()
            for line in lines:
                writer.add_document(_document(line.decode()))
                done += 1
                if done % 100_000 == 0:
                    progress(f"  tantivy: {done:,} texts indexed")
        if pending:
            writer.add_document(_document(pending.decode()))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    marker.write_text(json.dumps(state))
    return TantivyIndex(index, schema, time.perf_counter() - started)


def _document(line: str) -> tantivy.Document:
    """One COPY line (measure_id, language, agency_ids, year, level, issued_on, vector)."""
    measure_id, language, agency_ids, year, level, issued_on, vector = line.split("\t")
    doc = tantivy.Document()
    doc.add_text("tokens", _tokens(vector.replace("\\\\", "\\") if vector != "\\N" else ""))
    doc.add_unsigned("measure_id", int(measure_id))
    for agency in agency_ids.strip("{}").split(","):
        if agency.isdigit():
            doc.add_unsigned("agency_ids", int(agency))
    if year.isdigit():
        doc.add_unsigned("year", int(year))
    if level in LEVELS:
        doc.add_unsigned("level", LEVELS.index(level))
    doc.add_unsigned("language", 0 if language == "zh" else 1)
    if issued_on != "\\N":
        doc.add_integer("issued_on", (dt.date.fromisoformat(issued_on) - _EPOCH).days)
    return doc


# --- tsquery text → Tantivy query -------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'(?::[A-D*]+)?|(<->|<\d+>)|([&|!()]))")


def _lex(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot read tsquery at {text[pos : pos + 20]!r}")
        if m.group(1) is not None:
            out.append(("word", m.group(1).replace("''", "'")))
        elif m.group(2):
            out.append(("follow", "1" if m.group(2) == "<->" else m.group(2)[1:-1]))
        else:
            out.append(("op", m.group(3)))
        pos = m.end()
    return out


class _Parser:
    """tsquery precedence: ! binds tightest, then <->, then &, then |."""

    def __init__(self, text: str, schema: tantivy.Schema) -> None:
        self.tokens, self.i, self.schema = _lex(text), 0, schema

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        self.i += 1
        return self.tokens[self.i - 1]

    def parse(self):  # type: ignore[no-untyped-def]
        return self._or()

    def _or(self):  # type: ignore[no-untyped-def]
        parts = [self._and()]
        while self.peek() == ("op", "|"):
            self.take()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def _and(self):  # type: ignore[no-untyped-def]
        parts = [self._phrase()]
        while self.peek() == ("op", "&"):
            self.take()
            parts.append(self._phrase())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def _phrase(self):  # type: ignore[no-untyped-def]
        first = self._not()
        words, offset = ([(0, first[1])] if first[0] == "word" else None), 0
        node = first
        while (token := self.peek()) and token[0] == "follow":
            self.take()
            right = self._not()
            offset += int(token[1])
            if words is not None and right[0] == "word":
                words.append((offset, right[1]))
                node = ("phrase", words)
            else:  # a phrase of sub-expressions: both must occur (looser than PostgreSQL)
                words = None
                node = ("and", [node, right])
        return node

    def _not(self):  # type: ignore[no-untyped-def]
        token = self.take()
        if token == ("op", "!"):
            return ("not", self._not())
        if token == ("op", "("):
            inner = self._or()
            self.take()  # ")"
            return inner
        return token


def _build(node, schema: tantivy.Schema) -> tantivy.Query:  # type: ignore[no-untyped-def]
    kind = node[0]
    if kind == "word":
        return tantivy.Query.term_query(schema, "tokens", node[1])
    if kind == "phrase":
        return tantivy.Query.phrase_query(schema, "tokens", [(o, w) for o, w in node[1]])
    if kind == "not":
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, tantivy.Query.all_query()),
             (tantivy.Occur.MustNot, _build(node[1], schema))]
        )  # fmt: skip
    occur = tantivy.Occur.Must if kind == "and" else tantivy.Occur.Should
    clauses = []
    for part in node[1]:
        if part[0] == "not" and kind == "and":
            clauses.append((tantivy.Occur.MustNot, _build(part[1], schema)))
        else:
            clauses.append((occur, _build(part, schema)))
    return tantivy.Query.boolean_query(clauses)


def to_query(tsquery_text: str, schema: tantivy.Schema, filters: dict) -> tantivy.Query:
    """The Tantivy query for a tsquery's text and the benchmark's filters."""
    clauses = [(tantivy.Occur.Must, _build(_Parser(tsquery_text, schema).parse(), schema))]
    for name, value in filters.items():
        if name == "level":
            value = LEVELS.index(value)
        elif name == "lang":
            name, value = "language", 0 if value == "zh" else 1
        elif name in ("sort", "agency", "tag", "region"):
            continue  # sort is not a filter; the mix filters on level and year only
        clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(schema, name, int(value))))
    return tantivy.Query.boolean_query(clauses)


FACETS = {
    "agency": {"terms": {"field": "agency_ids", "size": 50}},
    "year": {"terms": {"field": "year", "size": 50}},
}


def search(ix: TantivyIndex, searcher: tantivy.Searcher, query: tantivy.Query, *,
           sort: str = "relevance") -> tuple[int, list[int], dict]:  # fmt: skip
    """(count, measure ids of the top 20, facet buckets) — what one API page needs."""
    if sort == "relevance":
        result = searcher.search(query, limit=20, count=True)
    else:
        order = tantivy.Order.Asc if sort == "date" else tantivy.Order.Desc
        result = searcher.search(query, limit=20, count=True, order_by_field="issued_on",
                                 order=order)  # fmt: skip
    ids = [searcher.doc(address)["measure_id"][0] for _score, address in result.hits]
    facets = searcher.aggregate(query, FACETS)
    return result.count or 0, ids, facets
