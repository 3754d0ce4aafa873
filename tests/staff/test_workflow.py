"""The workflow draft → in review → published → withdrawn (→ restored), superseding on a
new version, and the measures following the document in every public read at once."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse

from documents.models import Document, PublicationStatus
from documents.services import (
    PublishConflict,
    WorkflowError,
    document_publish,
    document_restore,
    document_submit_for_review,
    document_withdraw,
    notice_ingest,
)
from tests.staff.conftest import NOTICE

pytestmark = pytest.mark.django_db
P = PublicationStatus
WORD = "融资担保"


def public_reads(client, document) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    """Where a visitor would see the document's first measure: True for each read."""
    measure = document.measures.order_by("number").first()
    search_page = client.get("/en/search/", {"q": WORD}).content.decode()
    api = client.get("/api/measures", {"q": WORD}).json()
    home = client.get("/zh-hans/").content.decode()
    agency_page = client.get(f"/en/agencies/{document.agency.key}/").content.decode()
    facets = client.get("/api/measures", {"q": ""}).json()["facets"]
    return {
        "search page": f"/measures/{measure.pk}/" in search_page,
        "api search": any(h["id"] == measure.pk for h in api["results"]),
        "api count": api["count"] > 0,
        "agency facet": any(v["value"] == document.agency.key for v in facets.get("agency", [])),
        "measure page": client.get(f"/en/measures/{measure.pk}/").status_code == 200,
        "measure api": client.get(f"/api/measures/{measure.pk}").status_code == 200,
        "notice page": client.get(f"/en/documents/{document.pk}/").status_code == 200,
        "notice api": client.get(f"/api/documents/{document.pk}").status_code == 200,
        "notice list": f"/documents/{document.pk}/"
        in client.get("/en/documents/").content.decode(),
        "home latest": f"/documents/{document.pk}/" in home,
        "agency page": f"/documents/{document.pk}/" in agency_page,
    }


def test_a_document_moves_through_the_workflow_and_every_read_follows(
    client, draft, editor, reviewer
):
    assert not any(public_reads(client, draft).values()), "a draft is never public"
    document_submit_for_review(document=draft, acting_user=editor)
    assert draft.status == P.REVIEW
    assert not any(public_reads(client, draft).values())
    document_publish(document=draft, acting_user=reviewer)
    reads = public_reads(client, draft)
    assert all(reads.values()), reads
    document_withdraw(document=draft, acting_user=reviewer)
    reads = public_reads(client, draft)
    assert not any(reads.values()), reads
    document_restore(document=draft, acting_user=reviewer)
    assert all(public_reads(client, draft).values())


def test_an_editor_cannot_publish_and_nothing_changes(draft, editor):
    with pytest.raises(PermissionDenied):
        document_publish(document=draft, acting_user=editor)
    draft.refresh_from_db()
    assert draft.status == P.DRAFT
    assert not draft.measures.filter(is_public=True).exists()


def test_a_move_the_workflow_lacks_is_refused_with_a_reason(draft, reviewer):
    with pytest.raises(WorkflowError, match="cannot become withdrawn"):
        document_withdraw(document=draft, acting_user=reviewer)


def test_the_history_names_who_published(draft, reviewer):
    document_publish(document=draft, acting_user=reviewer)
    assert draft.history.latest().history_user == reviewer


def test_publishing_a_new_version_supersedes_the_old_in_one_step(client, agencies, reviewer):
    first = notice_ingest(data=NOTICE.encode(), name="v.txt", publish=True).document
    second = notice_ingest(
        data=NOTICE.replace("1000万元", "2000万元").encode(), name="v.txt"
    ).document
    assert second.notice_key == first.notice_key and second.version == 2
    document_publish(document=second, acting_user=reviewer)
    first.refresh_from_db()
    assert first.status == P.SUPERSEDED
    assert not first.measures.filter(is_public=True).exists()
    assert second.measures.filter(is_public=True).count() == 3
    api = client.get("/api/measures", {"q": WORD}).json()
    assert {h["id"] for h in api["results"]} <= set(second.measures.values_list("pk", flat=True))


def test_restoring_an_old_version_under_a_newer_published_one_keeps_the_newer_live(
    agencies, reviewer
):
    first = notice_ingest(data=NOTICE.encode(), name="v.txt", publish=True).document
    document_withdraw(document=first, acting_user=reviewer)
    second = notice_ingest(
        data=NOTICE.replace("1000万元", "2000万元").encode(), name="v.txt"
    ).document
    document_publish(document=second, acting_user=reviewer)
    restored = document_restore(document=first, acting_user=reviewer)
    assert restored.status == P.SUPERSEDED
    assert list(Document.objects.published()) == [second]


def test_the_archive_lists_withdrawn_notices_with_a_restore_button(client, draft, reviewer):
    document_publish(document=draft, acting_user=reviewer)
    document_withdraw(document=draft, acting_user=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("staff:archive")).content.decode()
    assert f'id="doc-{draft.pk}"' in page and "Restore" in page
    client.post(reverse("staff:document-status", args=[draft.pk]), {"to": P.PUBLISHED})
    draft.refresh_from_db()
    assert draft.status == P.PUBLISHED
    assert f'id="doc-{draft.pk}"' not in client.get(reverse("staff:archive")).content.decode()


def test_the_staff_page_says_why_a_move_was_refused(client, draft, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("staff:document-status", args=[draft.pk]), {"to": P.WITHDRAWN}, follow=True
    )
    assert "cannot become withdrawn" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_publishing_two_versions_at_once_leave_one_published(agencies, reviewer):
    """Two real connections: A publishes version 2 and has not committed yet when B
    publishes version 3. B gets a clear error; exactly one version is published."""
    notice_ingest(data=NOTICE.encode(), name="v.txt", publish=True)
    two = notice_ingest(data=NOTICE.replace("1000万元", "2000万元").encode(), name="v.txt").document
    three = notice_ingest(
        data=NOTICE.replace("1000万元", "3000万元").encode(), name="v.txt"
    ).document
    a_published, a_may_commit = threading.Event(), threading.Event()
    errors: dict[str, Exception] = {}

    def reviewer_a() -> None:
        try:
            with transaction.atomic():
                document_publish(document=Document.objects.get(pk=two.pk), acting_user=reviewer)
                a_published.set()
                a_may_commit.wait(timeout=60)
        except Exception as exc:  # reported below
            errors["a"] = exc
        finally:
            a_published.set()
            connection.close()

    def reviewer_b() -> None:
        try:
            document_publish(document=Document.objects.get(pk=three.pk), acting_user=reviewer)
        except Exception as exc:
            errors["b"] = exc
        finally:
            connection.close()

    thread_a = threading.Thread(target=reviewer_a)
    thread_a.start()
    assert a_published.wait(timeout=60)
    thread_b = threading.Thread(target=reviewer_b)
    thread_b.start()
    thread_b.join(timeout=60)
    a_may_commit.set()
    thread_a.join(timeout=60)
    assert "a" not in errors, errors
    assert isinstance(errors.get("b"), PublishConflict)
    assert "reload" in str(errors["b"])
    published = list(Document.objects.filter(notice_key=two.notice_key, status=P.PUBLISHED))
    assert [d.pk for d in published] == [two.pk]
    assert Document.objects.get(pk=three.pk).status == P.DRAFT
    assert not three.measures.filter(is_public=True).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_published_version_whatever_the_code(agencies):
    from django.db import IntegrityError

    first = notice_ingest(data=NOTICE.encode(), name="v.txt", publish=True).document
    second = notice_ingest(
        data=NOTICE.replace("1000万元", "2000万元").encode(), name="v.txt"
    ).document
    with pytest.raises(IntegrityError):
        Document.objects.filter(pk=second.pk).update(status=P.PUBLISHED)
    assert list(Document.objects.published()) == [first]
