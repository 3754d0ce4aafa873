"""Staff edits in the admin reach search: its copies of a measure's facts and its vectors."""

import json

import pytest
from django.urls import reverse

from measures.models import Measure, Tag
from measures.search.service import SearchFilters, measures_search

pytestmark = pytest.mark.django_db


def form_data(form, prefix: str = "") -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        key = f"{prefix}{name}"
        if value is None:
            continue
        if hasattr(value, "all"):
            value = [v.pk for v in value.all()]
        elif isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
            if name == "targets":
                value = json.dumps(value)
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        elif hasattr(value, "pk"):
            value = value.pk
        data[key] = value
    return data


def test_an_admin_edit_of_tags_and_text_reaches_search(seeds, admin_client):
    measure = Measure.objects.filter(texts__text__contains="融资担保").first()
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    page = admin_client.get(url)
    data = form_data(page.context["adminform"].form)
    formset = page.context["inline_admin_formsets"][0].formset
    data.update(form_data(formset.management_form, f"{formset.prefix}-"))
    for i, form in enumerate(formset.forms):
        data.update(form_data(form, f"{formset.prefix}-{i}-"))
    old_tags = list(measure.tags.values_list("slug", flat=True))
    tag = Tag.objects.exclude(measures=measure).first()
    data["tags"] = [tag.pk]
    data[f"{formset.prefix}-0-text"] = "支持独角兽培育计划的试点企业。"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]

    def found(q, **filters):
        return {h.measure.pk for h in measures_search(q=q, filters=SearchFilters(**filters)).hits}

    assert measure.pk in found("独角兽培育", tags=[tag.slug])
    assert old_tags and measure.pk not in found("独角兽培育", tags=old_tags[:1])
    assert measure.pk not in found("融资担保")
