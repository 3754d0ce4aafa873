"""Server time of the public pages: each page type on the seeds, the search page at scale.

    .venv/bin/python bench/pages_bench.py [--reps R]            the seed notices
    .venv/bin/python bench/pages_bench.py --scale [--reps R]    the search page at 1,000,000

The first form fills its own database (policykb_pagesbench) with the reference data and
the five seeds and prints p50/p95 of every page type in the three languages (goal: under
150 ms each). The second uses the search benchmark's database (bench/search_bench.py
makes it; about 20 minutes the first time) and times the HTML search page over that
benchmark's query mix (goal: p95 under 150 ms, the same design as the API). Times are
measured in-process through Django's test client: the view, the search, the template.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_own_database  # noqa: E402

SCALE = "--scale" in sys.argv
use_own_database("searchbench" if SCALE else "pagesbench")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

LANGS = ("en", "zh-hans", "zh-hant")
GOAL_MS = 150


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def timed_get(client: Client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 404), (path, response.status_code)
    return elapsed


def seed_pages() -> dict[str, str]:
    from documents.models import Document

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    document = Document.objects.published().filter(found_measures__gte=10).first()
    measure = document.measures.order_by("number")[5]
    return {
        "home": "/{lang}/",
        "search (zh word)": "/{lang}/search/?q=融资担保",
        "search (en words, filters)": "/{lang}/search/?q=enterprises&tag=sme&sort=-date",
        "search (no match)": "/{lang}/search/?q=quantumcomputing",
        "measure": f"/{{lang}}/measures/{measure.pk}/",
        "document": f"/{{lang}}/documents/{document.pk}/",
        "notices": "/{lang}/documents/",
        "agencies": "/{lang}/agencies/",
        "agency": f"/{{lang}}/agencies/{document.agency.key}/",
        "not found": "/{lang}/no-such-page/",
    }


def main() -> None:
    logging.disable(logging.WARNING)  # the 404 page type would log every request
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 10
    client = Client()
    if SCALE:
        from urllib.parse import urlencode

        from search_bench import MIX

        from measures.models import Measure

        print(f"measures: {Measure.objects.count():,}   repetitions per query: {reps}\n")
        pages = {f"{q} {f or ''}".strip(): "/{lang}/search/?" + urlencode({"q": q, **f})
                 for q, f, _about in MIX}  # fmt: skip
    else:
        pages = seed_pages()
        print(f"seed notices   repetitions per page and language: {reps}\n")
    print(f"{'page':<40}{'p50':>9}{'p95':>9}")
    everything = run(client, pages, reps)
    print(f"\nall pages: p50 {pct(everything, 0.5):.1f} ms, p95 {pct(everything, 0.95):.1f} ms"
          f" (goal: under {GOAL_MS} ms)")  # fmt: skip
    if SCALE:
        print()
        from measures.models import Measure

        measure = Measure.objects.published().order_by("-pk").first()
        others = {"home": "/{lang}/", "notices": "/{lang}/documents/",
                  "measure": f"/{{lang}}/measures/{measure.pk}/",
                  "document": f"/{{lang}}/documents/{measure.document_id}/",
                  "agencies": "/{lang}/agencies/"}  # fmt: skip
        run(client, {f"{name} (not in the mix)": path for name, path in others.items()}, reps)


def run(client: Client, pages: dict[str, str], reps: int) -> list[float]:
    """Time every page in the three languages; print p50/p95 per page, return all times."""
    everything = []
    for name, path in pages.items():
        times = []
        for lang in LANGS:
            url = path.format(lang=lang)
            timed_get(client, url)  # warm caches once
            times += [timed_get(client, url) for _ in range(reps)]
        everything += times
        print(f"{name:<40}{statistics.median(times):>7.1f}ms{pct(times, 0.95):>7.1f}ms")
    return everything


if __name__ == "__main__":
    main()
