"""Issuers as stored: new agencies to review, co-issuers in order, reaching search and the API."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from documents.models import Agency, Document
from documents.services import document_issuers_set, notice_ingest
from measures.search.service import SearchFilters, measures_search

pytestmark = pytest.mark.django_db

JOINT = """澜溪市商务局 青岛市财政局关于支持外贸小微企业稳订单的通知
澜商联发〔2024〕4号

1.展会补贴。对参加境外展会的企业，按展位费的50%给予补贴。
2.保费补贴。对小微企业出口信用保险保费给予70%补贴。

澜溪市商务局　　青岛市财政局
2024年3月18日
"""


def ingest(text: str, name: str = "notice.txt", **kwargs):
    return notice_ingest(data=text.encode("utf-8"), name=name, **kwargs)


def test_an_unregistered_issuer_becomes_an_agency_to_review_and_is_reused(agencies):
    first = ingest(JOINT, publish=True)
    lead = first.document.agency
    assert (lead.name_zh, lead.level, lead.region, lead.region_zh) == (
        "澜溪市商务局",
        "municipal",
        "Lanxi",
        "澜溪",
    )
    assert lead.needs_review and lead.pk in first.created_agencies
    assert first.document.agency_as_written == "澜溪市商务局"
    assert any("needs review" in w for w in first.document.warnings)
    again = ingest(
        JOINT.replace("澜商联发〔2024〕4号", "澜商联发〔2024〕9号").replace("50%", "60%")
    )
    assert again.document.agency == lead and not again.created_agencies
    assert Agency.objects.filter(name_zh="澜溪市商务局").count() == 1


def test_co_issuers_are_stored_in_order_and_the_registered_one_is_matched(agencies):
    document = ingest(JOINT).document
    assert [a.key for a in document.ordered_co_issuers] == ["qingdao-finance"]
    assert [a.name_zh for a in document.issuers] == ["澜溪市商务局", "青岛市财政局"]
    assert document.co_issuer_links.get().as_written == "青岛市财政局"


def test_a_notice_that_only_mentions_a_registered_agency_is_never_attributed_to_it(agencies):
    text = (
        "栖凤市工业和信息化局关于组织申报的通知\n根据工业和信息化部和青岛市工业和信息化局的做法，"
        "现组织申报。\n一、申报条件。注册满2年。\n二、支持政策。奖励10万元。"
    )
    document = ingest(text).document
    assert document.agency.name_zh == "栖凤市工业和信息化局" and document.agency.needs_review
    assert not document.agency.key.startswith(("miit", "qingdao"))


def test_an_issuer_without_its_region_is_left_empty_with_a_warning(agencies):
    text = "关于开展服务的通知\n1.开展培训。\n2.开展对接。\n\n市工信局\n2024年2月19日"
    outcome = ingest(text)
    assert outcome.document.agency is None
    assert outcome.document.agency_as_written == "市工信局"
    assert any("without its region" in w for w in outcome.warnings)
    assert not Agency.objects.filter(needs_review=True).exists()


def test_search_filters_and_facets_count_every_issuer(agencies, tags):
    document = ingest(JOINT, publish=True).document
    lead = document.agency
    by_co_issuer = measures_search(q="", filters=SearchFilters(agency="qingdao-finance"))
    assert {h.measure.document_id for h in by_co_issuer.hits} == {document.pk}
    facet = {v["value"]: v["count"] for v in measures_search(q="补贴").facets["agency"]}
    assert facet == {lead.key: 2, "qingdao-finance": 2}


def test_curated_issuers_reach_search_at_once(agencies, tags):
    document = ingest(JOINT, publish=True).document
    miit = Agency.objects.get(key="miit")
    document_issuers_set(document=document, lead=document.agency, co_issuers=[miit])
    assert measures_search(q="", filters=SearchFilters(agency="qingdao-finance")).count == 0
    assert measures_search(q="", filters=SearchFilters(agency="miit")).count == 2
    with pytest.raises(ValueError):
        document_issuers_set(document=document, lead=miit, co_issuers=[miit])


def test_the_api_shows_co_issuers_and_agencies_needing_review(agencies, client):
    document = ingest(JOINT, publish=True).document
    body = client.get(f"/api/documents/{document.pk}").json()
    assert body["agency"]["name_zh"] == "澜溪市商务局" and body["agency"]["needs_review"] is True
    assert [(c["key"], c["as_written"], c["needs_review"]) for c in body["co_issuers"]] == [
        ("qingdao-finance", "青岛市财政局", False)
    ]
    listed = client.get("/api/documents?agency=qingdao-finance").json()
    assert [d["id"] for d in listed["results"]] == [document.pk]
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "needs_review" in schema["AgencyOut"]["properties"]
    assert "co_issuers" in schema["DocumentOut"]["properties"]


def test_ingest_json_reports_issuers_as_written_and_as_matched(agencies, tmp_path):
    path = tmp_path / "joint.txt"
    path.write_text(JOINT, encoding="utf-8")
    out = StringIO()
    call_command("ingest", str(path), "--json", stdout=out, stderr=StringIO())
    [result] = json.loads(out.getvalue())
    agency = result["document"]["agency"]
    assert agency["as_written"] == "澜溪市商务局" and agency["created"] is True
    assert agency["name_zh"] == "澜溪市商务局" and agency["needs_review"] is True
    assert result["document"]["co_issuers"] == [
        {
            "key": "qingdao-finance",
            "name_zh": "青岛市财政局",
            "name_en": "Qingdao Municipal Finance Bureau",
            "as_written": "青岛市财政局",
            "created": False,
            "needs_review": False,
        }
    ]
    assert any(w.startswith("issuer:") for w in result["warnings"])


PAGE = """<html><head><link rel="canonical" href="{url}"><title>{title}</title></head>
<body><h1>{title}</h1><p>1.{first}。具体内容。</p><p>2.第二项。具体内容。</p></body></html>"""


def test_two_unrelated_index_pages_stay_two_notices_and_a_url_keeps_its_versions(agencies):
    a = ingest(PAGE.format(url="https://a.example/1", title="甲通知", first="甲"), "a/index.html")
    b = ingest(PAGE.format(url="https://b.example/2", title="乙通知", first="乙"), "b/index.html")
    assert a.document.notice_key != b.document.notice_key
    assert a.document.source_url == "https://a.example/1"
    changed = PAGE.format(url="https://a.example/1", title="甲通知（修订）", first="甲改")
    again = ingest(changed, "a/index.html")
    assert again.document.notice_key == a.document.notice_key and again.document.version == 2


def test_without_a_url_the_number_and_issuer_key_the_notice(agencies):
    first = ingest(JOINT, "copy-1.txt").document
    second = ingest(JOINT.replace("50%", "40%"), "other-name.txt").document
    assert second.notice_key == first.notice_key and second.version == 2
    assert Document.objects.filter(notice_key=first.notice_key).count() == 2
