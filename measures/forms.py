"""Forms of the public pages: the search form reads any query string without failing."""

from __future__ import annotations

import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.models import Level
from measures.search.service import MAX_PAGE_SIZE, SORTS, SearchFilters

# NUL, other control characters and lone surrogates: a browser never sends them in a
# form, but a link or a script may; they are dropped, not answered with an error.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_PAGE = 10_000


def printable(params: QueryDict) -> QueryDict:
    """A copy of the query string with unprintable characters removed from every value."""
    clean = QueryDict(mutable=True)
    for key, values in params.lists():
        clean.setlist(_UNPRINTABLE.sub("", key), [_UNPRINTABLE.sub("", v) for v in values])
    return clean


class SearchForm(forms.Form):
    """The search page's GET parameters; a bad filter is ignored with a notice, never a 500."""

    q = forms.CharField(required=False, strip=True, label=_("Search measures"))
    agency = forms.SlugField(required=False, max_length=80)
    level = forms.ChoiceField(required=False, choices=[("", "")] + Level.choices)
    region = forms.CharField(required=False, max_length=100)
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)
    tag = forms.MultipleChoiceField(required=False)  # choices checked by the search itself
    lang = forms.ChoiceField(
        required=False, choices=[("", ""), ("zh", _("Chinese")), ("en", _("English"))]
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("relevance", pgettext_lazy("sort order", "Relevance")),
            ("-date", pgettext_lazy("sort order", "Newest first")),
            ("date", pgettext_lazy("sort order", "Oldest first")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    FILTERS = ("agency", "level", "region", "year", "tag", "lang")

    def __init__(self, data: QueryDict, *args: object, **kwargs: object) -> None:
        super().__init__(printable(data), *args, **kwargs)  # type: ignore[arg-type]
        self.fields["tag"].valid_value = lambda value: bool(re.fullmatch(r"[-\w]{1,80}", value))

    def values(self) -> dict:
        """Every parameter, None where it was missing or invalid (see `ignored`)."""
        self.is_valid()
        data = {name: None if name in self.errors else self.cleaned_data.get(name)
                for name in self.fields}  # fmt: skip
        data["q"] = data.get("q") or ""
        data["tag"] = data.get("tag") or []
        data["sort"] = data.get("sort") if data.get("sort") in SORTS else "relevance"
        data["page"] = data.get("page") or 1
        data["page_size"] = data.get("page_size") or 20
        return data

    @property
    def ignored(self) -> list[str]:
        """Names of parameters that were given but could not be used."""
        self.is_valid()
        return sorted(self.errors)

    def filters(self) -> SearchFilters:
        v = self.values()
        return SearchFilters(agency=v["agency"] or None, level=v["level"] or None,
                             region=v["region"] or None, year=v["year"], tags=v["tag"],
                             lang=v["lang"] or None)  # fmt: skip
