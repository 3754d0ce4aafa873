"""Fixtures for the curation tests: a published seed notice with sections and measures."""

from __future__ import annotations

import pytest


@pytest.fixture
def notice(seeds):
    """The seed notice with the most measures in sections (published, with spans)."""
    from django.db.models import Count

    from documents.models import Document

    return (
        Document.objects.filter(pk__in=[d.pk for d in seeds.values()])
        .annotate(n=Count("measures"))
        .order_by("-n")
        .first()
    )


def covered(document) -> set[int]:
    """The positions of the cleaned text, other than whitespace, inside a measure's span."""
    text = document.cleaned_text
    return {
        i
        for start, end in document.measures.values_list("span_start", "span_end")
        if start is not None
        for i in range(start, end)
        if not text[i].isspace()
    }


def assert_spans_exact(document) -> None:
    """Measures numbered 1…n in text order, each text exactly its span, none overlapping."""
    from measures.models import Provenance

    measures = list(document.measures.order_by("number").prefetch_related("texts"))
    assert [m.number for m in measures] == list(range(1, len(measures) + 1))
    previous_end = 0
    for measure in measures:
        original = next(t for t in measure.texts.all() if t.provenance == Provenance.ORIGINAL)
        assert measure.span_start is not None, measure
        assert measure.span_start >= previous_end, f"measure {measure.number} overlaps"
        assert document.cleaned_text[measure.span_start : measure.span_end] == original.text
        previous_end = measure.span_end
    document.refresh_from_db()
    assert document.found_measures == len(measures)
