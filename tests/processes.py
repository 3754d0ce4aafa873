"""Helpers for tests that start real processes (gunicorn, qcluster, `serve`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process that uses the test database this run created."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "policykb.settings", **extra}
    name = connection.settings_dict["NAME"]
    if "DATABASE_URL" in extra:
        return env
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{name}"
    else:
        env["POLICYKB_DB_NAME"] = name
    return env


def run_django(script: str, env: dict[str, str]) -> str:
    """The output of `script` run by a separate Python process after django.setup()."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, *, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """(status, body) of a GET; (0, error) when nothing answers."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError as exc:
        return 0, str(exc)


def wait_until(condition, *, seconds: float, step: float = 0.3) -> bool:  # type: ignore[no-untyped-def]
    """Poll `condition` until it is true or `seconds` have passed (a bound, not a timing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


def processes() -> list[tuple[int, int, int, str]]:
    """(pid, ppid, pgid, command line) of every live process (zombies left out)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[-1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if fields[0] != "Z":
            found.append((int(stat.parent.name), int(fields[1]), int(fields[2]), cmdline))
    return found


def in_group(pgid: int) -> list[int]:
    return [pid for pid, _, group, _ in processes() if group == pgid]
