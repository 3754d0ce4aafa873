"""Serve the site with gunicorn and run the django-q2 worker beside it, in the foreground.

A supervisor, small on purpose: each child runs in its own process group, so that when
one dies its leftovers (a killed qcluster's worker processes) are ended with it and it is
started again after a back-off (1 s, doubling up to a minute), while the other keeps
serving. Ctrl-C (or SIGTERM) stops both groups and waits for them; every child also asks
the kernel to end it if this process is killed outright (kill -9), so nothing is left
running unattended. With the embedded database this process holds a handle on the
cluster for as long as it runs, so the server stays up while a child restarts.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 60.0
# A child that ran this long before dying was healthy: its next restart waits BACKOFF_FIRST.
HEALTHY_AFTER = 60.0
STOP_GRACE = 15.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the supervisor dies (Linux only)."""
    # Not Linux: no prctl; Ctrl-C still stops everything.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = None
    restarts: int = field(default=0)
    nice: int = 0  # added to the child's niceness: background work yields the CPU to pages

    def start(self) -> None:
        def before_exec() -> None:
            _die_with_parent()
            if self.nice:
                with contextlib.suppress(OSError):
                    os.nice(self.nice)

        self.process = subprocess.Popen(self.argv, start_new_session=True, preexec_fn=before_exec)
        self.started_at, self.restart_at = time.monotonic(), None

    def signal_group(self, signum: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)

    def group_alive(self) -> bool:
        """Any live process left in the group (zombies do not count: they hold nothing)."""
        if self.process is None:
            return False
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[-1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid and fields[0] != "Z":
                return True
        return False


class Command(BaseCommand):
    help = "Run gunicorn (the site) and qcluster (background tasks) until interrupted."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))

    def handle(self, *args: object, **options: object) -> None:
        connection.ensure_connection()  # starts the embedded server once, for everybody
        connection.close()  # the handle stays; the children open their own connections
        bind = f"{options['host']}:{options['port']}"
        web = Child("web", [
            sys.executable, "-m", "gunicorn", settings.WSGI_APPLICATION.rsplit(".", 1)[0],
            "--config", "python:policykb.gunicorn_conf",  # warm-up before taking requests
            "--bind", bind, "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--access-logfile", "-", "--graceful-timeout", "10",
            "--no-control-socket",  # gunicorn's default socket is shared by every instance
        ])  # fmt: skip
        # The worker's tasks (ingestion, champion lists, counts) can wait; visitors cannot.
        worker = Child("worker", [sys.executable, "manage.py", "qcluster"],
                       nice=int(os.environ.get("WORKER_NICE", "10")))  # fmt: skip
        children = [web, worker]
        for child in children:
            child.start()
        self.stdout.write(self.style.SUCCESS(f"PolicyKB at http://{bind}/ — Ctrl-C stops it"))

        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping:
            for child in children:
                self._supervise(child)
            time.sleep(0.3)
        self._stop_all(children)
        self.stdout.write("stopped")

    def _supervise(self, child: Child) -> None:
        now = time.monotonic()
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.start()
                self.stderr.write(f"{child.name} started again (restart {child.restarts})")
            return
        assert child.process is not None
        code = child.process.poll()
        if code is None:
            return
        # Whatever the dead child left in its group (worker processes) goes with it.
        child.signal_group(signal.SIGKILL)
        if now - child.started_at > HEALTHY_AFTER:
            child.backoff = BACKOFF_FIRST
        child.restarts += 1
        child.restart_at = now + child.backoff
        self.stderr.write(
            f"{child.name} exited with {code}; starting it again in {child.backoff:.0f} s"
        )
        child.backoff = min(child.backoff * 2, BACKOFF_MAX)

    def _stop_all(self, children: list[Child]) -> None:
        # The leaders (gunicorn's master, qcluster) stop their own processes gracefully.
        for child in children:
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for child in children:
            if child.process is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # Whatever is left of the group (a worker that hung) is killed, and waited for,
            # so that the embedded database sees no live holder and stops with us.
            child.signal_group(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=5)
            settle = time.monotonic() + 5
            while child.group_alive() and time.monotonic() < settle:
                time.sleep(0.1)
