"""pg_dump / pg_restore of the site's database with the server's own major version.

A pg_dump older than the server refuses to dump it (the machine's 15 against the
embedded 18), and pg_restore reads only archives of its own version or older: the
embedded server uses the binaries bundled with it; an external one the client of its
major version (Debian's /usr/lib/postgresql/<major>/bin, or the one on PATH if it
matches), else a clear error saying which client to install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

from policykb import embedded


class BackupError(Exception):
    """A backup or restore could not run; the message says why and what to do."""


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (number,) = cursor.fetchone()
    return int(number) // 10000


def _major_of(binary: Path) -> int | None:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def client(tool: str) -> Path:
    """The pg_dump or pg_restore that matches the server's major version."""
    if settings.DATABASES["default"]["ENGINE"] == "policykb.embedded_pg":
        return embedded.bin_path() / tool
    major = server_major()
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{tool}")]
    if found := shutil.which(tool):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.exists() and _major_of(candidate) == major:
            return candidate
    raise BackupError(
        f"no {tool} of PostgreSQL {major} found (the server's version): install the "
        f"client of that version, e.g. `apt-get install postgresql-client-{major}`"
    )


def connection_env(settings_dict: dict | None = None) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for the configured database (or settings_dict)."""
    connection.ensure_connection()
    params = dict(connection.get_connection_params())
    if settings_dict is not None:
        params.update({k: v for k, v in settings_dict.items() if v})
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    args = [f"--dbname={params.get('dbname') or connection.settings_dict['NAME']}"]
    for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            args.append(f"{flag}={params[key]}")
    return args, env


def database_backup(*, path: Path) -> Path:
    """Dump the whole database (schema, data, history) into one custom-format archive."""
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = connection_env()
    command = [str(client("pg_dump")), "--format=custom", "--no-owner", f"--file={path}", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return path


def database_restore(*, path: Path, dbname: str | None = None) -> None:
    """Restore an archive into the configured database (or `dbname` on the same server),
    replacing what is there, in one transaction: a restore that fails changes nothing."""
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    args, env = connection_env({"dbname": dbname} if dbname else None)
    command = [
        str(client("pg_restore")), "--clean", "--if-exists", "--no-owner",
        "--single-transaction", "--exit-on-error", *args, str(path),
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
