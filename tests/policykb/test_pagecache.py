"""Public answers are cached, in each process and shared between processes, and dropped as
soon as public content changes."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from documents.models import Document
from documents.services import document_publish, document_update, notice_ingest
from tests.processes import child_env, run_django

pytestmark = pytest.mark.django_db

NOTICE = "关于支持瞪羚企业的通知\n1.设立瞪羚企业专项资金。\n2.开展融资服务。\n".encode()


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_VERSION_SECONDS = 0  # see every bump at once in this process
    for store in ("pages", "shared-pages"):
        caches[store].clear()
    yield
    for store in ("pages", "shared-pages"):
        caches[store].clear()  # committed, after a test that commits


def _local_only(client, url):
    """What a process that has not computed `url` itself finds: its own copy dropped."""
    caches["pages"].clear()
    return client.get(url)


def test_a_repeated_anonymous_get_is_answered_from_the_cache(client, agencies, page_cache):
    document = notice_ingest(data=NOTICE, name="g.txt", publish=True).document
    first = client.get("/en/documents/")
    # Changed behind the services' back (nothing bumps the version): the cache answers.
    Document.objects.filter(pk=document.pk).update(title_zh="改过的标题")
    assert client.get("/en/documents/").content == first.content
    assert "改过的标题" not in client.get("/en/documents/").content.decode()


def test_publishing_and_editing_drop_the_cached_answers(
    client, agencies, page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = notice_ingest(data=NOTICE, name="g.txt").document
    assert client.get("/api/measures?q=瞪羚企业").json()["count"] == 0
    assert client.get("/api/documents").json()["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        document_publish(document=draft)
    assert client.get("/api/measures?q=瞪羚企业").json()["count"] == 1
    assert client.get("/api/documents").json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        document_update(document=draft, changes={"title_zh": "关于支持瞪羚企业的新通知"})
    assert "新通知" in client.get("/en/documents/").content.decode()


def test_requests_with_cookies_and_staff_pages_are_never_cached(
    client, agencies, page_cache, staff_user
):
    client.force_login(staff_user)
    client.get("/en/documents/")
    client.get("/en/admin/")
    assert caches["pages"]._cache == {}  # nothing stored for a visitor with a session


def test_errors_are_not_cached(client, page_cache):
    assert client.get("/api/measures?page=0").status_code == 422
    assert client.get("/en/documents/99999/").status_code == 404
    assert caches["pages"]._cache == {}


def test_an_answer_computed_once_is_served_to_the_other_processes(client, agencies, page_cache):
    document = notice_ingest(data=NOTICE, name="g.txt", publish=True).document
    first = client.get("/api/measures?q=瞪羚企业")
    Document.objects.filter(pk=document.pk).update(title_zh="改过的标题")
    # Another process (no copy of its own) reads the shared store, not the database.
    assert _local_only(client, "/api/measures?q=瞪羚企业").content == first.content


@pytest.mark.django_db(transaction=True)
def test_the_answers_are_shared_by_separate_processes(agencies, page_cache):
    """Two Python processes on the test database: the second serves what the first
    computed, though the notice was renamed in between behind the services' back."""
    document = notice_ingest(data=NOTICE, name="g.txt", publish=True).document
    script = (
        "from django.test import Client\n"
        "print(Client(HTTP_HOST='localhost').get('/en/documents/').content.decode())\n"
    )
    env = child_env(PAGE_CACHE_SECONDS="300")

    def page() -> str:
        return run_django(script, env)

    first = page()
    Document.objects.filter(pk=document.pk).update(title_zh="改过的标题")
    assert "改过的标题" not in page() and page() == first


def test_a_shared_store_that_fails_only_costs_the_computation(
    client, agencies, page_cache, monkeypatch
):
    notice_ingest(data=NOTICE, name="g.txt", publish=True)
    store = caches["shared-pages"]

    def down(*args, **kwargs):
        raise ConnectionError("shared cache down")

    monkeypatch.setattr(store, "get", down)
    monkeypatch.setattr(store, "set", down)
    answer = client.get("/api/measures?q=瞪羚企业")
    assert answer.status_code == 200 and answer.json()["count"] == 1


def test_a_very_long_address_is_cached_too(client, agencies, page_cache):
    notice_ingest(data=NOTICE, name="g.txt", publish=True)
    url = "/api/measures?q=" + "瞪羚企业 " * 400
    first = client.get(url)
    assert first.status_code == 200
    assert _local_only(client, url).content == first.content
