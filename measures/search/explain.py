"""Why a hit matched: which query words it holds, and through what.

For the page's hits only, one statement tells which of the query's alternatives (own
words, glossary and phrasing expansions, dictionary senses, amounts) each hit's text
matches. Each query word is then explained by its best alternative for that text.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import connection

from measures.search import tsquery
from measures.search.match import Reason
from measures.search.query import AMOUNT, DICTIONARY, GLOSSARY, OWN, PHRASING

TAGGED = "tagged"  # an own word in the text's tag names or heading only
PRIORITY = {OWN: 0, AMOUNT: 1, GLOSSARY: 2, PHRASING: 3, DICTIONARY: 4, TAGGED: 5}


def explain(hits: list, reasons: tuple[Reason, ...], *, partial: bool) -> None:
    """Set `hit.why` on each hit: {"partial", "matched", "words", "reasons": [...]}."""
    # An own word found only in tag names (an English text tagged 融资担保) is explained by
    # the expansion that matched its body, when one did: own words count in title and body.
    wanted = [
        replace(r, tsquery=tsquery.in_weights(r.tsquery, "AD")) if r.kind == OWN else r
        for r in reasons
        if r.clause >= 0
    ]
    wanted += [replace(r, kind=TAGGED) for r in reasons if r.clause >= 0 and r.kind == OWN]
    if not hits or not wanted:
        return
    keys = [(h.measure.pk, h.language) for h in hits]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.measure_id, t.language,"
            " array(SELECT t.search_vector @@ a FROM unnest(%s::tsquery[]) WITH ORDINALITY AS"
            " u(a, i) ORDER BY i)"
            " FROM measures_measuretext t WHERE t.measure_id = ANY(%s)",
            [[r.tsquery for r in wanted], [k[0] for k in keys]],
        )
        flags: dict[tuple[int, str], list[bool]] = {}
        for measure_id, language, matched in cursor.fetchall():
            # A measure's text in the hit's language; another text fills what it lacks.
            key = (measure_id, language)
            flags[key] = [a or b for a, b in zip(flags.get(key, matched), matched, strict=True)]
    clauses = sorted({r.clause for r in wanted})
    for hit in hits:
        matched = flags.get((hit.measure.pk, hit.language), [False] * len(wanted))
        best: dict[int, Reason] = {}
        for reason, ok in zip(wanted, matched, strict=True):
            if ok and (
                reason.clause not in best
                or PRIORITY[reason.kind] < PRIORITY[best[reason.clause].kind]
            ):
                best[reason.clause] = reason
        words = [
            {
                "word": r.word,
                "via": OWN if r.kind == TAGGED else r.kind,
                **({"term": r.via} if r.via else {}),
            }
            for c in clauses
            if (r := best.get(c)) is not None
        ]
        hit.why = {
            "partial": partial and len(best) < len(clauses),
            "matched": len(best),
            "words": len(clauses),
            "reasons": words,
        }
