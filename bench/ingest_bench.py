"""Ingestion benchmark: generated notices through notice_ingest, next to jieba alone.

    .venv/bin/python bench/ingest_bench.py [N]      (default 1000)

Runs in its own database (policykb_bench on the embedded server, or DATABASE_URL's
server with _bench appended) so the site's data is never touched. Prints MB/s and
notices/s of end-to-end ingestion (decode → extract → clean → split → metadata → store
with search vectors) and the time jieba alone takes to segment the same decoded text.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policykb.settings")
if url := os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = url.rstrip("/") + "_bench"
else:
    os.environ["POLICYKB_DB_NAME"] = "policykb_bench"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench.notice_gen import generate_notices_with_meta  # noqa: E402
from documents.models import Document  # noqa: E402
from documents.pipeline.errors import IngestError  # noqa: E402
from documents.services import agencies_load, agency_refs, notice_ingest  # noqa: E402
from measures.segment import tokenizer  # noqa: E402
from measures.services import tags_load  # noqa: E402


def main(n: int) -> None:
    if os.environ.get("DATABASE_URL"):
        from django.db import connection

        from policykb.embedded import create_database_at

        create_database_at(connection.settings_dict)
    call_command("migrate", verbosity=0)
    agencies_load(path=ROOT / "fixtures" / "agencies.json")
    tags_load(path=ROOT / "fixtures" / "tags.json")
    Document.objects.all().delete()
    refs = agency_refs()
    tokenizer()  # dictionary loading is start-up cost, not per-notice cost

    notices = list(generate_notices_with_meta(n, rng_seed=2026))
    size = sum(len(data) for _, data, _ in notices)
    texts = [data.decode(meta.encoding) for _, data, meta in notices]

    start = time.perf_counter()
    for text in texts:
        for _ in tokenizer().cut_for_search(text):
            pass
    jieba_seconds = time.perf_counter() - start

    failed = measures = 0
    start = time.perf_counter()
    for name, data, _ in tqdm(notices, unit="notice", desc="ingesting", file=sys.stderr):
        try:
            outcome = notice_ingest(data=data, name=name, agencies=refs)
        except IngestError:
            failed += 1
        else:
            measures += outcome.document.found_measures
    seconds = time.perf_counter() - start

    mb = size / 1e6
    print(
        f"notices            {n:>10,}   ({mb:.1f} MB raw, {failed} failed, {measures:,} measures)"
    )
    print(
        f"end-to-end ingest  {seconds:>10.2f} s   {mb / seconds:6.2f} MB/s   {n / seconds:8.1f} notices/s"
    )
    print(
        f"jieba alone        {jieba_seconds:>10.2f} s   {mb / jieba_seconds:6.2f} MB/s   {n / jieba_seconds:8.1f} notices/s"
    )
    print(f"ingest / jieba     {seconds / jieba_seconds:>10.2f} x   (goal: at most 2.00 x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
