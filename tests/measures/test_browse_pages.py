"""Year pages, the agency-by-year matrix, exports and feeds, as a visitor gets them."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from documents.models import PublicationStatus
from documents.services import document_status_set
from measures.exports import neutralise
from measures.search.service import SearchFilters, measures_search

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def streamed(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_matrix_cells_link_to_searches_that_find_that_many(client, seeds):
    html = client.get("/en/years/").content.decode()
    assert "<svg" in html and "<table" in html
    import re

    cells = re.findall(r'<td><a href="(/en/search/\?agency=[^"]+)">(\d+)</a></td>', html)
    assert cells
    for url, n in cells:
        query = dict(p.split("=") for p in url.split("?")[1].replace("&amp;", "&").split("&"))
        found = measures_search(
            filters=SearchFilters(agency=query["agency"], year=int(query["year"]))
        )
        assert found.count == int(n), url


def test_filters_narrow_the_matrix_and_bad_values_are_named(client, seeds):
    national = client.get("/en/years/?level=national").content.decode()
    assert "Qingdao" not in national.split("matrix-title")[1].split("topics-title")[0]
    bad = client.get("/en/years/?level=galactic&tag=%00nope").content.decode()
    assert "Ignored" in bad and "level" in bad


def test_year_page_lists_the_notices_of_that_year(client, seeds):
    document = seeds["004"]
    year = document.issued_on.year
    html = client.get(f"/zh-hans/years/{year}/").content.decode()
    assert f"/zh-hans/documents/{document.pk}/" in html
    assert client.get("/en/years/1800/").status_code == 404


def test_csv_export_is_the_whole_result_set_with_bom_and_no_formulas(client, seeds):
    body = streamed(client.get("/en/search/export.csv?q=%E8%9E%8D%E8%B5%84"))
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    expected = measures_search(q="融资", page_size=100).count
    assert len(rows) == expected > 0
    assert all(r["url"].startswith("http://testserver/en/measures/") for r in rows)
    everything = streamed(client.get("/en/search/export.csv"))
    assert (
        len(list(csv.DictReader(io.StringIO(everything.decode("utf-8-sig")))))
        == measures_search(page_size=1).count
    )


def test_formula_cells_are_neutralised():
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralise("+1") == "'+1" and neutralise("@x") == "'@x" and neutralise("-2") == "'-2"
    assert neutralise("融资") == "融资"


def test_json_and_json_lines_exports_parse(client, seeds):
    array = json.loads(streamed(client.get("/en/search/export.json?tag=sme")))
    lines = [
        json.loads(line)
        for line in streamed(client.get("/en/search/export.jsonl?tag=sme")).splitlines()
    ]
    assert len(array) == len(lines) == measures_search(filters=SearchFilters(tags=["sme"])).count
    assert array[0]["measure_id"] == lines[0]["measure_id"]
    assert client.get("/en/search/export.xlsx").status_code == 404


def test_withdrawn_notices_leave_the_export(client, seeds):
    before = json.loads(streamed(client.get("/en/search/export.json")))
    document_status_set(document=seeds["004"], status=PublicationStatus.WITHDRAWN)
    after = json.loads(streamed(client.get("/en/search/export.json")))
    assert len(after) == len(before) - seeds["004"].measures.count()


def test_feeds_list_newly_published_measures_in_each_language(client, seeds):
    for lang in ("en", "zh-hans", "zh-hant"):
        root = ET.fromstring(client.get(f"/{lang}/search/feed/?q=%E8%9E%8D%E8%B5%84").content)
        entries = root.findall(f"{ATOM}entry")
        assert entries
        assert (
            entries[0]
            .find(f"{ATOM}link")
            .get("href")
            .startswith(f"http://testserver/{lang}/measures/")
        )
        # Its own address, which readers subscribe to, keeps the search.
        self_link = next(x for x in root.findall(f"{ATOM}link") if x.get("rel") == "self")
        assert self_link.get("href").endswith(f"/{lang}/search/feed/?q=%E8%9E%8D%E8%B5%84")
    agency = seeds["004"].agency
    root = ET.fromstring(client.get(f"/en/agencies/{agency.key}/feed/").content)
    assert root.findall(f"{ATOM}entry")
    assert client.get("/en/tags/sme/feed/").status_code == 200
    assert client.get("/en/tags/no-such-tag/feed/").status_code == 404
    page = client.get(f"/en/agencies/{agency.key}/").content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in page and "feed-link" in page


def test_match_page_shows_the_derivation_and_keeps_the_profile_in_the_url(client, seeds):
    url = "/en/match/?province=Shandong&city=Qingdao&industry=industry&employees=80&revenue=5000"
    html = client.get(url).content.decode()
    assert "80 employees ≥ 20 and revenue CNY 50 million ≥ CNY 3 million → small" in html
    assert "match/export.csv?province=Shandong" in html
    rows = list(
        csv.DictReader(
            io.StringIO(
                streamed(client.get(url.replace("/match/?", "/match/export.csv?"))).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows
    hostile = client.get("/en/match/?employees=-5&revenue=abc&province=%00&city=Atlantis")
    assert hostile.status_code == 200
    assert "could not be used" in hostile.content.decode()


def test_about_page_documents_every_export_column(client, seeds):
    from measures.exports import COLUMNS

    html = client.get("/en/about/data/").content.decode()
    assert all(f'<code lang="en">{c.name}</code>' in html for c in COLUMNS)
    assert "工信部联企业〔2011〕300号" in html and "CC BY 4.0" in html
