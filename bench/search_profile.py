"""Where the time of one search goes: stages and SQL statements of an API search, in process.

    .venv/bin/python bench/search_profile.py [QUERY ...] [--reps R] [--cold]

Uses the search benchmark's database (see bench/search_bench.py; DATABASE_URL's name +
_searchbench). For each query it runs the API through Django's test client (answer cache
off) R times after one untimed search, and prints the median time of each stage of
measures.search (inclusive: a stage's time holds the stages it calls) and of every SQL
statement, grouped by what the statement does, with the Python time that is left over.
`--cold` times the first search of each query in this process instead (no warm-up, R=1).
"""

from __future__ import annotations

import functools
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_own_database  # noqa: E402

use_own_database("searchbench")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # the search, not the answer cache

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

import measures.api as api  # noqa: E402
from measures.search import champions, service  # noqa: E402

DEFAULT_QUERIES = ["量子计算", "unicorn", "enterprises", "融资担保", "financing guarantee", "企业"]

# (module, function name): the stages timed, each inclusive of what it calls.
STAGES = [
    (service, "glossary"),
    (service, "parse"),
    (service, "resolve"),
    (service, "_Query"),
    (service, "_summarise"),
    (service, "_champions_page"),
    (champions, "latest_build"),
    (champions, "lists_for"),
    (service, "_page"),
    (service, "_facets"),
    (service, "snippet"),
    (api, "measures_search"),
    (api, "measure_out"),
]

_times: dict[str, list[float]] = defaultdict(list)
_sql: list[tuple[str, float]] = []


def _timed(name: str, fn):  # type: ignore[no-untyped-def]
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _times[name].append((time.perf_counter() - start) * 1000)

    return wrapper


def instrument() -> None:
    for module, name in STAGES:
        setattr(module, name, _timed(name, getattr(module, name)))


def _label(sql: str) -> str:
    """A short name for what a statement does."""
    s = " ".join(sql.split())
    rules = [
        (r"measures_(historical)?glossaryterm", "glossary version / terms"),
        (r"::tsquery AS o,", "resolve: tsqueries"),
        (r"measures_searchsample", "sample: count + facets"),
        (r"measures_championbuild", "champion build"),
        (r"measures_championlist", "champion lists"),
        (r"t\.id = ANY", "candidates: rank page"),
        (r"WITH hits AS MATERIALIZED .*GROUPING SETS", "exact: count + facets + page"),
        (r"enable_bitmapscan", "date walk: settings"),
        (r"FROM measures_measuretext t, \(SELECT .*LIMIT", "date walk"),
        (r"FROM \"documents_agency\"", "agency names"),
        (r"FROM \"measures_tag\" INNER JOIN", "page: tags"),
        (r"FROM \"measures_tag\"", "tag names"),
        (r"FROM \"measures_measuretext\"", "page: texts"),
        (r"FROM \"measures_measure\"", "page: measures"),
        (r"django_cache|cache_key", "cache"),
    ]
    for pattern, label in rules:
        if re.search(pattern, s):
            return label
    return s[:60]


def _sql_wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        _sql.append((_label(sql), (time.perf_counter() - start) * 1000))


def profile(client: Client, q: str, reps: int, cold: bool) -> None:
    if not cold:
        client.get("/api/measures", {"q": q, "page_size": 20})
    runs: list[tuple[float, dict[str, float], dict[str, tuple[int, float]]]] = []
    for _ in range(1 if cold else reps):
        _times.clear()
        _sql.clear()
        start = time.perf_counter()
        with connection.execute_wrapper(_sql_wrapper):
            response = client.get("/api/measures", {"q": q, "page_size": 20})
        total = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.content[:200]
        stages = {name: sum(v) for name, v in _times.items()}
        statements: dict[str, tuple[int, float]] = {}
        for label, ms in _sql:
            n, t = statements.get(label, (0, 0.0))
            statements[label] = (n + 1, t + ms)
        runs.append((total, stages, statements))
    med = statistics.median
    total = med(r[0] for r in runs)
    print(f"\n{q!r}: {total:.1f} ms in all ({'first search' if cold else f'median of {reps}'})")
    for name in [n for _m, n in STAGES if any(n in r[1] for r in runs)]:
        print(f"  stage {name:<24}{med(r[1].get(name, 0.0) for r in runs):8.1f} ms")
    labels = sorted({label for r in runs for label in r[2]})
    sql_total = med(sum(t for _n, t in r[2].values()) for r in runs)
    for label in sorted(labels, key=lambda x: -med(r[2].get(x, (0, 0.0))[1] for r in runs)):
        n = max(r[2].get(label, (0, 0.0))[0] for r in runs)
        ms = med(r[2].get(label, (0, 0.0))[1] for r in runs)
        print(f"  sql   {label:<32}{ms:8.1f} ms  ({n} statement{'s' if n > 1 else ''})")
    print(f"  all SQL {sql_total:.1f} ms; Python and the rest {total - sql_total:.1f} ms")


def main() -> None:
    args = sys.argv[1:]
    reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 5
    cold = "--cold" in args
    skip = {args.index("--reps") + 1} if "--reps" in args else set()
    queries = [a for i, a in enumerate(args) if not a.startswith("--") and i not in skip]
    instrument()
    client = Client()
    if not cold:
        client.get("/api/measures", {"q": "预热"})  # imports, jieba, first connection
    for q in queries or DEFAULT_QUERIES:
        profile(client, q, reps, cold)


if __name__ == "__main__":
    main()
