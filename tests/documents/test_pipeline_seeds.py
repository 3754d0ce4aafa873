"""Acceptance tests: the five seed notices go through the whole pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from documents.pipeline import AgencyRef, parse

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

AGENCIES = [
    AgencyRef(
        "qd-private-economy",
        [
            "青岛市民营经济发展局",
            "Qingdao Municipal Bureau of Private Economy",
            "Qingdao Private Economic Bureau",
            "Qingdao Bureau of Private Economic Affairs",
            "Qingdao Private Economic Development Bureau",
            "Municipal Bureau of Private Economy",
        ],
        "青岛",
    ),
    AgencyRef(
        "miit",
        ["工业和信息化部", "Ministry of Industry and Information Technology", "MIIT"],
        "全国",
    ),
    AgencyRef(
        "henan-iit",
        [
            "河南省工业和信息化厅",
            "Henan Provincial Department of Industry and Information Technology",
            "Provincial Department of Industry and Information Technology",
        ],
        "河南",
    ),
    AgencyRef(
        "qd-eitc",
        [
            "青岛市经济和信息化委员会",
            "Qingdao Municipal Economic and Information Technology Commission",
            "市经信委",
        ],
        "青岛",
    ),
    # a decoy sharing the short alias, disambiguated by region
    AgencyRef("zz-eitc", ["郑州市经济和信息化委员会", "市经信委"], "郑州"),
    AgencyRef(
        "zz-private-economy",
        ["郑州市民营经济发展局", "Municipal Bureau of Private Economy"],
        "郑州",
    ),
]


def _seed(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return parse(path.read_bytes(), name=path.name, agencies=AGENCIES)


@pytest.fixture(scope="module")
def seeds():
    return {p: _seed(p) for p in ("000", "001", "002", "003", "004")}


def _targets(measure):
    return {(t.value, t.unit, t.comparator) for t in measure.targets}


def test_all_spans_recover_text(seeds):
    for notice in seeds.values():
        for m in notice.measures:
            assert notice.text[m.start : m.end] == m.text


def test_000_six_actions(seeds):
    n = seeds["000"]
    assert (n.language, n.script) == ("en", "latn")
    assert len(n.measures) == 6
    assert [m.label for m in n.measures] == ["First", "Second", "Third", "Fourth", "Fifth", "Sixth"]
    assert n.issued_on == date(2022, 3, 29) and n.issued_precision == "day"
    assert n.published_on == date(2022, 6, 28)
    assert n.agency_key == "qd-private-economy"
    assert "2022-06-28 0 By" in n.removed and "2022-06-28 0 By" not in n.text
    assert "In the next step" not in n.measures[-1].text
    assert n.announced == 6
    assert not any(w.startswith("announces") for w in n.warnings)


def test_001_miit_twenty_measures(seeds):
    n = seeds["001"]
    assert len(n.measures) == 18
    assert len(n.sections) == 5
    assert [s.label for s in n.sections] == ["first,", "II.", "III.", "IV.", "v."]
    assert [m.number for m in n.measures] == list(range(1, 19))
    assert n.agency_key == "miit"
    assert n.issued_on == date(2020, 2, 9)
    assert n.published_on == date(2022, 9, 22)
    assert n.announced == 20
    assert any("20" in w and "18" in w for w in n.warnings)
    assert any("cut off" in w for w in n.warnings)
    for junk in (
        "Copyright",
        "• Detail",
        "China Construction machinery information",
        "testing machine",
        "lubricating oil",
    ):
        assert junk not in n.text
    assert n.measures[8].title == "Strengthen financing guarantee services"
    assert n.measures[0].section_number == 1 and n.measures[17].section_number == 5
    assert "docking, and tap the local supply potential" in n.measures[2].text
    assert n.measures[10].text.endswith("help enterprises overcome difficulties")
    assert n.text.count("issued 20 policies and measures") == 1
    assert n.doc_type == "news report"


def test_002_traditional_131_project(seeds):
    n = seeds["002"]
    assert (n.language, n.script) == ("zh", "hant")
    assert n.agency_key == "qd-eitc"
    assert n.issued_on == date(2017, 6, 27)
    for junk in (
        "国产",
        "國產",
        "婷婷",
        "香蕉",
        "(yè)",
        "(fā)",
        "[編輯",
        "版權稿件",
        "熱門推薦",
        "小字體大字體",
        "半島客戶端",
    ):
        assert junk not in n.text
    assert "(" + "zhǎn" + ")" not in n.text
    assert n.title.startswith("中小微企業日")
    labels = [m.label for m in n.measures]
    assert labels.count("一是") == 2 and "四是" in labels
    assert [m.number for m in n.measures] == list(range(1, len(n.measures) + 1))
    values = {t.value for m in n.measures for t in m.targets}
    assert {100, 300, 1000, 200, 80, 25, 15} <= values
    annual = next(m for m in n.measures if "全年計劃" in m.text)
    assert (200, "家", ">=") in _targets(annual)
    assert any(t.value == 80 and t.value_max == 100 for t in annual.targets)
    titles = [s.title for s in n.sections]
    assert "設立10億元轉貸引導基金" in titles
    service = next(m for m in n.measures if m.label == "一是")
    assert service.section_title == "設立10億元轉貸引導基金"


def test_003_henan_packages(seeds):
    n = seeds["003"]
    assert n.language == "en"
    assert len(n.measures) == 3
    assert n.agency_key == "henan-iit"
    assert n.issued_on == date(2022, 2, 9)
    assert n.published_on == date(2022, 8, 21)
    assert "Editor: CAI Xiaoyu" not in n.text
    assert any(w.startswith("no enumerated measures") for w in n.warnings)
    scale = n.measures[1]
    assert {10000, 2500} <= {t.value for t in scale.targets}
    assert (2500, "enterprises", ">=") in _targets(scale)
    assert {1000, 100} <= {t.value for t in n.measures[2].targets}
    assert n.announced == 60


def test_004_qingdao_work_plan(seeds):
    n = seeds["004"]
    assert (n.language, n.script) == ("zh", "hans")
    assert len(n.measures) == 29 and len(n.sections) == 7
    assert n.measures[0].title == "进一步发挥统筹协调作用"
    assert (120, "亿元", ">=") in _targets(n.measures[9])
    assert {500, 200, 40} <= {t.value for t in n.measures[4].targets}
    assert {300, 50, 1} <= {t.value for t in n.measures[5].targets}
    assert "扫一扫" not in n.text
    assert n.title is None
    # The scrape states no issuer and no date: the curated sidecar gives them (below).
    assert n.agency_key is None and n.issued_on is None
    assert sorted(w.split(":")[0] for w in n.warnings) == ["issue date", "issuer"]
    assert n.measures[28].section_number == 7


def test_sidecar_overrides(seeds):
    path = next(SEEDS.glob("004_*.txt"))
    n = parse(
        path.read_bytes(),
        name=path.name,
        agencies=AGENCIES,
        sidecar={
            "title_zh": "2023年青岛市民营经济发展工作要点",
            "agency": "青岛市民营经济发展局",
            "issued_on": "2023",
            "doc_type": "工作要点",
            "announced_measures": 30,
        },
    )
    assert n.title == "2023年青岛市民营经济发展工作要点"
    assert n.agency_key == "qd-private-economy"
    assert n.issued_on == date(2023, 1, 1) and n.issued_precision == "year"
    assert n.doc_type == "工作要点"
    assert n.warnings == ["announces 30 measures, 29 found"]  # issuer and date: curated
