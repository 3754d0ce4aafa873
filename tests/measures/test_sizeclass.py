"""The national SME size standard, at and around every threshold of its data file."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from measures.sizeclass import DATA, INDICATORS, classify, explain, standard, stated_sizes

RAW = json.loads(DATA.read_text(encoding="utf-8"))
INDUSTRIES = [i["key"] for i in RAW["industries"]]
HUGE = 10**9


def figures(industry: dict, bounds: dict, *, delta: int = 0) -> dict:
    """Every indicator of the industry at `bounds` (+delta), the others far above."""
    return {k: bounds[k] + delta for k in industry["ceiling"]}


def test_the_data_file_names_its_source_and_year():
    s = standard()
    assert s.document_number == "工信部联企业〔2011〕300号"
    assert s.year == 2011 and s.title_zh == "中小企业划型标准规定"
    assert len(s.industries) == len(RAW["industries"]) >= 16


@pytest.mark.parametrize("key", INDUSTRIES)
def test_each_class_starts_exactly_at_its_lower_bound(key):
    raw = next(i for i in RAW["industries"] if i["key"] == key)
    industry = standard().industry(key)
    assert classify(industry, **figures(raw, raw["medium"])).size == "medium"
    assert classify(industry, **figures(raw, raw["small"])).size == "small"
    assert classify(industry, **figures(raw, raw["small"], delta=-1)).size == "micro"
    # one below the medium bound is small
    assert classify(industry, **figures(raw, raw["medium"], delta=-1)).size == "small"


@pytest.mark.parametrize("key", INDUSTRIES)
def test_the_ceiling_is_exclusive_and_either_indicator_under_it_makes_an_sme(key):
    raw = next(i for i in RAW["industries"] if i["key"] == key)
    industry = standard().industry(key)
    assert classify(industry, **figures(raw, raw["ceiling"])).size == "large"
    assert classify(industry, **figures(raw, raw["ceiling"], delta=-1)).size == "medium"
    indicators = list(raw["ceiling"])
    if len(indicators) > 1:
        for k in indicators:
            values = figures(raw, raw["ceiling"], delta=HUGE)
            values[k] = raw["ceiling"][k] - 1  # only this one under the ceiling
            assert classify(industry, **values).size in {"medium", "small", "micro"}


@pytest.mark.parametrize("key", INDUSTRIES)
def test_medium_and_small_need_both_indicators_and_micro_needs_either(key):
    raw = next(i for i in RAW["industries"] if i["key"] == key)
    industry = standard().industry(key)
    indicators = list(raw["ceiling"])
    if len(indicators) < 2:
        pytest.skip("single-indicator industry")
    for k in indicators:
        values = figures(raw, raw["medium"])
        values[k] = raw["medium"][k] - 1
        assert classify(industry, **values).size == "small", k  # falls one class
        values = figures(raw, raw["small"])
        values[k] = raw["small"][k] - 1
        assert classify(industry, **values).size == "micro", k


def test_a_missing_indicator_leaves_the_class_unknown_and_says_which():
    industry = standard().industry("industry")
    result = classify(industry, employees=80)
    assert result.size is None and result.missing == ["revenue"]
    with translation.override("en"):
        assert "annual revenue" in explain(result, chinese=False)
    with translation.override("zh-hans"):
        assert "营业收入" in explain(result, chinese=True)


def test_the_derivation_reads_like_the_standard():

    result = classify(standard().industry("industry"), employees=80, revenue=5000)
    assert result.size == "small"
    with translation.override("en"):
        text = explain(result, chinese=False)
    assert text.startswith("industry: Industry")
    assert "80 employees ≥ 20 and revenue CNY 50 million ≥ CNY 3 million → small" in text
    with translation.override("zh-hans"):
        text = explain(result, chinese=True)
    assert text.startswith("行业：工业")
    assert "从业人员80人 ≥ 20人且营业收入5,000万元 ≥ 300万元 → 小型" in text


def test_indicators_are_only_the_known_ones():
    for item in RAW["industries"]:
        assert set(item["ceiling"]) <= set(INDICATORS)


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("对小微企业贷款给予贴息", {"small", "micro"}),
        ("对小型微型企业减半征收", {"small", "micro"}),
        ("对符合条件的微型企业给予一次性补助", {"micro"}),
        ("中型企业可申请技术改造补贴", {"medium"}),
        ("Loans for small and micro enterprises are guaranteed", {"small", "micro"}),
        ("Grants to micro businesses", {"micro"}),
        ("支持中小企业发展", None),
        ("推动中小微企业数字化", None),
        ("促进大中小企业融通发展，对小微企业给予支持", None),
        ("support for small and medium-sized enterprises", None),
        ("SMEs may apply", None),
        ("中国企业走出去", None),
        ("完善小学教育", None),
        ("", None),
    ],
)
def test_stated_size_limits_follow_how_the_text_names_sizes(text, sizes):
    found = stated_sizes(text)
    assert (set(found) if found else None) == sizes


@pytest.mark.django_db
def test_stored_measures_get_their_size_tags_afresh(agencies, tags):
    from measures.models import Measure
    from measures.services import measures_size_tags_refresh
    from tests.measures.builders import notice

    document = notice("miit", "对小微企业贷款给予贴息。", "支持中小企业发展。")
    first = document.measures.get(number=1)
    assert {t.slug for t in first.tags.all()} >= {"size-small", "size-micro"}
    Measure.tags.through.objects.filter(tag__kind="size_class").delete()
    assert measures_size_tags_refresh() == 1
    assert {t.slug for t in first.tags.all() if t.kind == "size_class"} == {
        "size-small",
        "size-micro",
    }
    assert not [t for t in document.measures.get(number=2).tags.all() if t.kind == "size_class"]
