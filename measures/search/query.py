"""Turning what a user typed into safe tsquery SQL, in both languages.

Chinese runs are converted to Simplified and cut with jieba in precise mode; each word
also matches through its own dictionary sub-words, because the index (search mode) holds
a long word's sub-words but not every word a precise cut of the query may produce.
English runs go through websearch_to_tsquery('english', …), which accepts "phrases",
OR and -exclusion and never raises on bad syntax. Nothing the user typed is ever
spliced into to_tsquery text: every word reaches PostgreSQL as a bound parameter.

The glossary expands the query into the other language; those matches rank lower.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from measures.segment import query_words, sub_words
from policykb.chinese import to_simplified

MAX_QUERY_CHARS = 200

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9]+")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
# Single characters that glue a Chinese query together but say nothing of its topic.
_ZH_STOP = set("的和与及等了在是对为或之其并把被就也都而且从以")


@dataclass
class Glossary:
    """zh term → English renderings, and English rendering → zh terms (lowercase)."""

    zh_to_en: dict[str, list[str]] = field(default_factory=dict)
    en_to_zh: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, list[str]]]) -> Glossary:
        glossary = cls()
        for zh, renderings in pairs:
            glossary.zh_to_en[zh] = [r.lower() for r in renderings]
            for r in renderings:
                glossary.en_to_zh.setdefault(r.lower(), []).append(zh)
        return glossary


@dataclass
class SqlQuery:
    """A tsquery as SQL text with its bound parameters."""

    sql: str
    params: list[str]

    @staticmethod
    def any_of(parts: list[SqlQuery]) -> SqlQuery | None:
        return SqlQuery._join(parts, " || ")

    @staticmethod
    def all_of(parts: list[SqlQuery]) -> SqlQuery | None:
        return SqlQuery._join(parts, " && ")

    @staticmethod
    def _join(parts: list[SqlQuery], op: str) -> SqlQuery | None:
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return SqlQuery(
            "(" + op.join(p.sql for p in parts) + ")", [x for p in parts for x in p.params]
        )


@dataclass
class ParsedQuery:
    text: str
    own: SqlQuery | None
    expansion: SqlQuery | None
    zh_terms: list[str]  # Simplified words to mark in snippets
    en_text: str  # the English part, for marking stems

    @property
    def is_empty(self) -> bool:
        return self.own is None and self.expansion is None


def normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def _zh_lexeme(word: str) -> SqlQuery:
    return SqlQuery("plainto_tsquery('simple', %s)", [word])


def _zh_word(word: str) -> SqlQuery:
    """A Chinese word, or all of its dictionary sub-words."""
    subs = sub_words(word)
    whole = _zh_lexeme(word)
    if not subs:
        return whole
    return SqlQuery.any_of([whole, SqlQuery.all_of([_zh_lexeme(s) for s in subs])])  # type: ignore[list-item]


def _zh_phrase(text: str) -> tuple[SqlQuery | None, list[str]]:
    words = [w for w in query_words(text) if not (len(w) == 1 and w in _ZH_STOP)]
    return SqlQuery.all_of([_zh_word(w) for w in words]), words


def _en_phrase(phrase: str) -> SqlQuery:
    return SqlQuery("phraseto_tsquery('english', %s)", [phrase])


def parse(raw: str, glossary: Glossary) -> ParsedQuery:
    text = normalise(raw)
    simplified = to_simplified(text)
    zh_runs = [r for r in _CJK_RUN.findall(simplified) if _CJK_CHAR.search(r)]
    en_text = _CJK_RUN.sub(lambda m: " " if _CJK_CHAR.search(m.group()) else m.group(), simplified)
    en_text = " ".join(en_text.split())

    own_parts: list[SqlQuery | None] = []
    zh_terms: list[str] = []
    for run in zh_runs:
        q, words = _zh_phrase(run)
        own_parts.append(q)
        zh_terms.extend(words)
    if re.search(r"[A-Za-z0-9]", en_text):
        own_parts.append(SqlQuery("websearch_to_tsquery('english', %s)", [en_text]))
    own = SqlQuery.all_of([p for p in own_parts if p is not None])

    expansion = SqlQuery.any_of(
        [q for q in (_expand_zh(zh_runs, glossary), _expand_en(en_text, glossary)) if q]
    )
    return ParsedQuery(text, own, expansion, list(dict.fromkeys(zh_terms)), en_text)


def _expand_zh(runs: list[str], glossary: Glossary) -> SqlQuery | None:
    """English renderings of the glossary terms a Chinese query contains."""
    joined = "".join(runs)
    found = [zh for zh in glossary.zh_to_en if zh in joined]
    # Prefer the longest terms: 融资担保 rather than its parts 融资 and 担保.
    found = [zh for zh in found if not any(zh != other and zh in other for other in found)]
    parts = []
    for zh in found:
        parts.append(SqlQuery.any_of([_en_phrase(en) for en in glossary.zh_to_en[zh]]))
    return SqlQuery.all_of([p for p in parts if p])


def _expand_en(en_text: str, glossary: Glossary) -> SqlQuery | None:
    """Chinese terms (and sibling English renderings) for the glossary phrases in the query."""
    lowered = f" {re.sub(r'[^a-z0-9]+', ' ', en_text.lower())} "
    found = [en for en in glossary.en_to_zh if f" {en} " in lowered]
    found = [en for en in found if not any(en != other and en in other for other in found)]
    parts = []
    for en in found:
        alternatives: list[SqlQuery | None] = []
        for zh in glossary.en_to_zh[en]:
            alternatives.append(_zh_phrase(zh)[0])
            alternatives.extend(_en_phrase(e) for e in glossary.zh_to_en[zh] if e != en)
        parts.append(SqlQuery.any_of([a for a in alternatives if a]))
    return SqlQuery.all_of([p for p in parts if p])
