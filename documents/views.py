"""Public pages of notices and agencies: home, notices, one notice, the agency directory."""

from __future__ import annotations

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from documents.models import Agency, Document, Level, PublicationStatus
from documents.reading import passages
from measures import results
from measures.models import TagKind, shown_texts
from measures.search.service import measures_search

BROWSE_TAGS = 12


def home(request: HttpRequest) -> HttpResponse:
    # The facets of an empty search are what the base holds (estimated when it is huge).
    overview = measures_search(q="", page_size=1)
    tags = {kind.value: [] for kind in TagKind}
    for value in overview.facets.get("tag", []):
        kind, _sep, slug = value["value"].partition(":")
        tags.setdefault(kind, []).append({**value, "slug": slug})
    documents = Document.objects.listed()
    context = {
        "latest": documents[:6],
        "counts": {
            "documents": documents.count(),
            "measures": results.count_phrase(
                overview.count, estimated=overview.estimated, emphasise=True
            ),
            "agencies": Agency.objects.with_published().count(),
        },
        "browse": [
            (TagKind(kind).label, values[:BROWSE_TAGS]) for kind, values in tags.items() if values
        ],
        "years": sorted(overview.facets.get("year", []), key=lambda v: v["value"], reverse=True),
        "estimated": overview.estimated,
    }
    return render(request, "documents/home.html", context)


def document_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Document.objects.listed(), 25).get_page(request.GET.get("page"))
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
    agencies = Agency.objects.with_published().order_by("level", "region", "name_en")
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
    # Lead issuer or co-issuer: a joint notice belongs to every body that issued it.
    public = Count("measures", filter=Q(measures__is_public=True), distinct=True)
    documents = Document.objects.listed().issued_by(agency.key).annotate(public_measures=public)
    by_year = [
        (year, list(items))
        for year, items in groupby(
            documents, key=lambda d: d.issued_on.year if d.issued_on else None
        )
    ]
    return render(request, "documents/agency.html", {"agency": agency, "by_year": by_year})
