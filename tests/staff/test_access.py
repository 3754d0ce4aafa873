"""Who may do what: every role against every staff page and action, by direct URL and POST.

anonymous → sent to sign-in; a signed-in account without a staff role → 403; an editor
uploads and sends to review but cannot publish, withdraw or touch agencies; a reviewer
can; an admin can everything. A refused POST changes nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import Agency, Document, PublicationStatus, Upload
from tests.staff.conftest import ROLES

pytestmark = pytest.mark.django_db

P = PublicationStatus

# Page → the roles that may open it.
PAGES = {
    "staff:dashboard": {"editor", "reviewer", "site_admin"},
    "staff:documents": {"editor", "reviewer", "site_admin"},
    "staff:archive": {"editor", "reviewer", "site_admin"},
    "staff:uploads": {"editor", "reviewer", "site_admin"},
    "staff:agencies": {"reviewer", "site_admin"},
}


def expect(response, allowed: bool, role: str) -> None:  # type: ignore[no-untyped-def]
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("staff:login") in response["Location"]
    elif allowed:
        assert response.status_code in (200, 302), response.content[:500]
    else:
        assert response.status_code == 403
        assert "cannot open this page" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(PAGES))
def test_each_staff_page_by_role(as_role, role, name):
    response = as_role(role).get(reverse(name))
    expect(response, role in PAGES[name], role)


@pytest.mark.parametrize("role", ROLES)
def test_the_agency_pages_by_role(as_role, agencies, role):
    agency = Agency.objects.first()
    client = as_role(role)
    expect(
        client.get(reverse("staff:agency", args=[agency.pk])),
        role in {"reviewer", "site_admin"},
        role,
    )
    response = client.post(
        reverse("staff:agency", args=[agency.pk]),
        {"name_zh": agency.name_zh, "name_en": "Renamed", "level": agency.level,
         "region": agency.region},
    )  # fmt: skip
    expect(response, role in {"reviewer", "site_admin"}, role)
    agency.refresh_from_db()
    assert (agency.name_en == "Renamed") == (role in {"reviewer", "site_admin"})


# (from status, to status) → roles allowed to make the move through the staff page.
MOVES = {
    (P.DRAFT, P.REVIEW): {"editor", "reviewer", "site_admin"},
    (P.REVIEW, P.DRAFT): {"editor", "reviewer", "site_admin"},
    (P.REVIEW, P.PUBLISHED): {"reviewer", "site_admin"},
    (P.DRAFT, P.PUBLISHED): {"reviewer", "site_admin"},
    (P.PUBLISHED, P.WITHDRAWN): {"reviewer", "site_admin"},
    (P.WITHDRAWN, P.PUBLISHED): {"reviewer", "site_admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", list(MOVES), ids=lambda m: f"{m[0]}-to-{m[1]}")
def test_each_workflow_move_by_role(as_role, draft, role, move):
    start, target = move
    Document.objects.filter(pk=draft.pk).update(status=start)
    response = as_role(role).post(reverse("staff:document-status", args=[draft.pk]), {"to": target})
    allowed = role in MOVES[move]
    draft.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302 and reverse("staff:login") in response["Location"]
    elif role == "outsider" or not allowed:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
    assert draft.status == (target if allowed else start)


def test_a_get_cannot_change_a_status(as_role, draft):
    response = as_role("reviewer").get(
        reverse("staff:document-status", args=[draft.pk]) + "?to=published"
    )
    assert response.status_code == 405
    draft.refresh_from_db()
    assert draft.status == P.DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_uploading_by_role(as_role, agencies, role):
    client = as_role(role)
    response = client.post(reverse("staff:uploads"), {"text": "关于支持企业的通知\n1.设立资金。"})
    allowed = role in {"editor", "reviewer", "site_admin"}
    expect(response, allowed, role)
    assert Upload.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize("role", ROLES)
def test_merging_agencies_by_role(as_role, agencies, role):
    source, target = Agency.objects.all()[:2]
    response = as_role(role).post(
        reverse("staff:agency-merge", args=[source.pk]), {"target": target.pk}
    )
    allowed = role in {"reviewer", "site_admin"}
    expect(response, allowed, role)
    assert Agency.objects.filter(pk=source.pk).exists() == (not allowed)


@pytest.mark.parametrize("role", ROLES)
def test_the_upload_status_feed_by_role(as_role, role):
    response = as_role(role).get(reverse("staff:upload-status") + "?ids=1,2")
    expect(response, role in {"editor", "reviewer", "site_admin"}, role)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_by_role(as_role, role):
    response = as_role(role).get(reverse("admin:documents_document_changelist"))
    if role == "anonymous":
        assert response.status_code == 302
    elif role == "outsider":
        assert response.status_code in (302, 403)  # is_staff without permissions
    else:
        assert response.status_code == 200


def test_the_public_api_and_pages_never_show_a_draft(client, draft):
    measure = draft.measures.first()
    assert client.get(f"/api/measures/{measure.pk}").status_code == 404
    assert client.get(f"/api/documents/{draft.pk}").status_code == 404
    assert client.get(f"/en/documents/{draft.pk}/").status_code == 404
    assert client.get(f"/en/measures/{measure.pk}/").status_code == 404
