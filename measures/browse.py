"""Pages for researchers: the agency-by-year matrix, topic by year, and a page per year.

Every figure comes from the stored counts (measures.counts), so these pages cost the same
at a million measures as at a hundred; every figure links to the search that lists the
same measures, and the search finds exactly that many.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.models import Agency, Document, Level
from measures import charts, counts
from measures.forms import printable
from measures.models import Tag, TagKind
from policykb import display

HEATMAP_ROWS = 20
FIRST_YEAR, LAST_YEAR = 1949, 2100


class BrowseForm(forms.Form):
    """level, region and tag (a topic or any tag); a bad value is ignored and named."""

    level = forms.ChoiceField(required=False, choices=[("", "")] + Level.choices)
    region = forms.CharField(required=False, max_length=100)
    tag = forms.SlugField(required=False, max_length=80)

    def __init__(self, data, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(printable(data), *args, **kwargs)

    def values(self) -> dict:
        self.is_valid()
        values = {
            n: "" if n in self.errors else (self.cleaned_data.get(n) or "") for n in self.fields
        }
        self.tag = Tag.objects.filter(slug=values["tag"]).first() if values["tag"] else None
        if values["tag"] and self.tag is None:
            self.errors["tag"] = self.error_class([_("No such tag.")])
            values["tag"] = ""
        return values

    @property
    def ignored(self) -> list[str]:
        return sorted(self.errors)


@dataclass
class Choice:
    value: str
    label: str
    lang: str = ""


def _search_url(**params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None, 0)})
    return f"{reverse('measures:search')}?{query}"


def _year_label(year: int) -> str:
    return str(year) if year else _("Date not stated")


def _regions() -> list[Choice]:
    pairs = Agency.objects.values_list("region", "region_zh").distinct().order_by("region")
    seen: dict[str, str] = {}
    for region, region_zh in pairs:
        seen.setdefault(region, region_zh)
    chinese = display.is_chinese_ui()
    return [Choice(r, display.in_ui_script(z or r) if chinese else r) for r, z in seen.items()]


def _tag_label(tag: Tag) -> str:
    return display.local_name(tag)


def _filter_context(form: BrowseForm, values: dict) -> dict:
    return {
        "form_values": values,
        "ignored": form.ignored,
        "levels": [Choice(v, str(label)) for v, label in Level.choices],
        "regions": _regions(),
        "topic_choices": [
            Choice(t.slug, _tag_label(t), display.name_lang(t))
            for t in Tag.objects.filter(kind=TagKind.TOPIC).order_by("slug")
        ],
        "active_tag": form.tag,
    }


def years_overview(request: HttpRequest) -> HttpResponse:
    """The agency-by-year matrix, measures by level and year, topics by year."""
    form = BrowseForm(request.GET)
    values = form.values()
    tag = form.tag
    tag_id = tag.pk if tag else 0
    tag_slug = tag.slug if tag else ""
    place = counts.CountFilters(level=values["level"], region=values["region"], tag_id=tag_id)

    # Measures by the lead issuer's level, per year: the chart and its table.
    levels = [(lv, label, counts.by_year(counts.CountFilters(level=lv, region=values["region"], tag_id=tag_id)))
              for lv, label in Level.choices if not values["level"] or lv == values["level"]]  # fmt: skip
    years = sorted({y for _lv, _l, by in levels for y in by}, key=lambda y: (y == 0, y))
    columns = [(_year_label(y), _search_url(year=y, region=values["region"], level=values["level"], tag=tag_slug)) for y in years]  # fmt: skip
    series = [
        (str(label),
         {_year_label(y): m for y, (m, _d) in by.items()},
         {_year_label(y): _search_url(level=lv, year=y, region=values["region"], tag=tag_slug) for y in by})
        for lv, label, by in levels if by
    ]  # fmt: skip
    level_chart = charts.stacked_bars(columns, series)
    level_table = [
        (str(label), [by.get(y, (0, 0))[0] for y in years], sum(m for m, _d in by.values()), lv)
        for lv, label, by in levels if by
    ]  # fmt: skip
    by_year_total = counts.by_year(place)

    # The matrix: every issuer (a joint notice counts for each), grouped by level.
    matrix_counts = counts.by_agency_year(tag_id=tag_id)
    agencies = Agency.objects.filter(pk__in=matrix_counts)
    if values["level"]:
        agencies = agencies.filter(level=values["level"])
    if values["region"]:
        agencies = agencies.filter(region=values["region"])
    matrix_years = sorted(
        {y for a in agencies for y in matrix_counts[a.pk]}, key=lambda y: (y == 0, y)
    )
    order = {lv: i for i, lv in enumerate(Level.values)}
    rows = []
    for agency in agencies:
        cells = matrix_counts[agency.pk]
        total = sum(m for m, _d in cells.values())
        row_cells = [
            (y, cells.get(y, (0, 0))[0],
             _search_url(agency=agency.key, year=y, tag=tag_slug) if cells.get(y, (0, 0))[0] else "")
            for y in matrix_years
        ]  # fmt: skip
        rows.append((order.get(agency.level, 9), -total, agency, row_cells, total))
    rows.sort(key=lambda r: (r[0], r[1], r[2].key))
    matrix = [
        (Level(lv).label if lv in Level.values else lv, [(a, c, t) for _o, _n, a, c, t in members])
        for lv, members in groupby(rows, key=lambda r: r[2].level)
    ]  # fmt: skip
    top = sorted(rows, key=lambda r: r[1])[:HEATMAP_ROWS]
    agency_heatmap = charts.heatmap(
        [_year_label(y) for y in matrix_years],
        [(display.local_name(a), display.name_lang(a),
          {_year_label(y): n for y, n, _u in c}, {_year_label(y): u for y, n, u in c})
         for _o, _n, a, c, _t in top],
    )  # fmt: skip

    # Topics by year (the topic filter keeps one topic).
    topics = (
        [tag] if tag and tag.kind == TagKind.TOPIC else list(Tag.objects.filter(kind=TagKind.TOPIC))
    )
    topic_counts = counts.by_tag_year(tag_ids=[t.pk for t in topics], filters=place)
    topic_years = sorted({y for _t, y in topic_counts}, key=lambda y: (y == 0, y))
    topic_rows = []
    for topic in topics:
        cells = [(y, topic_counts.get((topic.pk, y), 0),
                  _search_url(tag=topic.slug, year=y, level=values["level"], region=values["region"]))
                 for y in topic_years]  # fmt: skip
        total = sum(n for _y, n, _u in cells)
        if total:
            topic_rows.append((topic, cells, total))
    topic_rows.sort(key=lambda r: (-r[2], r[0].slug))
    topic_heatmap = charts.heatmap(
        [_year_label(y) for y in topic_years],
        [(display.local_name(t), display.name_lang(t),
          {_year_label(y): n for y, n, _u in c}, {_year_label(y): u if n else "" for y, n, u in c})
         for t, c, _total in topic_rows],
    )  # fmt: skip
    context = {
        **_filter_context(form, values),
        "years": years,
        "year_labels": [_year_label(y) for y in years],
        "level_chart": level_chart,
        "level_table": level_table,
        "year_totals": [(y, _year_label(y), by_year_total.get(y, (0, 0))[0]) for y in years],
        "matrix": matrix,
        "matrix_years": [(y, _year_label(y)) for y in matrix_years],
        "agency_heatmap": agency_heatmap,
        "heatmap_limited": len(rows) > HEATMAP_ROWS,
        "heatmap_rows": HEATMAP_ROWS,
        "topic_rows": topic_rows,
        "topic_years": [(y, _year_label(y)) for y in topic_years],
        "topic_heatmap": topic_heatmap,
        "has_data": bool(rows or topic_rows or level_table),
    }
    return render(request, "measures/years.html", context)


def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """One year: its notices, and its measures by issuing body and by topic."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    form = BrowseForm(request.GET)
    values = form.values()
    tag_id = form.tag.pk if form.tag else 0
    tag_slug = form.tag.slug if form.tag else ""
    place = counts.CountFilters(level=values["level"], region=values["region"], tag_id=tag_id)
    all_years = sorted(y for y, (m, d) in counts.by_year().items() if y and (m or d))
    measures, _ignored = counts.by_year(place).get(year, (0, 0))
    documents_total = counts.by_year(counts.CountFilters(level=values["level"], region=values["region"])).get(year, (0, 0))[1]  # fmt: skip

    per_agency = counts.by_agency_year(tag_id=tag_id, year=year)
    agencies = Agency.objects.filter(pk__in=per_agency)
    if values["level"]:
        agencies = agencies.filter(level=values["level"])
    if values["region"]:
        agencies = agencies.filter(region=values["region"])
    agency_rows = sorted(
        ((a, *per_agency[a.pk][year], _search_url(agency=a.key, year=year, tag=tag_slug)) for a in agencies),
        key=lambda r: (-r[1], r[0].key),
    )  # fmt: skip
    by_tag = counts.by_tag(place if not tag_id else counts.CountFilters(level=values["level"], region=values["region"]), year=year)  # fmt: skip
    topics = sorted(
        ((t, by_tag[t.pk], _search_url(tag=t.slug, year=year, level=values["level"], region=values["region"]))
         for t in Tag.objects.filter(pk__in=by_tag, kind=TagKind.TOPIC)),
        key=lambda r: (-r[1], r[0].slug),
    )  # fmt: skip
    documents = Document.objects.listed().issued_in(year)
    if values["level"]:
        documents = documents.filter(agency__level=values["level"])
    if values["region"]:
        documents = documents.filter(agency__region=values["region"])
    context = {
        **_filter_context(form, values),
        "year": year,
        "previous_year": max((y for y in all_years if y < year), default=None),
        "next_year": min((y for y in all_years if y > year), default=None),
        "measures": measures,
        "documents_total": documents_total,
        "search_url": _search_url(year=year, level=values["level"], region=values["region"], tag=tag_slug),
        "agency_rows": agency_rows,
        "agency_chart": charts.horizontal_bars(
            [(display.local_name(a), display.name_lang(a), m, u) for a, m, _d, u in agency_rows[:15]]
        ),
        "topics": topics,
        "topic_chart": charts.horizontal_bars(
            [(display.local_name(t), display.name_lang(t), n, u) for t, n, u in topics]
        ),
        "documents": documents[:30],
        "all_years": all_years,
    }  # fmt: skip
    return render(request, "measures/year.html", context)
