"""Hostile query strings on the year pages, the matcher, exports and feeds: never a 500."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.policykb.test_hostile_input import EXAMPLES, HOSTILE, _quote

pytestmark = pytest.mark.django_db

PAGES = ["/en/years/", "/zh-hans/years/2020/", "/zh-hant/match/", "/en/search/export.csv",
         "/en/search/export.jsonl", "/zh-hans/search/feed/", "/en/match/export.json"]  # fmt: skip
NAMES = ["level", "region", "tag", "q", "province", "city", "industry", "employees", "revenue",
         "assets", "size", "recognitions", "needs", "year", "agency", "sort"]  # fmt: skip


@given(value=HOSTILE, path=st.sampled_from(PAGES), name=st.sampled_from(NAMES))
@EXAMPLES
def test_browse_match_export_and_feed_never_fail(client, seeds, value, path, name):
    response = client.get(f"{path}?{name}={_quote(value)}")
    assert response.status_code == 200, (path, name, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize("year", ["0", "99999", "-1", "abc"])
def test_year_pages_out_of_range_are_not_found(client, db, year):
    assert client.get(f"/en/years/{year}/").status_code == 404
