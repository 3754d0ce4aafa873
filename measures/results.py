"""A SearchPage as the search page shows it: facet links, active filters, pages, counts.

The search itself is measures.search.service.measures_search, the same call the API
makes; this module only turns its answer into links that add or remove one filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from babel.numbers import format_compact_decimal, format_decimal
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents.models import Agency, Level
from measures.models import TagKind
from measures.search.service import SearchPage
from policykb import display

# Facets in the order the page lists them; tags are split by kind.
FACET_ORDER = ("tag:target_group", "tag:support_type", "tag:topic", "tag:size_class", "agency", "level",
               "region", "year", "language")  # fmt: skip
FACET_VALUES_SHOWN = 8


@dataclass
class Link:
    label: str
    url: str
    count: int | None = None
    active: bool = False
    lang: str = ""


@dataclass
class FacetGroup:
    key: str
    label: str
    links: list[Link] = field(default_factory=list)


def facet_labels() -> dict[str, str]:
    return {
        "tag:target_group": _("Target group"),
        "tag:support_type": _("Support type"),
        "tag:topic": _("Topic"),
        "tag:size_class": _("Company size"),
        "agency": _("Issuing body"),
        "level": _("Level"),
        "region": _("Region"),
        "year": _("Year"),
        "language": _("Language of the text"),
    }


def language_names() -> dict[str, str]:
    return {"zh": _("Chinese"), "en": _("English")}


def region_names() -> dict[str, str]:
    """Region as stored (English) → its Chinese name, from the agency registry."""
    if not display.is_chinese_ui():
        return {}
    pairs = Agency.objects.exclude(region_zh="").values_list("region", "region_zh").distinct()
    return {region: display.in_ui_script(zh) for region, zh in pairs}


class Results:
    """Links of one search page, built from the parameters it was asked with."""

    def __init__(self, path: str, params: dict, page: SearchPage) -> None:
        self.path, self.params, self.page = path, params, page
        self.regions = region_names()

    # -- URLs ------------------------------------------------------------------------
    def url(self, **changes: object) -> str:
        """This search with some parameters changed (None removes one); page resets."""
        params = {**self.params, "page": None, **changes}
        pairs = []
        for key in ("q", "agency", "level", "region", "year", "tag", "lang", "sort", "page"):
            value = params.get(key)
            if key == "sort" and value == "relevance":
                continue
            if key == "page" and value in (None, 1):
                continue
            for v in value if isinstance(value, list) else [value]:
                if v not in (None, ""):
                    pairs.append((key, v))
        return f"{self.path}?{urlencode(pairs)}" if pairs else self.path

    @property
    def clear_url(self) -> str:
        return self.url(
            **{name: None for name in ("agency", "level", "region", "year", "tag", "lang")}
        )

    @property
    def previous_url(self) -> str:
        return self.url(page=self.page.page - 1)

    @property
    def next_url(self) -> str:
        return self.url(page=self.page.page + 1)

    @property
    def first_number(self) -> int:
        return (self.page.page - 1) * self.page.page_size + 1

    def sort_links(self) -> list[Link]:
        from measures.forms import SearchForm

        current = self.params.get("sort") or "relevance"
        return [Link(str(label), self.url(sort=value), active=value == current)
                for value, label in SearchForm.base_fields["sort"].choices]  # fmt: skip

    # -- names -----------------------------------------------------------------------
    def value_label(self, facet: str, value: dict) -> str:
        if facet == "level":
            return (
                str(Level(value["value"]).label)
                if value["value"] in Level.values
                else value["value"]
            )
        if facet == "region":
            return self.regions.get(value["value"], value["value"])
        if facet == "language":
            return language_names().get(value["value"], value["value"])
        if facet in ("agency",) or facet.startswith("tag:"):
            return display.local_name(_Named(value["name_zh"], value["name_en"]))
        return value["value"]

    # -- parts of the page ---------------------------------------------------------
    def facet_groups(self) -> list[FacetGroup]:
        facets = dict(self.page.facets)
        for value in facets.pop("tag", []):
            kind, _sep, slug = value["value"].partition(":")
            facets.setdefault(f"tag:{kind}", []).append({**value, "value": slug})
        groups = []
        for key in FACET_ORDER:
            values = facets.get(key) or []
            if key == "year":
                values = sorted(values, key=lambda v: v["value"], reverse=True)
            group = FacetGroup(key, facet_labels()[key])
            for value in values[:FACET_VALUES_SHOWN]:
                active = self._is_active(key, value["value"])
                group.links.append(Link(self.value_label(key, value), self._add_url(key, value["value"]),
                                        value["count"], active))  # fmt: skip
            if group.links:
                groups.append(group)
        return groups

    def _param(self, key: str) -> str:
        return {"language": "lang"}.get(key, "tag" if key.startswith("tag:") else key)

    def _is_active(self, key: str, value: str) -> bool:
        current = self.params.get(self._param(key))
        return value in current if isinstance(current, list) else str(current) == value

    def _add_url(self, key: str, value: str) -> str:
        param = self._param(key)
        if param == "tag":
            tags = list(self.params.get("tag") or [])
            return self.url(tag=tags if value in tags else [*tags, value])
        return self.url(**{param: value})

    def active_filters(self, tag_names: dict[str, tuple[str, str, str]]) -> list[Link]:
        """Each filter in use, with a link that removes it alone."""
        links = []
        labels = facet_labels()
        for key, param in (("agency", "agency"), ("level", "level"), ("region", "region"),
                           ("year", "year"), ("language", "lang")):  # fmt: skip
            value = self.params.get(param)
            if value in (None, ""):
                continue
            if key == "agency":
                agency = Agency.objects.filter(key=value).first()
                name = display.local_name(agency) if agency else str(value)
            else:
                name = self.value_label(key, {"value": str(value)})
            links.append(Link(f"{labels[key]}: {name}", self.url(**{param: None})))
        tags = list(self.params.get("tag") or [])
        for slug in tags:
            kind, zh, en = tag_names.get(slug, ("", slug, slug))
            label = labels.get(f"tag:{kind}", _("Tag"))
            name = display.local_name(_Named(zh, en))
            links.append(Link(f"{label}: {name}", self.url(tag=[t for t in tags if t != slug])))
        return links

    def pages(self) -> list[Link | None]:
        """Numbered page links around the current page; None marks a gap."""
        last = max(1, min(-(-self.page.count // self.page.page_size), 10_000))
        current = self.page.page
        wanted = sorted({1, 2, current - 2, current - 1, current, current + 1, current + 2,
                         last - 1, last} & set(range(1, last + 1)))  # fmt: skip
        links: list[Link | None] = []
        for i, n in enumerate(wanted):
            if i and n - wanted[i - 1] > 1:
                links.append(None)
            links.append(Link(format_number(n), self.url(page=n), active=n == current))
        return links if len(wanted) > 1 else []


@dataclass
class _Named:
    name_zh: str
    name_en: str


def format_number(n: int) -> str:
    return format_decimal(n, locale=_babel_locale())


def _babel_locale() -> str:
    return {"zh-hans": "zh_Hans_CN", "zh-hant": "zh_Hant_TW"}.get(display.ui_language(), "en")


def count_phrase(count: int, *, estimated: bool, emphasise: bool = False) -> str:
    """'12 measures', or for an estimate 'about 580,000 measures' / '约58万条措施'.

    With `emphasise` the number is wrapped in <strong> (the phrase is then safe HTML).
    """
    if estimated and display.is_chinese_ui():
        number = format_compact_decimal(count, locale=_babel_locale(), fraction_digits=1)
    else:
        number = format_number(count)
    if emphasise:
        number = format_html("<strong>{}</strong>", number)
    if estimated:
        phrase = _("about %(number)s measures") % {"number": number}
    else:
        phrase = ngettext("%(number)s measure", "%(number)s measures", count) % {"number": number}
    return mark_safe(phrase) if emphasise else phrase


def tag_kinds() -> dict[str, str]:
    return {kind.value: str(kind.label) for kind in TagKind}


def query_languages(parsed) -> set[str]:  # type: ignore[no-untyped-def]
    languages = set()
    if parsed is not None and parsed.zh_terms:
        languages.add("zh")
    if parsed is not None and any(c.isalnum() and c.isascii() for c in parsed.en_text):
        languages.add("en")
    return languages


def match_hint(hit, parsed) -> str:  # type: ignore[no-untyped-def]
    """Why a hit matched, in a short translated sentence (from measures.search.explain)."""
    why = getattr(hit, "why", None) or {}
    reasons = why.get("reasons", [])
    labels = {
        "amount": _("the same amount in another notation"),
        "glossary": _("a glossary translation of your words"),
        "phrasing": _("the policy term for your everyday words"),
        "dictionary": _("a dictionary translation of your words"),
    }
    kinds = dict.fromkeys(r["via"] for r in reasons if r["via"] != "own")
    parts = [str(labels[k]) for k in kinds if k in labels]
    hint = _("Matched through %(reasons)s.") % {"reasons": _("; ").join(parts)} if parts else ""
    if why.get("partial"):
        partial = _("Holds %(matched)s of your %(words)s words.") % {
            "matched": why["matched"], "words": why["words"]}  # fmt: skip
        hint = f"{partial} {hint}".strip()
    if hint:
        return hint
    languages = query_languages(parsed)
    if languages and hit.language not in languages:
        return _("Found through the glossary: this text matches a translation of your words.")
    return ""


def glossary_suggestions(parsed, glossary, limit: int = 8) -> list[str]:  # type: ignore[no-untyped-def]
    """Glossary terms near the words of a query that found nothing, to try instead."""
    if parsed is None:
        return []
    words = [w for w in parsed.zh_terms if len(w) >= 2]
    chars = {c for w in parsed.zh_terms for c in w}
    # Crude stems, so "guarantees" meets "financing guarantee".
    english = [
        re.sub(r"(ies|es|s|ing|ed)$", "", w)
        for w in re.findall(r"[a-z]{4,}", parsed.en_text.lower())
    ]
    found: list[str] = []
    for zh, renderings in glossary.zh_to_en.items():
        if any(w in zh or zh in w for w in words) or (len(chars & set(zh)) >= 2 and not words):
            found.append(zh)
            found.extend(renderings[:1])
        elif any(w in r for w in english for r in renderings):
            found.append(renderings[0])
            found.append(zh)
    unique = [s for s in dict.fromkeys(found) if s.lower() != parsed.text.lower()]
    return [display.in_ui_script(s) for s in unique[:limit]]
