"""Atom feeds of newly published measures: per search, per issuing body, per tag.

Items are ordered by when their notice was published here (Document.published_at), not
by its issue date: a reader subscribes to learn what is new. Each feed exists in every
interface language (its address carries the language prefix) and names things in it.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db import connection
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from documents.models import Agency
from measures.forms import SearchForm
from measures.models import Measure, Tag
from measures.search.service import SearchFilters, measures_matching_sql
from policykb import display

ITEMS = 50
RECENT_DOCUMENTS = 500  # looked at first: the newest notices hold the newest measures


def latest_published(*, q: str = "", filters: SearchFilters | None = None) -> list[Measure]:
    """The matching measures whose notices were published most recently, newest first."""
    hits = measures_matching_sql(q=q, filters=filters)
    if hits is None:
        return []
    sql, params = hits
    # Joined, not str.format()ed: the match SQL holds braces of its own (array literals).
    head = (
        f"SELECT h.measure_id FROM ({sql}) h JOIN measures_measure m ON m.id = h.measure_id"
        " JOIN documents_document d ON d.id = m.document_id"
    )
    order = " ORDER BY d.published_at DESC NULLS LAST, d.id DESC, m.number LIMIT %s"
    recent = (
        " WHERE d.id IN (SELECT id FROM documents_document WHERE status = 'published'"
        " ORDER BY published_at DESC NULLS LAST, id DESC LIMIT %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(head + recent + order, [*params, RECENT_DOCUMENTS, ITEMS])
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) < ITEMS:  # a rare match: look at every notice
            cursor.execute(head + order, [*params, ITEMS])
            ids = [row[0] for row in cursor.fetchall()]
    loaded = Measure.objects.filter(pk__in=ids).with_details().in_bulk()
    return [loaded[i] for i in ids if i in loaded]


class _MeasureFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, measure: Measure) -> str:
        text = display.reader_text(list(measure.texts.all()))
        return display.in_ui_script(text.title) if text else str(measure)

    def item_description(self, measure: Measure) -> str:
        text = display.reader_text(list(measure.texts.all()))
        return display.in_ui_script(text.text) if text else ""

    def item_link(self, measure: Measure) -> str:
        return reverse("measures:detail", args=[measure.pk])

    def item_pubdate(self, measure: Measure):  # type: ignore[no-untyped-def]
        return measure.document.published_at

    def item_updateddate(self, measure: Measure):  # type: ignore[no-untyped-def]
        return measure.document.published_at

    def item_author_name(self, measure: Measure) -> str:
        return display.local_name(measure.agency)

    def item_categories(self, measure: Measure) -> list[str]:
        return [display.local_name(t) for t in measure.tags.all()]


class SearchFeed(_MeasureFeed):
    """The newly published measures of a search (its q and filters, from the query string)."""

    def get_object(self, request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
        form = SearchForm(request.GET)
        return {
            "params": form.values(),
            "filters": form.filters(),
            "query": request.GET.urlencode(),
        }

    def title(self, obj: dict) -> str:
        if obj["params"]["q"]:
            return _("PolicyKB: new measures for “%(q)s”") % {"q": obj["params"]["q"]}
        return _("PolicyKB: newly published measures")

    def link(self, obj: dict) -> str:
        return f"{reverse('measures:search')}?{obj['query']}"

    def feed_url(self, obj: dict) -> str:
        # The feed's own address names its search: a reader that follows rel="self"
        # must get this search's feed, not every new measure.
        return f"{reverse('measures:search-feed')}?{obj['query']}"

    def subtitle(self, obj: dict) -> str:
        return _("Measures matching this search, newest publication first.")

    def items(self, obj: dict) -> list[Measure]:
        return latest_published(q=obj["params"]["q"], filters=obj["filters"])


class AgencyFeed(_MeasureFeed):
    """The newly published measures an issuing body issued or co-issued."""

    def get_object(self, request: HttpRequest, key: str) -> Agency:  # type: ignore[override]
        return get_object_or_404(Agency, key=key)

    def title(self, agency: Agency) -> str:
        return _("PolicyKB: new measures of %(name)s") % {"name": display.local_name(agency)}

    def link(self, agency: Agency) -> str:
        return reverse("documents:agency", args=[agency.key])

    def subtitle(self, agency: Agency) -> str:
        return _("Measures this body issued or co-issued, newest publication first.")

    def items(self, agency: Agency) -> list[Measure]:
        return latest_published(filters=SearchFilters(agency=agency.key))


class TagFeed(_MeasureFeed):
    """The newly published measures of a topic, target group or support type."""

    def get_object(self, request: HttpRequest, slug: str) -> Tag:  # type: ignore[override]
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag: Tag) -> str:
        return _("PolicyKB: new measures on %(name)s") % {"name": display.local_name(tag)}

    def link(self, tag: Tag) -> str:
        return f"{reverse('measures:search')}?tag={tag.slug}"

    def subtitle(self, tag: Tag) -> str:
        return _("Measures with this tag, newest publication first.")

    def items(self, tag: Tag) -> list[Measure]:
        return latest_published(filters=SearchFilters(tags=[tag.slug]))
