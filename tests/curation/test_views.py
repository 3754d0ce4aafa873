"""The curation pages: who may do what, and what each form changes."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from documents.models import Document, PublicationStatus
from measures.models import GlossaryTerm, Measure, Provenance, Tag
from measures.search.service import measures_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def nobody(db, django_user_model):
    """Signed in, staff, but in no role."""
    return django_user_model.objects.create_user("nemo", password="nemo-pass-123", is_staff=True)


def review_url(document) -> str:
    return reverse("curation:document-review", args=[document.pk])


def test_anonymous_visitors_are_sent_to_the_login_page(client, notice):
    measure = notice.measures.first()
    for url in [
        review_url(notice),
        reverse("curation:index"),
        reverse("curation:measure", args=[measure.pk]),
        reverse("curation:vocabulary"),
        reverse("curation:history", args=["documents.document", notice.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), url
    response = client.post(reverse("curation:measure-merge", args=[measure.pk]))
    login = resolve_url(settings.LOGIN_URL)
    assert response.status_code == 302 and response["Location"].startswith(login)
    assert notice.measures.count() == notice.found_measures


def test_staff_without_a_role_get_403_on_pages_and_posts(client, nobody, notice):
    client.force_login(nobody)
    measure = notice.measures.first()
    assert client.get(review_url(notice)).status_code == 403
    assert client.post(reverse("curation:measure-merge", args=[measure.pk])).status_code == 403
    post = {"status": "published"}
    assert (
        client.post(reverse("curation:document-status", args=[notice.pk]), post).status_code == 403
    )


def test_the_review_page_shows_the_source_with_every_span(client, editor, notice):
    client.force_login(editor)
    response = client.get(review_url(notice))
    assert response.status_code == 200
    html = response.content.decode()
    for measure in notice.measures.all():
        assert f'id="src-m-{measure.number}"' in html
        assert f'id="m-{measure.number}"' in html
    assert notice.cleaned_text[:20] in html


def test_an_editor_sends_to_review_but_cannot_publish(client, editor, notice):
    # A draft goes to review; taking a published notice off the site is a reviewer's
    # withdrawal (documents.services.TRANSITIONS), not an editor's "send to review".
    Document.objects.filter(pk=notice.pk).update(status=PublicationStatus.DRAFT)
    Measure.objects.filter(document=notice).update(is_public=False)
    client.force_login(editor)
    url = reverse("curation:document-status", args=[notice.pk])
    assert client.post(url, {"status": "review"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == PublicationStatus.REVIEW
    assert not notice.measures.filter(is_public=True).exists()
    assert client.post(url, {"status": "published"}).status_code == 403
    notice.refresh_from_db()
    assert notice.status == PublicationStatus.REVIEW
    assert notice.history.first().history_user == editor


def test_a_reviewer_publishes_and_the_measures_are_public_at_once(client, reviewer, notice):
    Document.objects.filter(pk=notice.pk).update(status=PublicationStatus.REVIEW)
    Measure.objects.filter(document=notice).update(is_public=False)
    client.force_login(reviewer)
    client.post(reverse("curation:document-status", args=[notice.pk]), {"status": "published"})
    notice.refresh_from_db()
    assert notice.status == PublicationStatus.PUBLISHED
    assert notice.measures.filter(is_public=True).count() == notice.measures.count()


def test_split_and_merge_through_the_pages(client, editor, notice):
    client.force_login(editor)
    measure = notice.measures.order_by("number").first()
    body = measure.texts.get(provenance=Provenance.ORIGINAL).text
    count = notice.measures.count()
    marker = body[len(body) // 2 : len(body) // 2 + 8]
    response = client.post(reverse("curation:measure-split", args=[measure.pk]), {"marker": marker})
    assert response.status_code == 302
    assert notice.measures.count() == count + 1
    assert notice.measures.get(number=2).texts.get().text.startswith(marker.strip())
    response = client.post(reverse("curation:measure-merge", args=[measure.pk]))
    assert response.status_code == 302
    assert notice.measures.count() == count
    assert measure.texts.get(provenance=Provenance.ORIGINAL).text == body


@pytest.mark.parametrize("marker", ["not in the text at all ✗", "", "   "])
def test_a_split_at_words_not_in_the_text_is_refused_clearly(client, editor, notice, marker):
    client.force_login(editor)
    measure = notice.measures.order_by("number").first()
    count = notice.measures.count()
    response = client.post(reverse("curation:measure-split", args=[measure.pk]), {"marker": marker})
    assert response.status_code == 400
    assert notice.measures.count() == count


def test_a_translation_saved_on_the_page_is_found_by_public_search(client, editor, notice):
    client.force_login(editor)
    measure = notice.measures.order_by("number").first()
    url = reverse("curation:measure-text", args=[measure.pk, "en"])
    form = {
        "tr-title": "Quixotic vouchers for bakeries",
        "tr-text": "Bakeries get quixotic vouchers.",
    }
    assert client.post(url, form).status_code == 302
    text = measure.texts.get(language="en")
    assert text.provenance == Provenance.TRANSLATION and text.translated_by == editor
    assert measure.pk in {h.measure.pk for h in measures_search(q="quixotic vouchers").hits}
    page = client.get(reverse("measures:search"), {"q": "quixotic"}).content.decode()
    assert "Quixotic vouchers for bakeries" in page


def test_an_empty_translation_is_refused_and_nothing_is_stored(client, editor, notice):
    client.force_login(editor)
    measure = notice.measures.order_by("number").first()
    url = reverse("curation:measure-text", args=[measure.pk, "en"])
    assert client.post(url, {"tr-title": "A title", "tr-text": "  "}).status_code == 400
    assert not measure.texts.filter(language="en").exists()


def test_the_original_text_cannot_be_rewritten_through_a_translation_form(client, editor, notice):
    client.force_login(editor)
    measure = notice.measures.order_by("number").first()
    original = measure.texts.get(provenance=Provenance.ORIGINAL)
    url = reverse("curation:measure-text", args=[measure.pk, notice.language])
    client.post(url, {"orig-title": "新的标题", "orig-text": "篡改"})
    original.refresh_from_db()
    assert original.title == "新的标题"
    assert original.text != "篡改"


def test_bulk_tagging_from_a_filtered_list_reaches_the_search_filter(client, editor, notice, tags):
    client.force_login(editor)
    tag = Tag.objects.order_by("slug").first()
    ids = list(notice.measures.exclude(tags=tag).values_list("pk", flat=True)[:3])
    url = reverse("curation:measures") + f"?document={notice.pk}"
    response = client.post(url, {"measures": ids, "tag": tag.slug, "action": "add"})
    assert response.status_code == 302
    from measures.search.service import SearchFilters

    found = {h.measure.pk for h in measures_search(filters=SearchFilters(tags=[tag.slug]),
                                                     page_size=100).hits}  # fmt: skip
    assert set(ids) <= found


def test_targets_are_edited_and_bad_values_refused(client, editor, notice):
    client.force_login(editor)
    measure = notice.measures.order_by("number").first()
    url = reverse("curation:measure-targets", args=[measure.pk])
    form = {"targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "0",
            "targets-0-value": "500", "targets-0-unit": "万元", "targets-0-comparator": ">="}  # fmt: skip
    assert client.post(url, form).status_code == 302
    measure.refresh_from_db()
    assert measure.targets[0]["value"] == 500 and measure.targets[0]["comparator"] == ">="
    bad = {**form, "targets-0-value": "lots"}
    assert client.post(url, bad).status_code == 400
    measure.refresh_from_db()
    assert measure.targets[0]["value"] == 500


def test_only_the_admin_role_edits_the_glossary_and_search_uses_it_at_once(
    client, editor, site_admin, notice, glossary
):
    term = next(t for t in GlossaryTerm.objects.all() if t.zh in notice.cleaned_text)
    form = {"term-zh": term.zh, "term-en": "flibbertigibbet aid", "term-notes": ""}
    url = reverse("curation:term-save", args=[term.pk])
    client.force_login(editor)
    assert client.get(reverse("curation:vocabulary")).status_code == 200
    assert client.post(url, form).status_code == 403
    client.force_login(site_admin)
    assert client.post(url, form).status_code == 302
    hits = measures_search(q="flibbertigibbet aid").hits
    assert any(term.zh in t.text for h in hits for t in h.measure.texts.all())


def test_history_compare_and_restore_of_a_document(client, reviewer, notice):
    from documents.services import document_update

    old = notice.doc_number
    document_update(
        document=notice, changes={"doc_number": "测试〔2099〕1号"}, acting_user=reviewer
    )
    client.force_login(reviewer)
    url = reverse("curation:history", args=["documents.document", notice.pk])
    rows = list(notice.history.order_by("-history_id"))
    assert rows[0].history_user == reviewer
    page = client.get(url, {"a": rows[1].history_id, "b": rows[0].history_id}).content.decode()
    assert "测试〔2099〕1号" in page and (old in page if old else True)
    assert client.post(url, {"restore": rows[1].history_id}).status_code == 302
    notice.refresh_from_db()
    assert notice.doc_number == old
    newest = notice.history.order_by("-history_id").first()
    assert newest.history_user == reviewer and "restored" in newest.history_change_reason


def test_history_of_unknown_models_is_404(client, site_admin):
    client.force_login(site_admin)
    url = reverse("curation:history", args=["auth.user", 1])
    assert client.get(url).status_code == 404


def _metadata_post(document, **changes) -> dict:
    from curation.forms import DocumentMetadataForm

    form = DocumentMetadataForm(instance=document, prefix="meta")
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if hasattr(value, "pk"):
            value = value.pk
        data[f"meta-{name}"] = "" if value is None else value
    data.update({f"meta-{k}": v for k, v in changes.items()})
    return data


def test_fixing_the_issuer_and_number_reaches_the_search_filter_at_once(client, editor, notice):
    from documents.models import Agency

    other = Agency.objects.exclude(pk=notice.agency_id).order_by("key").first()
    client.force_login(editor)
    url = reverse("curation:document-metadata", args=[notice.pk])
    data = _metadata_post(notice, agency=other.pk, doc_number="青民经〔2023〕7号",
                          title_en="Work points of the Qingdao bureau")  # fmt: skip
    assert client.post(url, data).status_code == 302
    notice.refresh_from_db()
    assert notice.agency == other and notice.doc_number == "青民经〔2023〕7号"
    assert {"agency", "doc_number", "title_en"} <= set(notice.curated_fields)
    from measures.search.service import SearchFilters

    hits = measures_search(filters=SearchFilters(agency=other.key), page_size=100).hits
    assert {h.measure.pk for h in hits} == set(notice.measures.values_list("pk", flat=True))
    assert notice.history.first().history_user == editor


@pytest.mark.parametrize(
    "field,value", [("issued_on", "2023-02-30"), ("source_url", "javascript:alert(1)"),
                    ("announced_measures", "-3"), ("agency", "999999999")]
)  # fmt: skip
def test_bad_details_are_refused_and_nothing_changes(client, editor, notice, field, value):
    before = Document.objects.values().get(pk=notice.pk)
    client.force_login(editor)
    url = reverse("curation:document-metadata", args=[notice.pk])
    response = client.post(url, _metadata_post(notice, **{field: value}), follow=True)
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    assert Document.objects.values().get(pk=notice.pk) == before


def test_the_review_page_warns_of_a_registered_issuer_and_an_uncertain_date(client, editor, notice):
    from documents.models import Agency

    Agency.objects.filter(pk=notice.agency_id).update(needs_review=True)
    Document.objects.filter(pk=notice.pk).update(issued_precision="year", announced_measures=99)
    client.force_login(editor)
    html = client.get(review_url(notice)).content.decode()
    assert "needs review" in html
    assert "The issue date is uncertain" in html
    assert "Fewer measures than announced" in html


@pytest.mark.parametrize(
    "path,data",
    [
        ("measure-split", {"at": "abc"}),
        ("measure-split", {"at": str(10**12)}),
        ("measure-move", {"section": "9999"}),
        ("measure-move", {"section": "'; drop table x"}),
        ("measure-tags", {"tags": ["0", "x"]}),
    ],
)
def test_hostile_form_values_are_refused_without_a_change(client, editor, notice, path, data):
    client.force_login(editor)
    measure = notice.measures.order_by("number").first()
    before = list(Measure.objects.filter(document=notice).values())
    response = client.post(reverse(f"curation:{path}", args=[measure.pk]), data)
    assert response.status_code in (302, 400)
    assert list(Measure.objects.filter(document=notice).values()) == before


def test_an_unknown_conflict_or_status_changes_nothing(client, reviewer, notice):
    client.force_login(reviewer)
    url = reverse("curation:conflict-resolve", args=[notice.pk, "nosuchconflict"])
    response = client.post(url, {"choice": "take"}, follow=True)
    assert "message-error" in response.content.decode()
    url = reverse("curation:document-status", args=[notice.pk])
    client.post(url, {"status": "withdrawn-ish"})
    notice.refresh_from_db()
    assert notice.status == PublicationStatus.PUBLISHED


def _co_issuer_post(notice, *agencies) -> dict:
    data = _metadata_post(notice)
    data["meta-co_issuers"] = [a.pk if a else "" for a in agencies]
    return data


def test_co_issuers_are_set_in_the_order_given_and_reach_search_and_history(client, editor, notice):
    from documents.models import Agency
    from measures.search.service import SearchFilters

    first, second = Agency.objects.exclude(pk=notice.agency_id).order_by("key")[:2]
    client.force_login(editor)
    url = reverse("curation:document-metadata", args=[notice.pk])
    assert client.post(url, _co_issuer_post(notice, second, None, first)).status_code == 302
    notice.refresh_from_db()
    assert notice.ordered_co_issuers == [second, first]
    assert "co_issuers" in notice.curated_fields
    hits = measures_search(filters=SearchFilters(agency=first.key), page_size=100).hits
    assert {h.measure.pk for h in hits} == set(notice.measures.values_list("pk", flat=True))
    entry = notice.history.first()
    assert entry.history_user == editor and second.name_en in entry.history_change_reason
    # The review page shows them in their places, and a new order is a change too.
    html = client.get(review_url(notice)).content.decode()
    assert html.index(f'value="{second.pk}" selected') < html.index(f'value="{first.pk}" selected')
    client.post(url, _co_issuer_post(notice, first, second))
    notice.refresh_from_db()
    assert notice.ordered_co_issuers == [first, second]
    client.post(url, _co_issuer_post(notice))
    notice.refresh_from_db()
    assert notice.ordered_co_issuers == []


@pytest.mark.parametrize("case", ["lead", "twice", "unknown"])
def test_a_wrong_co_issuer_list_is_refused_and_nothing_changes(client, editor, notice, case):
    from documents.models import Agency

    other = Agency.objects.exclude(pk=notice.agency_id).order_by("key").first()
    chosen = {"lead": [notice.agency], "twice": [other, other], "unknown": []}[case]
    data = _co_issuer_post(notice, *chosen)
    if case == "unknown":
        data["meta-co_issuers"] = ["999999999"]
    client.force_login(editor)
    url = reverse("curation:document-metadata", args=[notice.pk])
    response = client.post(url, data, follow=True)
    assert "message-error" in response.content.decode()
    notice.refresh_from_db()
    assert notice.ordered_co_issuers == [] and "co_issuers" not in notice.curated_fields
