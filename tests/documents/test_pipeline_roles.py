"""Dates by role, document numbers in every form, metadata fields, hard wrapping, pages."""

from __future__ import annotations

from datetime import date

import pytest

from documents.pipeline import clean, extract, find_fields, parse, split
from documents.pipeline.extract import extract_page
from documents.pipeline.fields import ISSUED, ISSUER, NUMBER, PUBLISHED
from documents.pipeline.metadata import find_dates, find_doc_number, parse_date


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("15 April 2024", date(2024, 4, 15)),
        ("15th of April, 2024", date(2024, 4, 15)),
        ("April 15, 2024", date(2024, 4, 15)),
        ("Apr. 15 2024", date(2024, 4, 15)),
        ("2024-04-15", date(2024, 4, 15)),
        ("2024/4/15", date(2024, 4, 15)),
        ("2024年4月15日", date(2024, 4, 15)),
        ("二〇二四年四月十五日", date(2024, 4, 15)),
        ("中華民國113年4月15日", date(2024, 4, 15)),
        ("民国一一三年四月十五日", date(2024, 4, 15)),
        ("113-04-15", date(2024, 4, 15)),  # ROC year in a Taiwan page's date field
        ("no date here", None),
        ("2024年2月30日", None),
    ],
)
def test_a_date_in_any_usual_form(written, expected):
    found = parse_date(written)
    assert (found[0] if found else None) == expected


def test_the_effective_date_is_never_the_issue_date():
    info = find_dates("本办法自2024年5月1日起施行。")
    assert info.issued_on is None
    info = find_dates("These measures take effect from July 1, 2024.")
    assert info.issued_on is None


def test_a_press_release_keeps_issue_and_release_apart():
    text = (
        "The bureau announced ten measures, which were issued on April 26, 2024 and released "
        "to the public on 2 May 2024."
    )
    info = find_dates(text)
    assert (info.issued_on, info.published_on) == (date(2024, 4, 26), date(2024, 5, 2))


def test_the_metadata_table_gives_issue_and_publication_dates():
    info = find_dates("正文", issued_field="2024年03月18日", published_field="2024-03-20 09:30")
    assert (info.issued_on, info.published_on) == (date(2024, 3, 18), date(2024, 3, 20))


def test_the_reporters_date_is_not_the_issue_date():
    info = find_dates("记者8月8日从青禾市商务局获悉，近日青禾市商务局印发《措施》。")
    assert info.issued_on is None


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("沧政办发〔2024〕7号\n正文", None, "沧政办发〔2024〕7号"),
        ("金人社联【2024】8号", None, "金人社联〔2024〕8号"),
        ("鲁政字(2023)第15号", None, "鲁政字〔2023〕第15号".replace("第", "")),
        ("發文字號：府產字第1130045678號", None, "府產字第1130045678號"),
        ("經中字第11200123450號函", None, "經中字第11200123450號"),
        ("Yun Shang Fa [2024] No. 6", None, "Yun Shang Fa [2024] No. 6"),
        ("General Office\nNo. 15 [2023]\nTo all districts", None, "No. 15 [2023]"),
        ("见正文", "Gang Shang Fa [2024] No. 17", "Gang Shang Fa [2024] No. 17"),
        # a number cited after a document's title is that document's, not this notice's
        ("根据《促进办法》（国发〔2023〕5号），制定本措施。", None, None),
    ],
)
def test_document_numbers_in_every_form(text, field, expected):
    assert find_doc_number(text, field=field) == expected


def test_fields_of_a_table_an_info_line_and_a_letter_header():
    lines = [
        "| 发文机关： | 沧澜市人民政府办公室 | 成文日期： | 2024年03月18日 |",
        "| 标 题： | 关于…的通知 |",
        "发布时间：2024-03-12　　来源：南屿区科学技术局　　浏览次数：256",
        "發文字號：府產字第1130045678號",
        "正本：經濟部",
        "一、补助对象：小型企业。",  # a measure, not a field
    ]
    fields = find_fields(lines)
    assert fields.get(ISSUER) == "沧澜市人民政府办公室"
    assert fields.get(ISSUED) == "2024年03月18日"
    assert fields.get(PUBLISHED) == "2024-03-12"
    assert fields.get(NUMBER) == "府產字第1130045678號"
    assert fields.recipients == ["經濟部"]
    assert 5 not in fields.lines


def _wrapped() -> str:
    """A translation hard-wrapped at 56 columns, as a plain-text copy arrives."""
    import textwrap

    paragraphs = [
        "Chapter I General Provisions",
        "Article 1. These Measures are formulated to help small and medium-sized"
        " enterprises stabilise orders and expand their markets.",
        "Article 2. These Measures apply to enterprises registered in the province whose"
        " trade did not exceed the limit in the previous year, and the thresholds of"
        " Article 3 of these Measures are measured with customs statistics.",
        "Chapter II Market Expansion",
        "Article 3. Support for trade fairs. The fund covers these costs:",
        "(a) up to 70 percent of the booth fee for a key exhibition;",
        "(b) one round-trip ticket for each of no more than two staff members of the enterprise.",
    ]
    return "\n".join(line for p in paragraphs for line in textwrap.wrap(p, 56))


def test_hard_wrapped_articles_are_unwrapped_and_cross_references_kept_inside():
    wrapped = _wrapped()
    assert "\nArticle 3 of these Measures" in wrapped  # a wrapped line opens with it
    text = clean(wrapped).text
    r = split(text, language="en")
    assert [m.label for m in r.measures] == ["Article 1.", "Article 2.", "Article 3."]
    assert "the thresholds of Article 3 of these Measures are" in r.measures[1].text
    assert "Chapter II" not in r.measures[1].text  # the next chapter's heading stays out
    assert "(b) one round-trip ticket" in r.measures[2].text
    assert [s.title for s in r.sections] == ["General Provisions", "Market Expansion"]
    assert [m.section_number for m in r.measures] == [1, 1, 2]


def test_text_that_is_not_hard_wrapped_keeps_its_lines():
    text = "".join(f"{n}.加强第{n}项指导，做好相关工作，推动企业发展。\n" for n in range(1, 13))
    assert clean(text).text == text.strip("\n")


def test_a_summary_box_before_ordinal_paragraphs_is_not_the_measures():
    text = (
        "At a glance:\n① Rent relief\n② Cheaper payments\n③ Vouchers\n\n"
        "First, rents fall for three months.\n\nSecond, card fees fall.\n\n"
        "Third, vouchers are issued.\n\nLastly, a hotline answers questions."
    )
    r = split(text, language="en")
    assert [m.label for m in r.measures] == ["First,", "Second,", "Third,", "Lastly,"]
    assert all("Rent relief" not in m.text for m in r.measures)


def test_paragraphs_with_inline_headings_are_sections_of_their_enumerations():
    text = (
        "一、强化要素保障。一是保障用电。二是保障用工。三是保障物流。\n"
        "二、加大金融支持。一是扩大信贷。二是降低成本。"
    )
    r = split(text, language="zh")
    assert [s.title for s in r.sections] == ["强化要素保障", "加大金融支持"]
    assert [(m.label, m.section_number) for m in r.measures] == [
        ("一是", 1), ("二是", 1), ("三是", 1), ("一是", 2), ("二是", 2),
    ]  # fmt: skip
    assert r.measures[0].text == "保障用电。"
    assert all("强化" not in m.text for m in r.measures)  # no heading inside a measure


def test_unnumbered_paragraphs_open_with_their_section_heading():
    text = "减轻经营负担。一是免收租金。二是缓缴社保。\n强化金融扶持。一是降低担保费。二是设立贷款额度。"
    r = split(text, language="zh")
    assert [s.title for s in r.sections] == ["减轻经营负担", "强化金融扶持"]
    assert [m.section_number for m in r.measures] == [1, 1, 2, 2]


def test_a_speakers_clause_is_not_a_section_heading():
    text = "负责人介绍，一是开展服务。二是建设平台。\n另一段落介绍，一是培育基地。二是建设园区。"
    assert split(text, language="zh").sections == []


def test_decimal_items_under_heading_lines():
    text = (
        "1. Lower operating costs\n1.1 Reduce rents. Three months free.\n1.2 Reduce utility costs. Fees waived.\n"
        "2. Improve financing\n2.1 Expand guarantees. Two billion yuan."
    )
    r = split(text, language="en")
    assert [s.title for s in r.sections] == ["Lower operating costs", "Improve financing"]
    assert [m.label for m in r.measures] == ["1.1", "1.2", "2.1"]


def test_an_inner_list_stays_inside_its_measure():
    text = "1.贴息对象。包括：\n（1）高校毕业生；\n（2）退役军人。\n2.贴息标准。最高300万元。"
    r = split(text, language="zh")
    assert len(r.measures) == 2 and r.measures[0].text.endswith("（2）退役军人。")


PAGE = """<html><head><title>通知_政策文件_某网站</title>
<link rel="canonical" href="https://example.gov.example/a/1.html"></head><body>
<table><tr><td>发文机关：</td><td>澜溪市人民政府办公室</td><td>成文日期：</td><td>2024年03月18日</td></tr>
<tr><td>发文字号：</td><td>澜政办发〔2024〕7号</td><td>发布日期：</td><td>2024年03月20日</td></tr></table>
<h1>澜溪市人民政府办公室关于印发支持措施的通知</h1>
<p>各区人民政府：</p><ol><li>加大财政支持。设立发展资金。</li><li>强化金融服务。扩大首贷。</li></ol>
</body></html>"""


def test_a_page_gives_its_title_metadata_address_and_numbered_list():
    page = extract_page(PAGE)
    assert page.title == "澜溪市人民政府办公室关于印发支持措施的通知"
    assert page.source_url == "https://example.gov.example/a/1.html"
    assert ("发文机关", "澜溪市人民政府办公室") in page.fields
    assert "1. 加大财政支持" in page.text and "2. 强化金融服务" in page.text
    n = parse(PAGE.encode(), name="index.html", agencies=[])
    assert (n.issued_on, n.published_on) == (date(2024, 3, 18), date(2024, 3, 20))
    assert n.doc_number == "澜政办发〔2024〕7号" and n.source_url.endswith("/a/1.html")
    assert [i.as_written for i in n.issuers] == ["澜溪市人民政府办公室"]
    assert len(n.measures) == 2
    assert extract("plain text\n") == "plain text\n"
