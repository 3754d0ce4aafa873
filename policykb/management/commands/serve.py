"""Serve the site with gunicorn and run the django-q2 worker beside it, in the foreground.

Ctrl-C (or SIGTERM) stops both. With the embedded database this process holds a handle
on the cluster for as long as it runs, so the server stays up between worker restarts
and stops when everything has exited.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Run gunicorn (the site) and qcluster (background tasks) until interrupted."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args: object, **options: object) -> None:
        connection.ensure_connection()  # starts the embedded server once, for everybody
        bind = f"{options['host']}:{options['port']}"
        web = [
            sys.executable, "-m", "gunicorn", settings.WSGI_APPLICATION.rsplit(".", 1)[0],
            "--bind", bind, "--workers", str(options["workers"]),
            "--access-logfile", "-", "--graceful-timeout", "10",
        ]  # fmt: skip
        worker = [sys.executable, "manage.py", "qcluster"]
        children = [subprocess.Popen(web), subprocess.Popen(worker)]
        self.stdout.write(self.style.SUCCESS(f"PolicyKB at http://{bind}/ — Ctrl-C stops it"))

        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.3)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        failed = [c.args[2] if len(c.args) > 2 else c.args for c in children if c.returncode]
        if not stopping and failed:
            raise SystemExit(f"stopped because a process exited: {failed}")
        self.stdout.write("stopped")
