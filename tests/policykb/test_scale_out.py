"""Past one machine: reads on a replica with read-your-writes, the django-q2 queue and
the cache in Redis. Against the PostgreSQL at 127.0.0.1:5432 and the Redis at
127.0.0.1:6379 that run on the development machines."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from tests.processes import child_env, run_django, wait_until

pytestmark = pytest.mark.worker


def _reachable(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


needs_postgres = pytest.mark.skipif(not _reachable(5432), reason="no PostgreSQL on 5432")
needs_redis = pytest.mark.skipif(not _reachable(6379), reason="no Redis on 6379")
SERVER = "postgresql://postgres@127.0.0.1:5432"


def run(script: str, env: dict[str, str]) -> str:
    return run_django(script, env).splitlines()[-1]


@pytest.fixture
def primary_and_replica():
    """Two databases of the same schema on the local server; nothing copies rows between
    them, so where a read went shows in what it finds."""
    base = f"{connection.settings_dict['NAME']}_scale"
    primary, replica = f"{base}_primary", f"{base}_replica"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        for name in (replica, primary):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(primary)))
    env = child_env(DATABASE_URL=f"{SERVER}/{primary}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, check=True, timeout=300,
    )  # fmt: skip
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(replica), sql.Identifier(primary)
            )
        )
    yield {
        **env,
        "DATABASE_REPLICA_URLS": f"{SERVER}/{replica}",
        "REPLICA_PIN_SECONDS": "2",
        "ALLOWED_HOSTS": "testserver",
    }
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        for name in (replica, primary):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


READ_YOUR_WRITES = """
import json, time
from django.contrib.auth.models import User
from django.test import Client
from documents.services import notice_ingest

# A write outside any request (a command, the worker) goes to the primary only.
notice_ingest(data="关于支持企业的通知\\n1.设立资金。\\n2.开展服务。".encode(), name="n.txt",
              publish=True)
User.objects.create_superuser("curator", password="long enough pass 7")
visitor, staff = Client(), Client()
seen = {"visitor": visitor.get("/api/documents").json()["count"]}
staff.post("/en/admin/login/", {"username": "curator", "password": "long enough pass 7"})
seen["staff_after_save"] = staff.get("/api/documents").json()["count"]
seen["staff_admin"] = "关于支持企业的通知" in staff.get("/en/admin/documents/document/").content.decode()
time.sleep(2.5)  # the pin lasts REPLICA_PIN_SECONDS=2
seen["staff_later"] = staff.get("/api/documents").json()["count"]
print(json.dumps(seen))
"""


@needs_postgres
def test_reads_go_to_a_replica_except_right_after_a_write(primary_and_replica):
    seen = json.loads(run(READ_YOUR_WRITES, primary_and_replica))
    assert seen == {
        "visitor": 0,  # the replica, which never received the document
        "staff_after_save": 1,  # pinned to the primary after the login wrote
        "staff_admin": True,  # staff pages always read the primary
        "staff_later": 0,  # back on the replica once the pin expired
    }


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_workers_take_tasks_from_a_redis_broker(agencies):
    from django_q.models import OrmQ

    from documents.models import Upload, UploadStatus

    redis_env = child_env(
        Q_BROKER="redis://127.0.0.1:6379/13",
        Q_CLUSTER_NAME=f"{connection.settings_dict['NAME']}-redis-test",
    )
    upload_id = run(
        "from documents.services import upload_create\n"
        "u = upload_create(data='关于支持企业的通知\\n1.设立资金。\\n2.开展服务。'.encode(),"
        " name='redis.txt')\nprint(u.pk)",
        redis_env,
    )
    assert OrmQ.objects.count() == 0  # not queued in the database
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=settings.BASE_DIR, env=redis_env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert wait_until(lambda: Upload.objects.get(pk=upload_id).is_finished, seconds=90), (
            "the worker never took the task from Redis"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    upload = Upload.objects.get(pk=upload_id)
    assert upload.status == UploadStatus.DONE and upload.document.measures.count() == 2


@needs_redis
def test_the_cache_in_redis_is_shared_by_processes():
    env = child_env(CACHE_URL="redis://127.0.0.1:6379/14")
    key = f"{connection.settings_dict['NAME']}-shared"
    run(f"from django.core.cache import cache; cache.set({key!r}, '共享', 60); print('ok')", env)
    assert run(f"from django.core.cache import cache; print(cache.get({key!r}))", env) == "共享"


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_died_is_handed_out_again_by_redis(agencies):
    """A qcluster killed mid-upload (kill -9 of its whole process group): the task is under a
    lease in Redis, goes back to the queue once Q_RETRY passed, and the next worker stores
    the notice once."""
    import os
    import signal
    import time

    import redis

    from documents.models import Document, Upload, UploadStatus

    name = f"{connection.settings_dict['NAME']}-redis-retry"
    redis_env = child_env(
        Q_BROKER="redis://127.0.0.1:6379/13", Q_CLUSTER_NAME=name, Q_RETRY="20", Q_TIMEOUT="18"
    )
    server = redis.Redis.from_url("redis://127.0.0.1:6379/13")
    server.delete(*(f"django_q:{name}:{key}" for key in ("q", "taken", "leases", "ack")))
    upload_id = int(
        run(
            "from documents.services import upload_create\n"
            "lines = [f'{i}.支持企业开展第{i}项技术改造，给予资金补助。' for i in range(1, 3001)]\n"
            "text = '关于支持中小企业技术改造的若干措施\\n' + '\\n'.join(lines)\n"
            "print(upload_create(data=text.encode(), name='long.txt').pk)",
            redis_env,
        )
    )

    def qcluster() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=settings.BASE_DIR, env=redis_env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    worker = qcluster()
    try:
        assert wait_until(
            lambda: server.zcard(f"django_q:{name}:leases") == 1, seconds=60, step=0.05
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        unfinished = (UploadStatus.QUEUED, UploadStatus.RUNNING)  # the dead worker had claimed it
        assert Upload.objects.get(pk=upload_id).status in unfinished, "finished too soon"
        assert server.llen(f"django_q:{name}:q") == 0  # taken, not yet handed back
        died = time.monotonic()

        worker = qcluster()
        assert wait_until(
            lambda: Upload.objects.get(pk=upload_id).status not in unfinished, seconds=150
        ), "the task of the dead worker was never handed out again"
        retried_after = time.monotonic() - died
        assert wait_until(lambda: server.zcard(f"django_q:{name}:leases") == 0, seconds=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
    upload = Upload.objects.get(pk=upload_id)
    assert upload.status == UploadStatus.DONE, upload.error
    assert Document.objects.filter(notice_key="long").count() == 1
    assert upload.document.measures.count() == 3000
    assert server.hlen(f"django_q:{name}:taken") == 0  # acknowledged, nothing left behind
    print(f"handed out again and stored {retried_after:.0f} s after the worker died")
