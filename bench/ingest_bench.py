"""Ingestion benchmark: generated notices through `manage.py ingest`, next to jieba alone.

    .venv/bin/python bench/ingest_bench.py [N]      (default 1000)

Runs in its own database (policykb_bench on the embedded server, or DATABASE_URL's
server with _bench appended) so the site's data is never touched. Prints MB/s and
notices/s of `manage.py ingest` (decode → extract → clean → split → metadata → store with
search vectors), with one process and with one per core, next to the time jieba alone takes
to segment the same decoded text.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, use_own_database  # noqa: E402

use_own_database("bench")

import django  # noqa: E402

django.setup()

import tempfile  # noqa: E402

from django.core.management import CommandError, call_command  # noqa: E402

from bench.notice_gen import write_notices  # noqa: E402
from documents.models import Document  # noqa: E402
from documents.services import agencies_load  # noqa: E402
from measures.models import Measure  # noqa: E402
from measures.segment import tokenizer  # noqa: E402
from measures.services import tags_load  # noqa: E402


def ingest_all(folder: Path, jobs: int) -> tuple[float, int, int]:
    """Time `manage.py ingest FOLDER --jobs N` on an empty database."""
    Document.objects.all().delete()
    start = time.perf_counter()
    with contextlib.suppress(CommandError):  # failed files are counted below
        call_command("ingest", str(folder), "--jobs", str(jobs), stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
    seconds = time.perf_counter() - start
    stored = Document.objects.count()
    measures = Measure.objects.count()
    return seconds, stored, measures


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
        seconds, stored, measures = ingest_all(folder, jobs)
        failed = n - stored
        print(
            f"ingest, {jobs} process{'es' if jobs > 1 else '  '} {seconds:>8.2f} s   {mb / seconds:6.2f} MB/s   "
            f"{n / seconds:8.1f} notices/s   {seconds / jieba_seconds:5.2f} x jieba   "
            f"({measures:,} measures, {failed} failed)"
        )
    print("goal: end-to-end ingestion at most 2.00 x jieba")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
