"""Unit tests for the split stage: one small text per numbering style."""

from __future__ import annotations

import pytest

from documents.pipeline import split


def _check_spans(text, result):
    for m in result.measures:
        assert text[m.start : m.end] == m.text


def test_cn_sections_only_are_measures():
    text = "一、加强组织领导。成立工作专班。\n二、加大资金支持。设立专项资金。\n三、优化营商环境。推行一网通办。"
    r = split(text, language="zh")
    assert [m.label for m in r.measures] == ["一、", "二、", "三、"]
    assert r.sections == []
    assert r.measures[1].title == "加大资金支持"
    _check_spans(text, r)


def test_cn_sections_with_paren_measures():
    text = (
        "一、总体要求\n（一）明确目标。到2025年培育企业100家。\n(二)强化考核。每年评估一次。\n"
        "二、保障措施\n（三）加强宣传。用好新媒体。"
    )
    r = split(text, language="zh")
    assert [s.title for s in r.sections] == ["总体要求", "保障措施"]
    assert [m.label for m in r.measures] == ["（一）", "(二)", "（三）"]
    assert [m.section_number for m in r.measures] == [1, 1, 2]
    assert r.measures[0].text.startswith("明确目标。")
    _check_spans(text, r)


def test_cn_articles():
    text = "第一条 为了促进中小企业发展，制定本办法。\n第二条 本办法适用于本市。\n第三条 本办法自发布之日起施行。"
    r = split(text, language="zh")
    assert [m.number for m in r.measures] == [1, 2, 3]
    assert r.measures[0].title == "为了促进中小企业发展，制定本办法"


@pytest.mark.parametrize("fmt", ["{n}.", "{n}、", "{n} ", "{n}．"])
def test_arabic_styles(fmt):
    from documents.pipeline import clean

    raw = "\n".join(
        fmt.format(n=n) + body
        for n, body in enumerate(
            ["加强指导。内容一。", "优化服务。内容二。", "强化保障。内容三。"], 1
        )
    )
    text = clean(raw).text
    r = split(text, language="zh")
    assert [m.number for m in r.measures] == [1, 2, 3]
    assert r.measures[2].title == "强化保障"
    _check_spans(text, r)


def test_sub_lists_stay_inside_measure():
    text = "1.加强融资支持。包括：\n(1)贷款贴息；\n(2)担保补贴。\n2.优化服务。提供培训。"
    r = split(text, language="zh")
    assert len(r.measures) == 2
    assert "(2)担保补贴。" in r.measures[0].text


def test_circled_numbers():
    text = "①完善政策体系。\n②加强服务平台建设。\n③健全工作机制。"
    r = split(text, language="zh")
    assert [m.number for m in r.measures] == [1, 2, 3]


def test_inline_cn_enumeration_numbered_continuously():
    text = (
        "服务品牌\n负责人介绍，一是开展志愿服务活动。二是推出金牌服务。三是建设融资平台。\n"
        "另一段落介绍，一是培育示范基地。二是建设产业园区。"
    )
    r = split(text, language="zh", title=None)
    assert [m.label for m in r.measures] == ["一是", "二是", "三是", "一是", "二是"]
    assert [m.number for m in r.measures] == [1, 2, 3, 4, 5]
    assert r.measures[0].text == "开展志愿服务活动。"
    _check_spans(text, r)


def test_roman_sections_and_english_measures():
    text = (
        "I. General requirements\n1. Strengthen guidance. Details here.\n2. Improve services. More.\n"
        "ii. Safeguards\n3. Ensure funding. Money.\niv. Other\n4. Monitor progress. Reports."
    )
    r = split(text, language="en")
    assert [s.label for s in r.sections] == ["I.", "ii.", "iv."]
    assert r.measures[0].title == "Strengthen guidance"
    assert [m.section_number for m in r.measures] == [1, 1, 2, 3]


def test_english_articles():
    text = "Article 1 These rules promote SMEs.\nArticle 2 They apply citywide.\nArticle 3 They take effect today."
    r = split(text, language="en")
    assert [m.label for m in r.measures] == ["Article 1", "Article 2", "Article 3"]


def test_english_ordinal_prose():
    text = (
        "The plan has three parts. First, we will cut fees. Fees fall.Second, we will add loans;"
        "Third, we will train staff. In the next step, the bureau will report."
    )
    r = split(text, language="en")
    assert [m.label for m in r.measures] == ["First", "Second", "Third"]
    assert r.measures[2].text == "we will train staff."
    assert r.announced is None


def test_numbering_gap_warning():
    text = "1.第一项。\n2.第二项。\n4.第四项。"
    r = split(text, language="zh")
    assert len(r.measures) == 3
    assert any("gap" in w and "3" in w for w in r.warnings)


def test_announced_mismatch_and_cut_off():
    text = (
        "The ministry issued 5 measures to help firms.\n\n1. Cut fees. Fees fall.\n\n"
        "2. Add loans. Banks lend.\n\n3. Train staff. Provide legal aid and"
    )
    r = split(text, language="en")
    assert r.announced == 5
    assert "announces 5 measures, 3 found" in r.warnings
    assert any("cut off" in w for w in r.warnings)


def test_announced_chinese():
    assert split("出台二十条措施支持中小企业。", language="zh").announced == 20
    assert split("青岛发布29条，助企纾困。", language="zh").announced == 29
    assert split("聚焦全市24条产业链。", language="zh").announced is None


def test_no_measures_is_a_warning_not_an_error():
    r = split("This is a plain paragraph about nothing in particular.", language="en")
    assert r.measures == []
    assert r.warnings == ["no enumerated measures found"]
    assert split("", language="zh").measures == []


def test_huge_single_line_does_not_crash():
    text = "支持企业发展，" * 50000
    r = split(text, language="zh")
    assert r.measures == []


def test_announced_with_words_between_count_and_noun():
    assert split("该中心推出六项服务举措。", language="zh").announced == 6
    assert split("依据自治条例第十二条。", language="zh").announced is None
    assert (
        split("The criteria in Article 3 of these Measures apply.", language="en").announced is None
    )
