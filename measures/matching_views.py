"""The "which measures apply to my company?" page and its complete export."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from measures import exports, matching, sizeclass
from measures.forms import printable
from measures.models import Tag
from measures.views import _measure_url, zh_span
from policykb import display

MAX_NUMBER = 10**9


class ProfileForm(forms.Form):
    """A company's profile, read from the query string (so it can be bookmarked)."""

    province = forms.ChoiceField(required=False, label=_("Province"))
    city = forms.ChoiceField(required=False, label=_("City"))
    industry = forms.ChoiceField(required=False, label=_("Industry"))
    employees = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_NUMBER, label=_("Employees")
    )
    revenue = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=MAX_NUMBER,
        decimal_places=2,
        label=_("Annual revenue, in 10,000 yuan"),
    )
    assets = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=MAX_NUMBER,
        decimal_places=2,
        label=_("Total assets, in 10,000 yuan"),
    )
    size = forms.ChoiceField(required=False, label=_("Or the size class, if you know it"))
    recognitions = forms.MultipleChoiceField(
        required=False, label=_("Recognitions"), widget=forms.CheckboxSelectMultiple
    )
    needs = forms.MultipleChoiceField(
        required=False, label=_("What the company needs"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(printable(data), *args, **kwargs)
        self.provinces, self.cities = matching.places()
        chinese = display.is_chinese_ui()
        self.fields["province"].choices = [("", _("— not given —"))] + [
            (p.region, p.name) for p in self.provinces
        ]
        self.fields["city"].choices = [("", _("— not given —"))] + [
            (c.region, c.name) for c in self.cities
        ]
        standard = sizeclass.standard()
        self.fields["industry"].choices = [("", _("— not given —"))] + [
            (i.key, display.in_ui_script(i.name_zh) if chinese else i.name_en)
            for i in standard.industries
        ]
        self.fields["size"].choices = [("", _("— derive it from the figures —"))] + [
            (s, sizeclass.size_names()[s]) for s in sizeclass.SIZES
        ]
        tags = {t.slug: t for t in Tag.objects.filter(slug__in=matching.RECOGNITIONS)}
        self.fields["recognitions"].choices = [
            (s, display.local_name(tags[s])) for s in matching.RECOGNITIONS if s in tags
        ]
        self.fields["needs"].choices = [(k, label) for k, (label, _slugs) in matching.NEEDS.items()]

    def profile(self) -> matching.Profile:
        """The profile from the valid fields; invalid ones are left out (see `errors`)."""
        self.is_valid()
        v = {
            name: None if name in self.errors else self.cleaned_data.get(name)
            for name in self.fields
        }
        city = v["city"] or ""
        province = v["province"] or next((c.province for c in self.cities if c.region == city), "")
        if (
            city
            and province
            and (home := next((c.province for c in self.cities if c.region == city), ""))
            and home != province
        ):
            self.add_error("city", _("This city is not in the province chosen."))
            city = ""
        classification = None
        if v["size"]:
            classification = sizeclass.Classification(None, v["size"], given=True)
        elif v["industry"]:
            industry = sizeclass.standard().industry(v["industry"])
            classification = sizeclass.classify(
                industry,
                employees=v["employees"],
                revenue=_num(v["revenue"]),
                assets=_num(v["assets"]),
            )
        return matching.Profile(
            province=province, city=city,
            size=classification.size if classification else None,
            classification=classification,
            recognitions=list(v["recognitions"] or []), needs=list(v["needs"] or []),
        )  # fmt: skip


def _num(value):  # type: ignore[no-untyped-def]
    return float(value) if value is not None else None


def match(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.GET)
    submitted = bool(request.GET)
    profile = form.profile()
    total, groups = matching.measures_match(profile) if submitted else (0, [])
    derivation = (
        sizeclass.explain(profile.classification, chinese=display.is_chinese_ui())
        if profile.classification else ""
    )  # fmt: skip
    context = {
        "form": form,
        "submitted": submitted,
        "profile": profile,
        "total": total,
        "groups": groups,
        "derivation": derivation,
        "size_name": sizeclass.size_names().get(profile.size or "", ""),
        "standard": sizeclass.standard(),
        "standard_title": zh_span(sizeclass.standard().title_zh),
        "standard_number": zh_span(sizeclass.standard().document_number),
        "query": request.GET.urlencode(),
    }
    return render(request, "measures/match.html", context)


def match_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """Every measure that applies to the profile, as CSV, JSON or JSON Lines."""
    if fmt not in exports.FORMATS:
        raise Http404
    profile = ProfileForm(request.GET).profile()
    records = exports.rows(matching.matching_sql(profile), order=matching.ORDER)
    return exports.response(
        exports.with_urls(records, _measure_url(request)), fmt=fmt, name="match"
    )
