"""Synthetic measures for benchmarking search at scale (pure Python, no Django).

`python manage.py synth N` uses this to add N realistic measures. Texts are
recombined from the sentences of the seed notices, so the vocabulary, the
sentence lengths and the Chinese/English mix look like the real corpus:

* every measure is 2-6 sentences of one language (about 60% Chinese, 40% English);
* its title is the first clause of its first sentence;
* measures come in synthetic documents of about 20 measures, each document with
  one language, one issuing agency and one year;
* agencies are Zipf-skewed (a few agencies hold most measures), years lean
  towards recent ones;
* a small vocabulary twist keeps texts from being verbatim sentence mixes:
  numbers are sometimes rescaled ("500家" -> "320家") and the city name
  ("青岛" / "Qingdao") is sometimes replaced by another, Zipf-distributed one.

Everything is deterministic for a given ``rng_seed`` and fast enough for a
million measures (well over 200k measures per second).
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["SynthMeasure", "load_sentences", "synth_measures"]


@dataclass(frozen=True)
class SynthMeasure:
    language: str  # "zh" or "en"
    title: str
    text: str
    agency_index: int  # index into the agencies list passed in
    year: int
    number: int  # measure number within its synthetic document
    document_index: int  # synthetic document this measure belongs to (about 20 measures each)


# --------------------------------------------------------------------------
# Sentence extraction from the seed notices
# --------------------------------------------------------------------------

# Pinyin annotations spliced after characters in seed 002: "企業(yè)", "發(fā)展(zhǎn)".
_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+\)")
_HAN = re.compile(r"[\u3400-\u9fff]")
_ZH_SPLIT = re.compile(r"(?<=[。！？；!?])")
# An English sentence ends at . ! ? ; followed by a space or a capital/quote
# (the seeds often glue sentences: "enterprises.To stabilize"), not inside "2.4".
_EN_SPLIT = re.compile(r"(?<=[.!?;])(?:\s+|(?=[A-Z“\"]))")
_ZH_LEAD = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十]+条)\s*"
)
_EN_LEAD = re.compile(
    r"^\s*(?:[IVXivx]+\.|\d+\.?(?=\s)|\d+\.|(?:first|second|third|fourth|fifth|sixth),)\s*",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")

# Lines/sentences that are page junk rather than policy text.
_JUNK = (
    "copyright",
    "©",
    "扫一扫",
    "版权",
    "编辑:",
    "编辑：",
    "editor:",
    "attachment:",
    "小字体",
    "客户端",
    "热门推荐",
    "• detail",
    "精品",
    "免费",
    "香蕉",
    "婷婷",
    "pressure testing machine",
    "lubricating oil",
    "construction machinery information",
    "reporter",
    "记者",
)

_zh_t2s = None


def _t2s(text: str) -> str:
    global _zh_t2s
    if _zh_t2s is None:
        import opencc  # imported lazily: only needed for Traditional seeds

        _zh_t2s = opencc.OpenCC("t2s")
    return _zh_t2s.convert(text)


def _han_ratio(text: str) -> float:
    letters = sum(1 for ch in text if ch.isalpha())
    return len(_HAN.findall(text)) / letters if letters else 0.0


def _is_junk(sentence: str) -> bool:
    low = sentence.lower()
    return any(j in low for j in _JUNK)


def _zh_sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = _SPACES.sub("", line.strip())  # Chinese text needs no spaces
        if not line:
            continue
        # Headings without sentence punctuation ("走专精特新发展道路") are skipped
        # unless they are long enough to read as a clause of their own.
        for part in _ZH_SPLIT.split(line):
            part = _ZH_LEAD.sub("", part).strip()
            if len(_HAN.findall(part)) < 12 or _is_junk(part):
                continue
            if not any(p in part for p in "，,、。；："):
                continue
            if part[-1] not in "。！？；":
                part += "。"
            out.append(part)
    return out


def _en_sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if not line:
            continue
        for part in _EN_SPLIT.split(line):
            part = _EN_LEAD.sub("", part).strip()
            if not part or _is_junk(part) or _HAN.search(part):
                continue
            words = part.split()
            terminal = part[-1] in ".!?;"
            if len(words) < 3 or (not terminal and len(words) < 8):
                continue
            if not part[0].isupper() and part[0] not in '“"':
                part = part[0].upper() + part[1:]
            if part[-1] == ";":
                part = part[:-1] + "."
            elif not terminal:
                part += "."
            out.append(part)
    return out


@lru_cache(maxsize=8)
def _load_sentences_cached(seed_dir: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    zh: list[str] = []
    en: list[str] = []
    for path in sorted(Path(seed_dir).glob("0*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        raw = _PINYIN.sub("", raw)
        if _han_ratio(raw) > 0.3:
            zh.extend(_zh_sentences(_t2s(raw)))
        else:
            en.extend(_en_sentences(raw))
    return tuple(dict.fromkeys(zh)), tuple(dict.fromkeys(en))


def load_sentences(seed_dir: Path) -> tuple[list[str], list[str]]:
    """Chinese (Simplified) and English sentences of the seed notices.

    Seed 002 is Traditional with spliced pinyin: the pinyin is removed and the
    text converted with OpenCC t2s. Junk lines (copyright, share prompts, the
    spam title, the spam phrases of seed 001) and short fragments are dropped;
    leading numbering ("1.", "一、", "II.") is removed; duplicates are dropped.
    """
    zh, en = _load_sentences_cached(str(Path(seed_dir).resolve()))
    return list(zh), list(en)


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

_CITIES_ZH = (
    "青岛",
    "济南",
    "烟台",
    "潍坊",
    "郑州",
    "洛阳",
    "杭州",
    "宁波",
    "苏州",
    "无锡",
    "成都",
    "武汉",
    "长沙",
    "合肥",
    "厦门",
    "西安",
    "南京",
    "深圳",
    "东莞",
    "佛山",
)
_CITIES_EN = (
    "Qingdao",
    "Jinan",
    "Yantai",
    "Weifang",
    "Zhengzhou",
    "Luoyang",
    "Hangzhou",
    "Ningbo",
    "Suzhou",
    "Wuxi",
    "Chengdu",
    "Wuhan",
    "Changsha",
    "Hefei",
    "Xiamen",
    "Xi'an",
    "Nanjing",
    "Shenzhen",
    "Dongguan",
    "Foshan",
)
_NUMBER = re.compile(r"\d+")
_TITLE_ZH = re.compile(r"[，,。；：:！？]")
_TITLE_EN = re.compile(r"[,;:!?]|\.(?!\d)")

_P_NUMBERS = 0.18  # share of sentences whose numbers are rescaled
_P_CITY = 0.35  # share of city-bearing sentences whose city is replaced


def _zipf_cum(n: int, s: float) -> list[float]:
    weights = [1.0 / (i + 1) ** s for i in range(n)]
    return list(itertools.accumulate(weights))


def _title_of(sentence: str, zh: bool) -> str:
    m = (_TITLE_ZH if zh else _TITLE_EN).search(sentence)
    title = sentence[: m.start()] if m else sentence
    limit = 40 if zh else 120
    if len(title) > limit:
        title = title[:limit]
        if not zh and " " in title:
            title = title.rsplit(" ", 1)[0]
    title = title.strip()
    # Close a quotation the clause cut open: 推开惠企政策“免申即享 -> …“免申即享”
    for left, right in (("“", "”"), ("《", "》"), ("(", ")"), ("（", "）")):
        if title.count(left) > title.count(right):
            title += right
    if title.count('"') % 2:
        title += '"'
    return title or sentence[:limit]


class _Pool:
    """Precomputed sentences of one language, ready for fast recombination."""

    __slots__ = ("sentences", "titles", "numbered", "cities", "city_names", "city_cum", "zh")

    def __init__(self, sentences: list[str], zh: bool):
        if not sentences:
            raise ValueError("no seed sentences for " + ("Chinese" if zh else "English"))
        self.zh = zh
        self.sentences = list(sentences)
        self.titles = [_title_of(s, zh) for s in sentences]
        # Split on numbers once so rescaling needs no regex per measure.
        self.numbered = [_NUMBER.split(s) if _NUMBER.search(s) else None for s in sentences]
        city = "青岛" if zh else "Qingdao"
        self.cities = [city in s for s in sentences]
        self.city_names = _CITIES_ZH if zh else _CITIES_EN
        self.city_cum = _zipf_cum(len(self.city_names), 1.0)

    def variant(self, i: int, r: random.Random) -> str:
        s = self.sentences[i]
        parts = self.numbered[i]
        if parts is not None and r.random() < _P_NUMBERS:
            nums = _NUMBER.findall(s)
            out = [parts[0]]
            for num, tail in zip(nums, parts[1:], strict=True):
                value = int(num)
                # Leave years and tiny ordinals alone; rescale quantities.
                if 1990 <= value <= 2035 or value < 3 or len(num) > 9:
                    out.append(num)
                else:
                    out.append(str(max(1, round(value * (0.3 + 1.4 * r.random())))))
                out.append(tail)
            s = "".join(out)
        if self.cities[i] and r.random() < _P_CITY:
            k = bisect.bisect_left(self.city_cum, r.random() * self.city_cum[-1])
            name = self.city_names[min(k, len(self.city_names) - 1)]
            s = s.replace(self.city_names[0], name)
        return s


def synth_measures(
    n: int,
    *,
    rng_seed: int,
    zh: list[str],
    en: list[str],
    agency_count: int,
    years: range = range(2015, 2027),
) -> Iterator[SynthMeasure]:
    """Yield ``n`` synthetic measures, deterministically for ``rng_seed``."""
    if n <= 0:
        return
    if agency_count <= 0:
        raise ValueError("agency_count must be positive")
    year_list = list(years)
    if not year_list:
        raise ValueError("years must not be empty")
    pools = {"zh": _Pool(zh, True), "en": _Pool(en, False)}
    r = random.Random(rng_seed)
    rand = r.random
    # A few agencies hold many measures: Zipf with s=1.1 over agency indexes,
    # shuffled so the big agencies are not always the first ones.
    agency_cum = _zipf_cum(agency_count, 1.1)
    agency_order = list(range(agency_count))
    r.shuffle(agency_order)
    agency_total = agency_cum[-1]
    # Recent years weigh more (linear ramp).
    year_cum = list(itertools.accumulate(1.0 + i for i in range(len(year_list))))
    year_total = year_cum[-1]
    bisect_left = bisect.bisect_left
    last_agency = agency_count - 1
    last_year = len(year_list) - 1

    produced = 0
    document_index = 0
    while produced < n:
        language = "zh" if rand() < 0.6 else "en"
        pool = pools[language]
        sentences = pool.sentences
        titles = pool.titles
        count = len(sentences)
        variant = pool.variant
        joiner = "" if language == "zh" else " "
        a = bisect_left(agency_cum, rand() * agency_total)
        agency = agency_order[a if a < last_agency else last_agency]
        y = bisect_left(year_cum, rand() * year_total)
        year = year_list[y if y < last_year else last_year]
        size = 12 + int(rand() * 17)  # 12..28 measures, about 20 on average
        if size > n - produced:
            size = n - produced
        for number in range(1, size + 1):
            k = 2 + int(rand() * 5)  # 2..6 sentences
            picks = [int(rand() * count) for _ in range(k)]
            if len(set(picks)) < k:  # no sentence twice in one measure
                picks = list(dict.fromkeys(picks))
            if rand() < 0.3:  # the vocabulary twist, on about 30% of measures
                parts = [variant(i, r) for i in picks]
                first = parts[0]
                title = (
                    titles[picks[0]]
                    if first == sentences[picks[0]]
                    else _title_of(first, language == "zh")
                )
            else:
                parts = [sentences[i] for i in picks]
                title = titles[picks[0]]
            yield SynthMeasure(
                language, title, joiner.join(parts), agency, year, number, document_index
            )
        produced += size
        document_index += 1
