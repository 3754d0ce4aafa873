"""Stored counts agree with live counts and with the search facets, after every write."""

from __future__ import annotations

import pytest
from django.db import connection

from documents.models import Agency, Document, PublicationStatus
from documents.services import document_issuers_set, document_status_set, document_update
from measures import counts
from measures.models import Measure, MeasureCount
from measures.search.service import SearchFilters, measures_search

pytestmark = pytest.mark.django_db


def live_by_agency_year() -> dict[tuple[int, int], int]:
    """What the search copies say: every issuer of every public measure, by year."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a, coalesce(year, 0), count(DISTINCT measure_id) FROM measures_measuretext,"
            " unnest(agency_ids) a WHERE is_public GROUP BY 1, 2"
        )
        return {(a, y): n for a, y, n in cursor.fetchall()}


def stored_by_agency_year() -> dict[tuple[int, int], int]:
    return {
        (a, y): m
        for a, years in counts.by_agency_year().items()
        for y, (m, _d) in years.items()
        if m
    }


def assert_counts_are_live() -> None:
    assert stored_by_agency_year() == live_by_agency_year()
    total = counts.totals()
    assert total["measures"] == Measure.objects.published().count()
    assert total["documents"] == Document.objects.published().count()
    stored_years = {y: m for y, (m, _d) in counts.by_year().items() if m}
    live_years = {
        int(v["value"]): v["count"] for v in measures_search(q="", page_size=1).facets["year"]
    }
    assert stored_years == live_years
    facets = measures_search(q="", page_size=1).facets
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT level, sum(measures) FROM measures_measurecount"
            " WHERE agency_id = 0 AND tag_id = 0 GROUP BY level HAVING sum(measures) > 0"
        )
        stored_levels = dict(cursor.fetchall())
    assert stored_levels == {v["value"]: v["count"] for v in facets["level"]}


def test_seed_counts_agree_with_search_facets(seeds):
    assert_counts_are_live()
    assert counts.totals()["measures"] > 50
    facets = measures_search(q="", page_size=1).facets
    tag_ids = {v["value"]: v["count"] for v in facets["tag"]}
    from measures.models import Tag

    names = {f"{t.kind}:{t.slug}": t.pk for t in Tag.objects.all()}
    assert {names[k]: n for k, n in tag_ids.items()} == counts.by_tag()


def test_withdrawing_and_republishing_moves_the_counts(seeds):
    document = seeds["004"]
    before = counts.totals()
    document_status_set(document=document, status=PublicationStatus.WITHDRAWN)
    after = counts.totals()
    assert after["measures"] == before["measures"] - document.measures.count()
    assert after["documents"] == before["documents"] - 1
    assert_counts_are_live()
    document_status_set(document=document, status=PublicationStatus.PUBLISHED)
    assert counts.totals() == before
    assert_counts_are_live()


def test_a_new_date_moves_a_notice_to_its_new_year(seeds):
    import datetime as dt

    document = seeds["001"]
    document_update(document=document, changes={"issued_on": dt.date(2011, 3, 1)})
    assert counts.by_year()[2011][1] == 1
    assert_counts_are_live()


def test_co_issuers_count_for_each_issuer_like_the_agency_facet(seeds):
    document = seeds["002"]
    extra = Agency.objects.filter(level="national").exclude(pk=document.agency_id).first()
    document_issuers_set(document=document, lead=document.agency, co_issuers=[extra])
    year = document.issued_on.year
    stored = counts.by_agency_year()[extra.pk][year][0]
    found = measures_search(q="", filters=SearchFilters(agency=extra.key, year=year)).count
    assert stored == found >= document.measures.count()
    assert_counts_are_live()


def test_drafts_are_not_counted(agencies, tags, glossary):
    from documents.services import notice_ingest_file
    from tests.conftest import SEEDS

    draft = notice_ingest_file(path=sorted(SEEDS.glob("*.txt"))[0]).document
    assert draft.status == PublicationStatus.DRAFT
    assert counts.totals() == {"measures": 0, "documents": 0, "agencies": 0}
    document_status_set(document=draft, status=PublicationStatus.PUBLISHED)
    assert counts.totals()["measures"] == draft.measures.count() > 0
    assert_counts_are_live()


def test_rebuild_repairs_drift(seeds):
    expected = counts.totals()
    MeasureCount.objects.update(measures=0)
    assert counts.totals()["measures"] == 0
    assert counts.counts_rebuild() == expected["measures"]
    assert counts.totals() == expected
    assert_counts_are_live()


def test_a_tag_edit_on_a_measure_moves_the_tag_counts(seeds):
    from measures.models import MeasureText
    from measures.services import measure_texts_index

    measure = seeds["004"].measures.filter(tags__isnull=False).first()
    tag = measure.tags.first()
    before = counts.by_tag()[tag.pk]
    measure.tags.remove(tag)
    measure_texts_index(texts=MeasureText.objects.filter(measure=measure))
    assert counts.by_tag().get(tag.pk, 0) == before - 1
    assert_counts_are_live()
