"""Which measures apply to a company: place, size, recognitions, needs, with reasons."""

from __future__ import annotations

import pytest

from measures.matching import Profile, measures_match, places
from measures.sizeclass import classify, standard
from tests.measures.builders import notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(agencies, tags):
    return {
        "national": notice(
            "miit", "对中小企业贷款给予贴息支持，缓解融资难题。", "加强中小企业公共服务平台建设。"
        ),
        "qingdao": notice(
            "qingdao-gov",
            "对青岛市专精特新企业给予一次性奖励资金支持。",
            "鼓励企业开展数字化改造。",
        ),
        "henan": notice("henan-gov", "对河南省中小企业融资担保费给予补贴。"),
        "micro": notice("miit", "对微型企业给予房租减免补贴。"),
        "gazelle": notice("qingdao-gov", "对瞪羚企业给予研发补助。"),
    }


def profile_of(**kwargs) -> Profile:
    industry = standard().industry(kwargs.pop("industry", "industry"))
    employees, revenue = kwargs.pop("employees", 80), kwargs.pop("revenue", 5000)
    result = classify(industry, employees=employees, revenue=revenue)
    return Profile(size=result.size, classification=result, **kwargs)


def titles(groups) -> dict[str, list[str]]:
    return {g.key: [m.measure.texts.first().text for m in g.matches] for g in groups}


def reasons_of(groups, fragment: str) -> list[str]:
    for group in groups:
        for m in group.matches:
            if fragment in m.measure.texts.first().text:
                return m.reasons + m.uncertain
    raise AssertionError(f"{fragment} not in the result")


def test_places_know_that_qingdao_is_in_shandong(agencies):
    _provinces, cities = places()
    assert next(c for c in cities if c.region == "Qingdao").province == "Shandong"


def test_a_small_qingdao_manufacturer_that_is_specialised_gets_what_applies(base):
    profile = profile_of(province="Shandong", city="Qingdao", recognitions=["specialised-sme"])
    assert profile.size == "small"
    total, groups = measures_match(profile)
    found = [t for ts in titles(groups).values() for t in ts]
    assert any("贷款给予贴息" in t for t in found)  # national
    assert any("专精特新" in t for t in found)  # Qingdao and specialised
    assert not any("河南省" in t for t in found)  # Henan only
    assert not any("瞪羚" in t for t in found)  # reserved for gazelles
    assert any("微型企业" in t for t in found) is False  # micro only, this one is small
    reasons = reasons_of(groups, "专精特新")
    assert "your city: Qingdao" in reasons
    assert any(r.startswith("for ") and "Specialised" in r for r in reasons), reasons
    assert "national measure" in reasons_of(groups, "贷款给予贴息")
    assert "this measure does not state a size limit" in reasons_of(groups, "贷款给予贴息")
    assert total == len(found)


def test_a_medium_enterprise_does_not_get_a_micro_only_measure(base):
    medium = profile_of(employees=500, revenue=30000)
    assert medium.size == "medium"
    _total, groups = measures_match(medium)
    assert not any("微型企业" in t for ts in titles(groups).values() for t in ts)
    micro = profile_of(employees=5, revenue=100)
    assert micro.size == "micro"
    _total, groups = measures_match(micro)
    assert "size: micro" in reasons_of(groups, "微型企业")


def test_needs_group_the_result_and_say_why(base):
    profile = profile_of(province="Henan", needs=["finance", "rent"])
    _total, groups = measures_match(profile)
    found = titles(groups)
    assert list(found) == ["finance", "rent"]
    assert any("融资担保" in t for t in found["finance"])
    assert "matches your need: financing" in reasons_of(groups, "融资担保")
    assert "your province: Henan" in reasons_of(groups, "融资担保")
    assert all("公共服务" not in t for t in found["finance"])


def test_a_gazelle_gets_the_gazelle_measure(base):
    profile = profile_of(province="Shandong", city="Qingdao", recognitions=["gazelle"])
    _total, groups = measures_match(profile)
    assert any("瞪羚" in t for ts in titles(groups).values() for t in ts)
