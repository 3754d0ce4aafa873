"""The admin where it stays: translated titles, filters that fit the work, nothing deleted
or made public around the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import PublicationStatus
from documents.services import document_publish
from measures.models import Measure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "lang,title", [("zh-hans", "惠企政策库后台管理"), ("en", "PolicyKB administration")]
)
def test_the_admin_names_itself_in_the_interface_language(admin_client, lang, title):
    page = admin_client.get(f"/{lang}/admin/").content.decode()
    assert title in page
    assert "Django 管理" not in page and "Django administration" not in page


def test_measures_filter_by_status_and_missing_translation(admin_client, draft):
    url = reverse("admin:measures_measure_changelist")
    drafts = admin_client.get(url, {"status": "draft"}).context["cl"].result_count
    published = admin_client.get(url, {"status": "published"}).context["cl"].result_count
    assert (drafts, published) == (3, 0)
    assert admin_client.get(url, {"missing": "en"}).context["cl"].result_count == 3
    assert admin_client.get(url, {"missing": "zh"}).context["cl"].result_count == 0
    document_publish(document=draft)
    assert admin_client.get(url, {"status": "published"}).context["cl"].result_count == 3
    agency = admin_client.get(url, {"agency__id__exact": draft.agency_id}).context["cl"]
    assert agency.result_count == 3
    assert admin_client.get(url, {"q": "首次贷款"}).context["cl"].result_count == 1


def test_a_document_shows_its_measures_read_only_and_cannot_be_deleted(admin_client, draft):
    page = admin_client.get(reverse("admin:documents_document_change", args=[draft.pk]))
    assert page.status_code == 200
    inline = page.context["inline_admin_formsets"][-1]
    assert inline.formset.model is Measure and not inline.has_change_permission
    delete = admin_client.post(
        reverse("admin:documents_document_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert type(draft).objects.filter(pk=draft.pk).exists()


def test_a_measure_cannot_be_made_public_alone_in_the_admin(admin_client, draft):
    measure = draft.measures.first()
    page = admin_client.get(reverse("admin:measures_measure_change", args=[measure.pk]))
    assert "is_public" not in page.context["adminform"].form.fields
    assert (
        admin_client.post(
            reverse("admin:measures_measure_delete", args=[measure.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_an_admin_status_action_goes_through_the_workflow(admin_client, draft):
    url = reverse("admin:documents_document_changelist")
    response = admin_client.post(
        url, {"action": "set_withdrawn", "_selected_action": [draft.pk]}, follow=True
    )
    assert "cannot become withdrawn" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT
