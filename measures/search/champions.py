"""Champion lists: for each common lexeme, the texts that score best for it alone.

Ranking a query that matches half a million texts would read half a million vectors.
Instead a broad query ranks, exactly, the union of its lexemes' champion lists, every
match of its lexemes too rare to have a list, and every text indexed since the lists
were built (measures.search.service). A text in the true top of a query almost always scores high
for one of its words, so the page differs little from exact ranking; bench/search_bench.py
measures how little.

Lists cover every text, public or not, so publishing a reviewed draft needs no rebuild;
search drops what is not public. The worker rebuilds them when enough texts have been
indexed since (`champions_refresh`), and `reindex` does after rebuilding the vectors.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from measures.models import ChampionBuild, ChampionList, MeasureText
from measures.search import tsquery
from measures.search.match import SCORE, Match

_COMMON = """
SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM measures_measuretext')
WHERE ndoc >= %s ORDER BY ndoc DESC, word
"""

# A lexeme's list ranks its texts by the search score of a query of that lexeme alone,
# so it holds exactly the top of that query.
_LIST = f"""
INSERT INTO measures_championlist (build_id, lexeme, is_query, df, text_ids)
SELECT %s, %s, false, %s, coalesce(array_agg(id ORDER BY score DESC, issued_on DESC NULLS LAST,
                                      measure_id), '{{}}')
FROM (
    SELECT t.id, {SCORE} AS score, t.issued_on, t.measure_id
    FROM measures_measuretext t, {Match.FROM}
    WHERE t.search_vector @@ q.full
    ORDER BY score DESC, t.issued_on DESC NULLS LAST, t.measure_id
    LIMIT %s
) best
"""


def latest_build() -> ChampionBuild | None:
    return ChampionBuild.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def champions_build(
    *,
    min_df: int | None = None,
    depth: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ChampionBuild:
    """Build lists for every lexeme in at least `min_df` texts, then drop older builds.

    Search keeps using the previous build until this one is finished.
    """
    min_df = settings.SEARCH_CHAMPION_MIN_DF if min_df is None else min_df
    depth = settings.SEARCH_CHAMPION_DEPTH if depth is None else depth
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Texts indexed after this point are candidates of every search until the next build.
        # So are those of client transactions open now that have written (hold an xid):
        # they may commit after the build read. Transactions that have not written yet
        # will stamp their texts later, and autovacuum writes no texts; counting those
        # made the build start at a random earlier moment whenever autovacuum was busy.
        cursor.execute(
            "SELECT least(clock_timestamp(), min(xact_start)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend' AND backend_xid IS NOT NULL"
        )
        build = ChampionBuild.objects.create(
            started_at=cursor.fetchone()[0], min_df=min_df, depth=depth
        )
        cursor.execute(_COMMON, [min_df])
        common = cursor.fetchall()
        for done, (lexeme, df) in enumerate(common, 1):
            word = tsquery.quote(lexeme)
            alone = Match(own=word, exp=None, full=word)
            cursor.execute(_LIST, [build.pk, lexeme, df, *alone.params, depth])
            if progress:
                progress(done, len(common))
    with transaction.atomic():
        build.finished_at = timezone.now()
        build.lexemes = len(common)
        build.seconds = time.perf_counter() - started
        build.save(update_fields=["finished_at", "lexemes", "seconds"])
        # The build before stays for searches that started with it; builds that never
        # finished and started before this one are abandoned.
        finished = ChampionBuild.objects.filter(finished_at__isnull=False)
        keep = list(finished.order_by("-finished_at").values_list("pk", flat=True)[:2])
        finished.exclude(pk__in=keep).delete()
        ChampionBuild.objects.filter(finished_at__isnull=True, pk__lt=build.pk).delete()
    return build


def champions_refresh() -> ChampionBuild | None:
    """Rebuild the lists when they are due; None if they are current enough.

    Texts indexed after a build are ranked in full by every broad search that matches
    them, so the lists are rebuilt once SEARCH_CHAMPION_REBUILD_AFTER texts have been
    indexed since, and at least daily while anything has changed.
    """
    running = ChampionBuild.objects.filter(
        finished_at__isnull=True,
        started_at__gte=timezone.now() - timedelta(seconds=settings.Q_LONG_TIMEOUT),
    )
    if running.exists():
        return None  # another worker is at it
    build = latest_build()
    if build is None:
        return champions_build()
    changed = MeasureText.objects.filter(indexed_at__gte=build.started_at).count()
    stale = timezone.now() - build.started_at > timedelta(days=1)
    if changed >= settings.SEARCH_CHAMPION_REBUILD_AFTER or (changed and stale):
        return champions_build()
    return None


@dataclass(frozen=True)
class Lists:
    """The champion lists a search uses: its words' and its whole query's."""

    by_word: dict[str, tuple[list[int], bool]]  # word → (text ids, cut short at the depth)
    whole: tuple[list[int], bool] | None  # the query's own list, if the worker made one

    def candidates(self, words: list[str]) -> tuple[set[int], list[str], bool]:
        """Text ids for `words`, the words without a list (rare: every match of theirs
        is a candidate), and whether no list was cut short, so that the candidates hold
        every text that contains one of the words."""
        ids = set(self.whole[0]) if self.whole else set()
        complete = True
        for word in words:
            if word in self.by_word:
                text_ids, cut = self.by_word[word]
                ids.update(text_ids)
                complete = complete and not cut
        return ids, [w for w in words if w not in self.by_word], complete


def lists_for(build: ChampionBuild, words: list[str], *, query: str | None = None) -> Lists:
    """The lists of `words` (those common enough to have one) and of the whole `query`."""
    found = ChampionList.objects.filter(build=build).filter(
        Q(is_query=False, lexeme__in=words) | Q(is_query=True, lexeme=query_key(query or ""))
    )
    by_word, whole = {}, None
    for is_query, lexeme, df, text_ids in found.values_list("is_query", "lexeme", "df", "text_ids"):
        entry = (text_ids, df > len(text_ids))
        if is_query:
            whole = entry
        else:
            by_word[lexeme] = entry
    return Lists(by_word, whole)


_QUERY_LIST = f"""
WITH scored AS MATERIALIZED (
    SELECT t.id, {SCORE} AS score, t.issued_on, t.measure_id
    FROM measures_measuretext t, {Match.FROM} WHERE t.search_vector @@ q.full
)
INSERT INTO measures_championlist (build_id, lexeme, is_query, df, text_ids)
SELECT %s, %s, true, (SELECT count(*) FROM scored), coalesce((
    SELECT array_agg(id ORDER BY score DESC, issued_on DESC NULLS LAST, measure_id) FROM (
        SELECT * FROM scored ORDER BY score DESC, issued_on DESC NULLS LAST, measure_id LIMIT %s
    ) best), '{{}}')
ON CONFLICT DO NOTHING
"""

_queued: set[tuple[int, str]] = set()


def query_key(tsquery_text: str) -> str:
    """What a query's own list is filed under: tsquery text can outgrow a btree entry.

    "query2": lists ranked by the whole score (with the strict query, the amounts and
    each expansion); the first lists were ranked without them and are not read.
    """
    return "query2:" + hashlib.sha256(tsquery_text.encode()).hexdigest()


def query_champions_queue(*, build: ChampionBuild, match: Match) -> None:
    """Have the worker rank `match` in full once (not again from this process)."""
    from django_q.tasks import async_task

    key = (build.pk, match.full)
    if key in _queued:
        return
    if len(_queued) > 10_000:
        _queued.clear()
    _queued.add(key)
    transaction.on_commit(
        lambda: async_task(
            "measures.tasks.query_champions_build",
            build.pk,
            match.own,
            match.exp,
            match.full,
            match.strict,
            match.amt,
            list(match.alts),
            timeout=settings.Q_LONG_TIMEOUT,
        )
    )


def query_champions_build(*, build_id: int, match: Match) -> bool:
    """Rank every match of one query and keep its best texts as a list of the build.

    The texts are ranked by the search's own score, so that an unfiltered search can
    take the list as its top (service._champions_page).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # One ranking at a time over every worker: each reads every match of a query (a
        # core for seconds at a million measures), and a restarted site asks for many at
        # once while visitors' searches need the other core.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_QUERY_LIST_LOCK])
        depth = ChampionBuild.objects.filter(pk=build_id).values_list("depth", flat=True).first()
        if depth is None:
            return False  # replaced by a newer build meanwhile
        made = ChampionList.objects.filter(
            build_id=build_id, is_query=True, lexeme=query_key(match.full)
        )
        if made.exists():
            return False  # another web process asked for it too
        cursor.execute(_QUERY_LIST, [*match.params, build_id, query_key(match.full), depth])
        return cursor.rowcount == 1


_QUERY_LIST_LOCK = 0x706B625F71756572  # "pkb_quer": the advisory lock of query rankings
