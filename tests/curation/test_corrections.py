"""Merge, split, renumber, move and rename keep the notice's text exact and search current."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.models import Measure, MeasureText, Provenance
from measures.search.service import measures_search
from measures.services import (
    measure_merge,
    measure_move,
    measure_split,
    measures_renumber,
    section_rename,
)
from tests.curation.conftest import assert_spans_exact, covered

pytestmark = pytest.mark.django_db


def original(measure: Measure) -> MeasureText:
    return measure.texts.get(provenance=Provenance.ORIGINAL)


def words_of(text: str) -> str:
    """A few words from the end of a text, as a visitor would type them."""
    runs = re.findall(r"[\u4e00-\u9fff]{4,}|[A-Za-z]{5,}", text)
    return " ".join(runs[-2:])


def found_ids(q: str) -> set[int]:
    return {hit.measure.pk for hit in measures_search(q=q, page_size=100).hits}


def test_the_seed_notices_start_with_exact_spans(seeds):
    for document in seeds.values():
        assert_spans_exact(document)


class _Undo(Exception):
    """Raised to roll one hypothesis example back."""


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_splits_and_merges_cover_the_same_text_in_order(data, notice, editor):
    try:
        with transaction.atomic():
            before = covered(notice)
            for _ in range(data.draw(st.integers(1, 4), label="steps")):
                measures = list(notice.measures.order_by("number"))
                if data.draw(st.booleans(), label="split?"):
                    measure = data.draw(st.sampled_from(measures), label="measure")
                    body = original(measure).text
                    cuts = [i for i in range(1, len(body)) if body[:i].strip() and body[i:].strip()]
                    if not cuts:
                        continue
                    at = data.draw(st.sampled_from(cuts), label="at")
                    head, tail = measure_split(measure=measure, at=at, acting_user=editor)
                    assert original(head).text == body[:at].strip()
                    assert original(tail).text == body[at:].strip()
                    assert covered(notice) == before
                else:
                    pairs = [
                        (a, b)
                        for a, b in zip(measures, measures[1:], strict=False)
                        if a.section_number == b.section_number
                    ]
                    if not pairs:
                        continue
                    first, second = data.draw(st.sampled_from(pairs), label="pair")
                    gap = range(first.span_end, second.span_start)
                    text = notice.cleaned_text
                    before |= {i for i in gap if not text[i].isspace()}
                    merged = measure_merge(first=first, second=second, acting_user=editor)
                    assert original(merged).text.startswith(original(first).text[:20])
                    assert covered(notice) == before
                assert_spans_exact(notice)
            raise _Undo
    except _Undo:
        pass


def test_a_split_part_is_found_by_search_at_once(notice, editor):
    measure = notice.measures.order_by("number").first()
    body = original(measure).text
    at = len(body) // 2
    head, tail = measure_split(measure=measure, at=at, acting_user=editor)
    assert tail.is_public and tail.number == head.number + 1
    assert tail.pk in found_ids(words_of(original(tail).text))
    text = original(tail)
    assert text.is_public and text.agency_ids, "the search copies of the new text are set"
    # The history names who split it.
    assert head.history.first().history_user == editor
    assert tail.history.first().history_user == editor


def test_a_merged_measure_is_one_search_hit_and_the_second_is_gone(notice, editor):
    first, second = notice.measures.order_by("number")[:2]
    if first.section_number != second.section_number:
        pytest.skip("the first two measures are in different sections")
    count = notice.measures.count()
    second_span = (second.span_start, second.span_end)
    merged = measure_merge(first=first, second=second, acting_user=editor)
    assert not Measure.objects.filter(pk=second.pk).exists()
    assert notice.measures.count() == count - 1
    tail = notice.cleaned_text[second_span[0] : second_span[1]]
    assert original(merged).text.endswith(tail)
    assert merged.pk in found_ids(words_of(tail))


def test_merging_measures_that_are_not_neighbours_is_refused_and_changes_nothing(notice, editor):
    first, _, third = notice.measures.order_by("number")[:3]
    text = original(first).text
    with pytest.raises(ValueError, match="right after"):
        measure_merge(first=first, second=third, acting_user=editor)
    assert original(first).text == text
    assert_spans_exact(notice)


@pytest.mark.parametrize("at", [0, -1, 10**6])
def test_a_split_point_outside_the_text_is_refused(notice, editor, at):
    measure = notice.measures.order_by("number").first()
    with pytest.raises(ValueError, match="both sides"):
        measure_split(measure=measure, at=at, acting_user=editor)
    assert_spans_exact(notice)


def test_renumbering_restores_the_text_order_after_gaps(notice, editor):
    last = notice.measures.order_by("-number").first()
    Measure.objects.filter(pk=last.pk).update(number=last.number + 5)  # a gap, as ingested
    assert measures_renumber(document=notice, acting_user=editor) == 1
    assert_spans_exact(notice)
    last.refresh_from_db()
    assert last.history.first().history_user == editor


def test_moving_and_renaming_sections_reach_search(notice, editor):
    sections = sorted({m.section_number for m in notice.measures.all() if m.section_number})
    if len(sections) < 2:
        pytest.skip("needs two sections")
    measure = notice.measures.filter(section_number=sections[0]).first()
    measure_move(measure=measure, section_number=sections[1], acting_user=editor)
    measure.refresh_from_db()
    assert measure.section_number == sections[1]
    section_rename(document=notice, section_number=sections[1], title="鑫淼焱垚专项",
                   acting_user=editor)  # fmt: skip
    assert measure.pk in found_ids("鑫淼焱垚")
    with pytest.raises(ValueError):
        measure_move(measure=measure, section_number=999, acting_user=editor)
    with pytest.raises(ValueError):
        section_rename(document=notice, section_number=sections[1], title="  ", acting_user=editor)
