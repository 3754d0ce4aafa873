"""Web processes warm up before they take requests (issue 10, speed).

What a visitor would notice is the first search after a restart being as quick as later
ones; speed is not asserted here (bench/search_bench.py prints it). These tests check the
mechanism: every gunicorn worker runs the warm-up, on each of its request threads, before
its first request is answered, and a warm-up that cannot reach the database never keeps
the site from starting.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from documents.services import notice_ingest_file
from policykb import warmup
from tests.processes import child_env, free_port, get, wait_until

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: a request must not close the test's connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_warm_process_answers_its_requests_without_a_warning(seeds, caplog, keep_test_connection):
    from policykb.wsgi import application

    with caplog.at_level(logging.WARNING, logger="policykb.warmup"):
        seconds = warmup.warm_process(application)
        connection_seconds = warmup.warm_connection()
    assert seconds > 0 and connection_seconds > 0
    assert not [r for r in caplog.records if r.name == "policykb.warmup"], caplog.text


@pytest.mark.django_db
def test_warm_up_on_an_empty_database_still_succeeds(caplog, keep_test_connection):
    from policykb.wsgi import application

    with caplog.at_level(logging.WARNING, logger="policykb.warmup"):
        warmup.warm_process(application)
        warmup.warm_connection()
    assert "failed" not in caplog.text


def _gunicorn(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "policykb.wsgi",
         "--config", "python:policykb.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "3", "--no-control-socket", "--access-logfile", "-"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_every_worker_warms_each_thread_before_its_first_request(agencies, tags, glossary,
                                                                tmp_path):  # fmt: skip
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        notice_ingest_file(path=path, publish=True)
    port, log = free_port(), tmp_path / "gunicorn.log"
    web = _gunicorn(port, child_env(ALLOWED_HOSTS="127.0.0.1", PAGE_CACHE_SECONDS="0"), log)
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: get(f"{base}/healthz")[0] == 200, seconds=120), log.read_text()
        status, body = get(f"{base}/api/measures?q=%E8%9E%8D%E8%B5%84")
        assert status == 200 and '"count"' in body
        assert wait_until(lambda: log.read_text().count("warmed up in") == 2, seconds=60)
        lines = log.read_text().splitlines()
        warmed = [i for i, line in enumerate(lines) if "warmed up in" in line]
        answered = [i for i, line in enumerate(lines) if '"GET /' in line]
        # No request was answered before a worker had warmed up ...
        assert answered and warmed[0] < answered[0], lines
        # ... and each worker warmed the connection of each of its three request threads.
        assert all("connections of 3 threads" in lines[i] for i in warmed), lines
    finally:
        _stop(web)
    text = log.read_text()
    assert "Traceback" not in text and "failed" not in text, text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_cannot_reach_the_database_still_starts(tmp_path):
    port, log = free_port(), tmp_path / "gunicorn.log"
    env = child_env(
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere",
        ALLOWED_HOSTS="127.0.0.1",
    )
    web = _gunicorn(port, env, log)
    try:
        # The database is unreachable: the site answers, with its 503 page, and warm-up
        # said why it could not do its work.
        assert wait_until(lambda: get(f"http://127.0.0.1:{port}/en/")[0] == 503, seconds=120), (
            log.read_text()
        )
    finally:
        _stop(web)
    assert "warming" in log.read_text()
