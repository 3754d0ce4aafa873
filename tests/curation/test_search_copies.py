"""Corrections keep the search sample and the copies on the texts current, without reindex."""

from __future__ import annotations

import pytest

from measures.models import MeasureText, Provenance, SearchSample, Tag
from measures.services import measure_merge, measure_split, measure_text_set, measures_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_everything(settings):
    settings.SEARCH_SAMPLE_MODULUS = 1  # every text in the sample, so each write must reach it


def sample_of(text: MeasureText) -> SearchSample | None:
    return SearchSample.objects.filter(text=text).first()


def test_split_translation_tags_and_merge_keep_the_sample_current(
    sample_everything, notice, editor, tags
):
    first = notice.measures.order_by("number").first()
    body = first.texts.get(provenance=Provenance.ORIGINAL).text
    head, tail = measure_split(measure=first, at=len(body) // 2, acting_user=editor)
    tail_text = tail.texts.get()
    sampled = sample_of(tail_text)
    assert sampled is not None and sampled.is_public and sampled.measure_id == tail.pk
    assert sampled.agency_ids == tail_text.agency_ids and sampled.search_vector

    translation = measure_text_set(measure=head, language="en", title="Coordination",
                                   text="Coordinate the work.", acting_user=editor)  # fmt: skip
    assert sample_of(translation).provenance == Provenance.TRANSLATION

    tag = Tag.objects.exclude(measures=head).first()
    measures_tag(measures=[head], add=[tag], acting_user=editor)
    translation.refresh_from_db()
    assert tag.pk in translation.tag_ids and tag.pk in sample_of(translation).tag_ids

    measure_merge(first=head, second=tail, acting_user=editor)
    assert not SearchSample.objects.filter(text_id=tail_text.pk).exists()
    merged = head.texts.get(provenance=Provenance.ORIGINAL)
    assert merged.text == body
    assert sample_of(merged).search_vector == MeasureText.objects.get(pk=merged.pk).search_vector
