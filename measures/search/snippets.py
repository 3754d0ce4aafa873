"""Snippets: the matched passage of a measure with the matched words marked.

Marking happens in Python on the original text: OpenCC's t2s keeps string length, so
positions found in the Simplified copy are positions in the original (Traditional)
text. The text is escaped piece by piece, so no markup from a notice survives, and no
spaces are inserted between Chinese characters.
"""

from __future__ import annotations

import re
from html import escape

from django.utils.safestring import SafeString, mark_safe

from measures.search.query import ParsedQuery
from policykb.chinese import to_simplified

WINDOW = 140
_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_STOP = {"a", "an", "and", "or", "of", "the", "to", "in", "for", "on", "with", "by", "at"}


def _patterns(query: ParsedQuery) -> re.Pattern | None:
    marks = getattr(query, "marks", [])
    zh = [*query.zh_terms, *(m for m in marks if _CJK.search(m))]
    alternatives = [re.escape(t) for t in sorted(set(zh), key=len, reverse=True)]
    english = " ".join([query.en_text, *(m for m in marks if not _CJK.search(m))])
    for word in dict.fromkeys(re.findall(r"[a-z0-9]+", english.lower())):
        if word in _EN_STOP or len(word) < 3:
            continue
        # A crude stem so "guarantees" marks for "guarantee": drop common endings.
        stem = re.sub(r"(ing|ies|es|ed|s|e)$", "", word) if len(word) > 4 else word
        alternatives.append(rf"\b{re.escape(stem)}\w*")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def snippet(text: str, query: ParsedQuery | None, window: int = WINDOW) -> SafeString:
    if not text:
        return mark_safe("")
    pattern = _patterns(query) if query else None
    simplified = to_simplified(text)
    spans = [m.span() for m in pattern.finditer(simplified)] if pattern else []
    spans = [s for s in spans if s[1] > s[0]]
    start = 0
    if spans:
        first = spans[0][0]
        start = max(0, first - window // 4)
        # Never open in the middle of an English word: back up to the space before it.
        if start and text[start - 1].isascii() and text[start - 1].isalnum():
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + window)
    if end < len(text) and text[end - 1].isascii() and text[end].isascii() and text[end].isalnum():
        space = text.rfind(" ", start, end)
        end = space if space > start + window // 2 else end
    pieces, cursor = [], start
    if start > 0:
        pieces.append("…")
    for a, b in spans:
        if b <= start or a >= end or a < cursor:
            continue
        pieces.append(escape(text[cursor:a]))
        pieces.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))
