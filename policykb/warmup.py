"""Warming a web process before it takes requests, so a visitor never pays for its start.

Measured on a loaded 2-core machine at 100,000 measures (bench/search_profile.py,
bench/search_bench.py): the first search of a new process took 1.4 s against 0.2 s for
the second (jieba's dictionary, OpenCC, the glossary, the URL resolver, ninja's schemas,
templates), and the first search on a new database connection 50-100 ms more than on a
used one (connecting, then PostgreSQL's per-backend catalogue caches and the text-search
dictionaries it loads on first use).

`warm_process()` loads all of that by answering a few searches and pages through the WSGI
application itself (nothing leaves the process); `warm_connection()` opens this thread's
database connection and runs the statements a search runs on it. policykb/gunicorn_conf.py
calls both in every gunicorn worker, on every one of its request threads, before the
worker accepts a connection. Management commands and tests never call them: they stay as
quick to start as before.

The warm-up words are the glossary's own (its first term in Chinese and in English), so
nothing here is tuned to particular queries. Any failure (no database yet, an empty
database) is logged and ignored: a process that could not warm up still serves.
"""

from __future__ import annotations

import logging
import time
from io import BytesIO
from urllib.parse import urlencode

logger = logging.getLogger(__name__)


def _words() -> list[str]:
    """A Chinese and an English query: the glossary's first term, else generic words."""
    from measures.models import GlossaryTerm

    term = GlossaryTerm.objects.order_by("pk").values_list("zh", "en").first()
    if term and term[1]:
        return [term[0], term[1][0]]
    return ["企业", "enterprise"]


def warm_connection() -> float:
    """Open this thread's connection and run a search's statements on it; seconds taken."""
    from django.db import connection

    from measures.search.service import SearchFilters, measures_search

    started = time.perf_counter()
    try:
        connection.ensure_connection()
        # One search opens every index of the texts' table (the planner looks at all of
        # them) and, through the glossary, both text-search configurations.
        measures_search(q=_words()[0], page_size=20, filters=SearchFilters(level="national"))
    except Exception:  # a cold process is better than no process
        logger.warning("warming the database connection failed", exc_info=True)
    return time.perf_counter() - started


def _get(app, path: str, params: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    """Answer one GET through the WSGI application; returns the status code."""
    from django.conf import settings

    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    host = hosts[0] if hosts else "localhost"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(params),
        "SERVER_NAME": host.strip("[]"),
        "SERVER_PORT": "443" if settings.SECURE_SSL_REDIRECT else "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": BytesIO(),
        "wsgi.url_scheme": "https" if settings.SECURE_SSL_REDIRECT else "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status: list[str] = []
    body = app(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0]) if status else 0


def warm_process(app, tick=None) -> float:  # type: ignore[no-untyped-def]
    """Load what the first request of a process would load; seconds taken.

    `tick` is called between steps (gunicorn's heartbeat: a worker silent for its
    timeout is killed)."""
    started = time.perf_counter()
    try:
        from measures.segment import warm_up as jieba_warm_up
        from policykb.chinese import to_simplified, to_traditional

        jieba_warm_up()
        to_simplified("預熱")
        to_traditional("预热")
        zh, en = _words()
        for path, params in [
            ("/api/measures", {"q": zh}),
            ("/api/measures", {"q": en, "level": "national"}),
            ("/en/search/", {"q": en}),
            ("/zh-hans/search/", {"q": zh}),
        ]:
            if tick:
                tick()
            status = _get(app, path, params)
            if status != 200:
                logger.warning("warm-up request %s answered %s", path, status)
    except Exception:  # a cold process is better than no process
        logger.warning("warming the process failed", exc_info=True)
    return time.perf_counter() - started
