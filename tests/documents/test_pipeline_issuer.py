"""The issuer comes from where notices state it, and matches the registry or nothing."""

from __future__ import annotations

import pytest

from documents.pipeline import AgencyRef, parse
from documents.pipeline.issuer import Registry, level_of, places_in_name

REGISTRY = [
    AgencyRef("miit", ["工业和信息化部", "Ministry of Industry and Information Technology", "工信部"], "China", "全国", "national"),
    AgencyRef("qd-miit", ["青岛市工业和信息化局", "市工业和信息化局", "市工信局"], "Qingdao", "青岛", "municipal"),
    AgencyRef("qd-finance", ["青岛市财政局", "市财政局"], "Qingdao", "青岛", "municipal"),
    AgencyRef("qd-gov", ["青岛市人民政府", "Qingdao Municipal Government"], "Qingdao", "青岛", "municipal"),
    AgencyRef("zz-finance", ["郑州市财政局", "市财政局"], "Zhengzhou", "郑州", "municipal"),
]  # fmt: skip


def issuer(text: str, agencies=REGISTRY):
    notice = parse(text.encode("utf-8"), name="n.txt", agencies=agencies)
    return notice


def names(notice) -> list[str]:
    return [i.as_written for i in notice.issuers]


def test_the_title_names_the_issuer():
    n = issuer("澜溪市商务局关于印发澜溪市促消费若干措施的通知\n1.发放消费券。\n2.举办促销活动。")
    assert names(n) == ["澜溪市商务局"]
    lead = n.issuers[0]
    assert lead.key is None and lead.can_be_created
    assert (lead.level, lead.region_zh, lead.region) == ("municipal", "澜溪", "Lanxi")


def test_a_joint_title_names_lead_and_co_issuers_in_order():
    n = issuer("澜溪市商务局、澜溪市财政局关于支持外贸的通知\n1.补贴展位费。\n2.补贴保费。")
    assert names(n) == ["澜溪市商务局", "澜溪市财政局"]
    assert [i.as_written for i in n.co_issuers] == ["澜溪市财政局"]


def test_the_signature_block_names_the_issuers_when_the_title_does_not():
    text = "关于开展服务月活动的通知\n各单位：\n1.开展培训。\n2.开展对接。\n\n青岛市工业和信息化局\n青岛市财政局\n2024年4月8日\n"
    n = issuer(text)
    assert [i.key for i in n.issuers] == ["qd-miit", "qd-finance"]
    assert str(n.issued_on) == "2024-04-08"


def test_bodies_only_cited_in_the_text_are_never_the_issuer():
    text = (
        "关于组织申报专精特新企业的通知\n根据工业和信息化部有关要求，参照青岛市工业和信息化局的做法，"
        "现组织申报。\n1.申报条件。\n2.申报材料。"
    )
    n = issuer(text)
    assert n.issuers == [] and n.agency_key is None
    assert any(w.startswith("issuer: not stated") for w in n.warnings)


def test_a_city_not_in_the_registry_gets_a_new_agency_not_the_registered_namesake():
    n = issuer(
        "烟霞市工业和信息化局关于申报的通知\n1.申报条件。\n2.申报材料。\n根据青岛市工业和信息化局做法。"
    )
    assert n.issuers[0].key is None and n.issuers[0].region_zh == "烟霞"
    assert any("not registered" in w for w in n.warnings)


def test_a_name_without_its_region_is_credited_only_where_the_notice_says_which():
    signed = "\n1.开展培训。\n2.开展对接。\n\n市工信局\n2024年2月19日"
    assert issuer("青岛市2024年中小企业服务安排" + signed).agency_key == "qd-miit"
    unknown = issuer("2024年中小企业服务安排" + signed)
    assert unknown.agency_key is None and not unknown.issuers[0].can_be_created
    assert any("without its region" in w for w in unknown.warnings)
    # a short name two cities share is left to the region the notice names
    shared = "\n1.拨付资金。\n2.绩效评价。\n\n市财政局\n2024年3月1日"
    assert issuer("郑州市财政专项资金管理安排" + shared).agency_key == "zz-finance"


def test_a_metadata_field_names_the_issuer_and_a_newspaper_source_does_not():
    n = issuer("标题：支持措施\n发文机关：澜溪市人民政府办公室\n1.减租。\n2.降费。")
    assert names(n) == ["澜溪市人民政府办公室"]
    news = issuer("澜溪推出八条措施\n来源：澜溪日报\n1.减租。\n2.降费。")
    assert news.issuers == []


def test_a_taiwan_letter_is_issued_by_its_header_not_its_recipients():
    text = (
        "雲嶺縣政府　函\n受文者：經濟部\n發文日期：中華民國113年2月27日\n發文字號：府產字第1130045678號\n"
        "主旨：檢送補助計畫。\n說明：\n一、補助對象為小型企業。\n二、補助上限15萬元。\n正本：經濟部\n副本：工業和信息化部"
    )
    n = issuer(text)
    assert names(n) == ["雲嶺縣政府"] and n.issuers[0].level == "district"
    assert n.doc_number == "府產字第1130045678號"
    assert str(n.issued_on) == "2024-02-27"


def test_a_press_release_names_its_issuer_in_its_first_sentence():
    text = (
        "Maple Bay helps shops\n\nMAPLE BAY, May 2 — The Maple Bay Municipal Bureau of Commerce "
        "announced on Thursday five measures, the Ministry of Industry and Information Technology said."
        "\n\nFirst, rents fall.\n\nSecond, fees fall."
    )
    n = issuer(text)
    assert names(n) == ["Maple Bay Municipal Bureau of Commerce"]
    assert n.issuers[0].level == "municipal" and n.issuers[0].region == "Maple Bay"
    zh = issuer(
        "青禾出台八条措施\n记者从青禾市商务局获悉，近日青禾市商务局印发《八条措施》。\n一是补贴。二是奖励。"
    )
    assert names(zh) == ["青禾市商务局"]


def test_an_english_title_and_a_registered_ministry():
    n = issuer(
        "Notice of the Ministry of Industry and Information Technology on Financing\n\n"
        "1. Expand credit.\n2. Cut fees.\n\nMinistry of Industry and Information Technology\nAugust 3, 2023"
    )
    assert n.agency_key == "miit" and str(n.issued_on) == "2023-08-03"


def test_a_joint_number_with_one_issuer_found_is_flagged():
    n = issuer("澜溪市商务局关于外贸的通知\n澜商联发〔2024〕3号\n1.补贴。\n2.奖励。")
    assert any("joint notice" in w for w in n.warnings)


@pytest.mark.parametrize(
    ("name", "level", "places"),
    [
        ("工业和信息化部", "national", []),
        ("国家市场监督管理总局", "national", []),
        ("云泽省人民政府", "provincial", ["云泽省"]),
        ("丰源市市场监督管理局", "municipal", ["丰源市"]),
        ("山东省青岛市民营经济发展局", "municipal", ["山东省", "青岛市"]),
        ("鹿溪县商务局", "district", ["鹿溪县"]),
        ("国家税务总局青岛市税务局", "municipal", ["青岛市"]),
        ("Yunze Provincial Department of Commerce", "provincial", ["Yunze"]),
        ("Lanting District Government of Heyuan City", "district", ["Heyuan", "Lanting"]),
        ("Ministry of Commerce", "national", []),
        ("市工信局", None, []),
    ],
)
def test_level_and_region_are_read_from_the_name(name, level, places):
    assert level_of(name) == level
    assert [p.name for p in places_in_name(name)] == places


def test_registry_matching_needs_the_whole_name():
    registry = Registry(REGISTRY)
    assert registry.match("青岛市工业和信息化局").key == "qd-miit"
    assert registry.match("青島市工業和信息化局").key == "qd-miit"  # traditional script
    assert registry.match("青岛市工业和信息化局办公室").key is None  # a different body
    assert registry.match("烟霞市工信局").key is None
    assert registry.match("the ministry of industry and information technology").key == "miit"


def test_a_taiwan_announcement_header_names_its_issuer_even_as_the_first_line():
    n = issuer(
        "苗山縣政府　公告\n主旨：公告補助要點，自中華民國112年9月1日生效。\n一、補助對象。\n二、補助內容。"
    )
    assert names(n) == ["苗山縣政府"]
    assert str(n.effective_on) == "2023-09-01"  # 生效 without 起
