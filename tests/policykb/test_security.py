"""The staff boundary and the browser-side protections: CSP, throttled logins, CSRF,
HSTS and secure cookies behind TLS, the API docs from our own static files."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def login(client: Client, username: str, password: str):
    return client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_pages_send_a_policy_without_inline_scripts(client):
    for url in ("/en/", "/api/docs", "/en/admin/login/", "/api/measures"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert "unsafe" not in policy and "frame-ancestors 'none'" in policy


def test_api_docs_load_their_scripts_from_our_static_files(client):
    body = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith(settings.STATIC_URL) or s.startswith("/static/") for s in sources)


def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(client, staff_user):
    answers = [login(client, "wang.fang", "wrong").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the form again, then locked out
    locked = login(client, "wang.fang", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_for_that_user_and_address_only(client, staff_user, django_user_model):
    django_user_model.objects.create_user("li.na", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wang.fang", "wrong")
    assert login(Client(), "li.na", PASSWORD).status_code == 302  # logged in, redirected


def test_a_right_password_before_the_limit_logs_in(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wang.fang", "wrong")
    response = login(client, "wang.fang", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/en/admin/"


def test_the_admin_is_closed_to_anonymous_visitors(client):
    for url in ("/en/admin/", "/en/admin/documents/document/", "/zh-hans/admin/auth/user/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_staff_without_the_role_see_no_content_admin(client, staff_user):
    client.force_login(staff_user)  # is_staff, but no permission was granted
    assert client.get("/en/admin/documents/document/").status_code == 403
    assert client.get("/en/admin/auth/user/").status_code == 403
    assert "documents" not in client.get("/en/admin/").content.decode().lower().split("<main")[-1]


def test_a_login_without_the_csrf_token_is_refused(staff_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/admin/login/", {"username": "wang.fang", "password": PASSWORD})
    assert response.status_code == 403


def _production(script: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "policykb.settings",
        "DEBUG": "0",
        "POLICYKB_HTTPS": "1",
        "SECRET_KEY": "test-" + "k" * 60,
        "ALLOWED_HOSTS": "testserver",
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _production(
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout + result.stderr


def test_behind_tls_pages_send_hsts_and_plain_http_is_redirected():
    result = _production(
        "import django; django.setup();"
        "from django.test import Client; c = Client();"
        "r = c.get('/healthz', HTTP_X_FORWARDED_PROTO='https');"
        "print(r.headers.get('Strict-Transport-Security'));"
        "r = c.get('/en/documents/');"
        "print(r.status_code, r.headers.get('Location'))"
    )
    hsts, redirect = result.stdout.strip().splitlines()[-2:]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, result.stderr[-2000:]
    assert redirect == "301 https://testserver/en/documents/"


def test_behind_tls_cookies_are_secure():
    result = _production(
        "import django; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    assert result.stdout.split()[-3:] == ["True", "True", "True"], result.stderr[-2000:]


def test_a_draft_is_unreachable_by_guessing_its_ids(client, agencies):
    from documents.services import notice_ingest

    draft = notice_ingest(
        data="关于支持瞪羚企业的通知\n1.设立瞪羚企业专项资金。\n2.开展融资服务。\n".encode(),
        name="draft.txt",
    ).document
    measure = draft.measures.first()
    for url in (
        f"/en/documents/{draft.pk}/",
        f"/zh-hans/measures/{measure.pk}/",
        f"/api/documents/{draft.pk}",
        f"/api/measures/{measure.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/documents").json()["count"] == 0
    assert client.get("/api/measures", {"q": "瞪羚企业"}).json()["count"] == 0
    assert "瞪羚" not in client.get("/en/documents/").content.decode()


def test_a_withdrawn_notice_leaves_every_page_feed_and_search(client, agencies):
    from documents.models import PublicationStatus
    from documents.services import document_status_set, notice_ingest

    document = notice_ingest(
        data="关于支持独角兽企业的通知\n1.设立独角兽企业专项资金。\n2.开展融资服务。\n".encode(),
        name="withdrawn.txt",
        publish=True,
    ).document
    measure = document.measures.first()
    urls = [
        f"/en/documents/{document.pk}/",
        f"/zh-hans/measures/{measure.pk}/",
        f"/api/documents/{document.pk}",
        f"/api/measures/{measure.pk}",
    ]
    assert all(client.get(url).status_code == 200 for url in urls)  # public before
    document_status_set(document=document, status=PublicationStatus.WITHDRAWN)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/documents").json()["count"] == 0
    assert client.get("/api/measures", {"q": "独角兽企业"}).json()["count"] == 0
    for page in ("/en/documents/", "/zh-hans/", "/zh-hans/search/?q=独角兽"):
        body = client.get(page).content.decode()
        assert "设立独角兽企业专项资金" not in body and "关于支持独角兽企业的通知" not in body, page
