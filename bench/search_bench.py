"""Search benchmark: a fixed query mix at N measures (default 1,000,000).

    .venv/bin/python bench/search_bench.py [N] [--reps R]

Uses its own database (policykb_searchbench on the embedded server, or DATABASE_URL's
server with _searchbench appended), fills it with `manage.py synth` up to N measures
once (kept for later runs) and builds the champion lists if there are none, then prints
p50/p95 of the API's server-side time for a page of 20 results with facets, next to a
naive ILIKE search and to the index lookup alone (count(*) of the tsquery match), all in
the same run.

For every query it also compares the API's answer with the exact one (every match
ranked, counted and faceted; slow): the estimated count's error, how many of the page's
20 measures are the exact top 20 (`same`), and how many score as well as the exact 20th
(`as good`: the synthetic texts tie a lot, and a tie broken otherwise is no worse).
A query of several common words that must all occur is ranked in full once by the
worker after its first search; `cold` is that first answer, the rest come after (the
benchmark runs the worker's task itself, before timing).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, use_own_database  # noqa: E402

use_own_database("searchbench")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_q.models import OrmQ  # noqa: E402

from documents.services import agencies_load  # noqa: E402
from measures.models import ChampionList, Measure  # noqa: E402
from measures.search.champions import champions_build, latest_build  # noqa: E402
from measures.search.match import resolve  # noqa: E402
from measures.search.query import parse  # noqa: E402
from measures.search.service import SearchFilters, lexicon, measures_search  # noqa: E402
from measures.services import glossary_load, phrasings_load, tags_load  # noqa: E402
from measures.tasks import query_champions_build  # noqa: E402

# (query, filters, what it stands for)
MIX = [
    ("企业", {}, "zh, in nearly every Chinese measure"),
    ("中小企业", {}, "zh, very common"),
    ("融资担保", {}, "zh, common, with glossary expansion"),
    ("專精特新", {}, "zh-Hant, common"),
    ("独角兽", {}, "zh, rare"),
    ("隐形冠军", {}, "zh, rare"),
    ("量子计算", {}, "zh, no match"),
    ("enterprises", {}, "en, very common"),
    ("financing guarantee", {}, "en, common, with glossary expansion"),
    ('"public service platform"', {}, "en phrase"),
    ("unicorn", {}, "en, rare"),
    ("企业 融资", {}, "zh, two common words that must both occur"),
    ("technology innovation", {}, "en, two common words that must both occur"),
    ("中小企业 融资担保", {}, "zh, common words, glossary expansion"),
    ("中小企业", {"level": "national"}, "zh, very common, level filter"),
    ("enterprises", {"year": 2024}, "en, very common, year filter"),
    ("融资担保", {"level": "municipal"}, "zh, common, level filter"),
    # issue 10's query kinds
    ("交不起房租怎么办", {}, "zh question, owner's words (phrasing)"),
    ("how do I get a loan for my small business", {}, "en question, fillers dropped"),
    ("缺钱周转", {}, "zh owner's phrasing → policy terms"),
    ("口罩", {}, "zh plain word, dictionary into English"),
    ("guarantee vaccines", {}, "en two words, partial match"),
    ("12 billion yuan", {}, "amount, English notation"),
    ("120億元", {}, "amount, Traditional notation"),
    ("中小企业 loan", {}, "mixed zh-en"),
    ("融资 OR 担保", {}, "zh OR"),
    ("融资 -担保", {}, "zh exclusion with its glossary counterparts"),
]


def ensure_data(n: int) -> int:
    call_command("migrate", verbosity=0)
    agencies_load(path=ROOT / "fixtures" / "agencies.json")
    tags_load(path=ROOT / "fixtures" / "tags.json")
    glossary_load(path=ROOT / "fixtures" / "glossary.json")
    phrasings_load(path=ROOT / "fixtures" / "phrasings.json")
    have = Measure.objects.count()
    if have < n:
        call_command("synth", str(n - have))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE measures_measuretext")
            cursor.execute("VACUUM ANALYZE measures_measure")
            cursor.execute("VACUUM ANALYZE measures_measure_tags")
    if latest_build() is None:
        build = champions_build()
        print(f"champion lists: {build.lexemes:,} lexemes built in {build.seconds:.0f} s")
    return Measure.objects.count()


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def api_call(client: Client, q: str, filters: dict) -> None:
    response = client.get("/api/measures", {"q": q, "page_size": 20, **filters})
    assert response.status_code == 200, response.content[:300]


def ilike_call(q: str, filters: dict) -> None:
    where, params = ["m.is_public", "t.text ILIKE %s"], [f"%{q.strip(chr(34))}%"]
    for key, value in filters.items():
        where.append(f"m.{key} = %s")
        params.append(value)
    sql = (
        "FROM measures_measuretext t JOIN measures_measure m ON m.id = t.measure_id WHERE "
        + " AND ".join(where)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {sql}", params)
        cursor.execute(f"SELECT m.id {sql} ORDER BY m.issued_on DESC LIMIT 20", params)


def lookup_call(q: str) -> int:
    match = resolve(parse(q, lexicon()))
    if match is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM measures_measuretext WHERE search_vector @@ %s::tsquery",
            [match.full],
        )
        return cursor.fetchone()[0]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def agreement(q: str, filters: dict) -> tuple[bool, int, int, int, int]:
    """(estimated, API count, exact count, same measures, as good) for a page of 20."""
    kwargs = {"q": q, "filters": SearchFilters(**filters), "page_size": 20}
    fast = measures_search(**kwargs)
    limit, settings.SEARCH_EXACT_LIMIT = settings.SEARCH_EXACT_LIMIT, 10**9
    try:
        exact = measures_search(**kwargs)
    finally:
        settings.SEARCH_EXACT_LIMIT = limit
    exact_ids = {h.measure.pk for h in exact.hits}
    same = sum(h.measure.pk in exact_ids for h in fast.hits)
    floor = min((round(h.score, 6) for h in exact.hits), default=0)
    as_good = sum(round(h.score, 6) >= floor for h in fast.hits)
    return fast.estimated, fast.count, exact.count, same, as_good


def run_worker_tasks() -> int:
    """What the django-q2 worker would do with the queued query rankings."""
    done = 0
    for task in OrmQ.objects.all():
        if task.func() == "measures.tasks.query_champions_build":
            query_champions_build(*task.args())
            done += 1
        task.delete()
    return done


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 1_000_000
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 5
    total = ensure_data(n)
    ChampionList.objects.filter(is_query=True).delete()  # every run starts cold
    OrmQ.objects.all().delete()
    client = Client()
    api_all, ilike_all, lookup_all = [], [], []
    print(f"measures: {total:,}   repetitions per query: {reps}\n")
    print(
        f"{'query':<26}{'filters':<16}{'matches':>9}{'API p50':>9}{'ILIKE p50':>11}"
        f"{'lookup p50':>11}  {'count (exact)':>19}{'same':>6}{'as good':>8}{'cold':>6}"
    )
    same_all = good_all = cold_all = shown_all = 0
    for q, filters, _about in MIX:
        cold = agreement(q, filters)[4]
        run_worker_tasks()
        api_call(client, q, filters)  # warm the caches once
        matches = lookup_call(q)
        api = [timed(api_call, client, q, filters) for _ in range(reps)]
        ilike = [timed(ilike_call, q, filters) for _ in range(max(1, reps // 2))]
        lookup = [timed(lookup_call, q) for _ in range(reps)]
        estimated, count, exact_count, same, as_good = agreement(q, filters)
        api_all += api
        ilike_all += ilike
        lookup_all += lookup
        shown = min(20, exact_count)
        same_all, good_all, shown_all = same_all + same, good_all + as_good, shown_all + shown
        cold_all += cold
        label = ",".join(f"{k}={v}" for k, v in filters.items())
        counted = f"{'~' if estimated else ''}{count:,} ({exact_count:,})"
        print(
            f"{q:<26}{label:<16}{matches:>9,}{statistics.median(api):>7.0f}ms"
            f"{statistics.median(ilike):>9.0f}ms{statistics.median(lookup):>9.0f}ms"
            f"  {counted:>19}{same:>4}/{shown:<2}{as_good:>5}/{shown:<2}{cold:>4}/{shown:<2}"
        )
    print()
    for name, values in (("API (page of 20 + facets)", api_all), ("naive ILIKE", ilike_all),
                         ("index lookup, count(*)", lookup_all)):  # fmt: skip
        print(f"{name:<28} p50 {pct(values, 0.5):8.1f} ms   p95 {pct(values, 0.95):8.1f} ms")
    print(
        f"pages vs exact ranking: {same_all}/{shown_all} the same measures,"
        f" {good_all}/{shown_all} scoring as well as the exact top 20"
        f" ({cold_all}/{shown_all} on a query's first search)"
    )
    print("goal: API p95 under 100 ms")


if __name__ == "__main__":
    main()
