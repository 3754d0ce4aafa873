"""The cheaper search paths of issue 10 (speed) give the answers of the full evaluation.

- A mid-sized match (between SEARCH_RANK_ALL_LIMIT and SEARCH_EXACT_LIMIT measures) is
  counted and faceted in full but its page is ranked among the champion candidates.
- A date order is evaluated without scoring.
- Agency and tag names of the facets are cached per process: a rename shows at once.

No speed is asserted here; bench/search_bench.py prints the figures.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from documents.models import Agency
from documents.services import agency_upsert
from measures.search.champions import champions_build
from measures.search.service import SearchFilters, measures_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(agencies, tags, glossary, settings):
    settings.SEARCH_SAMPLE_MODULUS = 8
    call_command("synth", "1200", "--seed", "11", stdout=None)
    settings.SEARCH_EXACT_LIMIT = 10**9  # every match is "exact" here ...
    settings.SEARCH_RANK_ALL_LIMIT = 50  # ... and most are mid-sized
    champions_build(min_df=30, depth=60)
    return settings


def full(settings, **kwargs):
    """The same search with every match ranked."""
    limit = settings.SEARCH_RANK_ALL_LIMIT
    settings.SEARCH_RANK_ALL_LIMIT = 10**9
    try:
        return measures_search(**kwargs)
    finally:
        settings.SEARCH_RANK_ALL_LIMIT = limit


def facet_counts(page) -> dict:
    return {name: {v["value"]: v["count"] for v in values} for name, values in page.facets.items()}


@pytest.mark.parametrize(
    "q", ["企业", "融资担保", "enterprises", "financing guarantee", "專精特新"]
)
def test_mid_sized_match_keeps_exact_count_and_facets_and_the_best_page(corpus, q):
    fast = measures_search(q=q, page_size=20)
    truth = full(corpus, q=q, page_size=20)
    assert truth.count > corpus.SEARCH_RANK_ALL_LIMIT  # the query is of the class tested
    assert not fast.estimated
    assert fast.count == truth.count
    assert facet_counts(fast) == facet_counts(truth)
    # Scores tie in generated text: every shown measure scores as well as the exact 20th.
    floor = min(round(h.score, 6) for h in truth.hits)
    assert [round(h.score, 6) for h in fast.hits][:1] == [round(h.score, 6) for h in truth.hits][:1]
    assert all(round(h.score, 6) >= floor for h in fast.hits)
    assert len(fast.hits) == len(truth.hits) == 20


def test_mid_sized_match_pages_further_on_agree_too(corpus):
    for page in (2, 3):
        fast = measures_search(q="企业", page=page, page_size=20)
        truth = full(corpus, q="企业", page=page, page_size=20)
        floor = min(round(h.score, 6) for h in truth.hits)
        ceiling = max(round(h.score, 6) for h in truth.hits)
        assert len(fast.hits) == 20
        assert all(floor <= round(h.score, 6) <= ceiling for h in fast.hits)


def test_filtered_mid_sized_match_counts_only_the_filtered(corpus):
    fast = measures_search(q="企业", filters=SearchFilters(level="national"), page_size=20)
    truth = full(corpus, q="企业", filters=SearchFilters(level="national"), page_size=20)
    assert fast.count == truth.count > 0
    assert {h.measure.level for h in fast.hits} == {"national"}


def test_date_order_lists_the_same_measures_newest_first(corpus):
    fast = measures_search(q="融资担保", sort="-date", page_size=20)
    truth = full(corpus, q="融资担保", sort="-date", page_size=20)
    assert [h.measure.pk for h in fast.hits] == [h.measure.pk for h in truth.hits]
    dates = [h.measure.issued_on for h in fast.hits]
    assert dates == sorted(dates, reverse=True)
    # The language counted for a measure found in both languages is its own-language text.
    assert facet_counts(fast)["language"] == facet_counts(truth)["language"]


def test_renamed_agency_shows_its_new_name_in_the_next_facets(corpus):
    before = measures_search(q="企业")
    shown = before.facets["agency"][0]
    agency = Agency.objects.get(key=shown["value"])
    agency_upsert(key=agency.key, name_zh=agency.name_zh + "（新）", name_en="Renamed Bureau",
                  level=agency.level, region=agency.region)  # fmt: skip
    after = measures_search(q="企业")
    renamed = next(v for v in after.facets["agency"] if v["value"] == agency.key)
    assert renamed["name_en"] == "Renamed Bureau"
    assert renamed["name_zh"].endswith("（新）")


def test_new_agency_without_history_is_still_named(corpus):
    # Bulk creation writes no history row: the cache must still find the new name.
    measures_search(q="企业")
    (fresh,) = Agency.objects.bulk_create(
        [Agency(key="bulk-bureau", name_zh="批量局", name_en="Bulk Bureau", level="national")]
    )
    from measures.search import reference

    assert reference.agency_labels([fresh.pk])[str(fresh.pk)][1] == "Bulk Bureau"


def test_score_bands_do_not_overlap():
    """Own-language texts score 1 and up, expansion-only texts below 1, whatever their
    titles and repetitions: the broad path takes a page from the own words' champion
    lists alone when enough texts there score 1 or more."""
    from django.db import connection

    from measures.search.match import SCORE, Match

    match = Match(
        own="'o1' & 'o2'",
        exp="( 'o1' | 'g1' ) & ( 'o2' | 'g2' )",
        full="( 'o1' | 'g1' | 'd1' ) & ( 'o2' | 'g2' | 'd2' )",
    )
    # Two words side by side over and over, in the title too: the rank of an AND query
    # reaches its cap of 1 there.
    many = ",".join(f"{i}A" for i in range(1, 40, 2))
    after = ",".join(f"{i}A" for i in range(2, 41, 2))
    cases = {
        "own": "o1:80 o2:90",
        "expansion": f"g1:{many} g2:{after}",
        "dictionary": f"d1:{many} d2:{after}",
    }
    scores = {}
    with connection.cursor() as cursor:
        for name, vector in cases.items():
            cursor.execute(
                f"SELECT {SCORE} FROM (SELECT %s::tsvector AS search_vector) t, {Match.FROM}",
                [vector, *match.params],
            )
            scores[name] = cursor.fetchone()[0]
    assert scores["own"] >= 1.0 > scores["expansion"] >= 0.5 > scores["dictionary"] >= 0.2
