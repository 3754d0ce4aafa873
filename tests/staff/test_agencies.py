"""Agencies that ingestion registered are reviewed: merged into an existing agency (their
documents, co-issuer links and search copies follow) or completed (level, region and
names reach the search copies at once)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from documents.models import Agency
from documents.services import (
    agency_merge,
    agency_update,
    document_issuers_set,
    document_publish,
    notice_ingest,
)
from measures.models import MeasureText
from measures.search.service import SearchFilters, measures_search

pytestmark = pytest.mark.django_db

NEW_BODY = "云泽市中小企业服务局关于支持小微企业融资的通知\n一、设立融资担保专项资金。\n二、给予首贷贴息支持。\n"
OTHER = "国家发展改革委关于开展银企对接的通知\n一、开展融资担保对接活动。\n二、建立融资需求清单。\n"


@pytest.fixture
def registered(agencies):
    """A published notice whose issuer ingestion had to register (needs review)."""
    outcome = notice_ingest(data=NEW_BODY.encode(), name="yunze.txt", publish=True)
    assert outcome.created_agencies, outcome.warnings
    return outcome.document


def found(**filters) -> set[int]:  # type: ignore[no-untyped-def]
    hits = measures_search(q="融资担保", filters=SearchFilters(**filters), page_size=50).hits
    return {h.measure.document_id for h in hits}


def copies(document) -> set[tuple]:  # type: ignore[no-untyped-def]
    rows = MeasureText.objects.filter(measure__document=document).values_list(
        "agency_id", "agency_ids", "level", "region"
    )
    return {(a, tuple(ids), level, region) for a, ids, level, region in rows}


def test_a_registered_agency_is_listed_for_review(client, reviewer, registered):
    client.force_login(reviewer)
    page = client.get(reverse("staff:agencies")).content.decode()
    assert "云泽市中小企业服务局" in page and "to review" in page
    assert "国家发展和改革委员会" not in page  # confirmed bodies only with ?all=1


def test_merging_moves_documents_co_issuer_links_and_search_copies(registered, reviewer):
    source = registered.agency
    # The body as the registry knows it, under its official name, in the same city.
    target = agency_update(
        agency=Agency(key="yunze-sme-bureau"),
        changes={"name_zh": "云泽市中小企业发展促进局", "name_en": "Yunze SME Promotion Bureau",
                 "level": "municipal", "region": source.region, "region_zh": source.region_zh},
        acting_user=reviewer,
    )  # fmt: skip
    joint = notice_ingest(data=OTHER.encode(), name="joint.txt", publish=True).document
    ndrc = Agency.objects.get(key="ndrc")
    document_issuers_set(document=joint, lead=ndrc, co_issuers=[source])
    # A notice that names both: after the merge the target must not appear twice.
    both = notice_ingest(data=OTHER.replace("银企", "政银").encode(), name="both.txt").document
    document_issuers_set(document=both, lead=target, co_issuers=[source])
    document_publish(document=both)
    assert found(agency=source.key) == {registered.pk, joint.pk, both.pk}

    agency_merge(source=source, target=target, acting_user=reviewer)

    assert not Agency.objects.filter(pk=source.pk).exists()
    registered.refresh_from_db()
    assert registered.agency == target
    assert registered.agency_as_written == "云泽市中小企业服务局"  # the notice's words stay
    assert [a.key for a in joint.issuers] == ["ndrc", "yunze-sme-bureau"]
    both.refresh_from_db()
    assert [a.key for a in both.issuers] == ["yunze-sme-bureau"]
    assert copies(registered) == {(target.pk, (target.pk,), "municipal", source.region)}
    assert copies(joint) == {(ndrc.pk, (ndrc.pk, target.pk), "national", "China")}
    assert copies(both) == {(target.pk, (target.pk,), "municipal", source.region)}
    assert found(agency=target.key) == {registered.pk, joint.pk, both.pk}
    target.refresh_from_db()
    assert "云泽市中小企业服务局" in target.aliases
    # The next notice naming the merged body lands on the target, not a new registration.
    again = notice_ingest(data=NEW_BODY.replace("首贷", "续贷").encode(), name="again.txt")
    assert again.document.agency == target and not again.created_agencies


def test_completing_an_agency_reaches_the_search_copies(client, registered, reviewer):
    agency = registered.agency
    client.force_login(reviewer)
    response = client.post(
        reverse("staff:agency", args=[agency.pk]),
        {"name_zh": agency.name_zh, "name_en": "Yunze SME Service Bureau",
         "aliases": "云泽中小企业局\n", "level": "district", "region": "Yunze New Area",
         "region_zh": "云泽新区", "confirmed": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.name_en, agency.level, agency.needs_review) == (
        "Yunze SME Service Bureau", "district", False
    )  # fmt: skip
    assert agency.aliases == ["云泽中小企业局"]
    assert copies(registered) == {(agency.pk, (agency.pk,), "district", "Yunze New Area")}
    assert found(region="Yunze New Area") == {registered.pk}
    assert found(level="district") == {registered.pk}
    api = client.get("/api/documents/" + str(registered.pk)).json()
    assert api["agency"]["name_en"] == "Yunze SME Service Bureau"
    assert api["agency"]["needs_review"] is False


def test_an_agency_cannot_become_its_own_ancestor(registered, reviewer):
    agency = registered.agency
    child = Agency.objects.get(key="qingdao-eitc")
    agency_update(agency=child, changes={"parent": agency}, acting_user=reviewer)
    with pytest.raises(ValidationError):
        agency_update(agency=agency, changes={"parent": child}, acting_user=reviewer)
    with pytest.raises(ValidationError):
        agency_merge(source=agency, target=agency, acting_user=reviewer)


def test_an_editor_may_neither_edit_nor_merge(registered, editor):
    with pytest.raises(PermissionDenied):
        agency_update(agency=registered.agency, changes={"name_en": "x"}, acting_user=editor)
    with pytest.raises(PermissionDenied):
        agency_merge(source=registered.agency, target=Agency.objects.get(key="ndrc"),
                     acting_user=editor)  # fmt: skip


@pytest.mark.parametrize(
    "data,error",
    [
        ({"name_zh": "", "name_en": "", "level": "municipal", "region": "X"}, "Give the body"),
        ({"name_zh": "某局", "level": "galactic", "region": "X"}, "Select a valid choice"),
        ({"name_zh": "某局", "level": "municipal", "region": ""}, "This field is required"),
        ({"name_zh": "某\x00局", "level": "municipal", "region": "X"}, "Null characters"),
    ],
)
def test_bad_agency_input_is_refused_and_changes_nothing(client, registered, reviewer, data, error):
    agency = registered.agency
    client.force_login(reviewer)
    response = client.post(reverse("staff:agency", args=[agency.pk]), data)
    assert response.status_code == 400 and error in response.content.decode()
    before = (agency.name_zh, agency.level, agency.region)
    agency.refresh_from_db()
    assert (agency.name_zh, agency.level, agency.region) == before


def test_the_merge_page_moves_the_notices_and_says_so(client, registered, reviewer):
    target = Agency.objects.get(key="qingdao-eitc")
    client.force_login(reviewer)
    response = client.post(
        reverse("staff:agency-merge", args=[registered.agency.pk]), {"target": target.pk},
        follow=True,
    )  # fmt: skip
    assert "was merged into" in response.content.decode()
    registered.refresh_from_db()
    assert registered.agency == target
