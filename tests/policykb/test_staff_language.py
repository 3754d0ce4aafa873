"""The curation pages speak the interface language, as the public and staff pages do."""

from __future__ import annotations

import re

import pytest

from tests.policykb.test_pages import interface_text
from tests.staff.test_staff_pages import PROPER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ("zh-hans", "zh-hant"))
def test_curation_pages_in_chinese_have_no_english_words(
    client, site_admin, staff_page_types, lang
):
    client.force_login(site_admin)
    found = {}
    for name, path in staff_page_types.items():
        response = client.get(path.format(lang=lang))
        assert response.status_code == 200, name
        words = set(re.findall(r"\b[A-Za-z]{3,}\b", interface_text(response))) - PROPER
        if words:
            found[name] = sorted(words)[:60]
    assert not found, __import__("json").dumps(found, ensure_ascii=False)
