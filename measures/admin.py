from django.contrib import admin

from measures.models import GlossaryTerm, Measure, MeasureText, Tag
from measures.services import measure_texts_index
from policykb.history_admin import HistoryAdmin


class MeasureTextInline(admin.StackedInline):
    model = MeasureText
    extra = 0
    fields = ["language", "script", "provenance", "title", "text"]


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["__str__", "document", "section_title", "agency", "year", "is_public"]
    list_filter = ["is_public", "level", "year", "tags"]
    inlines = [MeasureTextInline]
    filter_horizontal = ["tags"]
    raw_id_fields = ["document"]
    # Copies of the document's facts: they follow its status and metadata, never a tick
    # here (a draft's measure made public alone would be on the site without its notice).
    readonly_fields = ["is_public", "agency", "level", "region", "year", "issued_on"]

    def save_related(self, request, form, formsets, change) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        # Search reads the measure's facts and tags from copies on its texts, and the
        # texts' words from their vectors: rebuild both after an edit here.
        measure_texts_index(texts=MeasureText.objects.filter(measure=form.instance))


@admin.register(Tag)
class TagAdmin(HistoryAdmin):
    list_display = ["name_en", "name_zh", "kind", "slug"]
    list_filter = ["kind"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(HistoryAdmin):
    list_display = ["zh", "en"]
    search_fields = ["zh", "en", "notes"]
