"""A query's tsqueries as PostgreSQL prints them, and the score of a text for them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import connection

from measures.search import tsquery
from measures.search.query import AMOUNT, GLOSSARY, NEAR, OWN, PHRASING, ParsedQuery


@dataclass(frozen=True)
class Reason:
    """One alternative of a query term, as text, for telling why a measure matched."""

    clause: int  # index of the clause; -1 for an excluded term
    word: str  # the query word
    kind: str  # own, glossary, phrasing, dictionary, amount
    via: str  # the rendering or term it came through
    tsquery: str


@dataclass(frozen=True)
class Match:
    """A query's tsqueries as PostgreSQL printed them.

    own: every clause in the user's own words; exp: with glossary and phrasing expansions;
    full: what a text must match (strict: with dictionary senses too; in partial mode any
    clause). strict is the all-clauses query, parts its clauses and weights their rarity.
    """

    own: str | None
    exp: str | None
    full: str
    strict: str | None = None
    amt: str | None = None
    parts: tuple[str, ...] = ()
    near_parts: tuple[str, ...] = ()  # each clause without its dictionary senses
    own_parts: tuple[str, ...] = ()  # each clause in the user's own words ('' if none)
    gloss_parts: tuple[str, ...] = ()  # each clause in own words and glossary renderings
    weights: tuple[float, ...] = ()
    alts: tuple[str, ...] = ()  # the glossary and phrasing expansions, one by one
    partial: bool = False
    negated: tuple[str, ...] = ()  # lexemes of excluded words (not candidates)
    reasons: tuple[Reason, ...] = field(default=(), compare=False)
    clauses: int = 0

    FROM = (
        "(SELECT %s::tsquery AS own, %s::tsquery AS exp, %s::tsquery AS full,"
        " %s::tsquery AS own_a, %s::tsquery AS exp_a, %s::tsquery AS strict, %s::tsquery AS amt,"
        " %s::tsquery[] AS parts, %s::tsquery[] AS near_parts, %s::tsquery[] AS near_text,"
        " %s::tsquery[] AS own_parts, %s::tsquery[] AS gloss_parts, %s::tsquery[] AS near_title,"
        " %s::float8[] AS weights,"
        " %s::tsquery AS own_text, %s::tsquery AS exp_text, %s::tsquery AS own_any,"
        " %s::tsquery[] AS alts) q"
    )

    @property
    def params(self) -> list:
        return [
            self.own, self.exp, self.full, tsquery.in_titles(self.own), tsquery.in_titles(self.exp),
            self.strict or self.full, self.amt,
            list(self.parts) if self.partial else None,
            list(self.near_parts) if self.partial else None,
            [tsquery.in_weights(p, "AD") for p in self.near_parts] if self.partial else None,
            [tsquery.in_weights(p, "AD") for p in self.own_parts] if self.partial else None,
            [tsquery.in_weights(p, "AD") for p in self.gloss_parts] if self.partial else None,
            [tsquery.in_titles(p) for p in self.near_parts] if self.partial else None,
            list(self.weights) if self.partial else None,
            tsquery.in_weights(self.own, "AD"),
            tsquery.in_weights(self.exp, "AD"),
            tsquery.in_weights(_any(list(self.own_parts)), "AD") if self.partial else None,
            [tsquery.in_weights(a, "AD") for a in self.alts],
        ]  # fmt: skip

    def words(self, text: str | None) -> list[str]:
        """The lexemes of one of its tsqueries, less the excluded ones."""
        return [w for w in tsquery.lexemes(text or "") if w not in self.negated]


# Body (D) and context (section heading, tag names: B) count alike; titles (A) three
# times as much. Title matches also earn a bonus of their own (_TITLE), so the rank need
# not make one title occurrence outweigh ten in the body: it did, and every text with a
# long title reached the cap of 1 and tied there.
_RANK = "LEAST(coalesce(ts_rank('{{0.1, 0.1, 0.1, 0.3}}', t.search_vector, {q}), 0), 1.0)"
_TITLE = "CASE WHEN t.search_vector @@ {q} THEN {bonus} ELSE 0 END"
# Own-language matches in a text's title or body score 1 and up (more where the
# expansions occur too); glossary and phrasing expansions in title or body 0.5 to 0.95,
# more for a text holding more of the distinct expansions (q.alts: a measure holding
# 贷款, 信贷 and 融资难 for 借不到钱 is surer to be about it than one repeating 融资难);
# dictionary senses, and words found only in tag names or a heading, 0.2 to 0.4. A stated
# amount adds 2; title matches a bonus. The bands do not overlap: the broad path takes
# a page from the own words' champion lists alone when it holds enough texts scoring 1
# or more (service._champions_page), which is right only if no other text can.
_STRICT = (
    "(CASE WHEN t.search_vector @@ q.own_text THEN 1.0 + "
    + _RANK.format(q="q.own")
    + " + 0.5 * "
    + _RANK.format(q="q.strict")
    + " + "
    + _TITLE.format(q="q.own_a", bonus="0.5")
    + " WHEN t.search_vector @@ q.exp_text THEN 0.5 + 0.15 * "
    + _RANK.format(q="q.exp")
    + " + 0.1 * "
    + _RANK.format(q="q.strict")
    + " + "
    + _TITLE.format(q="q.exp_a", bonus="0.1")
    + " + 0.1 * (SELECT count(*) FROM unnest(q.alts) a WHERE t.search_vector @@ a)::float8"
    " / greatest(cardinality(q.alts), 1)"
    + " ELSE 0.2 + 0.2 * "
    + _RANK.format(q="q.strict")
    + " END"
    + " + "
    + _TITLE.format(q="q.amt", bonus="2.0")
    + ")"
)
# Partial mode: texts holding every word in their title or body (through own words or
# near expansions; tag names and headings do not count) first, from 10, scored as in
# strict mode and then by the query's own words they hold (own_any: an own-language word
# is worth more than its translation there too, as in the levels below); then the
# rarity-weighted share of the words a text holds (0 to 1), each word counted by the best
# way it is held (LEVELS: in the user's own words, through the glossary, an owner's
# phrasing, only in tag names or a heading, only through a dictionary sense or two
# steps), a word held in the title adding TITLE_BONUS; then the amount bonus.
LEVELS = {"own": 1.0, "glossary": 0.9, "phrasing": 0.8, "tagged": 0.5, "dictionary": 0.4}
TITLE_BONUS = 0.33
_PARTIAL = (
    "((SELECT coalesce(sum(p.w * (CASE WHEN t.search_vector @@ p.o THEN " + str(LEVELS["own"])
    + " WHEN t.search_vector @@ p.g THEN " + str(LEVELS["glossary"])
    + " WHEN t.search_vector @@ p.nt THEN " + str(LEVELS["phrasing"])
    + " WHEN t.search_vector @@ p.n THEN " + str(LEVELS["tagged"])
    + " ELSE " + str(LEVELS["dictionary"]) + " END"
    " + CASE WHEN t.search_vector @@ p.a THEN " + str(TITLE_BONUS) + " ELSE 0 END)), 0)"
    " FROM unnest(q.parts, q.near_parts, q.near_text, q.own_parts, q.gloss_parts, q.near_title,"
    " q.weights) AS p(c, n, nt, o, g, a, w)"
    " WHERE t.search_vector @@ p.c) + 0.2 * "
    + _RANK.format(q="q.full")
    + " + "
    + _TITLE.format(q="q.amt", bonus="2.0")
    + ")"
)  # fmt: skip
SCORE = (
    "CASE WHEN q.parts IS NULL THEN " + _STRICT
    + " WHEN t.search_vector @@ q.exp_text THEN 10.0 + " + _STRICT
    + " + 0.2 * " + _RANK.format(q="q.own_any")
    + " ELSE " + _PARTIAL + " END"
)  # fmt: skip


def _any(texts: list[str]) -> str | None:
    texts = [t for t in dict.fromkeys(texts) if t]
    if not texts:
        return None
    return texts[0] if len(texts) == 1 else " | ".join(f"( {t} )" for t in texts)


def _all(texts: list[str | None]) -> str | None:
    if not texts or any(t is None for t in texts):
        return None
    return texts[0] if len(texts) == 1 else " & ".join(f"( {t} )" for t in texts)  # type: ignore[misc]


def _without(text: str | None, negation: str | None) -> str | None:
    if text is None or negation is None:
        return text
    return f"( {text} ) & !( {negation} )"


def resolve(parsed: ParsedQuery) -> Match | None:
    """The parsed query's tsqueries, or None when they hold no lexeme (only stop words)."""
    entries = []  # (clause index, term index, Alt)
    for c, clause in enumerate(parsed.clauses):
        for t, term in enumerate(clause):
            entries += [(c, t, term, alt) for alt in term.alts]
    for t, term in enumerate(parsed.excluded):
        entries += [(-1, t, term, alt) for alt in term.alts]
    if not entries:
        return None
    sql = "SELECT ARRAY[" + ", ".join(f"({e[3].sql.sql})::text" for e in entries) + "]"
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for e in entries for p in e[3].sql.params])
        texts = cursor.fetchone()[0]
    # Stop words alone give an empty tsquery, which matches nothing.
    resolved = [(e, text) for e, text in zip(entries, texts, strict=True) if tsquery.lexemes(text)]
    own_terms = {(c, t) for (c, t, _, alt), _text in resolved if alt.kind in (OWN, AMOUNT)}
    resolved = [r for r in resolved if (r[0][0], r[0][1]) in own_terms or r[0][0] == -1]

    def clause_text(c: int, kinds: tuple[str, ...] | None) -> str | None:
        if kinds is not None:  # near: the alternatives one step from the user's words
            return _any([text for (ci, _, _, alt), text in resolved
                         if ci == c and alt.kind in kinds and not alt.far])  # fmt: skip
        return _any([text for (ci, _, _, alt), text in resolved
                     if ci == c and (kinds is None or alt.kind in kinds)])  # fmt: skip

    clauses = sorted({c for (c, _, _, _), _ in resolved if c >= 0})
    if not clauses:
        return None
    negation = _any([text for (c, _, _, _), text in resolved if c == -1])
    own = _all([clause_text(c, (OWN, AMOUNT)) for c in clauses])
    exp = _all([clause_text(c, NEAR) for c in clauses])
    full_parts = [clause_text(c, None) for c in clauses]
    near_parts = [clause_text(c, NEAR) for c in clauses]
    own_parts = [clause_text(c, (OWN, AMOUNT)) for c in clauses]
    gloss_parts = [clause_text(c, (OWN, AMOUNT, GLOSSARY)) for c in clauses]
    full = _all(full_parts)
    amt = _any([text for (c, _, _, alt), text in resolved if c >= 0 and alt.kind == AMOUNT])
    reasons = tuple(
        Reason(c, term.text, alt.kind, alt.via, text) for (c, _, term, alt), text in resolved
    )
    negated = tuple(tsquery.lexemes(negation or ""))
    return Match(
        own=_without(own, negation),
        exp=_without(exp, negation),
        full=_without(full, negation),  # type: ignore[arg-type]
        strict=_without(full, negation),
        amt=amt,
        parts=tuple(_without(p, negation) for p in full_parts),  # type: ignore[misc]
        near_parts=tuple(_without(p, negation) or "" for p in near_parts),
        own_parts=tuple(_without(p, negation) or "" for p in own_parts),
        gloss_parts=tuple(_without(p, negation) or "" for p in gloss_parts),
        negated=tuple(w for w in negated if w not in tsquery.lexemes(full or "")),
        reasons=reasons,
        alts=tuple(
            dict.fromkeys(
                text
                for (c, _, _, alt), text in resolved
                if c >= 0 and alt.kind in (GLOSSARY, PHRASING) and not alt.far
            )
        ),
        clauses=len(clauses),
    )


def partial(match: Match) -> Match | None:
    """The same query in partial mode: any clause matches, rarer clauses weigh more.

    A clause's document frequency is read from the search sample, and counted exactly in
    the full index where the sample says it is rare (a rare word is cheap to count).
    """
    if match.clauses < 2 or match.partial:
        return None
    modulus = settings.SEARCH_SAMPLE_MODULUS
    n = len(match.parts)
    counts = ", ".join(["count(*) FILTER (WHERE search_vector @@ %s::tsquery)"] * n)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), {counts} FROM measures_searchsample WHERE is_public", match.parts
        )
        total, *sampled = cursor.fetchone()
        total *= modulus
        if total < 10 * modulus:  # a small base: its sample says little, count it all
            cursor.execute("SELECT count(*) FROM measures_measuretext WHERE is_public")
            total = cursor.fetchone()[0]
        dfs = []
        for part, seen in zip(match.parts, sampled, strict=True):
            if seen * modulus <= settings.SEARCH_EXACT_LIMIT:
                cursor.execute(
                    "SELECT count(*) FROM measures_measuretext"
                    " WHERE is_public AND search_vector @@ %s::tsquery",
                    [part],
                )
                dfs.append(cursor.fetchone()[0])
            else:
                dfs.append(seen * modulus)
    raw = [math.log(1 + max(total, 1) / (1 + df)) for df in dfs]
    weights = tuple(w / sum(raw) for w in raw) if sum(raw) else tuple(1 / n for _ in raw)
    return replace(match, full=_any(list(match.parts)) or match.full, weights=weights, partial=True)
