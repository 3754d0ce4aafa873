"""/api/measures: search and one measure."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from measures.models import Measure
from measures.search.service import SearchFilters, measures_search
from policykb.api_params import ERRORS, Key, Out, Text

router = Router(tags=["measures"])


class DocumentRef(Out):
    id: int
    title: str
    agency: str | None
    doc_number: str | None
    issued_on: str | None


class TargetOut(Out):
    value: float | None
    value_max: float | None = None
    unit: str
    comparator: str | None = None
    period: str | None = None
    text: str


class TagOut(Out):
    slug: str
    kind: str
    name_en: str
    name_zh: str


class TextOut(Out):
    title: str
    text: str
    provenance: str


class MeasureOut(Out):
    id: int
    url: str
    number: int
    section: str | None
    title: str
    text: str
    language: str
    translations: dict[str, TextOut]
    snippet: str | None = None
    document: DocumentRef
    targets: list[TargetOut]
    tags: list[TagOut]


class MatchReason(Out):
    word: str = Field(description="the query word (Simplified, or English in lower case)")
    via: Literal["own", "glossary", "phrasing", "dictionary", "amount"] = Field(
        description="own: the word itself; glossary: the staff glossary's rendering;"
        " phrasing: an owner's phrasing read as a policy term; dictionary: a CC-CEDICT sense;"
        " amount: the same amount in another notation"
    )
    term: str | None = Field(None, description="the rendering or term it matched through")


class MatchOut(Out):
    partial: bool = Field(description="true when the measure holds only some of the words")
    matched: int = Field(description="query words (or OR groups) the measure holds")
    words: int = Field(description="query words (or OR groups) searched for")
    reasons: list[MatchReason]


class SearchHitOut(MeasureOut):
    match: MatchOut | None = Field(None, description="why this measure matched the query")


class FacetValue(Out):
    value: str
    name_en: str
    name_zh: str
    count: int


class SearchOut(Out):
    count: int
    estimated: bool = Field(
        description="true when the match is too broad to count in full: count and facet"
        " counts are then estimated from a sample and rounded to two significant figures"
    )
    partial: bool = Field(
        False,
        description="true when no measure (or fewer than a page) holds every word: the results"
        " go on with the measures holding most of the words, after all that hold every word",
    )
    strict_count: int | None = Field(
        None, description="in partial results, how many measures hold every word"
    )
    next: str | None
    previous: str | None
    facets: dict[str, list[FacetValue]]
    results: list[SearchHitOut]


class SearchParams(Schema):
    q: Text = Field("", description="words in any language or script (first 200 characters used)")
    agency: Key | None = Field(None, description="agency key")
    level: Literal["national", "provincial", "municipal", "district"] | None = None
    region: Key | None = None
    year: int | None = Field(None, ge=1949, le=2100)
    tag: list[Key] = Field(
        default_factory=list, max_length=20, description="tag slugs, all must apply"
    )
    lang: Literal["zh", "en"] | None = None
    sort: Literal["relevance", "date", "-date"] = "relevance"
    page: int = Field(1, ge=1, le=10000)
    page_size: int = Field(20, ge=1, le=100)


def measure_out(request: HttpRequest, measure: Measure, *, language: str | None = None,
                snippet: str | None = None) -> dict:  # fmt: skip
    texts = {t.language: t for t in measure.texts.all()}
    original = next((t for t in texts.values() if t.is_original), None) or next(
        iter(texts.values())
    )
    shown = texts.get(language or "", original)
    document = measure.document
    return {
        "id": measure.pk,
        "url": request.build_absolute_uri(reverse("measures:detail", args=[measure.pk])),
        "number": measure.number,
        "section": measure.section_title or None,
        "title": shown.title,
        "text": shown.text,
        "language": shown.language,
        "translations": {
            lang: {"title": t.title, "text": t.text, "provenance": t.provenance}
            for lang, t in texts.items()
            if lang != shown.language
        },
        "snippet": snippet,
        "document": {
            "id": document.pk,
            "title": document.title,
            "agency": measure.agency.name_en if measure.agency else None,
            "doc_number": document.doc_number or None,
            "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        },
        "targets": measure.targets,
        "tags": [
            {"slug": t.slug, "kind": t.kind, "name_en": t.name_en, "name_zh": t.name_zh}
            for t in measure.tags.all()
        ],
    }


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@router.get("/measures", response={200: SearchOut, **ERRORS}, summary="Search published measures")
def search(request: HttpRequest, params: Query[SearchParams]) -> dict:
    result = measures_search(
        q=params.q,
        filters=SearchFilters(
            agency=params.agency,
            level=params.level,
            region=params.region,
            year=params.year,
            tags=params.tag,
            lang=params.lang,
        ),
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
    )
    return {
        "count": result.count,
        "estimated": result.estimated,
        "partial": result.partial,
        "strict_count": result.strict_count,
        "next": _page_url(request, result.page + 1) if result.has_next else None,
        "previous": _page_url(request, result.page - 1) if result.page > 1 else None,
        "facets": result.facets,
        "results": [
            {
                **measure_out(request, h.measure, language=h.language, snippet=str(h.snippet)),
                "match": h.why or None,
            }
            for h in result.hits
        ],
    }


@router.get(
    "/measures/{measure_id}", response={200: MeasureOut, **ERRORS}, summary="One published measure"
)
def measure_detail(request: HttpRequest, measure_id: int) -> dict:
    measure = get_object_or_404(
        Measure.objects.published().with_details(),
        pk=measure_id,
    )
    return measure_out(request, measure)
