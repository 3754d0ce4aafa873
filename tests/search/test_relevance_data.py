"""Sanity checks on the search relevance set (pure: no Django, no database).

Run with:  .venv/bin/python -m pytest -p no:django -q tests/search/test_relevance_data.py

Each expected item names a seed file prefix and a substring that must occur
exactly once in that seed, after the seed is converted to Simplified Chinese
(OpenCC t2s) and the spliced pinyin annotations ("企業(yè)") are removed. That
makes the substring identify exactly one measure of the seed, whatever the
segmentation into measures is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import opencc
import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"
FIRST = ROOT / "relevance" / "first.json"
SECOND = ROOT / "relevance" / "second.json"
DATA = FIRST

KINDS = {"zh-hans", "zh-hant", "en", "cross-zh-en", "cross-en-zh", "multi"}
# Pinyin spliced after characters in seed 002: "(yè)", "(zhǎn)", "(jì)" ...
PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+\)")
HAN = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-,.]*")
QUOTES = set("\"'“”‘’「」『』")

_t2s = opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    return _t2s.convert(PINYIN.sub("", text))


@cache
def seed_text(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert len(files) == 1, f"seed {prefix}: expected one file, found {files}"
    return normalise(files[0].read_text(encoding="utf-8"))


@cache
def load() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_shape_and_size():
    data = load()
    assert isinstance(data, list)
    assert len(data) >= 60
    for item in data:
        assert set(item) <= {"q", "kind", "expect", "also"}, item
        assert isinstance(item["q"], str) and item["q"].strip(), item
        assert item["kind"] in KINDS, item
        assert 1 <= len(item["expect"]) <= 4, item
        for exp in item["expect"]:
            assert set(exp) == {"seed", "contains"}, item
            assert re.fullmatch(r"00[0-4]", exp["seed"]), item


def test_every_kind_represented():
    counts = Counter(item["kind"] for item in load())
    assert set(counts) == KINDS, counts
    # The rough mix the set was designed for.
    assert counts["zh-hans"] >= 15
    assert counts["zh-hant"] >= 8
    assert counts["en"] >= 15
    assert counts["cross-zh-en"] + counts["cross-en-zh"] >= 12
    assert counts["multi"] >= 4


def test_queries_unique():
    qs = [item["q"] for item in load()]
    dupes = [q for q, n in Counter(qs).items() if n > 1]
    assert not dupes


def test_quoted_phrase_present():
    assert any(item["q"].startswith('"') and item["q"].endswith('"') for item in load())


def test_kind_matches_query_script():
    for item in load():
        q, kind = item["q"], item["kind"]
        has_han = bool(HAN.search(q))
        has_latin = bool(re.search(r"[A-Za-z]{2,}", q))
        if kind in {"en", "cross-en-zh"}:
            assert not has_han and has_latin, item
        elif kind in {"zh-hans", "zh-hant", "cross-zh-en"}:
            assert has_han, item
        elif kind == "multi":
            assert len(q.split()) >= 2, item
        if kind == "zh-hant":
            assert _t2s.convert(q) != q, f"not Traditional: {q}"
        if kind == "cross-zh-en":
            assert any(e["seed"] in {"000", "001", "003"} for e in item["expect"]), item
        if kind == "cross-en-zh":
            assert any(e["seed"] in {"002", "004"} for e in item["expect"]), item


def _all_expectations():
    second = json.loads(SECOND.read_text(encoding="utf-8"))
    return [
        (item["q"], exp["seed"], exp["contains"])
        for item in [*load(), *second]
        for exp in [*item["expect"], *item.get("not", []), *item.get("also", [])]
    ]


SECOND_KINDS = {
    "everyday",
    "near-synonym",
    "question",
    "owner",
    "amount",
    "researcher",
    "form",
    "cross",
}


def test_second_set_shape():
    data = json.loads(SECOND.read_text(encoding="utf-8"))
    assert len(data) >= 150
    assert sum(1 for item in data if item.get("not")) >= 30
    for item in data:
        assert set(item) <= {"q", "kind", "script", "expect", "not", "also"}, item
        assert item["kind"] in SECOND_KINDS, item
        assert item["script"] in {"hans", "hant", "en"}, item
        assert 1 <= len(item["expect"]) <= 4, item
    counts = Counter(item["kind"] for item in data)
    assert all(n >= 10 for n in counts.values()), counts
    # Every Chinese query comes in both scripts (unless both write it alike).
    hans = {_t2s.convert(i["q"]) for i in data if i["script"] == "hans"}
    hant = {_t2s.convert(i["q"]) for i in data if i["script"] == "hant"}
    assert hant <= hans
    assert len(hant) >= 0.75 * len(hans)


def test_substrings_are_long_enough_and_clean():
    for q, seed, sub in _all_expectations():
        han = len(HAN.findall(sub))
        words = len(WORD.findall(sub))
        assert han >= 4 or words >= 3, (q, sub)
        assert not (QUOTES & set(sub)), (q, sub)  # quote styles may be normalised
        assert sub == sub.strip() and "  " not in sub, (q, sub)
        if seed == "002":
            assert _t2s.convert(sub) == sub, f"002 substring must be Simplified: {sub}"


@pytest.mark.parametrize("q,seed,sub", _all_expectations())
def test_substring_occurs_exactly_once(q, seed, sub):
    text = seed_text(seed)
    assert text.count(sub) == 1, f"{q!r}: {sub!r} occurs {text.count(sub)}x in seed {seed}"
    # Case-insensitive matching must not find a second occurrence either.
    assert text.lower().count(sub.lower()) == 1, (q, sub)


def test_expected_measures_distinct_per_query():
    second = json.loads(SECOND.read_text(encoding="utf-8"))
    for item in [*load(), *second]:
        keys = [(e["seed"], e["contains"]) for e in [*item["expect"], *item.get("also", [])]]
        assert len(keys) == len(set(keys)), item
