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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, use_own_database  # noqa: E402

use_own_database("bench")

import django  # noqa: E402
from tqdm import tqdm  # noqa: E402

django.setup()

import tempfile  # noqa: E402

from django.core.management import call_command  # noqa: E402

from bench.notice_gen import write_notices  # noqa: E402
from documents.management.commands.ingest import prepared_stream  # noqa: E402
from documents.models import Document  # noqa: E402
from documents.services import agencies_load, notice_store  # noqa: E402
from measures.segment import tokenizer  # noqa: E402
from measures.services import tags_load  # noqa: E402


def ingest_all(files: list[Path], jobs: int) -> tuple[float, int, int]:
    """Ingest the files as `manage.py ingest --jobs N` does; returns seconds, failures, measures."""
    Document.objects.all().delete()
    failed = measures = 0
    start = time.perf_counter()
    stream = prepared_stream(files, jobs)
    for _path, prepared in tqdm(stream, total=len(files), unit="notice", file=sys.stderr,
                                desc=f"ingesting, {jobs} process(es)"):  # fmt: skip
        if isinstance(prepared, str):
            failed += 1
        else:
            measures += notice_store(prepared=prepared).document.found_measures
    return time.perf_counter() - start, failed, measures


def main(n: int) -> None:
    if os.environ.get("DATABASE_URL"):
        from django.db import connection

        from policykb.embedded import create_database_at

        create_database_at(connection.settings_dict)
    call_command("migrate", verbosity=0)
    agencies_load(path=ROOT / "fixtures" / "agencies.json")
    tags_load(path=ROOT / "fixtures" / "tags.json")
    tokenizer()  # dictionary loading is start-up cost, not per-notice cost

    folder = Path(tempfile.mkdtemp(prefix="policykb-bench-"))
    manifest = write_notices(n, folder, rng_seed=2026)
    files = sorted(p for p in folder.iterdir() if p.name.startswith("notice_"))
    size = sum(p.stat().st_size for p in files)
    by_name = {m.name: m.encoding for m in manifest}
    texts = [p.read_bytes().decode(by_name[p.name]) for p in files]

    start = time.perf_counter()
    for text in texts:
        for _ in tokenizer().cut_for_search(text):
            pass
    jieba_seconds = time.perf_counter() - start

    mb = size / 1e6
    print(f"notices            {n:>10,}   ({mb:.1f} MB raw)")
    print(
        f"jieba alone        {jieba_seconds:>10.2f} s   {mb / jieba_seconds:6.2f} MB/s   {n / jieba_seconds:8.1f} notices/s"
    )
    for jobs in (1, os.cpu_count() or 1):
        seconds, failed, measures = ingest_all(files, jobs)
        print(
            f"ingest, {jobs} process{'es' if jobs > 1 else '  '} {seconds:>8.2f} s   {mb / seconds:6.2f} MB/s   "
            f"{n / seconds:8.1f} notices/s   {seconds / jieba_seconds:5.2f} x jieba   "
            f"({measures:,} measures, {failed} failed)"
        )
    print("goal: end-to-end ingestion at most 2.00 x jieba")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
