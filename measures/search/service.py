"""measures_search: ranked, filtered, faceted search over published measures.

How a search stays fast at a million measures:

1. PostgreSQL turns the user's words into tsqueries once (own language, glossary
   expansion, both); later statements get their text as bound parameters.
2. The texts of one measure in SEARCH_SAMPLE_MODULUS (128), copied into a small table
   (SearchSample), are matched first. That costs little whatever the query, and the
   modulus times the number of matching measures estimates the size of the match.
3. A match estimated at up to SEARCH_EXACT_LIMIT measures is evaluated in full: every
   match is scored, counted and faceted exactly (the filters' own indexes keep a broad
   word with a narrow filter in this class).
4. A broader match is never ranked in full. Its count and facet counts are the sample's,
   scaled and rounded, and the page says they are estimates. Its page is ranked exactly
   among candidates: the champion lists of its common lexemes, every match of its rare
   ones and every text indexed since the lists were built (measures.search.champions).
   If those may miss matches that belong on the page asked for, the match is ranked in
   full after all.
   Sorting a broad match by date walks the date index until the page is full.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction

from documents.models import Agency
from measures.models import GlossaryTerm, Measure, OwnerPhrasing, Tag
from measures.search import champions, reference, tsquery
from measures.search.dictionary import dictionary
from measures.search.explain import explain
from measures.search.match import SCORE, Match, partial, resolve
from measures.search.query import Glossary, Lexicon, ParsedQuery, en_key, parse, phrase_filter
from measures.search.snippets import snippet
from measures.segment import has_chinese

SORTS = ("relevance", "date", "-date")
_MARKED = ("glossary", "phrasing", "dictionary")
MAX_PAGE_SIZE = 100
FACET_LIMIT = 50


@dataclass
class SearchFilters:
    agency: str | None = None
    level: str | None = None
    region: str | None = None
    year: int | None = None
    tags: list[str] = field(default_factory=list)
    lang: str | None = None


@dataclass
class Hit:
    measure: Measure
    score: float
    language: str
    snippet: str
    why: dict = field(default_factory=dict)  # measures.search.explain: why it matched


@dataclass
class SearchPage:
    query: ParsedQuery | None
    count: int
    page: int
    page_size: int
    hits: list[Hit]
    facets: dict[str, list[dict]]
    estimated: bool = False  # count and facet counts scaled up from the sample
    # Partial matching: fewer than a page held every word, so the page goes on with the
    # measures that hold most of them; strict_count is how many hold all of them.
    partial: bool = False
    strict_count: int | None = None

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.count


@lru_cache(maxsize=1)
def _glossary_cached(version: int) -> Glossary:
    return Glossary.from_pairs(list(GlossaryTerm.objects.values_list("zh", "en")))


def glossary() -> Glossary:
    """The glossary, re-read when staff change it (keyed on the newest history row).

    The one statement that reads its version also tells whether agency and tag names
    changed (measures.search.reference), so facets need no statement of their own.
    """
    return _glossary_cached(reference.refresh()[0])


@lru_cache(maxsize=1)
def _lexicon_cached(glossary_version: int, phrasing_version: int) -> Lexicon:
    phrasings = {
        p if has_chinese(p) else en_key(p): list(m)
        for p, m in OwnerPhrasing.objects.values_list("phrase", "means")
    }
    return Lexicon(_glossary_cached(glossary_version), phrasings, dictionary())


def lexicon() -> Lexicon:
    """Glossary, owners' phrasings and dictionary; re-read when staff change the first two.

    Their versions come with the agency and tag names' in one statement (reference.refresh).
    """
    versions = reference.refresh()
    return _lexicon_cached(versions[0], versions[3])


class _NoMatch(Exception):
    """A filter names something that does not exist: nothing can match."""


def _where(filters: SearchFilters, match: Match | None) -> tuple[str, list]:
    clauses, params = ["t.is_public"], []
    if match is not None:
        clauses.append("t.search_vector @@ q.full")
    if filters.agency:
        agency_id = Agency.objects.filter(key=filters.agency).values_list("pk", flat=True).first()
        if agency_id is None:
            raise _NoMatch
        # issued or co-issued: a joint notice is found under each of its issuers
        clauses.append("t.agency_ids @> ARRAY[%s]::bigint[]")
        params.append(agency_id)
    for column in ("level", "region", "year"):
        if value := getattr(filters, column):
            clauses.append(f"t.{column} = %s")
            params.append(value)
    if filters.tags:
        slugs = set(filters.tags)
        tag_ids = list(Tag.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        if len(tag_ids) < len(slugs):
            raise _NoMatch
        clauses.append("t.tag_ids @> %s::bigint[]")
        params.append(tag_ids)
    if filters.lang:
        clauses.append("t.language = %s")
        params.append(filters.lang)
    return " AND ".join(clauses), params


# Facets and the hit columns they count. Agencies and tags are counted apart, from arrays:
# a measure has several tags, and a jointly issued one several agencies.
FACETS = {"level": "level", "region": "region", "year": "year", "language": "language"}
ARRAY_FACETS = {"agency": "agency_ids", "tag": "tag_ids"}

PAGE, TAGS, AGENCIES = -1, -2, -3  # kinds of row in a summary, beside the GROUPING() masks
ARRAY_KINDS = {TAGS: "tag", AGENCIES: "agency"}

ORDER = {
    "relevance": "score DESC, issued_on DESC NULLS LAST, measure_id",
    "date": "issued_on ASC NULLS FIRST, measure_id",  # undated measures count as the oldest
    "-date": "issued_on DESC NULLS LAST, measure_id DESC",
}


@dataclass
class _Summary:
    count: int
    facets: dict[str, Counter]
    page: list[tuple[int, float, str]]  # (measure, score, language), in order


class _Query:
    """One search's SQL: the match and the filters, and the statements built on them."""

    def __init__(self, match: Match | None, filters: SearchFilters,
                 parsed: ParsedQuery | None = None) -> None:  # fmt: skip
        self.match = match
        self.where, self.where_params = _where(filters, match)
        # Quoted Chinese phrases are checked on the text (not in the sample, which has none).
        self.text_where, self.text_params = phrase_filter(parsed) if parsed else ("", [])
        self.q_from = f", {Match.FROM}" if match else ""
        self.q_params = match.params if match else []
        # Nothing but the words: the query's own champion list is then its true top.
        self.unfiltered = filters == SearchFilters() and not self.text_where
        self.year = filters.year

    def matched_where(self) -> tuple[str, list]:
        """The match, the filters and the phrase check on the text, with their parameters
        (after the match's own: SQL reading `q` puts its parameters first)."""
        if not self.text_where:
            return self.where, list(self.where_params)
        return f"{self.where} AND {self.text_where}", [*self.where_params, *self.text_params]

    def hits(self, *, sample: bool = False, among: str = "", among_params: list | None = None,
             scored: bool = True) -> tuple[str, list]:  # fmt: skip
        """SQL of the matching measures, one row each, with their best text's score.

        `among` (SQL on t) limits the texts looked at before the query is matched: the
        full-text index is then not used, so a broad query costs only what `among` finds.
        `scored=False` leaves the score out (0.0), for counts, facets and date order:
        scoring reads every matching vector, counting needs none of them. A measure's row
        is then the text matching the query in its own language, as scoring would pick.
        """
        where, where_params = self.where, self.where_params
        if sample:
            table, date, score = "measures_searchsample", "NULL::date", "0.0"
        else:
            table, date, score = "measures_measuretext", "t.issued_on", SCORE
            if self.text_where:
                where, where_params = f"{where} AND {self.text_where}", [*where_params, *self.text_params]  # fmt: skip
        if among:
            # OFFSET 0 keeps the planner from merging the subquery into the outer query.
            table = f"(SELECT * FROM {table} t WHERE {among} OFFSET 0)"
        score = score if self.match is not None and scored else "0.0"
        prefer = "score DESC"
        if not scored and not sample and self.match is not None and self.match.own:
            prefer = "(t.search_vector @@ q.own) DESC"
        sql = (
            f"SELECT DISTINCT ON (t.measure_id) t.measure_id, t.language, t.agency_ids, t.level,"
            f" t.region, t.year, t.tag_ids, {date} AS issued_on, {score} AS score"
            f" FROM {table} t{self.q_from} WHERE {where}"
            f" ORDER BY t.measure_id, {prefer}, t.provenance <> 'original'"
        )
        return sql, [*(among_params or []), *self.q_params, *where_params]

    def by_date(self, *, descending: bool, offset: int, limit: int) -> list[tuple]:
        """A page in date order, walking the date index: cheap when matches are dense."""
        order = ORDER["-date" if descending else "date"].replace("issued_on", "t.issued_on")
        order = order.replace("measure_id", "t.measure_id")
        fetch = (offset + limit) * 2
        where, where_params = self.matched_where()
        dates: list = []
        if self.year and date.min.year <= self.year <= date.max.year:
            # A text's year is its notice's date's: the walk starts and ends in that year
            # instead of reading every newer (or older) match first.
            where += " AND t.issued_on BETWEEN %s AND %s"
            dates = [date(self.year, 1, 1), date(self.year, 12, 31)]
        while True:
            sql = (
                f"SELECT t.measure_id, 0.0::float8, t.language"
                f" FROM measures_measuretext t{self.q_from}"
                f" WHERE {where} ORDER BY {order}, t.provenance <> 'original' LIMIT %s"
            )
            with transaction.atomic(), connection.cursor() as cursor:
                # Left to itself the planner may collect every match and sort it. The
                # settings are put back: inside a caller's transaction they would outlive
                # this block.
                cursor.execute(
                    "SELECT current_setting('enable_bitmapscan'), current_setting('enable_seqscan'),"
                    " set_config('enable_bitmapscan', 'off', true),"
                    " set_config('enable_seqscan', 'off', true)"
                )
                bitmapscan, seqscan, *_ = cursor.fetchone()
                cursor.execute(sql, [*self.q_params, *where_params, *dates, fetch])
                rows = cursor.fetchall()
                cursor.execute(
                    "SELECT set_config('enable_bitmapscan', %s, true),"
                    " set_config('enable_seqscan', %s, true)",
                    [bitmapscan, seqscan],
                )
            seen: set[int] = set()
            unique = [r for r in rows if not (r[0] in seen or seen.add(r[0]))]  # first text
            if len(unique) >= offset + limit or len(rows) < fetch:
                return unique[offset : offset + limit]
            fetch *= 2


def _summarise(hits: tuple[str, list], *, facets: bool, order: str | None = None,
               limit: int = 0, offset: int = 0) -> _Summary:  # fmt: skip
    """Count, facet counts and a page of `hits`, in one statement that reads them once."""
    sql, params = hits
    columns = ", ".join(FACETS.values())
    everything = (1 << len(FACETS)) - 1  # what GROUPING() says of the grand total
    nulls = ", ".join(["NULL"] * len(FACETS))
    if facets:
        sets = ", ".join(f"({c})" for c in FACETS.values())
        parts = [
            f"SELECT GROUPING({columns}), {columns}, count(*), NULL::bigint, NULL::float8"
            f" FROM hits GROUP BY GROUPING SETS ((), {sets})",
            # unnest() in the select list (one ProjectSet pass) rather than a lateral
            # function scan per hit: a third of the cost of a 7,000-match exact search.
            *(
                f"SELECT {kind}, {nulls}, count(*), v, NULL FROM"
                f" (SELECT unnest({ARRAY_FACETS[name]}) AS v FROM hits) AS a GROUP BY v"
                for kind, name in ARRAY_KINDS.items()
            ),
        ]
    else:
        parts = [f"SELECT {everything}, {nulls}, count(*), NULL::bigint, NULL::float8 FROM hits"]
    if order:
        before = ", ".join(["NULL"] * list(FACETS).index("language"))
        after = ", ".join(["NULL"] * (len(FACETS) - 1 - list(FACETS).index("language")))
        parts.append(
            f"(SELECT {PAGE}, {before}{', ' if before else ''}language{', ' if after else ''}"
            f"{after}, row_number() OVER (ORDER BY {order}), measure_id, score"
            f" FROM hits ORDER BY {order} LIMIT %s OFFSET %s)"
        )
        params = [*params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH hits AS MATERIALIZED ({sql}) {' UNION ALL '.join(parts)}", params)
        rows = cursor.fetchall()
    summary = _Summary(
        0, {name: Counter() for name in ["agency", *FACETS, "tag"]} if facets else {}, []
    )
    names = list(FACETS)
    page = []
    for grouping, *values, n, key, score in rows:
        if grouping == PAGE:
            page.append((n, key, float(score), values[names.index("language")]))
        elif grouping in ARRAY_KINDS:
            summary.facets[ARRAY_KINDS[grouping]][str(key)] = n
        elif grouping == everything:
            summary.count = n
        else:
            # GROUPING() has a 0 bit, counted from the left, for the column grouped by.
            i = next(i for i in range(len(names)) if not grouping & (1 << (len(names) - 1 - i)))
            if values[i] not in (None, ""):
                summary.facets[names[i]][str(values[i])] = n
    summary.page = [row[1:] for row in sorted(page)]
    return summary


def measures_search(
    *,
    q: str = "",
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    with_facets: bool = True,
) -> SearchPage:
    """Published measures matching `q` (any language or script) and the filters.

    When fewer than a page of measures hold every word of a query of several words, the
    page is filled with those that hold most of them (after all that hold every word).
    """
    filters = filters or SearchFilters()
    page, page_size = max(1, page), max(1, min(page_size, MAX_PAGE_SIZE))
    sort = sort if sort in SORTS else "relevance"
    parsed = parse(q, lexicon()) if q.strip() else None
    empty = SearchPage(parsed, 0, page, page_size, [], {})
    if parsed is not None and parsed.is_empty:
        return empty
    match = resolve(parsed) if parsed is not None else None
    if parsed is not None and match is None:
        return empty
    if match is None and sort == "relevance":
        sort = "-date"
    try:
        found = _search(parsed, match, filters, sort, page, page_size, with_facets)
        if (
            match is not None
            and found.count == 0
            and any(" " in t.text or len(t.text) > 3 for t in parsed.terms())
        ):
            # A known phrase of several words (short of cash, 缺钱周转) found nothing as a
            # phrase: read it word by word, so partial matching can weigh its words.
            words = parse(q, lexicon(), phrases=False)
            if len(words.clauses) > len(parsed.clauses) and (alt := resolve(words)) is not None:
                parsed, match = words, alt
                found = _search(parsed, match, filters, sort, page, page_size, with_facets)
        if match is not None and found.count < page * page_size and not found.estimated:
            loose = partial(match)
            if loose is not None:
                wider = _search(parsed, loose, filters, sort, page, page_size, with_facets)
                if wider.count > found.count:
                    wider.partial, wider.strict_count = True, found.count
                    found = wider
    except _NoMatch:
        return empty
    if match is not None:  # what matched through expansions is marked in snippets too
        parsed.marks = [
            r.via for r in match.reasons if r.clause >= 0 and r.kind in _MARKED and r.via
        ]
    facets = _facets(found.facets, scale=found.scale)
    result = _page(parsed, found.rows, found.count, page, page_size, facets, estimated=found.estimated)  # fmt: skip
    result.partial, result.strict_count = found.partial, found.strict_count
    if match is not None:
        explain(result.hits, match.reasons, partial=found.partial)
    return result


@dataclass
class _Found:
    """A page's rows (measure, score, language) with the count and facet counts, unloaded."""

    rows: list[tuple]
    count: int
    facets: dict[str, Counter]
    scale: int = 1
    estimated: bool = False
    partial: bool = False
    strict_count: int | None = None


def _search(parsed, match, filters, sort, page, page_size, with_facets) -> _Found:  # type: ignore[no-untyped-def]
    query = _Query(match, filters, parsed)
    offset = (page - 1) * page_size

    def exact() -> _Found:
        # A date order needs no score (issue 10, speed: scoring reads every vector).
        hits = query.hits(scored=sort == "relevance")
        full = _summarise(hits, facets=with_facets, order=ORDER[sort],
                          limit=page_size, offset=offset)  # fmt: skip
        return _Found(full.page, full.count, full.facets)

    sample = _summarise(query.hits(sample=True), facets=with_facets)
    scale = settings.SEARCH_SAMPLE_MODULUS
    if sample.count * scale <= settings.SEARCH_EXACT_LIMIT:
        if sort != "relevance" or sample.count * scale <= settings.SEARCH_RANK_ALL_LIMIT:
            return exact()
        return _exact_counts(query, exact, page_size=page_size, offset=offset,
                             with_facets=with_facets)  # fmt: skip
    count = _approx(sample.count * scale)
    if sort != "relevance":
        shown = query.by_date(descending=sort == "-date", offset=offset, limit=page_size)
        return _Found(shown, count, sample.facets, scale, estimated=True)
    ranked = _champions_page(query, limit=page_size, offset=offset, broad=True)
    if ranked is None:
        return exact()  # too few candidates for this page: rank every match (slow, but right)
    return _Found(ranked, count, sample.facets, scale, estimated=True)


def measures_matching_sql(
    *, q: str = "", filters: SearchFilters | None = None
) -> tuple[str, list] | None:
    """SQL of the complete result set of a search, or None when nothing can match.

    One row per matching published measure (measure_id, language, …, issued_on, score),
    the same rows a search counts when it counts exactly: exports and feeds read it
    through a server-side cursor, never an estimate and never capped.
    """
    parsed = parse(q, glossary()) if q.strip() else None
    if parsed is not None and parsed.is_empty:
        return None
    match = resolve(parsed) if parsed is not None else None
    if parsed is not None and match is None:
        return None
    try:
        return _Query(match, filters or SearchFilters()).hits()
    except _NoMatch:
        return None


def _exact_counts(query: _Query, exact, *, page_size: int, offset: int,
                  with_facets: bool) -> _Found:  # type: ignore[no-untyped-def]  # fmt: skip
    """A mid-sized match (issue 10, speed): counted and faceted in full, page from candidates.

    Between SEARCH_RANK_ALL_LIMIT and SEARCH_EXACT_LIMIT measures, scoring every match
    cost more than everything else in the search (every vector is read and ranked); the
    count and facets need no vector. So the count and facets stay exact and the page is
    ranked among the champion candidates, as a broad match's is; when those may miss a
    text that belongs on the page, every match is ranked after all (`exact`).
    """
    ranked = _champions_page(query, limit=page_size, offset=offset)
    if ranked is None:
        return exact()
    full = _summarise(query.hits(scored=False), facets=with_facets)
    return _Found(ranked, full.count, full.facets)


def _champions_page(query: _Query, *, limit: int, offset: int,
                    broad: bool = False) -> list[tuple] | None:  # fmt: skip
    """A page of a broad match ranked among its candidates, or None if they may miss some.

    Texts matching the query in its own language score above every expansion-only text,
    so candidates come from the lists of its own words first, and from the expansion's
    words only when the own words' lists held every own-language match and those were
    too few for the page. In a `broad` match (too many to count) with filters, the
    own-language matches the filters keep are ranked in full when there are not many.
    """
    build = champions.latest_build()
    match = query.match
    if build is None or match is None:
        return None
    # The best texts for a whole query of several common words need not be the best for
    # any of them: the worker ranks such a query in full once, for later searches.
    whole = match.full if tsquery.needs_all(match.full) and not match.partial else None
    lists = champions.lists_for(build, match.words(match.full), query=whole)
    pending = bool(whole) and lists.whole is None
    if pending:
        champions.query_champions_queue(build=build, match=match)
    if whole and lists.whole is not None and query.unfiltered:
        # The worker ranked every match of this query once: its list is the best texts
        # by the very score below, so a page within it is ranked exactly among them (and
        # the texts indexed since). Filters or a phrase check keep only some matches,
        # whose best need not be in it: they take the rounds below.
        ranked = _rank_among(query, build, lists.whole[0], limit=limit, offset=offset)
        if ranked.count >= offset + limit or not lists.whole[1]:
            return ranked.page
    rounds = [(match.words(match.own), 1.0)] if match.own and not match.partial else []
    rounds.append((match.words(match.full), 0.0))
    own: list[int] = []
    for words, floor in rounds:
        ids, rare, complete = lists.candidates(words)
        ids.update(own)
        ranked = _rank_among(query, build, ids, rare=rare, floor=floor, limit=limit, offset=offset)
        if ranked.count >= offset + limit or (complete and floor == 0.0):
            return ranked.page
        if complete:
            continue
        if floor == 1.0 and broad and (not query.unfiltered or pending):
            # Filters (a tag, a year) may keep few of the lists' best texts. Up to
            # SEARCH_OWN_RANK_LIMIT own-language matches the filters keep are then found
            # (through both GIN indexes) and ranked in full, far fewer than every match:
            # the own-language part of the page is exact, and the rest of the page comes
            # from the expansion's lists. (A match too small to be broad is ranked in
            # full at once.) So is a query of several words on its first search, before
            # the worker has ranked it in full (`pending`).
            own = _own_matches(query, settings.SEARCH_OWN_RANK_LIMIT)
            if own is not None:
                ranked = _rank_among(query, build, own, floor=1.0, limit=limit, offset=offset)
                if ranked.count >= offset + limit:
                    return ranked.page
                continue
        return None
    return None


def _own_matches(query: _Query, limit: int) -> list[int] | None:
    """The texts the filters keep that hold the query in its own words (title or body,
    so scoring 1 or more), or None if there are more than `limit`."""
    where, params = query.matched_where()
    sql = (
        f"SELECT t.id FROM measures_measuretext t{query.q_from}"
        f" WHERE {where} AND t.search_vector @@ q.own_text LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*query.q_params, *params, limit + 1])
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= limit else None


def _rank_among(query: _Query, build, ids, *, rare: list[str] | None = None,  # type: ignore[no-untyped-def]
                floor: float = 0.0, limit: int, offset: int) -> _Summary:  # fmt: skip
    """A page ranked among candidate texts: `ids`, every match of the `rare` words, and
    every text indexed since the lists were built; only hits scoring at least `floor`."""
    sources = ["t.id = ANY(%s)", "t.indexed_at >= %s"]
    params: list = [sorted(ids), build.started_at]
    if rare:
        sources.append("t.search_vector @@ %s::tsquery")
        params.append(tsquery.any_of(rare))
    sql, params = query.hits(among=" OR ".join(sources), among_params=params)
    hits = (f"SELECT * FROM ({sql}) h WHERE score >= %s", [*params, floor])
    return _summarise(hits, facets=False, order=ORDER["relevance"], limit=limit, offset=offset)


def _page(parsed, rows, count, page, page_size, facets, *, estimated) -> SearchPage:  # type: ignore[no-untyped-def]
    """Load the page's measures and mark their snippets; rows are (measure, score, language)."""
    loaded = {m.pk: m for m in Measure.objects.filter(pk__in=[r[0] for r in rows]).with_details()}
    hits = []
    for measure_id, score, language in rows:
        measure = loaded.get(measure_id)
        if measure is None:  # deleted since the match was read
            continue
        text = next((t for t in measure.texts.all() if t.language == language), None)
        hits.append(Hit(measure, score, language, snippet(text.text if text else "", parsed)))
    return SearchPage(parsed, count, page, page_size, hits, facets, estimated=estimated)


def _approx(n: int) -> int:
    """An estimate to two significant figures: 583,040 is shown as 580,000."""
    return int(float(f"{n:.2g}")) if n else 0


def _facets(counters: dict[str, Counter], *, scale: int = 1) -> dict[str, list[dict]]:
    """Facet values with their names and counts, most frequent first."""
    if not counters:
        return {}
    agencies = reference.agency_labels(counters["agency"])  # cached per process
    tags = reference.tag_labels(counters["tag"])
    names = {"agency": agencies.get, "tag": tags.get}
    facets = {}
    for name, counter in counters.items():
        values = []
        for value, n in counter.items():
            label = names[name](value) if name in names else (value, value, value)
            if label is not None:
                count = _approx(n * scale) if scale > 1 else n
                values.append({"value": label[0], "name_en": label[1], "name_zh": label[2], "count": count})  # fmt: skip
        values.sort(key=lambda v: (-v["count"], v["value"]))
        facets[name] = values[:FACET_LIMIT]
    return facets
