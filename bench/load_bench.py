"""Load benchmark: 50 visitors for 60 s against gunicorn on loopback (locust).

    .venv/bin/python bench/load_bench.py [--users 50] [--seconds 60] [--think 0]
        [--config sync:2 --config gthread:2x4 ...] [--measures N] [--existing]

Uses its own database (policykb_loadbench; DATABASE_URL's name + _loadbench), loaded with
the reference data and the seed notices (and `synth` up to N measures with --measures);
with --existing, the database DATABASE_URL names as it is (say a copy of a million-measure
database: `CREATE DATABASE mine TEMPLATE policykb_searchbench`): migrated, nothing
generated, champion lists built only if missing;
then for every worker configuration starts `manage.py serve` (gunicorn and the worker,
as `make run` does), runs the mix of bench/load_mix.py with locust and prints requests/s,
p50/p95/p99 per request kind and overall, errors, and the peak memory of each process.
Locust runs on the same two cores as the site: its own CPU use is part of the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, use_own_database  # noqa: E402

EXISTING = "--existing" in sys.argv
if EXISTING and "DATABASE_URL" not in os.environ:
    raise SystemExit("--existing needs DATABASE_URL (the database to load as it is)")
if EXISTING:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policykb.settings")
else:
    use_own_database("loadbench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django_q.models import OrmQ  # noqa: E402
from load_queries import QUERIES  # noqa: E402

from documents.models import Agency, Document  # noqa: E402
from measures.models import Measure, Tag  # noqa: E402
from measures.search.champions import champions_refresh  # noqa: E402

OUT = ROOT / "bench" / "out"


def prepare(measures: int) -> Path:
    call_command("migrate", verbosity=0)
    if not EXISTING:
        call_command("load_reference_data", verbosity=0)
    if measures and Measure.objects.count() < measures and not EXISTING:
        call_command("synth", str(measures - Measure.objects.count()))
    # Broad searches rank among champion lists: build them first (the worker would
    # otherwise do it during the run, on the same cores).
    if built := champions_refresh():
        print(f"champion lists built: {built.lexemes} lexemes in {built.seconds:.0f} s")
    sample = {
        "measures": list(Measure.objects.published().values_list("pk", flat=True)[:2000]),
        "documents": list(Document.objects.published().values_list("pk", flat=True)[:500]),
        "agencies": list(
            Agency.objects.filter(documents__status="published")
            .values_list("key", flat=True)
            .distinct()
        ),
        "tags": list(Tag.objects.values_list("slug", flat=True)),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "load_sample.json"
    path.write_text(json.dumps(sample))
    return path


def _tree(root: int) -> list[int]:
    """root and every process below it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[-1].split()[1])
        except (OSError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_mb(pid: int) -> tuple[str, float] | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0)
    return cmd, kb / 1024


def _label(cmd: str) -> str:
    if "gunicorn" in cmd:
        return "gunicorn"
    if "qcluster" in cmd:
        return "qcluster"
    return "serve" if "serve" in cmd else cmd[:30]


class MemoryWatch(threading.Thread):
    """Peak resident memory of every process of the site while the load runs."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak, self.stop = root, {}, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(1.0):
            for pid in _tree(self.root):
                if found := _rss_mb(pid):
                    cmd, mb = found
                    key = (pid, _label(cmd))
                    self.peak[key] = max(self.peak.get(key, 0.0), mb)


def wait_up(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def run_one(config: str, args: argparse.Namespace, sample: Path) -> None:
    kind, _, size = config.partition(":")
    workers, _, threads = size.partition("x")
    port = 8790
    env = {**os.environ, "WEB_WORKERS": workers, "WEB_THREADS": threads or "1"}
    if args.cache is not None:
        env["PAGE_CACHE_SECONDS"] = args.cache
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(f"{base}/healthz")
        # Warm every process (imports, jieba, caches), and search each query of the mix
        # once: a first search asks the worker for that query's champion lists, which a
        # site that has been up a while has. The run starts when the worker is done.
        for path in ("/en/", "/api/measures?q=%E8%9E%8D%E8%B5%84", "/api/measures?q=tax"):
            for _ in range(int(workers) * 2):
                urllib.request.urlopen(base + path, timeout=60).read()
        for words in (w for script in QUERIES.values() for w in script):
            urllib.request.urlopen(f"{base}/api/measures?q={quote(words)}", timeout=120).read()
        started = time.monotonic()
        while OrmQ.objects.exists() and time.monotonic() - started < 900:
            time.sleep(1)
        print(f"worker queue empty after {time.monotonic() - started:.0f} s")
        watch = MemoryWatch(serve.pid)
        watch.start()
        prefix = OUT / f"load_{config.replace(':', '_')}"
        locust = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_mix.py"),
            "--headless", "-u", str(args.users), "-r", str(args.users),
            "-t", f"{args.seconds}s", "--host", base, "--csv", str(prefix),
            "--only-summary", "--stop-timeout", "5", "--loglevel", "ERROR",
        ]  # fmt: skip
        lenv = {**os.environ, "LOAD_SAMPLE": str(sample), "LOAD_THINK": str(args.think)}
        subprocess.run(locust, cwd=ROOT, env=lenv, stdout=subprocess.DEVNULL, check=False)
        watch.stop.set()
        report(config, prefix, watch.peak)
        print("load after the run:", Path("/proc/loadavg").read_text().strip())
    finally:
        serve.send_signal(2)
        serve.wait(timeout=60)


def report(config: str, prefix: Path, peak: dict) -> None:
    with open(f"{prefix}_stats.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    print(f"\n== {config} ({len(peak)} processes) ==")
    print(f"{'request':32} {'n':>6} {'err':>4} {'req/s':>6} {'p50':>5} {'p95':>5} {'p99':>5} ms")
    for row in rows:
        print(
            f"{row['Name'][:32]:32} {row['Request Count']:>6} {row['Failure Count']:>4}"
            f" {float(row['Requests/s']):6.1f} {row['50%']:>5} {row['95%']:>5} {row['99%']:>5}"
        )
    memory = {}
    for (_, label), mb in peak.items():
        memory.setdefault(label, []).append(mb)
    print("peak memory (MB): " + "; ".join(
        f"{label} {', '.join(f'{m:.0f}' for m in sorted(values, reverse=True))}"
        for label, values in sorted(memory.items())
    ))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--measures", type=int, default=0)
    parser.add_argument("--config", action="append", help="sync:N or gthread:NxT")
    parser.add_argument("--existing", action="store_true", help="DATABASE_URL as it is")
    parser.add_argument("--cache", default=None, help="PAGE_CACHE_SECONDS for the site")
    args = parser.parse_args()
    sample = prepare(args.measures)
    print(f"{Measure.objects.published().count():,} published measures; {args.users} users,"
          f" {args.seconds} s each, think time 0–{args.think} s")  # fmt: skip
    print("load before the run:", Path("/proc/loadavg").read_text().strip())
    for config in args.config or ["sync:2", "sync:4", "gthread:2x4", "gthread:3x4"]:
        run_one(config, args, sample)


if __name__ == "__main__":
    main()
