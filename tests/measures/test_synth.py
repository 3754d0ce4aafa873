"""Tests of the synthetic measure generator (pure: no Django, no database).

Run with:  .venv/bin/python -m pytest -p no:django -q tests/measures/test_synth.py
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest

from measures.synth import SynthMeasure, load_sentences, synth_measures

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
YEARS = range(2015, 2027)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def sentences():
    return load_sentences(SEEDS)


def gen(sentences, n, seed=7, agencies=200, years=YEARS):
    zh, en = sentences
    return list(synth_measures(n, rng_seed=seed, zh=zh, en=en, agency_count=agencies, years=years))


# ---- load_sentences ---------------------------------------------------------


def test_load_sentences_languages(sentences):
    zh, en = sentences
    assert len(zh) >= 60 and len(en) >= 60
    assert all(HAN.search(s) for s in zh)
    assert not any(HAN.search(s) for s in en)
    assert len(set(zh)) == len(zh) and len(set(en)) == len(en)


def test_load_sentences_simplified_and_no_pinyin(sentences):
    zh, _ = sentences
    joined = "".join(zh)
    # Seed 002 is Traditional with spliced pinyin: it must come out Simplified and clean.
    assert "转贷引导基金" in joined
    assert "轉貸" not in joined and "企業" not in joined
    assert "(yè)" not in joined and "(zhǎn)" not in joined


def test_load_sentences_drop_junk(sentences):
    zh, en = sentences
    everything = "\n".join(zh + en)
    for junk in (
        "扫一扫",
        "Copyright",
        "JIN SHI",
        "版权稿件",
        "小字体",
        "热门推荐",
        "Detail",
        "pressure testing machine",
        "lubricating oil",
        "香蕉",
        "Editor:",
    ):
        assert junk not in everything, junk
    # Numbering is stripped from measure sentences.
    assert not any(re.match(r"\d+[.、]", s) for s in zh)
    assert not any(re.match(r"\d+\.? ", s) for s in en)
    assert "Strengthen financing guarantee services." in en
    assert "力争全年为中小微企业提供融资担保支持120亿元以上。" in zh


# ---- synth_measures ----------------------------------------------------------


def test_count_and_types(sentences):
    ms = gen(sentences, 1234)
    assert len(ms) == 1234
    assert all(isinstance(m, SynthMeasure) for m in ms)
    assert gen(sentences, 0) == []


def test_deterministic(sentences):
    assert gen(sentences, 3000, seed=42) == gen(sentences, 3000, seed=42)
    assert gen(sentences, 3000, seed=42) != gen(sentences, 3000, seed=43)
    # A prefix of a longer run is the shorter run (documents are cut, not reshuffled).
    long = gen(sentences, 3000, seed=5)
    short = gen(sentences, 1000, seed=5)
    assert [m.text for m in short] == [m.text for m in long[:1000]]


def test_every_text_and_title_non_empty(sentences):
    for m in gen(sentences, 5000):
        assert m.text.strip() and m.title.strip()
        assert len(m.title) <= 130
        assert m.language in {"zh", "en"}
        if m.language == "zh":
            assert HAN.search(m.text)
            assert m.text.startswith(m.title.rstrip('”》）)"'))
        else:
            assert not HAN.search(m.text)


def test_language_mix(sentences):
    ms = gen(sentences, 20000)
    share = Counter(m.language for m in ms)["zh"] / len(ms)
    assert 0.5 < share < 0.7


def test_sentence_count_per_measure(sentences):
    zh_counts = [m.text.count("。") for m in gen(sentences, 3000) if m.language == "zh"]
    assert min(zh_counts) >= 1
    assert max(zh_counts) <= 12  # 2..6 sentences; a few seed sentences hold a 。 of their own
    assert sum(zh_counts) / len(zh_counts) > 2.5


def test_documents_and_numbers(sentences):
    ms = gen(sentences, 10000)
    by_doc: dict[int, list[SynthMeasure]] = {}
    for m in ms:
        by_doc.setdefault(m.document_index, []).append(m)
    sizes = [len(v) for v in by_doc.values()]
    assert 15 <= sum(sizes) / len(sizes) <= 25
    for doc in by_doc.values():
        assert [m.number for m in doc] == list(range(1, len(doc) + 1))
        # One language, one agency, one year per document.
        assert len({(m.language, m.agency_index, m.year) for m in doc}) == 1
    assert sorted(by_doc) == list(range(len(by_doc)))


def test_agency_spread_is_skewed(sentences):
    ms = gen(sentences, 50000, agencies=300)
    counts = Counter(m.agency_index for m in ms)
    assert all(0 <= a < 300 for a in counts)
    assert len(counts) >= 100  # spread over many agencies...
    top5 = sum(n for _, n in counts.most_common(5))
    assert top5 / len(ms) > 0.2  # ...but a few agencies hold many measures
    # The big agencies are shuffled per seed, not always the first indexes.
    tops = {
        Counter(m.agency_index for m in gen(sentences, 3000, seed=s, agencies=300)).most_common(1)[
            0
        ][0]
        for s in (1, 2, 3, 4)
    }
    assert len(tops) >= 2


def test_year_spread(sentences):
    ms = gen(sentences, 50000)
    years = Counter(m.year for m in ms)
    assert set(years) == set(YEARS)
    assert years[2026] > years[2015]
    other = gen(sentences, 500, years=range(2020, 2022))
    assert {m.year for m in other} <= {2020, 2021}


def test_vocabulary_twist(sentences):
    zh, en = sentences
    pool = set(zh) | set(en)
    ms = gen(sentences, 5000)
    changed = 0
    for m in ms:
        parts = re.split(r"(?<=[。；])", m.text) if m.language == "zh" else None
        if parts is not None and any(p and p not in pool for p in parts):
            changed += 1
    # Some measures carry rescaled numbers or another city name...
    assert changed > 50
    texts = "".join(m.text for m in ms)
    assert re.search(r"(?<!\d)(?!500)\d{3}家以上创新型中小企业", texts)
    assert any(city in texts for city in ("济南", "烟台", "郑州", "杭州"))
    # ...but most are plain recombinations.
    assert changed < 0.6 * sum(1 for m in ms if m.language == "zh")


def test_lazy(sentences):
    zh, en = sentences
    it = synth_measures(10**9, rng_seed=1, zh=zh, en=en, agency_count=10, years=YEARS)
    assert len(list(islice(it, 10))) == 10


def test_bad_arguments(sentences):
    zh, en = sentences
    with pytest.raises(ValueError):
        list(synth_measures(5, rng_seed=1, zh=zh, en=en, agency_count=0, years=YEARS))
    with pytest.raises(ValueError):
        list(synth_measures(5, rng_seed=1, zh=[], en=en, agency_count=3, years=YEARS))
