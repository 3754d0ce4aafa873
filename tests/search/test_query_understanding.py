"""What people type: operators in both languages, the dictionary, owners' phrasings,
question words, partial matches, amounts, query forms, and why each hit matched."""

from __future__ import annotations

from decimal import Decimal

import pytest

from measures.search import amounts
from measures.search.service import measures_search

pytestmark = pytest.mark.django_db


def seeds_of(page) -> list[str]:
    return [f"{h.measure.document.source_name[:3]}-{h.measure.number}" for h in page.hits]


def texts_of(page) -> list[str]:
    return [" ".join(t.text for t in h.measure.texts.all()) for h in page.hits]


def search(q: str, **kw):
    return measures_search(q=q, page_size=kw.pop("page_size", 20), with_facets=False, **kw)


# --- operators (issue 13) ------------------------------------------------------------


def test_chinese_or_finds_at_least_what_each_side_finds(seeds):
    either = set(seeds_of(search("融资 OR 担保", page_size=100)))
    assert set(seeds_of(search("融资", page_size=100))) <= either
    assert set(seeds_of(search("担保", page_size=100))) <= either
    both = search("融资 担保", page_size=100)
    assert len(either) > (both.strict_count if both.partial else both.count)


def test_chinese_exclusion_removes_the_word_and_its_glossary_counterparts(seeds):
    plain = search("融资", page_size=100)
    excluded = search("融资 -担保", page_size=100)
    assert excluded.count < plain.count
    for text in texts_of(excluded):
        assert "担保" not in text and "擔保" not in text
        assert "guarantee" not in text.lower()  # the English counterpart goes too


def test_english_exclusion_does_not_leak_through_the_glossary(seeds):
    page = search("financing -guarantee", page_size=100)
    assert page.hits
    for text in texts_of(page):
        assert "guarantee" not in text.lower() and "担保" not in text and "擔保" not in text


def test_chinese_phrase_requires_the_words_together(seeds):
    quoted = search('"担保支持"', page_size=100)
    loose = search("担保 支持", page_size=100)
    assert quoted.hits and quoted.count < loose.count
    assert all("担保支持" in t for t in texts_of(quoted))
    assert search("“担保支持”").count == quoted.count  # Chinese quotation marks too


# --- dictionary, phrasings, question words -------------------------------------------


def test_a_plain_word_the_glossary_lacks_crosses_languages_through_the_dictionary(seeds):
    page = search("疫苗")  # only the English notice mentions vaccines
    hit = next(h for h in page.hits if "vaccines" in h.measure.texts.all()[0].text)
    assert {"word": "疫苗", "via": "dictionary", "term": "vaccine"} in hit.why["reasons"]


def test_the_glossary_wins_over_the_dictionary(seeds):
    page = search("融资担保")
    english = [h for h in page.hits if h.language == "en"]
    assert english
    assert all(r["via"] != "dictionary" for h in english for r in h.why["reasons"])


def test_question_words_are_not_required(seeds):
    question = search("交不起房租怎么办")
    assert question.query.dropped and "怎么办" in question.query.dropped
    assert seeds_of(question)[:3] == seeds_of(search("交不起房租"))[:3]
    assert "001-6" in seeds_of(question)  # property rent reduction
    english = search("what help is there if I can't pay rent")
    assert "001-6" in seeds_of(english)[:3]


def test_staff_phrasings_are_read_at_once(seeds):
    from measures.services import phrasing_upsert

    assert search("钱袋子").count == 0
    phrasing_upsert(phrase="钱袋子", means=["融资担保"])
    page = search("钱袋子")
    assert "004-10" in seeds_of(page) and "001-9" in seeds_of(page)
    assert page.hits[0].why["reasons"][0]["via"] == "phrasing"


def test_a_sense_of_several_words_is_found_by_its_specific_word(seeds):
    page = search("辅导")  # "give guidance": an English notice says "classification guidance"
    english = [h for h in page.hits if h.language == "en"]
    assert english and "guidance" in english[0].measure.texts.all()[0].text
    assert {"word": "辅导", "via": "dictionary", "term": "guidance"} in english[0].why["reasons"]


def test_only_a_word_few_chinese_words_use_stands_for_a_sense():
    from measures.search.dictionary import parse_lines

    lines = [
        "股權 股权 [gu3 quan2] /equity shares/stock right/",
        *(f"{c}字 {c}字 [zi4] /share/stock/right/" for c in "一二三四五六七八九十甲乙丙丁"),
    ]
    found = parse_lines(lines, lambda w: 0)
    assert found.anchor("equity shares") == "equity"
    assert found.anchor("stock right") is None  # both words are everywhere
    assert found.anchor("equity") is None  # a single word is its own sense


def test_a_glossary_compound_is_found_in_its_plainer_form(seeds):
    from measures.services import glossary_term_upsert

    glossary_term_upsert(zh="动态化管理", en=["dynamic management"])
    page = search("动态化管理")
    assert any("动态管理" in t for t in texts_of(page))  # written without 化


def test_a_glossary_rendering_typed_in_another_order_reads_as_the_term(seeds):
    page = search("platform for public services")
    term = page.query.terms()[0]
    assert len(page.query.terms()) == 1 and "公共服务平台" in [a.via for a in term.alts]
    chinese = [h for h in page.hits if h.language == "zh"]
    assert chinese and any(
        r["via"] == "glossary" and r["term"] == "公共服务平台" for r in chinese[0].why["reasons"]
    )


def test_a_compound_the_dictionary_lacks_is_read_by_the_parts_that_cover_it(seeds):
    # jieba's search mode also yields 北地, which the dictionary lacks: no part of the word
    term = search("东北地区").query.terms()[0]
    vias = [a.via for a in term.alts if a.kind == "dictionary"]
    assert any(" + " in v and v.startswith("northeast china") for v in vias)


# --- partial matches -----------------------------------------------------------------


def test_partial_matches_follow_strict_ones_and_say_so(seeds):
    page = search("guarantee vaccines")  # no measure holds both
    assert page.partial and page.strict_count == 0 and page.hits
    assert all(h.why["partial"] and h.why["matched"] == 1 for h in page.hits)
    some = search("loan interest")  # a few hold both: they come first
    if some.partial:
        strict = some.strict_count
        assert all(not h.why["partial"] for h in some.hits[:strict])
        assert all(h.why["partial"] for h in some.hits[strict:])


def test_a_single_word_query_is_never_partial(seeds):
    assert not search("疫苗").partial


# --- amounts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,token",
    [
        ("3 billion yuan", "cny3000000000"), ("30亿元", "cny3000000000"),
        ("30億元", "cny3000000000"), ("3,000,000,000 yuan", "cny3000000000"),
        ("RMB 3 bn", "cny3000000000"), ("5000万元", "cny50000000"), ("0.5亿元", "cny50000000"),
        ("50 million yuan", "cny50000000"), ("给予30%的补偿", "pct30"), ("30 per cent", "pct30"),
        ("认定500家以上", "cnt500"), ("10,000 enterprises", "cnt10000"), ("1万家", "cnt10000"),
    ],
)  # fmt: skip
def test_amount_notations_read_as_one_value(text, token):
    from policykb.chinese import to_simplified

    assert token in [a.token for a in amounts.find(to_simplified(text))]


def test_amounts_ignore_bare_numbers_and_years():
    assert amounts.find("2023年 第3条 in 2022") == []
    assert amounts.token("cny", Decimal("1.50")) == "cny1p5"


@pytest.mark.parametrize(
    "q", ["12 billion yuan", "120亿元", "120億元", "RMB 12 bn", "12,000,000,000 yuan", "１２０亿元"]
)
def test_a_query_amount_in_any_notation_finds_the_measure_stating_it(seeds, q):
    page = search(q)
    assert seeds_of(page)[:1] == ["004-10"]  # 融资担保支持120亿元以上
    assert page.hits[0].why["reasons"][0]["via"] == "amount"


def test_an_amount_ranks_above_measures_that_only_share_words(seeds):
    page = search("10亿元 融资 平台")
    assert seeds_of(page)[0] == "002-4"  # the 10亿元 fund, not other 融资 measures


# --- query forms ----------------------------------------------------------------------


def test_query_forms_people_use(seeds):
    assert "000-4" in seeds_of(search("Mayor's Cup"))[:3]
    assert seeds_of(search("Mayors Cup"))[:3] == seeds_of(search("Mayor's Cup"))[:3]
    assert seeds_of(search("ＳＭＥ ｌｏａｎｓ"))[:5] == seeds_of(search("SME loans"))[:5]
    assert search("SME").count == search("SMEs").count
    assert (
        seeds_of(search("small- and medium-sized enterprises training"))[:5]
        == seeds_of(search("small and medium sized enterprises training"))[:5]
    )
    mixed = search("中小企业 loan")
    assert mixed.hits and {"zh", "en"} <= {h.language for h in mixed.hits}


def test_hostile_queries_never_fail(seeds):
    for q in ["-", "OR", "OR OR -", '"', '""', "“”", "- -担保", "\x00融资", "'", "1e999 yuan",
              "99999999999999999999999亿元", "-" * 300, "融资 " * 100]:  # fmt: skip
        search(q)


# --- explaining ---------------------------------------------------------------------


def test_the_api_says_why_each_hit_matched(client, seeds):
    body = client.get("/api/measures", {"q": "融资担保"}).json()
    kinds = {r["via"] for hit in body["results"] for r in hit["match"]["reasons"]}
    assert {"own", "glossary"} <= kinds
    partial = client.get("/api/measures", {"q": "guarantee vaccines"}).json()
    assert partial["partial"] is True and partial["strict_count"] == 0
    assert all(hit["match"]["partial"] for hit in partial["results"])


def test_the_page_says_results_are_partial(client, seeds):
    html = client.get("/en/search/", {"q": "guarantee vaccines"}).content.decode()
    assert "No measure contains all the words" in html
    assert "Holds 1 of your 2 words" in html
