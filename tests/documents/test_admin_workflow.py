"""The admin saves documents through the services: a status change reaches every measure."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import PublicationStatus
from measures.search.service import measures_search
from tests.measures.test_admin import form_data

pytestmark = pytest.mark.django_db


def public_ids(q: str) -> set[int]:
    return {h.measure.pk for h in measures_search(q=q, page_size=100).hits}


def post_change(admin_client, document, **changes):
    url = reverse("admin:documents_document_change", args=[document.pk])
    page = admin_client.get(url)
    data = form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:  # the co-issuers, shown read-only
        formset = inline.formset
        data.update(form_data(formset.management_form, f"{formset.prefix}-"))
        for i, form in enumerate(formset.forms):
            data.update(form_data(form, f"{formset.prefix}-{i}-"))
    data.update(changes)
    return admin_client.post(url, data)


def test_withdrawing_a_notice_in_the_admin_takes_its_measures_off_the_site(
    admin_client, client, seeds
):
    document = seeds["004"]
    measure = document.measures.get(number=10)
    assert measure.pk in public_ids("融资担保")
    response = post_change(admin_client, document, status=PublicationStatus.WITHDRAWN)
    assert response.status_code == 302, response.content[:1500]
    assert measure.pk not in public_ids("融资担保")
    assert client.get(f"/en/measures/{measure.pk}/").status_code == 404
    assert client.get(f"/api/measures/{measure.pk}").status_code == 404
    assert client.get(f"/en/documents/{document.pk}/").status_code == 404
    measure.refresh_from_db()
    assert not measure.is_public


def test_publishing_again_brings_them_back(admin_client, client, seeds):
    document = seeds["004"]
    post_change(admin_client, document, status=PublicationStatus.WITHDRAWN)
    post_change(admin_client, document, status=PublicationStatus.PUBLISHED)
    measure = document.measures.get(number=10)
    assert measure.pk in public_ids("融资担保")
    assert client.get(f"/en/measures/{measure.pk}/").status_code == 200


def test_a_curated_field_edited_in_the_admin_is_remembered(admin_client, seeds):
    document = seeds["004"]
    response = post_change(admin_client, document, doc_number="青民经发〔2023〕1号")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.doc_number == "青民经发〔2023〕1号"
    assert "doc_number" in document.curated_fields


def test_the_withdraw_action_works_on_a_selection(admin_client, seeds):
    url = reverse("admin:documents_document_changelist")
    chosen = [seeds["001"].pk, seeds["003"].pk]
    response = admin_client.post(url, {"action": "set_withdrawn", "_selected_action": chosen})
    assert response.status_code == 302
    for key in ("001", "003"):
        seeds[key].refresh_from_db()
        assert seeds[key].status == PublicationStatus.WITHDRAWN
        assert not seeds[key].measures.filter(is_public=True).exists()


def test_a_measure_cannot_be_made_public_alone(admin_client, agencies, tags, glossary):
    from documents.services import notice_ingest

    draft = notice_ingest(data="1.支持企业融资。\n2.减免房租。".encode(), name="draft.txt").document
    measure = draft.measures.first()
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "is_public" not in form.fields  # shown read-only: it follows the document


def test_documents_and_uploads_are_not_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:documents_document_add")).status_code == 403
    assert admin_client.get(reverse("admin:documents_upload_add")).status_code == 403
