"""Shared fixtures: named users, reference data, a real browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEEDS = FIXTURES / "seeds"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def pytest_configure(config):
    # The test server serves static files through finders, which know the source names
    # only, not the hashed names of the manifest storage that production uses.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Test transactions roll back the content version the page cache keys on, so cached
    # answers would leak from one test into the next: off here, tested on its own
    # (tests/policykb/test_pagecache.py).
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request served in Chinese by one test
    leaves Chinese active in the thread, and text built outside a request in the next
    test (a derivation, a warning) would then come out in Chinese depending on order."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def agencies(db):
    from documents.services import agencies_load

    agencies_load(path=FIXTURES / "agencies.json")


@pytest.fixture
def tags(db):
    from measures.services import tags_load

    tags_load(path=FIXTURES / "tags.json")


@pytest.fixture
def glossary(db):
    from measures.services import glossary_load, phrasings_load

    glossary_load(path=FIXTURES / "glossary.json")
    phrasings_load(path=FIXTURES / "phrasings.json")


@pytest.fixture
def seeds(agencies, tags, glossary):
    """The five seed notices, ingested and published as `make run` loads them."""
    from documents.services import notice_ingest_file

    return {
        path.name[:3]: notice_ingest_file(path=path, publish=True).document
        for path in sorted(SEEDS.glob("*.txt"))
    }


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        "wang.fang", email="wang.fang@example.org", password="correct horse battery", is_staff=True
    )


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (installed by `make test`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a screenshot under var/screenshots/ for a human to look at."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _staff_user(django_user_model, username: str, role: str):
    from django.contrib.auth.models import Group

    from staff.roles import roles_sync

    if not Group.objects.filter(name=role).exists():
        roles_sync()  # a transactional test before this one flushed the migration's groups
    user = django_user_model.objects.create_user(
        username=username, password=f"{username}-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(db, django_user_model):
    """Edits, uploads, tags, translates and sends to review; cannot publish."""
    return _staff_user(django_user_model, "erin", "editor")


@pytest.fixture
def reviewer(db, django_user_model):
    """An editor who may also publish, withdraw and restore."""
    return _staff_user(django_user_model, "rui", "reviewer")


@pytest.fixture
def site_admin(db, django_user_model):
    """Manages users and vocabularies: every permission through the admin role."""
    return _staff_user(django_user_model, "ada", "admin")
