"""Faults, with real processes: the database goes away and comes back, a worker dies,
the supervisor is interrupted or killed, the embedded server is killed."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from documents.models import Agency
from documents.services import notice_ingest
from tests.processes import (
    child_env,
    free_port,
    get,
    in_group,
    processes,
    run_django,
    wait_until,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NOTICE = "关于支持中小企业发展的若干措施\n1.设立专项资金。\n2.开展融资担保服务。\n".encode()


class Outage:
    """A TCP proxy in front of the test database that can be cut and restored, so that a
    child process sees the database go down and come back without touching the server."""

    def __init__(self) -> None:
        params = connection.get_connection_params()
        host = params.get("host") or "127.0.0.1"
        if host.startswith("/"):
            self.target = (socket.AF_UNIX, f"{host}/.s.PGSQL.{params.get('port') or 5432}")
        else:
            self.target = (socket.AF_INET, (host, int(params.get("port") or 5432)))
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{connection.settings_dict['NAME']}"

    def up(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen()
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        if self.listener is not None:
            # shutdown wakes the thread blocked in accept(); close alone would not.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.socket(self.target[0])
            server.connect(self.target[1])
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


def start(argv: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        argv,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def outage():
    proxy = Outage()
    proxy.up()
    yield proxy
    proxy.down()


@pytest.fixture(params=["0", "300"], ids=["answer-cache-off", "answer-cache-on"])
def site(request, outage, agencies, django_user_model):
    """gunicorn (one worker) reaching the database through the proxy, with its answer cache
    off (every request needs the database) or on as in production (the cache's version
    check and a miss need it)."""
    document = notice_ingest(data=NOTICE, name="faults.txt", publish=True).document
    curator = django_user_model.objects.create_superuser("curator", password="a long pass 7")
    port = free_port()
    env = child_env(
        DATABASE_URL=outage.url, ALLOWED_HOSTS="127.0.0.1", PAGE_CACHE_SECONDS=request.param
    )
    web = start(
        [sys.executable, "-m", "gunicorn", "policykb.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--no-control-socket"],
        env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    assert wait_until(lambda: get(f"{base}/healthz")[0] == 200, seconds=60), "site did not start"
    yield base, document, curator, request.param != "0"
    stop(web)


def _session_cookie(user) -> str:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def _post(url: str, data: dict[str, str], cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers={"Cookie": cookie}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_database_down_every_route_answers_503_then_resumes(site, outage):
    base, document, curator, cached = site
    measure = document.measures.first()
    staff = {"Cookie": _session_cookie(curator)}
    stranger = {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}  # a session to look up
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    routes = [
        ("/en/", {}, "The service is briefly unavailable"),
        ("/zh-hans/documents/", {}, "服务暂时不可用"),
        (f"/zh-hant/documents/{document.pk}/", {}, "服務暫時不可用"),
        (f"/en/measures/{measure.pk}/", {}, "briefly unavailable"),
        ("/zh-hans/search/?q=%E8%9E%8D%E8%B5%84&year=2024", {}, "服务暂时不可用"),
        ("/en/search/", stranger, "briefly unavailable"),
        ("/en/agencies/", {}, "briefly unavailable"),
        (f"/zh-hans/agencies/{Agency.objects.first().key}/", stranger, "服务暂时不可用"),
        ("/zh-hans/admin/", staff, "服务暂时不可用"),
        ("/en/admin/documents/document/", staff, "briefly unavailable"),
        (f"/en/admin/documents/document/{document.pk}/history/", staff, "briefly unavailable"),
        ("/api/measures?q=%E8%9E%8D%E8%B5%84", {}, "briefly unavailable"),
        ("/api/measures?q=%E8%9E%8D%E8%B5%84&tag=sme", chinese, "服务暂时不可用"),
        (f"/api/measures/{measure.pk}", {}, "briefly unavailable"),
        ("/api/documents", stranger, "briefly unavailable"),
        (f"/api/documents/{document.pk}", {}, "briefly unavailable"),
        ("/api/agencies", chinese, "服务暂时不可用"),
    ]
    probe = {"Cookie": "probe=1"}  # a request with a cookie is never cached
    for path, headers, _ in routes:
        assert get(base + path, headers={**probe, **headers})[0] == 200, path
    kept = get(f"{base}/en/agencies/?kept=1")  # cached, if the answer cache is on
    login_page = get(f"{base}/en/admin/login/", headers={"Cookie": "csrftoken=" + "x" * 32})[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)[1]

    outage.down()
    for path, headers, message in routes:
        status, body = get(base + path, headers=headers)
        assert status == 503, (path, status, body[:300])
        assert message in body, (path, body[:300])
        assert "Traceback" not in body and "Server Error" not in body
    if cached:  # an answer cached before the outage is served on meanwhile
        assert get(f"{base}/en/agencies/?kept=1") == kept
    # What needs no database keeps answering: an address that is no page, the login form.
    assert get(f"{base}/en/no-such-page/", headers=stranger)[0] == 404
    assert get(f"{base}/en/admin/login/")[0] == 200
    status, body = _post(
        f"{base}/en/admin/login/?next=/en/admin/",
        {"csrfmiddlewaretoken": token, "username": "curator", "password": "a long pass 7"},
        "csrftoken=" + "x" * 32,
    )
    assert (status, "briefly unavailable" in body) == (503, True), body[:300]
    assert get(f"{base}/healthz") == (503, '{"status": "error", "database": "unreachable"}')

    outage.up()
    assert wait_until(lambda: get(f"{base}/en/")[0] == 200, seconds=30), "did not resume"
    for path, headers, _ in routes:
        assert get(base + path, headers={**probe, **headers})[0] == 200, path


def _children(parent: int) -> dict[str, int]:
    found = {}
    for pid, ppid, _, cmdline in processes():
        if ppid == parent:
            found["worker" if "qcluster" in cmdline else "web"] = pid
    return found


def test_serve_restarts_a_dead_worker_and_leaves_nothing_after_ctrl_c():
    port = free_port()
    serve = start(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "1"],
        child_env(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: get(f"{base}/healthz")[0] == 200, seconds=60)
        assert wait_until(lambda: len(_children(serve.pid)) == 2, seconds=30)
        first = _children(serve.pid)
        assert wait_until(lambda: len(in_group(first["worker"])) > 1, seconds=30)

        os.kill(first["worker"], signal.SIGKILL)  # the qcluster leader, not its workers
        assert get(f"{base}/healthz")[0] == 200  # the site keeps serving meanwhile
        assert wait_until(lambda: in_group(first["worker"]) == [], seconds=20), "orphans"
        assert wait_until(
            lambda: _children(serve.pid).get("worker", first["worker"]) != first["worker"],
            seconds=30,
        ), "the worker was not started again"
        assert _children(serve.pid)["web"] == first["web"]  # gunicorn never stopped
        groups = list(_children(serve.pid).values())

        serve.send_signal(signal.SIGINT)  # what Ctrl-C sends
        serve.wait(timeout=40)
        assert all(in_group(group) == [] for group in groups), "processes left after Ctrl-C"
    finally:
        stop(serve)


def test_children_stop_when_serve_is_killed_outright():
    port = free_port()
    serve = start(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "1"],
        child_env(),
    )
    try:
        assert wait_until(lambda: len(_children(serve.pid)) == 2, seconds=60)
        groups = list(_children(serve.pid).values())
        serve.kill()
        serve.wait()
        assert wait_until(lambda: all(in_group(g) == [] for g in groups), seconds=30), "orphans"
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 0  # nothing listens any more
    finally:
        stop(serve)
        for group in groups:
            for pid in in_group(group):
                os.kill(pid, signal.SIGKILL)


def _numbered(n: int) -> bytes:
    lines = [f"{i}.支持企业开展第{i}项技术改造，给予资金补助。" for i in range(1, n + 1)]
    return ("关于支持中小企业技术改造的若干措施\n" + "\n".join(lines)).encode()


def test_an_upload_whose_worker_died_is_retried_and_stored_once(agencies):
    from django_q.models import OrmQ

    from documents.models import Document, Upload, UploadStatus
    from documents.services import upload_create

    env = child_env(Q_RETRY="20", Q_TIMEOUT="18")
    upload = upload_create(data=_numbered(3000), name="long.txt")  # takes seconds to ingest
    worker = start([sys.executable, "manage.py", "qcluster"], env)
    try:
        # The worker has taken the task when its lock moves into the future.
        assert wait_until(
            lambda: OrmQ.objects.filter(lock__gt=time_now()).exists(), seconds=60, step=0.05
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        upload.refresh_from_db()
        assert not upload.is_finished, "the task finished before the kill"
        died = time.monotonic()

        worker = start([sys.executable, "manage.py", "qcluster"], env)
        assert wait_until(lambda: Upload.objects.get(pk=upload.pk).is_finished, seconds=120), (
            "never retried"
        )
        retried_after = time.monotonic() - died
    finally:
        stop(worker)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE, upload.error
    assert Document.objects.filter(notice_key="long").count() == 1
    assert upload.document.measures.count() == 3000
    print(f"retried and stored {retried_after:.0f} s after the worker died (Q_RETRY=20)")


def time_now():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.now()


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="the embedded server only")
def test_the_embedded_server_starts_again_after_kill_9(tmp_path):
    script = (
        "import os, time\n"
        "from django.db import connection\n"
        "from policykb import embedded\n"
        "connection.ensure_connection()\n"
        "pid = int((embedded.pgdata_path() / 'postmaster.pid').read_text().split()[0])\n"
        "os.kill(pid, 9)\n"
        "time.sleep(1)\n"
        "connection.close()\n"
        "c = connection.cursor()\n"
        "c.execute('SELECT 41 + 1')\n"
        "print(c.fetchone()[0], pid)\n"
    )
    env = child_env(POLICYKB_PGDATA=str(tmp_path / "pgdata"), POLICYKB_DB_NAME="revive")
    answer, killed = run_django(script, env).split()[-2:]
    assert answer == "42"
    assert not os.path.exists(f"/proc/{killed}")


class _LostDatabaseMiddleware:
    """Stands for any middleware whose query finds the database gone (the error Django
    raises then), so that the answer of an error outside a view is what is tested."""

    def __init__(self, get_response) -> None:  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        from django.db import OperationalError

        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.parametrize(
    ("path", "headers", "message"),
    [
        ("/zh-hant/search/?q=x", {}, "服務暫時不可用"),
        ("/en/admin/", {}, "briefly unavailable"),
        ("/api/agencies", {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}, "服务暂时不可用"),
    ],
)
def test_a_database_error_outside_any_view_answers_503(settings, path, headers, message):
    from django.test import Client

    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}._LostDatabaseMiddleware"]
    response = Client(raise_request_exception=False).get(path, **headers)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert message in response.content.decode()
