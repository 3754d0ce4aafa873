"""Search benchmark: the API's speed as a visitor sees it, against two baselines, one run.

    .venv/bin/python bench/search_bench.py [N] [--passes 3] [--port 8793]
        [--no-http] [--no-tantivy] [--exact-reps 2] [--page-cache]

Uses its own database (policykb_searchbench on the embedded server, or DATABASE_URL's
name with _searchbench appended, created if missing), fills it with `manage.py synth` up
to N measures (default 1,000,000) once, kept for later runs, and builds the champion lists
if there are none. Then, on the same query mix and in the same run:

1. HTTP: starts `manage.py serve` (gunicorn with its warm-up, and the django-q2 worker, as
   `make run` does) on loopback and sends every query of the mix, one request at a time
   on a new connection, for `--passes` passes. Pass 1 is each query's first search after
   the restart ("cold"); the later passes are "warm". The worker builds the whole-query
   champion lists that first searches ask for; the benchmark waits for its queue to
   empty before the next pass, as a later visitor would find it.
2. In process: the same passes through Django's test client, after the same process
   warm-up a web worker does (pass 1: each query's first search in this process).
3. The naive exact path: the API's own search with every match ranked with ts_rank,
   counted and faceted (SEARCH_EXACT_LIMIT lifted), `--exact-reps` times per query.
4. Tantivy: every public text's stored lexemes in a Tantivy index (bench/tantivy_baseline.py),
   the query's own tsquery as a Tantivy query, BM25 top 20 with the count and agency and
   year facet counts, `--passes` times per query.

The answer cache (PAGE_CACHE_SECONDS) is off unless --page-cache: every request searches.
It prints each query's times, p50/p95 of each way, the API's ratios to both baselines,
how close the API's pages are to the exact ranking, the goals met or missed, and the
machine's load (uptime) beside every figure: the machine is shared, so compare ratios
taken in one run.

Ranking agreement: for each query the API's page of 20 against the exact top 20: `same`
counts the exact top 20's measures on the API's page, `as good` those scoring at least as
well as the exact 20th (synthetic texts tie a lot; a tie broken otherwise is no worse),
both on a query's first search (before the worker ranked it in full) and later.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, use_own_database  # noqa: E402

use_own_database("searchbench")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
if "--page-cache" not in sys.argv:
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # the search's cost, not the answer cache's

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

# (query, parameters, what it stands for)
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
    ("loan", {}, "en word found mostly through the glossary"),
    ("企业 融资", {}, "zh, two common words that must both occur"),
    ("technology innovation", {}, "en, two common words that must both occur"),
    ("中小企业 融资担保", {}, "zh, common words, glossary expansion"),
    ("中小企业", {"level": "national"}, "zh, very common, level filter"),
    ("enterprises", {"year": 2024}, "en, very common, year filter"),
    ("融资担保", {"level": "municipal"}, "zh, common, level filter"),
    ("中小企业", {"sort": "-date"}, "zh, very common, newest first"),
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

GOAL_HTTP_P95_MS = 100
GOAL_VS_EXACT = 0.1
GOAL_VS_TANTIVY = 25
GOAL_COLD_FACTOR = 3


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def ensure_data(n: int) -> int:
    if os.environ.get("DATABASE_URL"):
        from policykb.embedded import create_database_at

        create_database_at(connection.settings_dict)  # a fresh machine has none
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


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))] if values else 0.0


def params_of(q: str, extra: dict) -> dict:
    return {"q": q, "page_size": 20, **extra}


def label_of(extra: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in extra.items())


# --- the API, in process and through HTTP ------------------------------------------------


def inprocess_pass(client: Client) -> list[float]:
    times = []
    for q, extra, _about in MIX:
        start = time.perf_counter()
        response = client.get("/api/measures", params_of(q, extra))
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:300]
    return times


def http_get(port: int, path: str) -> tuple[int, float]:
    """One request on a new connection, as a new visitor's; (status, milliseconds)."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - start) * 1000
    finally:
        conn.close()


def http_pass(port: int) -> list[float]:
    times = []
    for q, extra, _about in MIX:
        status, ms = http_get(port, "/api/measures?" + urllib.parse.urlencode(params_of(q, extra)))
        assert status == 200, f"{q}: HTTP {status}"
        times.append(ms)
    return times


def wait_for_worker(seconds: float = 600) -> None:
    """Until the worker's queue is empty (the whole-query lists a pass asked for)."""
    deadline = time.monotonic() + seconds
    while OrmQ.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.5)


def run_http(port: int, passes: int) -> tuple[list[list[float]], float, str]:
    """Start `serve`, run the passes; (times per pass, seconds until it answered, uptime)."""
    env = {**os.environ}
    log = open(ROOT / "var" / "search_bench_serve.log", "w")  # noqa: SIM115
    started = time.perf_counter()
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if http_get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or serve.poll() is not None:
                raise SystemExit("serve did not answer; see var/search_bench_serve.log")
            time.sleep(0.2)
        ready = time.perf_counter() - started
        load = uptime()
        results = []
        for _ in range(passes):
            results.append(http_pass(port))
            wait_for_worker()
        return results, ready, load
    finally:
        serve.send_signal(2)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
        log.close()


def run_worker_tasks() -> int:
    """What the django-q2 worker would do with the queued query rankings (in process)."""
    done = 0
    for task in OrmQ.objects.all():
        if task.func() == "measures.tasks.query_champions_build":
            query_champions_build(*task.args())
            done += 1
        task.delete()
    return done


# --- the baselines ------------------------------------------------------------------------


def search_kwargs(q: str, extra: dict) -> dict:
    filters = {k: v for k, v in extra.items() if k != "sort"}
    return {"q": q, "filters": SearchFilters(**filters), "page_size": 20,
            "sort": extra.get("sort", "relevance")}  # fmt: skip


def exact_search(q: str, extra: dict):  # type: ignore[no-untyped-def]
    limits = settings.SEARCH_EXACT_LIMIT, settings.SEARCH_RANK_ALL_LIMIT
    settings.SEARCH_EXACT_LIMIT = settings.SEARCH_RANK_ALL_LIMIT = 10**12
    try:
        return measures_search(**search_kwargs(q, extra))
    finally:
        settings.SEARCH_EXACT_LIMIT, settings.SEARCH_RANK_ALL_LIMIT = limits


def agreement(fast, exact, sort: str = "relevance") -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(same measures, as good, shown) of an API page against the exact page."""
    exact_ids = {h.measure.pk for h in exact.hits}
    same = sum(h.measure.pk in exact_ids for h in fast.hits)
    if sort != "relevance":  # a date order: the same measures, or not
        return same, same, len(exact.hits)
    floor = min((round(h.score, 6) for h in exact.hits), default=0)
    as_good = sum(round(h.score, 6) >= floor for h in fast.hits)
    return same, as_good, len(exact.hits)


def tantivy_times(passes: int) -> tuple[list[list[float]], list[int], float | None, str]:
    import tantivy_baseline as tb

    folder = ROOT / "var" / "bench" / f"tantivy_{connection.settings_dict['NAME']}"
    index = tb.open_or_build(folder)
    searcher = index.searcher()
    queries = []
    for q, extra, _about in MIX:
        match = resolve(parse(q, lexicon()))
        queries.append(None if match is None else (tb.to_query(match.full, index.schema, extra),
                                                   extra.get("sort", "relevance")))  # fmt: skip
    load = uptime()
    results, counts = [], []
    for _ in range(passes):
        times = []
        counts = []
        for item in queries:
            start = time.perf_counter()
            count = 0
            if item is not None:
                count, _ids, _facets = tb.search(index, searcher, item[0], sort=item[1])
            times.append((time.perf_counter() - start) * 1000)
            counts.append(count)
        results.append(times)
    return results, counts, index.build_seconds, load


# --- report ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--exact-reps", type=int, default=2)
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--no-tantivy", action="store_true")
    parser.add_argument("--page-cache", action="store_true")
    args = parser.parse_args()

    total = ensure_data(args.n)
    ChampionList.objects.filter(is_query=True).delete()  # every run starts cold
    OrmQ.objects.all().delete()
    print(f"measures: {total:,}   passes: {args.passes}   answer cache:"
          f" {'on' if args.page_cache else 'off'}   {uptime()}")  # fmt: skip

    loads: dict[str, str] = {}
    http_runs: list[list[float]] = []
    if not args.no_http:
        http_runs, ready, loads["HTTP"] = run_http(args.port, args.passes)
        print(f"serve answered {ready:.1f} s after start (warm-up included)")
        ChampionList.objects.filter(is_query=True).delete()  # in process starts cold too
        OrmQ.objects.all().delete()

    # In process: the warm-up a web worker does, then the passes; the first one's pages
    # are compared with the exact ones before the worker's rankings exist.
    from policykb.warmup import warm_connection, warm_process
    from policykb.wsgi import application

    warm_process(application)
    warm_connection()
    client = Client()
    loads["in process"] = uptime()
    inproc_runs = [inprocess_pass(client)]
    # Before the worker ranked the queries of several common words in full:
    first_pages = [measures_search(**search_kwargs(q, extra)) for q, extra, _ in MIX]
    run_worker_tasks()
    for _ in range(args.passes - 1):
        inproc_runs.append(inprocess_pass(client))
        run_worker_tasks()
    later_pages = [measures_search(**search_kwargs(q, extra)) for q, extra, _ in MIX]

    loads["exact"] = uptime()
    exact_times: list[list[float]] = [[] for _ in MIX]
    exact_pages = []
    for i, (q, extra, _about) in enumerate(MIX):
        for rep in range(args.exact_reps):
            start = time.perf_counter()
            page = exact_search(q, extra)
            exact_times[i].append((time.perf_counter() - start) * 1000)
            if rep == 0:
                exact_pages.append(page)

    tantivy_runs: list[list[float]] = []
    tantivy_counts: list[int] = []
    if not args.no_tantivy:
        tantivy_runs, tantivy_counts, built, loads["Tantivy"] = tantivy_times(args.passes)
        if built is not None:
            print(f"Tantivy index built in {built:.0f} s")

    # Per query
    print()
    header = (f"{'query':<26}{'params':<14}{'exact count':>12}{'API count':>11}"
              f"{'HTTP 1st':>9}{'HTTP p50':>9}{'proc 1st':>9}{'proc p50':>9}"
              f"{'exact':>8}{'Tantivy':>8}{'Tv count':>9}  same  as good (1st search)")  # fmt: skip
    print(header)
    for i, (q, extra, _about) in enumerate(MIX):
        exact = exact_pages[i]
        api = later_pages[i]
        same, good, shown = agreement(api, exact, extra.get("sort", "relevance"))
        same1, good1, _ = agreement(first_pages[i], exact, extra.get("sort", "relevance"))
        http_first = f"{http_runs[0][i]:7.0f}ms" if http_runs else "       -"
        http_warm = (f"{statistics.median(r[i] for r in http_runs[1:]):7.0f}ms"
                     if len(http_runs) > 1 else "       -")  # fmt: skip
        proc_warm = statistics.median(r[i] for r in inproc_runs[1:]) if len(inproc_runs) > 1 else 0
        tv = f"{statistics.median(r[i] for r in tantivy_runs):6.1f}ms" if tantivy_runs else "     -"
        tvc = f"{tantivy_counts[i]:>9,}" if tantivy_counts else "        -"
        counted = f"{'~' if api.estimated else ''}{api.count:,}"
        print(
            f"{q:<26}{label_of(extra):<14}{exact.count:>12,}{counted:>11}{http_first}{http_warm}"
            f"{inproc_runs[0][i]:7.0f}ms{proc_warm:7.0f}ms{statistics.median(exact_times[i]):6.0f}ms"
            f"{tv}{tvc}  {same:>2}/{shown:<2} {good:>2}/{shown:<2} ({same1}/{good1})"
        )

    def flat(runs: list[list[float]]) -> list[float]:
        return [t for run in runs for t in run]

    rows = []
    if http_runs:
        rows += [("API through HTTP, first search", http_runs[:1], loads["HTTP"]),
                 ("API through HTTP, warm", http_runs[1:], loads["HTTP"])]  # fmt: skip
    rows += [("API in process, first search", inproc_runs[:1], loads["in process"]),
             ("API in process, warm", inproc_runs[1:], loads["in process"]),
             ("naive exact path", [list(t) for t in zip(*exact_times, strict=True)], loads["exact"])]  # fmt: skip
    if tantivy_runs:
        rows.append(("Tantivy BM25 + facets", tantivy_runs, loads["Tantivy"]))
    print()
    for name, runs, load in rows:
        values = flat(runs)
        print(f"{name:<32} p50 {pct(values, 0.5):8.1f} ms   p95 {pct(values, 0.95):8.1f} ms"
              f"   ({len(values)} searches; {load.split('load average:')[-1].strip()})")  # fmt: skip

    exact_p95 = pct(flat([list(t) for t in exact_times]), 0.95)
    tv_p95 = pct(flat(tantivy_runs), 0.95) if tantivy_runs else None
    same_all = good_all = shown_all = same1_all = good1_all = 0
    for i in range(len(MIX)):
        sort = MIX[i][1].get("sort", "relevance")
        same, good, shown = agreement(later_pages[i], exact_pages[i], sort)
        same1, good1, _ = agreement(first_pages[i], exact_pages[i], sort)
        same_all, good_all, shown_all = same_all + same, good_all + good, shown_all + shown
        same1_all, good1_all = same1_all + same1, good1_all + good1
    print(
        f"\npages vs exact ranking: {same_all}/{shown_all} the same measures, {good_all}/{shown_all}"
        f" scoring as well as the exact top 20 (first searches: {same1_all}, {good1_all})"
    )

    print("\ngoals:")
    for name, runs in (("HTTP", http_runs), ("in process", inproc_runs)):
        if not runs:
            continue
        warm = flat(runs[1:]) or flat(runs)
        p95 = pct(warm, 0.95)
        verdict = "met" if name != "HTTP" or p95 < GOAL_HTTP_P95_MS else "MISSED"
        line = f"  {name}: warm p95 {p95:.0f} ms"
        if name == "HTTP":
            line += f" (goal < {GOAL_HTTP_P95_MS} ms: {verdict})"
        ratio = p95 / exact_p95 if exact_p95 else 0
        line += (f"; {ratio:.3f} x the exact path's p95 (goal <= {GOAL_VS_EXACT}:"
                 f" {'met' if ratio <= GOAL_VS_EXACT else 'MISSED'})")  # fmt: skip
        if tv_p95:
            ratio = p95 / tv_p95
            line += (f"; {ratio:.1f} x Tantivy's p95 (goal <= {GOAL_VS_TANTIVY}:"
                     f" {'met' if ratio <= GOAL_VS_TANTIVY else 'MISSED'})")  # fmt: skip
        print(line)
        slow = [(MIX[i][0], label_of(MIX[i][1]), t) for i, t in enumerate(runs[0])
                if t > GOAL_COLD_FACTOR * p95]  # fmt: skip
        print(f"  {name}: first searches slower than {GOAL_COLD_FACTOR} x the warm p95"
              f" ({GOAL_COLD_FACTOR * p95:.0f} ms): "
              + (", ".join(f"{q} {lab} {t:.0f} ms" for q, lab, t in slow) or "none"))  # fmt: skip
    print(f"\n{uptime()}")


if __name__ == "__main__":
    main()
