"""The five seed notices, end to end, as a careful curator would split them."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def texts(document):
    return [m.texts.get() for m in document.measures.order_by("number")]


def test_000_qingdao_six_actions(seeds):
    doc = seeds["000"]
    assert doc.found_measures == 6
    assert doc.agency.name_zh == "青岛市民营经济发展局"
    assert doc.issued_on == dt.date(2022, 3, 29)
    assert doc.published_on == dt.date(2022, 6, 28)
    assert "2022-06-28 0 By" not in doc.cleaned_text
    assert "financial factors" in texts(doc)[1].text


def test_001_miit_eighteen_of_twenty_flagged_incomplete(seeds):
    doc = seeds["001"]
    assert doc.found_measures == 18 and doc.announced_measures == 20
    assert doc.is_incomplete and any("20" in w and "18" in w for w in doc.warnings)
    assert doc.agency.key == "miit"
    assert doc.issued_on == dt.date(2020, 2, 9)
    assert len({m.section_number for m in doc.measures.all()}) == 5
    assert texts(doc)[8].title.startswith("Strengthen financing guarantee services")
    for junk in (
        "Copyright",
        "• Detail",
        "construction machinery",
        "testing machine",
        "lubricating oil",
    ):
        assert junk.lower() not in doc.cleaned_text.lower()
        assert all(junk.lower() not in t.text.lower() for t in texts(doc))


def test_002_qingdao_131_project_traditional_without_spam(seeds):
    doc = seeds["002"]
    assert (doc.language, doc.script) == ("zh", "hant")
    assert doc.agency.name_zh == "青岛市经济和信息化委员会"
    assert doc.issued_on == dt.date(2017, 6, 27)
    assert doc.found_measures >= 6
    everything = doc.cleaned_text + "".join(t.text + t.title for t in texts(doc)) + doc.title
    for spam in ("国产", "婷婷", "香蕉", "(yè)", "[編輯", "版權稿件", "熱門推薦"):
        assert spam not in everything
    values = {t["value"] for m in doc.measures.all() for t in m.targets}
    assert {100, 300, 1000} <= values


def test_003_henan_three_policy_packages_with_targets(seeds):
    doc = seeds["003"]
    assert doc.found_measures == 3
    assert doc.agency.name_zh == "河南省工业和信息化厅"
    assert doc.issued_on == dt.date(2022, 2, 9)
    values = {t["value"] for m in doc.measures.all() for t in m.targets}
    assert {10000, 2500, 1000, 100} <= values


def test_004_qingdao_29_measures_in_seven_sections_with_targets(seeds):
    doc = seeds["004"]
    assert doc.found_measures == 29
    assert len({m.section_number for m in doc.measures.all()}) == 7
    assert doc.agency.name_zh == "青岛市民营经济发展局"
    assert doc.issued_on.year == 2023 and doc.issued_precision == "year"
    assert doc.title_zh == "青岛市民营经济发展局2023年工作要点"
    measure_10 = doc.measures.get(number=10)
    assert any(t["value"] == 120 and t["unit"] == "亿元" for t in measure_10.targets)
    assert texts(doc)[0].title == "进一步发挥统筹协调作用"
    assert "扫一扫" not in doc.cleaned_text


def test_seeds_load_as_published_and_show_on_the_site(seeds, client):
    body = client.get("/en/documents/").content.decode()
    assert body.count('class="card"') == 5
    page = client.get(f"/zh-hant/documents/{seeds['004'].pk}/").content.decode()
    assert "進一步發揮統籌協調作用" in page  # Simplified original shown in Traditional


def test_measures_are_tagged(seeds):
    measure = seeds["004"].measures.get(number=10)
    kinds = set(measure.tags.values_list("kind", flat=True))
    assert "support_type" in kinds


def test_document_type_is_named_in_the_interface_language(seeds, client):
    assert "Work points" in client.get(f"/en/documents/{seeds['004'].pk}/").content.decode()
    assert "新聞報道" in client.get(f"/zh-hant/documents/{seeds['001'].pk}/").content.decode()
