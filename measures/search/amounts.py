"""Amounts as values: yuan amounts, counts and percentages in any notation, as one token.

The same reader serves the index and the query. A text's amounts are added to its search
vector as tokens (`cny12000000000`, `cnt500`, `pct30`), so 120亿元, 12 billion yuan,
RMB 12 bn and 12,000,000,000 yuan are one amount to search, in either language.

A number counts as an amount only with a unit: a currency (元, yuan, RMB, CNY, ¥), a
percent sign or word, or for counts a Chinese measure word (家, 个, 项 …) or a scale
word (万, million …). Bare numbers (years, item numbers) are left to word matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# 1,200 or 1，200 or 1200.5; full-width digits are folded by NFKC before this runs.
_NUM = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ZH_SCALE = {"万亿": 10**12, "亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "千": 10**3}
_EN_SCALE = {
    "trillion": 10**12, "tn": 10**12, "billion": 10**9, "bn": 10**9, "b": 10**9,
    "million": 10**6, "mn": 10**6, "m": 10**6, "mln": 10**6, "thousand": 10**3, "k": 10**3,
}  # fmt: skip
_ZH_SCALES = "|".join(sorted(_ZH_SCALE, key=len, reverse=True))
_EN_SCALES = "|".join(sorted(_EN_SCALE, key=len, reverse=True))
# Measure words after a count in Chinese text.
_ZH_COUNTERS = "家次|场次|人次|家|户|个|项|名|人|场|批|件|所|条|款|期|座|台|套"
_CURRENCY_BEFORE = r"(?:rmb|cny|¥|￥|renminbi)"
_CURRENCY_AFTER = r"(?:yuan|rmb|cny|renminbi)"

_PATTERNS = [
    # 120亿元, 5000万元, 0.5亿元, 3000元, 10亿人民币; a range 80~100亿元 gives both ends.
    (
        "cny",
        re.compile(rf"(?:({_NUM})\s*[~～\-—至到]\s*)?({_NUM})\s*({_ZH_SCALES})?\s*(?:元|人民币)"),
    ),
    # ¥12 billion, RMB 3 bn, CNY 3,000,000,000
    ("cny", re.compile(rf"{_CURRENCY_BEFORE}\s*()({_NUM})(?:\s*({_EN_SCALES})\b)?", re.I)),
    # 12 billion yuan, 3,000,000,000 yuan, 50 million RMB
    ("cny", re.compile(rf"()\b({_NUM})\s*(?:({_EN_SCALES})\s*)?{_CURRENCY_AFTER}\b", re.I)),
    # 30%, 30 percent, 30 per cent, 百分之30
    (
        "pct",
        re.compile(
            rf"(?:({_NUM})\s*[~～\-—至到]\s*)?({_NUM})\s*()(?:%|％|\s*per\s*cent\b|\s*percent\b)",
            re.I,
        ),
    ),
    ("pct", re.compile(rf"百分之()({_NUM})()")),
    # 200家, 1万家, 80~100项 (not 第3条, an ordinal)
    (
        "cnt",
        re.compile(
            rf"(?<![第\d.,])(?:({_NUM})\s*[~～\-—至到]\s*)?({_NUM})\s*({_ZH_SCALES})?\s*(?:{_ZH_COUNTERS})"
        ),
    ),
    # 10,000 enterprises, 1.5 million jobs (a scale word or thousands separators)
    (
        "cnt",
        re.compile(
            rf"()\b(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!\s*(?:{_EN_SCALES})\b)|{_NUM}(?=\s*(?:{_EN_SCALES})\b))"
            rf"(?:\s*({_EN_SCALES})\b)?",
            re.I,
        ),
    ),
]
# A scaled number with no unit, in a query only: 3 billion, 30亿 (yuan or a count).
_BARE = re.compile(rf"()({_NUM})\s*({_ZH_SCALES}|(?:{_EN_SCALES})\b)", re.I)


@dataclass(frozen=True)
class Amount:
    kind: str  # cny, cnt or pct
    value: Decimal
    start: int
    end: int

    @property
    def token(self) -> str:
        return token(self.kind, self.value)


def token(kind: str, value: Decimal) -> str:
    """cny12000000000, pct7p5: letters and digits only, so every parser keeps it whole."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return kind + text.replace(".", "p")


def _value(number: str, scale: str | None) -> Decimal | None:
    try:
        value = Decimal(number.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    if scale:
        factor = _ZH_SCALE.get(scale) or _EN_SCALE.get(scale.lower().replace(" ", ""))
        value *= factor or 1
    return value


def find(text: str, *, bare: bool = False) -> list[Amount]:
    """The amounts in `text`, in order, none overlapping (the first notation read wins).

    `bare` (queries only) also reads 3 billion or 30亿 with no unit, as kind `any`.
    """
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    patterns = [*_PATTERNS, ("any", _BARE)] if bare else _PATTERNS
    for kind, pattern in patterns:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < b and a < end for a, b in taken):
                continue
            low, number, scale = m.group(1), m.group(2), m.group(3)
            for part in (low, number):
                if part:
                    value = _value(part, scale or None)
                    if value is not None and value > 0:
                        found.append(Amount(kind, value, start, end))
            taken.append((start, end))
    found.sort(key=lambda a: (a.start, a.value))
    return found


def index_tokens(text: str) -> str:
    """The amount tokens of a text, space-separated, for its search vector."""
    return " ".join(dict.fromkeys(a.token for a in find(text or "")))
