"""Export time and peak memory, and the server time of the agency-by-year page, at scale.

    DATABASE_URL=postgresql://…/policykb_searchbench_<you> .venv/bin/python bench/browse_bench.py [--reps R]

Uses the database DATABASE_URL names as it is (a copy of the million-measure benchmark
database, migrated: the migration counts everything once). Prints:

- the CSV export of every published measure through the view (streamed over a
  server-side cursor): rows, seconds, rows/s, and the process's peak memory growth
  while it ran, beside the same figures for an export of one measure in 100 (a flat
  memory line means memory does not grow with the row count);
- the server time (p50/p95 of R requests, in-process through Django's test client) of
  the agency-by-year page, the same page filtered by level and topic, a year page and the
  home page, which read the stored counts (goal: under 150 ms).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policykb.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

REPS = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 20


def export(client: Client, query: str) -> tuple[int, float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(f"/en/search/export.csv{query}")
    rows = -1
    size = 0
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, seconds, peak / 2**20


def page_times(client: Client, path: str) -> tuple[float, float]:
    client.get(path)  # warm
    times = []
    for _ in range(REPS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    from measures import counts

    client = Client()
    total = counts.totals()["measures"]
    print(f"published measures: {total:,}   load: {os.getloadavg()[0]:.1f}")
    years = sorted(y for y in counts.by_year() if y)
    year = years[len(years) // 2] if years else 2020
    print("page                                   p50 ms   p95 ms")
    for label, path in [
        ("agency-by-year matrix", "/en/years/"),
        ("matrix, national + finance", "/en/years/?level=national&tag=finance"),
        ("matrix, zh-hans", "/zh-hans/years/"),
        (f"year page {year}", f"/en/years/{year}/"),
        ("home", "/en/"),
        ("agencies", "/en/agencies/"),
        ("notices", "/en/documents/"),
    ]:
        p50, p95 = page_times(client, path)
        print(f"{label:<38} {p50:7.1f} {p95:8.1f}")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for label, query in [("one year", f"?year={year}"), ("everything", "")]:
        rows, seconds, peak = export(client, query)
        print(f"CSV export, {label}: {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s),"
              f" peak Python allocation {peak:.1f} MB")  # fmt: skip
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss_before:.0f} MB before the exports, {rss_after:.0f} MB after")


if __name__ == "__main__":
    main()
