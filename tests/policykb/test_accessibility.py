"""axe-core, run in Debian's Chromium on every page type in the three languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import SCREENSHOTS
from tests.policykb.conftest import LANGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def _serious_violations(live_server, browser, page_types, *, session: str = "") -> dict:
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm"
    source = AXE.read_text()
    # axe is injected by the test, not by the site: the page's CSP must not stop it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    if session:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                              "url": live_server.url}])  # fmt: skip
    page = context.new_page()
    found = {}
    for name, path in page_types.items():
        for lang in LANGS:
            response = page.goto(live_server.url + path.format(lang=lang))
            assert session == "" or "/login/" not in page.url, (name, "not signed in")
            assert response.status in (200, 404), (name, lang, response.status)
            # A picture of every page type in every language, for a person to look at.
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"page-{name}-{lang}.png"), full_page=True)
            page.evaluate(source)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            serious = [
                f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]})"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            if serious:
                found[f"{name} [{lang}]"] = serious
    context.close()
    return found


def test_no_serious_or_critical_violation_on_any_page(live_server, browser, page_types):
    found = _serious_violations(live_server, browser, page_types)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_no_serious_or_critical_violation_on_any_staff_page(
    live_server, browser, client, site_admin, staff_page_types
):
    client.force_login(site_admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    found = _serious_violations(live_server, browser, staff_page_types, session=session)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
