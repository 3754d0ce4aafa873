"""The JSON API: search, detail, documents, agencies, schema — and hostile queries."""

import pytest

pytestmark = pytest.mark.django_db


def search(client, **params):
    response = client.get("/api/measures", params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_simplified_traditional_and_english_find_both_guarantee_measures(client, seeds):
    miit_9 = seeds["001"].measures.get(number=9).pk
    qingdao_10 = seeds["004"].measures.get(number=10).pk
    for q in ("融资担保", "融資擔保", "financing guarantee"):
        ids = [r["id"] for r in search(client, q=q)["results"][:10]]
        assert miit_9 in ids and qingdao_10 in ids, q


def test_own_language_matches_rank_above_glossary_expansions(client, seeds):
    results = search(client, q="融资担保")["results"]
    languages = [r["language"] for r in results]
    assert languages[0] == "zh"
    assert languages.index("en") > max(i for i, lang in enumerate(languages) if lang == "zh") - 1


def test_snippet_marks_chinese_without_spaces_and_escapes_markup(client, seeds):
    result = search(client, q="融资担保")["results"][0]
    assert "<mark>融资担保</mark>" in result["snippet"]
    assert "融 资" not in result["snippet"]


def test_result_shape_matches_the_documented_contract(client, seeds):
    body = search(client, q="unicorn", page_size=5)
    assert set(body) == {
        "count", "estimated", "partial", "strict_count", "next", "previous", "facets", "results",
    }  # fmt: skip
    assert body["estimated"] is False  # a narrow match is counted in full
    assert body["partial"] is False and body["strict_count"] is None  # one word: never partial
    first = body["results"][0]
    assert set(first) >= {
        "id", "url", "number", "section", "title", "text", "language", "translations",
        "snippet", "document", "targets", "tags", "match",
    }  # fmt: skip
    assert first["match"]["reasons"] and first["match"]["partial"] is False
    assert set(first["document"]) == {"id", "title", "agency", "doc_number", "issued_on"}
    assert "独角兽" in first["text"]


def test_facets_count_the_current_query(client, seeds):
    body = search(client, q="small and medium-sized enterprises")
    agencies = {f["value"]: f["count"] for f in body["facets"]["agency"]}
    assert agencies and sum(agencies.values()) == body["count"]
    assert {"agency", "level", "region", "year", "language", "tag"} <= set(body["facets"])


def test_filters_narrow_the_results(client, seeds):
    all_hits = search(client, q="enterprises")["count"]
    miit = search(client, q="enterprises", agency="miit")
    assert 0 < miit["count"] < all_hits
    assert {r["document"]["agency"] for r in miit["results"]} == {
        "Ministry of Industry and Information Technology"
    }
    in_2023 = search(client, q="企业", year=2023, page_size=100)
    assert 0 < in_2023["count"] < search(client, q="企业")["count"]
    assert {r["document"]["issued_on"][:4] for r in in_2023["results"]} == {"2023"}


def test_paging_links_and_sort_by_date(client, seeds):
    body = search(client, q="企业", page_size=5)
    assert body["next"] and "page=2" in body["next"] and body["previous"] is None
    dated = search(client, q="enterprises", sort="-date", page_size=50)["results"]
    dates = [r["document"]["issued_on"] for r in dated]
    assert dates == sorted(dates, reverse=True)


def test_drafts_are_not_searchable(client, agencies):
    from documents.services import notice_ingest

    notice_ingest(data="1.设立瞪羚企业专项资金。\n2.开展融资服务。".encode(), name="draft.txt")
    assert search(client, q="瞪羚企业")["count"] == 0


@pytest.mark.parametrize(
    "q",
    [
        "a & | ! :* ( ) <-> '",
        "'; DROP TABLE measures_measure; --",
        "\\\\ \\' \"unterminated",
        "-",
        "OR OR OR",
        "！！！，。、",
        "😀🚀",
        "x" * 5000,
        "融资" * 400,
        "\x01\x02 control characters",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_queries_never_fail(client, seeds, q):
    body = search(client, q=q)
    for result in body["results"]:
        assert "<script>" not in result["snippet"]


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page_size": 101}, {"year": "abc"}, {"level": "galactic"}, {"sort": "random"}],
)
def test_bad_parameters_get_a_clear_422(client, params):
    response = client.get("/api/measures", params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_measure_detail_and_404_for_drafts(client, seeds):
    measure = seeds["004"].measures.get(number=6)
    body = client.get(f"/api/measures/{measure.pk}").json()
    assert body["number"] == 6 and body["language"] == "zh"
    assert client.get("/api/measures/999999").status_code == 404


def test_documents_and_agencies(client, seeds):
    docs = client.get("/api/documents").json()
    assert docs["count"] == 5
    miit = client.get(f"/api/documents/{seeds['001'].pk}").json()
    assert miit["found_measures"] == 18 and miit["announced_measures"] == 20
    assert len(miit["measures"]) == 18
    agencies = client.get("/api/agencies").json()
    assert any(a["key"] == "miit" and "工信部" in a["aliases"] for a in agencies)


def test_openapi_schema_describes_the_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/measures",
        "/api/measures/{measure_id}",
        "/api/documents",
        "/api/agencies",
    } <= set(schema["paths"])
