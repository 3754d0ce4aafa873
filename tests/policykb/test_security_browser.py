"""In Chromium, the Content-Security-Policy blocks nothing the site itself needs."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_and_api_docs_work_under_the_policy(live_server, page, screenshot):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    for path in ("/en/", "/zh-hans/documents/", "/en/admin/login/"):
        page.goto(live_server.url + path)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)  # Swagger UI ran
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/measures" in paths
    screenshot("api-docs")
    assert refused == []
