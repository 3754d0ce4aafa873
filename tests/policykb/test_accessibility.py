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


def test_no_serious_or_critical_violation_on_any_page(live_server, browser, page_types):
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm"
    source = AXE.read_text()
    # axe is injected by the test, not by the site: the page's CSP must not stop it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    found = {}
    for name, path in page_types.items():
        for lang in LANGS:
            page.goto(live_server.url + path.format(lang=lang))
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
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
