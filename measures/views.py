"""Public pages of measures: search results and one measure."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html

from documents.models import Level
from measures import exports, results, sizeclass
from measures.citation import citation
from measures.forms import SearchForm
from measures.models import Measure, Tag, shown_texts
from measures.search.service import ORDER, glossary, measures_matching_sql, measures_search
from policykb import display

RELATED_PER_LEVEL = 4


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    params = form.values()
    page = measures_search(q=params["q"], filters=form.filters(), sort=params["sort"],
                           page=params["page"], page_size=params["page_size"])  # fmt: skip
    shown = results.Results(request.path, params, page)
    tag_names = {
        slug: (kind, zh, en)
        for slug, kind, zh, en in Tag.objects.filter(slug__in=params["tag"]).values_list(
            "slug", "kind", "name_zh", "name_en"
        )
    }
    hits = [
        (hit, next((t for t in hit.measure.texts.all() if t.language == hit.language), None),
         results.match_hint(hit, page.query))
        for hit in page.hits
    ]  # fmt: skip
    context = {
        "form": form,
        "params": params,
        "page": page,
        "hits": hits,
        "results": shown,
        "facet_groups": shown.facet_groups(),
        "active_filters": shown.active_filters(tag_names),
        "pages": shown.pages(),
        "count_phrase": results.count_phrase(page.count, estimated=page.estimated),
        "suggestions": [] if page.hits else results.glossary_suggestions(page.query, glossary()),
        "searched": bool(params["q"] or any(params.get(f) for f in SearchForm.FILTERS)),
    }
    return render(request, "measures/search.html", context)


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.published()
        .with_details()
        .prefetch_related("document__co_issuer_links__agency"),
        pk=pk,
    )
    texts = list(measure.texts.all())
    first = display.reader_text(texts)
    texts.sort(key=lambda t: t is not first)
    wanted = "zh" if display.is_chinese_ui() else "en"
    siblings = Measure.objects.published().filter(document=measure.document_id)
    tags = list(measure.tags.all())
    related = Measure.objects.select_related("agency").prefetch_related(shown_texts())
    by_level = related.related_to(measure, levels=Level.values, limit=RELATED_PER_LEVEL)
    grouped = [(label, by_level[level]) for level, label in Level.choices]
    context = {
        "measure": measure,
        "document": measure.document,
        "texts": texts,
        "missing_language": None if any(t.language == wanted for t in texts) else wanted,
        "previous": siblings.filter(number__lt=measure.number).order_by("-number").first(),
        "next": siblings.filter(number__gt=measure.number).order_by("number").first(),
        "main_tags": [t for t in tags if t.is_prominent],
        "topic_tags": [t for t in tags if not t.is_prominent],
        "related": grouped,
        "has_related": any(items for _label, items in grouped),
        "citation": citation(
            measure, request.build_absolute_uri(reverse("measures:detail", args=[measure.pk]))
        ),  # fmt: skip
    }
    return render(request, "measures/detail.html", context)


def search_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """Every measure of a search (its q and filters), as CSV, JSON or JSON Lines."""
    if fmt not in exports.FORMATS:
        raise Http404
    form = SearchForm(request.GET)
    params = form.values()
    sort = (
        params["sort"]
        if params["q"]
        else (params["sort"] if params["sort"] != "relevance" else "-date")
    )
    hits = measures_matching_sql(q=params["q"], filters=form.filters())
    records = exports.with_urls(exports.rows(hits, order=ORDER[sort]), _measure_url(request))
    return exports.response(records, fmt=fmt, name="search")


def _measure_url(request: HttpRequest):  # type: ignore[no-untyped-def]
    base = request.build_absolute_uri(reverse("measures:detail", args=[0]))
    prefix = base[: base.rindex("/0/")]
    return lambda pk: f"{prefix}/{pk}/"


def about_data(request: HttpRequest) -> HttpResponse:
    """What the exports and counts hold: columns, what is counted, licence, citation."""
    context = {
        "columns": exports.COLUMNS,
        "formats": list(exports.FORMATS),
        "standard": sizeclass.standard(),
        "standard_title": zh_span(sizeclass.standard().title_zh),
        "standard_number": zh_span(sizeclass.standard().document_number),
    }
    return render(request, "measures/about_data.html", context)


def zh_span(text: str) -> str:
    """Chinese content inside an interface sentence, marked with its language."""
    lang = display.content_lang("zh")
    return format_html('<span lang="{}">{}</span>', lang, display.in_ui_script(text))
