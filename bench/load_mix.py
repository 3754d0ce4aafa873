"""The request mix of the load benchmark (a locustfile): what 50 visitors do at once.

Each entry of MIX is (weight, name, path): `path` is a function of the sample data
(ids of published measures and documents, tag slugs and agency keys, written by
load_bench.py into bench/out/load_sample.json) returning the URL to GET. Add an entry
to extend the mix; `name` groups the figures in the report.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from load_queries import QUERIES
from locust import HttpUser, between, task

SAMPLE = json.loads(Path(os.environ["LOAD_SAMPLE"]).read_text())
LANGS = ("en", "zh-hans", "zh-hant")


def q(script: str) -> str:
    return quote(random.choice(QUERIES[script]))


def pick(key: str) -> str:
    return str(random.choice(SAMPLE[key]))


MIX: list[tuple[int, str, Callable[[], str]]] = [
    (4, "search zh-hans", lambda: f"/api/measures?q={q('zh-hans')}"),
    (2, "search zh-hant", lambda: f"/api/measures?q={q('zh-hant')}"),
    (3, "search en", lambda: f"/api/measures?q={q('en')}"),
    (2, "search + agency", lambda: f"/api/measures?q={q('zh-hans')}&agency={pick('agencies')}"),
    (2, "search + tag (facet click)", lambda: f"/api/measures?q={q('en')}&tag={pick('tags')}"),
    (1, "search + year, by date", lambda: f"/api/measures?q={q('zh-hans')}&year=2023&sort=-date"),
    (1, "search page 2", lambda: f"/api/measures?q={q('zh-hans')}&page=2"),
    (1, "browse, no words", lambda: "/api/measures?level=provincial&lang=zh"),
    (2, "search page", lambda: f"/zh-hans/search/?q={q('zh-hans')}"),
    (1, "search page + facet", lambda: f"/en/search/?q={q('en')}&tag={pick('tags')}"),
    (1, "agency page", lambda: f"/{random.choice(LANGS)}/agencies/{pick('agencies')}/"),
    (4, "measure page", lambda: f"/{random.choice(LANGS)}/measures/{pick('measures')}/"),
    (2, "notice page", lambda: f"/{random.choice(LANGS)}/documents/{pick('documents')}/"),
    (2, "home page", lambda: f"/{random.choice(LANGS)}/"),
    (1, "notice list", lambda: f"/{random.choice(LANGS)}/documents/"),
    (2, "api measure", lambda: f"/api/measures/{pick('measures')}"),
    (1, "api document", lambda: f"/api/documents/{pick('documents')}"),
    (1, "api documents", lambda: "/api/documents"),
]


class Visitor(HttpUser):
    # A visitor reads between clicks; LOAD_THINK=0 sends requests back to back.
    wait_time = between(0, float(os.environ.get("LOAD_THINK", "0")))

    @task
    def visit(self) -> None:
        _, name, path = random.choices(MIX, weights=[w for w, _, _ in MIX])[0]
        self.client.get(path(), name=name)
