"""Snippets open and close at word boundaries in English and mark what matched."""

from __future__ import annotations

import re

from measures.search.query import ParsedQuery
from measures.search.snippets import snippet


def english_query(words: str) -> ParsedQuery:
    return ParsedQuery(words, None, None, [], words)


TEXT = (
    "Strengthen training services for managers of small firms. Organise courses on "
    "management, finance and digital tools, and help enterprises prepare for the "
    "resumption of normal production and operation of their plants in every district."
)


def test_an_english_snippet_starts_and_ends_on_whole_words():
    shown = str(snippet(TEXT, english_query("enterprises"), window=90))
    assert "<mark>enterprises</mark>" in shown
    inner = re.sub(r"</?mark>", "", shown).strip("…")
    words = TEXT.split()
    assert inner.split()[0] in words, inner
    assert inner.split()[-1] in words, inner


def test_a_chinese_snippet_is_not_cut_back_to_a_space():
    text = "为支持中小企业发展，" * 10 + "设立融资担保基金，" + "加强服务。" * 20
    shown = str(snippet(text, ParsedQuery("融资担保", None, None, ["融资担保"], ""), window=60))
    assert "<mark>融资担保</mark>" in shown
    assert len(re.sub(r"</?mark>|…", "", shown)) == 60
