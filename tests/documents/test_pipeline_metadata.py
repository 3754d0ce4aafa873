"""Unit tests for metadata: language, agency, doc numbers, dates, doc types, targets, title."""

from __future__ import annotations

from datetime import date

import pytest

from documents.pipeline import (
    AgencyRef,
    detect_language,
    find_dates,
    find_doc_number,
    find_doc_type,
    find_targets,
    find_title,
    parse,
)


def test_detect_language():
    assert detect_language("关于进一步支持中小企业发展的通知") == ("zh", "hans")
    assert detect_language("關於進一步支持中小企業發展的通知") == ("zh", "hant")
    assert detect_language("The ministry issued twenty measures.") == ("en", "latn")
    assert detect_language(
        "The ministry (工业和信息化部) issued twenty measures for small firms."
    ) == ("en", "latn")


AGENCIES = [
    AgencyRef("qd", ["青岛市经济和信息化委员会", "市经信委"], "青岛"),
    AgencyRef("zz", ["郑州市经济和信息化委员会", "市经信委"], "郑州"),
    AgencyRef(
        "miit", ["工业和信息化部", "Ministry of Industry and Information Technology"], "全国"
    ),
]


def test_a_name_without_its_region_is_matched_only_where_the_notice_says_which():
    from documents.pipeline.issuer import Registry

    registry = Registry(AGENCIES)
    assert registry.match("青島市經信委", regions=set()).key == "qd"
    assert registry.match("市经信委", regions={"郑州"}).key == "zz"
    assert registry.match("市经信委", regions=set()).key is None
    assert registry.match("the ministry of industry and information technology").key == "miit"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("工信明电〔2020〕14号", "工信明电〔2020〕14号"),
        ("青政发[2023]5号文件", "青政发〔2023〕5号"),
        ("鲁政办字【2021】 102 号", "鲁政办字〔2021〕102号"),
        ("没有文号", None),
    ],
)
def test_find_doc_number(text, expected):
    assert find_doc_number(text) == expected


@pytest.mark.parametrize(
    "text,issued,precision",
    [
        ("各单位：\n现印发实施。\n2024年5月20日", date(2024, 5, 20), "day"),
        ("二〇二四年五月二十日印发", date(2024, 5, 20), "day"),
        ("民國113年5月20日發布", date(2024, 5, 20), "day"),
        ("中華民國一一三年五月二十日公布", date(2024, 5, 20), "day"),
        ("The notice was issued on May 20, 2024 by the ministry.", date(2024, 5, 20), "day"),
        ("The notice was issued on 20 May 2024.", date(2024, 5, 20), "day"),
    ],
)
def test_issue_dates(text, issued, precision):
    info = find_dates(text)
    assert (info.issued_on, info.issued_precision) == (issued, precision)


def test_year_inferred_from_body_not_page():
    text = "Title\n\n2022-09-22\n\nThe ministry issued the notice on February 9. The 2020 contest starts."
    info = find_dates(text)
    assert info.published_on == date(2022, 9, 22)
    assert info.issued_on == date(2020, 2, 9)


def test_the_page_date_is_the_issue_date_only_of_a_news_report_that_states_none():
    news = "标题\n2017-06-27 10:15 来源: 日报\n6月26日，记者采访了市经信委负责人。"
    assert find_dates(news).issued_on is None  # a page date is no issue date by itself
    report = parse(news.encode(), name="news.txt", agencies=[])
    assert report.doc_type == "news report" and report.issued_on == date(2017, 6, 27)
    assert any(w.startswith("issue date:") for w in report.warnings)
    notice = parse(
        "关于支持企业的通知\n2024-03-05\n1.减免房租。\n2.缓缴社保。".encode(),
        name="n.txt",
        agencies=[],
    )
    assert notice.issued_on is None and "issue date: not found" in notice.warnings


def test_doc_types():
    assert find_doc_type("正文", "关于支持中小企业发展的通知") == "通知"
    assert find_doc_type("正文", "关于印发促进民营经济发展实施方案的通知") == "通知"
    assert find_doc_type("正文", "2023年民营经济工作要点") == "工作要点"
    assert (
        find_doc_type(
            "On March 29, the bureau formulated a plan, the reporter said.",
            "Bureau implements six actions",
        )
        == "news report"
    )


def test_targets_chinese():
    targets = find_targets(
        "2023年，认定公告500家以上创新型中小企业；力争全年提供担保120亿元以上，办结率100%，"
        "举办2-3场，认定80~100项，不少于20场，第九届大赛，24条产业链，工信部〔2020〕14号",
        language="zh",
    )
    got = {(t.value, t.value_max, t.unit, t.comparator) for t in targets}
    assert (500, None, "家", ">=") in got
    assert (120, None, "亿元", ">=") in got
    assert (100, None, "%", None) in got
    assert (2, 3, "场", None) in got
    assert (80, 100, "项", None) in got
    assert (20, None, "场", ">=") in got
    assert not any(t.value in (2023, 9, 24, 14) for t in targets)
    assert next(t for t in targets if t.value == 500).period == "2023年"


def test_targets_english():
    text = (
        "Henan set a goal of adding 10,000 industrial enterprises during the 14th Five-Year Plan period, "
        "with no less than 2,500 enterprises to be added annually. The 2020 contest has 30% more entries."
    )
    targets = find_targets(text, language="en")
    got = {(t.value, t.unit, t.comparator) for t in targets}
    assert (10000, "enterprises", None) in got
    assert (2500, "enterprises", ">=") in got
    assert (30, "%", None) in got
    assert next(t for t in targets if t.value == 2500).period == "annually"
    assert not any(t.value == 2020 for t in targets)


def test_find_title():
    assert find_title(["", "关于支持中小企业发展的通知", "正文。"]) == "关于支持中小企业发展的通知"
    assert find_title(["一、总体要求", "1.加强领导。"]) is None
    assert find_title([]) is None


def test_parse_notice_without_measures():
    notice = parse(b"A short page with no list at all.", name="plain.txt", agencies=[])
    assert notice.measures == []
    assert "no enumerated measures found" in notice.warnings


def test_parse_huge_single_line_gives_a_result():
    # How long it takes is bench/pipeline_bench.py's figure, not a pass/fail here.
    data = ("支持中小企业发展，力争全年新增企业500家以上。" * 20000).encode("utf-8")
    notice = parse(data, name="huge.txt", agencies=AGENCIES)
    assert notice.language == "zh"
    assert "500家" in notice.text


@pytest.mark.parametrize(
    ("text", "effective", "expires"),
    [
        ("本措施自2023年1月1日起施行，有效期至2025年12月31日。", "2023-01-01", "2025-12-31"),
        ("本通知自印发之日起施行，有效期3年。", "2024-05-20", "2027-05-19"),
        ("本辦法自二〇二二年三月一日起實施。", "2022-03-01", None),
        (
            "These measures take effect from May 1, 2024 and remain valid until 31 December 2026.",
            "2024-05-01",
            "2026-12-31",
        ),
        ("The notice shall be valid for two years.", None, "2026-05-19"),
        ("一、加大财政支持力度。二、强化金融服务。", None, None),
    ],
)
def test_validity_dates_where_the_text_gives_them(text, effective, expires):
    from datetime import date

    from documents.pipeline.metadata import find_validity

    found = find_validity(text, issued_on=date(2024, 5, 20))
    assert (str(found.effective_on) if found.effective_on else None) == effective
    assert (str(found.expires_on) if found.expires_on else None) == expires


@pytest.mark.parametrize(
    "data",
    [
        "The Bureau of Commerce announced and issued measures on May 5 " * 20000,
        "2024年5月20日印发，" * 20000,
        "Article 3 of these rules apply to small firms and their\n" * 20000,
    ],
    ids=["english-without-sentence-ends", "thousands-of-dates", "hard-wrapped-cross-references"],
)
def test_a_huge_hostile_notice_still_gives_a_result(data):
    # How long it takes is bench/pipeline_bench.py's business, not a pass/fail here.
    notice = parse(data.encode("utf-8"), name="hostile.txt", agencies=AGENCIES)
    assert notice.text and notice.agency_key is None
