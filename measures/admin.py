"""The admin of measures, tags and the glossary.

A measure's public flag and the facts it copies from its document are read-only (they
follow the document's status and metadata through the services); text and tag edits
here are re-indexed at once. Measures are neither added nor deleted here: they come from
ingestion and change shape on the staff curation pages.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from documents.models import PublicationStatus
from measures import services
from measures.models import GlossaryTerm, Measure, MeasureText, OwnerPhrasing, Tag
from measures.services import measure_texts_index
from policykb.history_admin import HistoryAdmin


class MeasureTextInline(admin.StackedInline):
    model = MeasureText
    extra = 0
    fields = ["language", "script", "provenance", "title", "text"]
    can_delete = False


class MissingTranslationFilter(admin.SimpleListFilter):
    """Measures that lack a text in English or in Chinese."""

    title = _("missing translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("en", _("No English text")), ("zh", _("No Chinese text"))]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() not in {"en", "zh"}:
            return queryset
        texts = MeasureText.objects.filter(measure=OuterRef("pk"), language=self.value())
        return queryset.filter(~Exists(texts))


class DocumentStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return PublicationStatus.choices

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() in PublicationStatus.values:
            return queryset.filter(document__status=self.value())
        return queryset


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["__str__", "document", "section_title", "agency", "year", "is_public"]
    list_filter = [DocumentStatusFilter, MissingTranslationFilter, "year", "level", "tags",
                   ("agency", admin.RelatedOnlyFieldListFilter)]  # fmt: skip
    search_fields = ["texts__title", "texts__text", "document__title_zh", "document__title_en"]
    list_select_related = ["document", "agency"]
    inlines = [MeasureTextInline]
    filter_horizontal = ["tags"]
    # Copies of the document's facts: they follow its status and metadata, never a tick
    # here (a draft's measure made public alone would be on the site without its notice).
    readonly_fields = ["document", "is_public", "agency", "level", "region", "year", "issued_on",
                       "span_start", "span_end"]  # fmt: skip

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def save_related(self, request, form, formsets, change) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        # Search reads the measure's facts and tags from copies on its texts, and the
        # texts' words from their vectors: rebuild both after an edit here.
        measure_texts_index(texts=MeasureText.objects.filter(measure=form.instance))


@admin.register(Tag)
class TagAdmin(HistoryAdmin):
    list_display = ["name_en", "name_zh", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_zh", "slug"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(HistoryAdmin):
    list_display = ["zh", "en"]
    search_fields = ["zh", "en", "notes"]


@admin.register(OwnerPhrasing)
class OwnerPhrasingAdmin(HistoryAdmin):
    """Owners' phrasings, written through measures.services like every other edit."""

    list_display = ["phrase", "means"]
    search_fields = ["phrase", "means", "notes"]

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        saved = services.phrasing_upsert(
            phrase=form.cleaned_data["phrase"],
            means=form.cleaned_data["means"],
            notes=form.cleaned_data.get("notes", ""),
        )
        if change and obj.pk and obj.pk != saved.pk:  # the phrase itself was renamed
            services.phrasing_delete(phrasing=OwnerPhrasing.objects.get(pk=obj.pk))
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:  # type: ignore[no-untyped-def]
        services.phrasing_delete(phrasing=obj)
