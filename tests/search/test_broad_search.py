"""Broad searches: estimated counts and facets, pages ranked among champion lists.

A small generated corpus stands in for a million measures: the exact limit and the
champion thresholds are lowered so that common words take the broad path here too.
Every broad answer is compared with the exact answer for the same query.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from documents.models import Agency
from measures.models import ChampionBuild, Measure, MeasureText, SearchSample
from measures.search.champions import champions_build, champions_refresh
from measures.search.match import resolve
from measures.search.query import parse
from measures.search.service import SearchFilters, lexicon, measures_search

pytestmark = pytest.mark.django_db

N = 1500


@pytest.fixture
def corpus(agencies, tags, glossary, settings):
    settings.SEARCH_SAMPLE_MODULUS = 8  # a sample of about 190 measures, not 12
    call_command("synth", str(N), "--seed", "7", stdout=None)
    settings.SEARCH_EXACT_LIMIT = 200
    settings.SEARCH_OWN_RANK_LIMIT = 1000
    settings.SEARCH_CHAMPION_REBUILD_AFTER = 50
    champions_build(min_df=30, depth=40)
    return settings


def exact(settings, **kwargs):
    """The same search evaluated in full."""
    limit = settings.SEARCH_EXACT_LIMIT
    settings.SEARCH_EXACT_LIMIT = 10**9
    try:
        return measures_search(**kwargs)
    finally:
        settings.SEARCH_EXACT_LIMIT = limit


def ids(page):
    return [h.measure.pk for h in page.hits]


def test_common_word_gives_an_estimate_close_to_the_true_count(corpus):
    broad = measures_search(q="企业")
    truth = exact(corpus, q="企业")
    assert broad.estimated and not truth.estimated
    assert truth.count > corpus.SEARCH_EXACT_LIMIT
    assert abs(broad.count - truth.count) < 0.35 * truth.count
    # Facet counts are scaled from the same sample: they add up to about the count.
    languages = sum(f["count"] for f in broad.facets["language"])
    assert abs(languages - broad.count) <= 0.1 * broad.count
    assert broad.facets["agency"] and broad.facets["year"]


def test_common_word_is_ranked_exactly_like_the_full_ranking(corpus):
    broad = measures_search(q="企业", page_size=20)
    truth = exact(corpus, q="企业", page_size=20)
    assert ids(broad) == ids(truth)
    assert [round(h.score, 6) for h in broad.hits] == [round(h.score, 6) for h in truth.hits]


def as_good(broad, truth) -> float:
    """Share of the exact page that the broad page matches in score.

    Scores tie a lot in generated text: a tie broken otherwise is no worse.
    """
    floor = min(round(h.score, 6) for h in truth.hits)
    return sum(round(h.score, 6) >= floor for h in broad.hits) / len(truth.hits)


def test_queries_of_one_common_word_or_its_variants_stay_close_to_exact(corpus):
    shares = {}
    for q in ("中小企业", "enterprises", "融資擔保", "专精特新"):
        broad = measures_search(q=q, page_size=20)
        if broad.estimated:
            shares[q] = as_good(broad, exact(corpus, q=q, page_size=20))
    assert len(shares) >= 3
    assert min(shares.values()) >= 0.9, shares


def test_words_that_must_all_occur_are_ranked_exactly_once_the_worker_has_seen_them(
    corpus, django_capture_on_commit_callbacks
):
    from django_q.models import OrmQ

    from measures.tasks import query_champions_build

    q = "企业 融资"
    with django_capture_on_commit_callbacks(execute=True):
        first = measures_search(q=q, page_size=20)
    truth = exact(corpus, q=q, page_size=20)
    assert first.estimated
    # The first answer comes from single-word lists; the worker is asked to rank the
    # whole query once (here the task runs in the test's process).
    queued = [
        task for task in OrmQ.objects.all() if task.func() == "measures.tasks.query_champions_build"
    ]
    assert len(queued) == 1
    assert query_champions_build(*queued[0].args())
    again = measures_search(q=q, page_size=20)
    assert ids(again) == ids(truth)
    with django_capture_on_commit_callbacks(execute=True):
        measures_search(q=q, page_size=20)
    assert OrmQ.objects.count() == 1  # asked once


def test_words_in_two_languages_are_ranked_from_the_query_s_own_list(
    corpus, django_capture_on_commit_callbacks
):
    from django_q.models import OrmQ

    from measures.tasks import query_champions_build

    # No text holds both words in its own language (texts have one): the single-word
    # lists cannot promise the page, so before its own list it is ranked in full.
    q = "企业 financing"
    with django_capture_on_commit_callbacks(execute=True):
        measures_search(q=q, page_size=20)
    truth = exact(corpus, q=q, page_size=20)
    assert truth.count > corpus.SEARCH_EXACT_LIMIT
    (task,) = [t for t in OrmQ.objects.all() if t.func() == "measures.tasks.query_champions_build"]
    # The worker ranks by the search's whole score: strict query, amounts, expansions.
    match = resolve(parse(q, lexicon()))
    assert task.args()[1:] == (match.own, match.exp, match.full, match.strict, match.amt,
                               list(match.alts))  # fmt: skip
    assert match.alts  # 融资 is the glossary's financing
    assert query_champions_build(*task.args())
    again = measures_search(q=q, page_size=20)
    assert again.estimated  # ranked among its list's texts, not every match
    assert ids(again) == ids(truth)
    # A filter keeps only some matches, whose best need not be in the list.
    level = SearchFilters(level="provincial")
    assert ids(measures_search(q=q, filters=level)) == ids(exact(corpus, q=q, filters=level))


def test_rare_word_is_counted_and_ranked_in_full(corpus):
    page = measures_search(q="独角兽")
    assert not page.estimated
    matching = MeasureText.objects.filter(is_public=True, text__contains="独角兽")
    assert page.count == matching.values("measure").distinct().count() > 0


def test_a_narrow_filter_on_a_common_word_is_exact(corpus):
    counts = Counter(Measure.objects.values_list("agency_id", flat=True))
    rarest = min(counts, key=counts.get)
    key = Agency.objects.get(pk=rarest).key
    page = measures_search(q="企业", filters=SearchFilters(agency=key), page_size=100)
    assert not page.estimated
    texts = MeasureText.objects.filter(is_public=True, agency_id=rarest, text__contains="企业")
    assert page.count == texts.values("measure").distinct().count() > 0
    assert {h.measure.agency_id for h in page.hits} == {rarest}


def test_sort_by_date_on_a_broad_match_is_newest_first(corpus):
    broad = measures_search(q="企业", sort="-date", page_size=30)
    truth = exact(corpus, q="企业", sort="-date", page_size=30)
    assert broad.estimated
    assert ids(broad) == ids(truth)
    dates = [h.measure.issued_on for h in broad.hits]
    assert dates == sorted(dates, reverse=True)
    oldest = measures_search(q="企业", sort="date", page_size=30)
    assert ids(oldest) == ids(exact(corpus, q="企业", sort="date", page_size=30))


def test_sort_by_date_within_a_year_is_that_year_s_newest_first(corpus):
    years = Counter(Measure.objects.values_list("year", flat=True))
    year = max((y for y in years if y), key=years.get)
    filters = SearchFilters(year=year)
    broad = measures_search(q="企业", filters=filters, sort="-date", page_size=30)
    truth = exact(corpus, q="企业", filters=filters, sort="-date", page_size=30)
    assert broad.estimated and truth.hits
    assert ids(broad) == ids(truth)
    assert {h.measure.issued_on.year for h in broad.hits} == {year}
    oldest = measures_search(q="企业", filters=filters, sort="date", page_size=30)
    assert ids(oldest) == ids(exact(corpus, q="企业", filters=filters, sort="date", page_size=30))


def _own_language(page, language="zh"):
    return [h.measure.pk for h in page.hits if h.language == language]


def test_a_facet_click_on_a_broad_search_ranks_its_own_language_matches_exactly(corpus):
    from measures.models import Tag

    # A tag keeps only some of the lists' best texts: the page must still hold the best
    # Chinese matches the tag keeps, in the exact order.
    broad_cases = 0
    for slug in Tag.objects.values_list("slug", flat=True):
        filters = SearchFilters(tags=[slug])
        broad = measures_search(q="企业", filters=filters, page_size=20)
        if not broad.estimated:
            continue
        broad_cases += 1
        truth = exact(corpus, q="企业", filters=filters, page_size=20)
        assert _own_language(broad) == _own_language(truth), slug
        assert len(broad.hits) == len(truth.hits), slug
    assert broad_cases >= 3


def test_a_deep_page_of_several_words_is_right_before_the_worker_ranked_them(corpus):
    # No list of the whole query yet (the worker is asked for one): page 3 lies past
    # what the single words' 40-deep lists hold, so its own-language matches are ranked
    # in full.
    first = measures_search(q="企业 融资", page=3, page_size=20)
    truth = exact(corpus, q="企业 融资", page=3, page_size=20)
    assert truth.hits and first.estimated
    assert _own_language(first) == _own_language(truth)


def test_browsing_without_words_is_estimated_and_newest_first(corpus):
    page = measures_search(q="", page_size=10)
    assert page.estimated
    assert abs(page.count - N) < 0.35 * N
    assert ids(page) == ids(exact(corpus, q="", page_size=10))


def test_a_page_beyond_the_candidates_is_ranked_in_full(corpus):
    truth = exact(corpus, q="企业", page=15, page_size=20)
    deep = measures_search(q="企业", page=15, page_size=20)
    assert truth.hits and ids(deep) == ids(truth)
    assert not deep.estimated  # ranked (and so counted) in full


def test_pages_past_the_own_words_lists_are_not_filled_with_expansions(corpus):
    # With lists 40 deep, page 3 lies past the own-language candidates of 专精特新; the
    # expansion's English texts (which always rank lower) must not fill it.
    for q in ("专精特新", "中小企业", "企业"):
        broad = measures_search(q=q, page=3, page_size=20)
        truth = exact(corpus, q=q, page=3, page_size=20)
        assert [h.language for h in broad.hits] == [h.language for h in truth.hits], q
        assert ids(broad) == ids(truth), q


def test_a_measure_stored_after_the_lists_were_built_is_found(corpus):
    from documents.services import notice_ingest

    # No champion list holds this notice: it arrives after the build. Its measures say
    # 企业 in every clause, so the exact ranking puts them first.
    text = (
        "1.企业帮扶企业，企业服务企业，企业助力企业。\n2.企业联合企业，企业支持企业，企业带动企业。"
    )
    notice_ingest(data=text.encode(), name="late.txt", publish=True)
    page = measures_search(q="企业", page_size=20)
    truth = exact(corpus, q="企业", page_size=20)
    assert page.estimated
    assert ids(page) == ids(truth)
    assert {h.measure.document.notice_key for h in page.hits[:2]} == {"late"}


def test_lists_are_rebuilt_only_when_texts_changed(corpus, seeds):
    # `seeds` is set up after `corpus`: its texts were indexed after the build.
    assert champions_refresh() is not None
    assert champions_refresh() is None
    assert champions_refresh() is None
    assert (
        ChampionBuild.objects.filter(finished_at__isnull=False).count() == 2
    )  # and the one before


def test_the_sample_copies_the_texts_of_one_measure_in_the_modulus(corpus, seeds):
    sampled = set(SearchSample.objects.values_list("text_id", "is_public", "agency_id"))
    expected = set(
        MeasureText.objects.filter(measure_id__in=[
            pk for pk in Measure.objects.values_list("pk", flat=True) if pk % 8 == 0
        ]).values_list("pk", "is_public", "agency_id")
    )  # fmt: skip
    assert sampled == expected and sampled


def test_a_curated_agency_reaches_the_copies_the_sample_and_the_filters(corpus, seeds):
    from documents.services import document_update
    from measures.indexing import sample_rebuild

    corpus.SEARCH_SAMPLE_MODULUS = 1  # every text in the sample
    sample_rebuild()
    document = seeds["004"]
    other = Agency.objects.get(key="miit")
    document_update(document=document, changes={"agency": other})
    texts = MeasureText.objects.filter(measure__document=document)
    assert set(texts.values_list("agency_id", flat=True)) == {other.pk}
    sampled = SearchSample.objects.filter(text_id__in=list(texts.values_list("pk", flat=True)))
    assert set(sampled.values_list("agency_id", flat=True)) == {other.pk}
    found = measures_search(q="融资担保", filters=SearchFilters(agency="miit"), page_size=100)
    assert {h.measure.document_id for h in found.hits} >= {document.pk}


@pytest.fixture
def other_connection(db):
    """A second session on the test database, as another web process or autovacuum."""
    from django.db import connections

    other = connections.create_connection("default")
    other.ensure_connection()
    other.connection.autocommit = False
    yield other.connection
    other.connection.rollback()
    other.close()


def _xact_start(conn) -> object:
    return conn.execute("SELECT xact_start FROM pg_stat_activity WHERE pid = pg_backend_pid()").fetchone()[0]  # fmt: skip


def test_a_build_ignores_open_transactions_that_have_written_nothing(other_connection):
    other_connection.execute("SELECT 1")  # a reader: whatever it indexes later is stamped later
    opened = _xact_start(other_connection)
    build = champions_build(min_df=30, depth=40)
    assert build.started_at > opened


def test_a_build_starts_no_later_than_an_open_transaction_that_has_written(other_connection):
    other_connection.execute("SELECT txid_current()")  # holds an xid, as a writer does
    opened = _xact_start(other_connection)
    build = champions_build(min_df=30, depth=40)
    assert build.started_at <= opened
