"""Small shared helpers: lazily created OpenCC converters and numeral parsing.

Reads: strings. Produces: strings / ints. No state other than the converter
cache (one OpenCC object per direction for the whole process).
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_NUM_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)

_EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
EN_NUMBER_WORDS = "|".join(sorted(_EN_NUMBERS, key=len, reverse=True))

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}


@lru_cache(maxsize=4)
def converter(config: str) -> opencc.OpenCC:
    """Return a process-wide OpenCC converter ("t2s", "s2t"), created on first use."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese (identity for other text)."""
    if not text or not CJK_RE.search(text):
        return text
    return converter("t2s").convert(text)


def cn_to_int(numeral: str) -> int | None:
    """Parse a Chinese numeral: 二十九 → 29, 一百零五 → 105, 二〇二四 → 2024 (digit by digit)."""
    if not numeral:
        return None
    if numeral.isdigit():
        return int(numeral)
    if not any(ch in _CN_UNITS for ch in numeral):
        digits = [_CN_DIGITS.get(ch) for ch in numeral]
        if None in digits:
            return None
        value = 0
        for d in digits:
            value = value * 10 + d  # type: ignore[operator]
        return value
    total, current = 0, 0
    for ch in numeral:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def en_to_int(word: str) -> int | None:
    """Parse "20", "twenty", "Sixty" or "twenty-nine" → int."""
    word = word.strip().lower()
    if word.replace(",", "").isdigit():
        return int(word.replace(",", ""))
    if "-" in word:
        parts = [en_to_int(p) for p in word.split("-")]
        if None in parts:
            return None
        return sum(parts)  # type: ignore[arg-type]
    return _EN_NUMBERS.get(word)


def any_to_int(token: str) -> int | None:
    """Arabic, Chinese or English numeral → int."""
    token = token.strip()
    if not token:
        return None
    if CJK_RE.search(token) or token[0] in "〇○":
        return cn_to_int(token)
    return en_to_int(token)


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_to_int(roman: str) -> int | None:
    """ "iv" → 4, "XII" → 12; None if not a roman numeral."""
    roman = roman.lower()
    if not roman or any(ch not in _ROMAN for ch in roman):
        return None
    total = 0
    for i, ch in enumerate(roman):
        v = _ROMAN[ch]
        if i + 1 < len(roman) and _ROMAN[roman[i + 1]] > v:
            total -= v
        else:
            total += v
    return total
