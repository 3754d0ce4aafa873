"""gunicorn settings of `manage.py serve`: every worker warms up before it takes requests.

    gunicorn policykb.wsgi --config python:policykb.gunicorn_conf ...

`post_worker_init` runs in each worker after it loaded the application and before it
accepts its first connection. It warms the process (policykb.warmup.warm_process) and
then the database connection of every request thread: a gthread worker's threads each
hold their own connection, so the warm-up is handed to the worker's thread pool once per
thread, the tasks waiting for each other so that no thread takes two. Connections stay
open for an hour (DATABASE_CONN_MAX_AGE, unless set): with the usual minute, every thread
paid a new connection's first search again each minute. Set POLICYKB_WARM_UP=0 to skip.
"""

from __future__ import annotations

import contextlib
import os
import threading

os.environ.setdefault("DATABASE_CONN_MAX_AGE", "3600")


def post_worker_init(worker) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("POLICYKB_WARM_UP", "1").strip().lower() in {"0", "false", "no", "off"}:
        return
    from django.db import connection

    from policykb import warmup

    process = warmup.warm_process(worker.wsgi, tick=worker.notify)
    worker.notify()
    pool = getattr(worker, "tpool", None)  # gthread: the request threads
    threads = int(getattr(worker.cfg, "threads", 1) or 1)
    if pool is None or threads <= 1:
        seconds = [warmup.warm_connection()]
    else:
        # Each task waits at the barrier until all have started, so each runs on its own
        # thread of the pool (a pool starts a new thread while none is idle).
        barrier = threading.Barrier(threads)

        def warm() -> float:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
            return warmup.warm_connection()

        futures = [pool.submit(warm) for _ in range(threads)]
        seconds = [f.result(timeout=120) for f in futures]
    connection.close()  # the main thread's connection: requests never use it
    worker.notify()
    worker.log.info(
        "warmed up in %.1f s (process) + %s s (connections of %d threads)",
        process, "/".join(f"{s:.1f}" for s in seconds), len(seconds),
    )  # fmt: skip
