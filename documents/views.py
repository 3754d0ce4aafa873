"""Public pages of notices and agencies: home, notices, one notice, the agency directory."""

from __future__ import annotations

from itertools import groupby

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from documents.models import Agency, Document, Level, PublicationStatus
from documents.reading import passages
from measures import counts, results
from measures.models import Tag, TagKind, shown_texts

BROWSE_TAGS = 12
AGENCY_PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    # What the base holds, from the stored counts (exact, and cheap at any size).
    by_tag = counts.by_tag()
    tags: dict[str, list[dict]] = {kind.value: [] for kind in TagKind}
    for tag in Tag.objects.filter(pk__in=by_tag):
        tags[tag.kind].append({"slug": tag.slug, "name_en": tag.name_en, "name_zh": tag.name_zh,
                               "count": by_tag[tag.pk]})  # fmt: skip
    totals = counts.totals()
    context = {
        "latest": Document.objects.listed()[:6],
        "counts": {
            "documents": totals["documents"],
            "measures": results.count_phrase(totals["measures"], estimated=False, emphasise=True),
            "agencies": totals["agencies"],
        },
        "browse": [
            (TagKind(kind).label, sorted(values, key=lambda v: (-v["count"], v["slug"]))[:BROWSE_TAGS])
            for kind, values in tags.items()
            if values
        ],
        "years": [{"value": y, "count": m} for y, (m, _d) in sorted(counts.by_year().items(), reverse=True) if y and m],
    }  # fmt: skip
    return render(request, "documents/home.html", context)


class _CountedPaginator(Paginator):
    """A paginator told its count (from the stored counts) instead of counting the rows."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known


def document_list(request: HttpRequest) -> HttpResponse:
    paginator = _CountedPaginator(Document.objects.listed(), 25, count=counts.totals()["documents"])
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "documents/list.html", {"page": page})


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.readable().with_issuers(), pk=pk)
    measures = list(document.measures.prefetch_related(shown_texts(), "tags").order_by("number"))
    versions = Document.objects.readable().filter(notice_key=document.notice_key)
    context = {
        "document": document,
        "measures": measures,
        "passages": passages(document.cleaned_text, measures),
        "versions": versions.order_by("-version") if versions.count() > 1 else [],
        "is_superseded": document.status == PublicationStatus.SUPERSEDED,
        "current": versions.filter(status=PublicationStatus.PUBLISHED).first(),
        "raw_text": document.raw_text(),
        "topics": _topics(measures),
    }
    return render(request, "documents/detail.html", context)


def _topics(measures: list) -> list:
    """Topic tags of a notice's measures, the most frequent first (its 主题分类)."""
    counts: dict = {}
    for measure in measures:
        for tag in measure.tags.all():
            if tag.kind == TagKind.TOPIC:
                counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t.slug))


def agency_list(request: HttpRequest) -> HttpResponse:
    # Every body that issued or co-issued a published notice, with its stored counts.
    counted = counts.by_agency()
    agencies = list(Agency.objects.filter(pk__in=counted))
    for agency in agencies:
        agency.published_measures, agency.published_documents = counted[agency.pk]
    order = {level: i for i, level in enumerate(Level.values)}
    agencies = sorted(agencies, key=lambda a: (order.get(a.level, 9), a.region, a.name_en))
    groups = [
        (Level(level).label if level in Level.values else level,
         [(region, list(items)) for region, items in groupby(members, key=lambda a: a.region)])
        for level, members in ((lv, list(ms)) for lv, ms in groupby(agencies, key=lambda a: a.level))
    ]  # fmt: skip
    return render(request, "documents/agencies.html", {"groups": groups})


def agency_detail(request: HttpRequest, key: str) -> HttpResponse:
    agency = get_object_or_404(Agency, key=key)
    # Lead issuer or co-issuer: a joint notice belongs to every body that issued it. A
    # large body has thousands: a page of them, grouped by year, counted from the store.
    _measures, total = counts.by_agency().get(agency.pk, (0, 0))
    paginator = _CountedPaginator(
        Document.objects.listed().issued_by(agency.key), AGENCY_PAGE_SIZE, count=total
    )
    page = paginator.get_page(request.GET.get("page"))
    documents = list(page.object_list)
    measures = counts.document_measures([d.pk for d in documents])
    for document in documents:
        document.public_measures = measures.get(document.pk, 0)
    by_year = [
        (year, list(items))
        for year, items in groupby(
            documents, key=lambda d: d.issued_on.year if d.issued_on else None
        )
    ]
    context = {"agency": agency, "by_year": by_year, "page": page}
    return render(request, "documents/agency.html", context)
