"""The review page as an editor uses it, in Debian's Chromium: spans, a split, a merge and
a translation that public search finds."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from measures.models import Provenance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The role groups again: a transactional test before this one flushed them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from staff.roles import roles_sync

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    roles_sync()


def sign_in(page, live_server, user) -> None:
    """Give the browser the session of a signed-in user (the login page is the staff app's)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.fixture
def first_measure(notice):
    return notice.measures.order_by("number").first()


def test_the_review_page_highlights_every_span_in_both_languages(
    live_server, page, screenshot, roles, editor, notice
):
    sign_in(page, live_server, editor)
    for lang in ("zh-hans", "en"):
        page.goto(f"{live_server.url}/{lang}/staff/curation/documents/{notice.pk}/")
        spans = page.locator(".source-text mark.span")
        assert spans.count() == notice.measures.count()
        colour = spans.first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), "spans are not highlighted"
        assert page.locator(".measure-card").count() == notice.measures.count()
        screenshot(f"curation-review-{lang}")
    assert page.locator("h2#source-title").inner_text() == "Source text"


def test_an_editor_splits_a_measure_and_merges_it_back(
    live_server, page, screenshot, roles, editor, notice, first_measure
):
    count = notice.measures.count()
    body = first_measure.texts.get(provenance=Provenance.ORIGINAL).text
    marker = body[len(body) // 2 :][:10]
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/zh-hans/staff/curation/documents/{notice.pk}/")
    page.locator("#m-1 .measure-actions").get_by_role("link", name="拆分").click()
    # The script: a click in the text puts its offset in the "at character" field.
    page.locator("#split-source").click(position={"x": 160, "y": 30})
    assert int(page.locator("#id_at").input_value()) > 0
    page.locator("#id_at").fill("")
    page.locator("#id_marker").fill(marker)
    screenshot("curation-split-zh-hans")
    page.get_by_role("button", name="在此拆分").click()
    page.wait_for_url(re.compile(r"/documents/\d+/"))
    assert page.locator(".measure-card").count() == count + 1
    assert page.locator(".message-success").count() == 1
    second = page.locator("#src-m-2").inner_text()
    assert second.lstrip("2").startswith(marker.strip()[:4])
    page.locator("#m-1").get_by_role("button", name="与第 2 条合并").click()
    page.wait_for_url(re.compile(r"/documents/\d+/"))
    assert page.locator(".measure-card").count() == count
    assert notice.measures.get(number=1).texts.get(provenance=Provenance.ORIGINAL).text == body
    screenshot("curation-merged-zh-hans")


def test_a_translation_saved_in_the_browser_is_found_by_public_search(
    live_server, page, screenshot, roles, editor, notice, first_measure
):
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/en/staff/curation/measures/{first_measure.pk}/")
    page.locator("#id_tr-title").fill("Gingerbread loans for workshops")
    page.locator("#id_tr-text").fill("Workshops may borrow gingerbread loans at low interest.")
    page.get_by_role("button", name="Save translation").click()
    page.wait_for_url(re.compile(r"/measures/\d+/$"))
    assert "by erin" in page.locator("#tr-title + p").inner_text()
    screenshot("curation-measure-en")
    page.goto(f"{live_server.url}/en/search/?q=gingerbread+loans")
    assert "Gingerbread loans for workshops" in page.locator(".hit-title").first.inner_text()
    screenshot("curation-translation-found-en")
