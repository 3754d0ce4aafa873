"""The matcher, the agency-by-year page, an export and a feed, in Debian's Chromium."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_matcher_form_filled_and_submitted(live_server, page, seeds, screenshot):
    page.goto(f"{live_server.url}/en/match/")
    page.select_option("#id_province", "Shandong")
    page.select_option("#id_city", "Qingdao")
    page.select_option("#id_industry", "industry")
    page.fill("#id_employees", "80")
    page.fill("#id_revenue", "5000")
    page.get_by_label("financing").check()
    page.get_by_role("button", name="Show the measures").click()
    page.wait_for_url(re.compile(r"/en/match/\?.*city=Qingdao"))
    assert "→ small" in page.locator(".derivation").inner_text()
    assert page.locator(".match-group .card").count() > 0
    assert "matches your need: financing" in page.locator(".reasons").first.inner_text()
    screenshot("match-en")
    for lang in ("zh-hans", "zh-hant"):
        page.goto(page.url.replace("/en/", f"/{lang}/"))
        assert page.locator(".derivation").is_visible()
        screenshot(f"match-{lang}")


def test_agency_by_year_chart_is_visible_and_a_cell_leads_to_its_search(
    live_server, page, seeds, screenshot
):
    page.goto(f"{live_server.url}/en/years/")
    chart = page.locator("svg.chart-svg").first
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    cell = page.locator("table.matrix td a").first
    count = cell.inner_text()
    screenshot("years-en")
    cell.click()
    page.wait_for_url(re.compile(r"/en/search/\?agency=.*year="))
    assert count in page.locator("body").inner_text()
    year = seeds["004"].issued_on.year
    for lang in ("zh-hans", "zh-hant"):
        page.goto(f"{live_server.url}/{lang}/years/")
        screenshot(f"years-{lang}")
        page.goto(f"{live_server.url}/{lang}/years/{year}/")
        assert page.locator("svg.chart-svg").first.is_visible()
        screenshot(f"year-{lang}")
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/en/years/")
    assert page.locator("svg.chart-svg").first.is_visible()
    assert not page.locator(".browse-filters").is_visible()
    screenshot("years-en-print")


def test_an_export_downloads_and_parses_and_a_feed_is_fetched(live_server, page, seeds):
    page.goto(f"{live_server.url}/en/search/?q=%E8%9E%8D%E8%B5%84")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these results (CSV)").click()
    path = info.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all("measure_id" in r for r in rows)
    feed_url = page.locator(
        'link[rel="alternate"][type="application/atom+xml"]'
    ).first.get_attribute("href")
    body = page.request.get(f"{live_server.url}{feed_url}").text()
    root = ET.fromstring(body)
    assert root.findall("{http://www.w3.org/2005/Atom}entry")
