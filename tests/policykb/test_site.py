"""The site answers in three languages and reports its health."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable():
    # A real process configured with a server that is not there (port 9 refuses).
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, json.loads(r.content)['database'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "policykb.settings",
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nowhere",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["503", "unreachable"], result.stderr[-2000:]


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("en", "Latest notices"), ("zh-hans", "最新通知"), ("zh-hant", "最新通知")],
)
def test_home_page_speaks_each_language(client, prefix, expected):
    response = client.get(f"/{prefix}/")
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_traditional_interface_is_converted_from_simplified(client):
    body = client.get("/zh-hant/").content.decode()
    assert "發文機關" in body or "政策" in body
    assert "发" not in body  # simplified-only characters do not leak into zh-hant
    assert "尚未發佈任何通知" in body


@pytest.mark.parametrize(
    ("accept", "target"),
    [("zh-CN,zh;q=0.9", "/zh-hans/"), ("zh-TW,zh;q=0.9", "/zh-hant/"), ("en-US", "/en/")],
)
def test_root_follows_the_browser_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


def test_language_switch_keeps_the_current_page(client):
    body = client.get("/en/documents/?page=1").content.decode()
    assert 'href="/zh-hans/documents/?page=1"' in body
    assert 'href="/zh-hant/documents/?page=1"' in body


def test_unknown_page_is_a_404_not_an_error(client):
    assert client.get("/en/no-such-page/").status_code == 404


def test_embedded_or_configured_database_parses_chinese_as_words():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('simple', '专精特新 小巨人')::text")
        (vector,) = cursor.fetchone()
    assert "'专精特新'" in vector and "'小巨人'" in vector
