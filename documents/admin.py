from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import Agency, Document, DocumentCoIssuer, Upload


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_zh", "level", "region", "needs_review"]
    list_filter = ["needs_review", "level", "region"]
    search_fields = ["name_en", "name_zh", "key", "aliases"]


class CoIssuerInline(admin.TabularInline):
    """Shown, not edited here: document_issuers_set keeps search in step (issue 12)."""

    model = DocumentCoIssuer
    fields = ["position", "agency", "as_written"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "agency", "issued_on", "version", "status", "found_measures"]
    list_filter = ["status", "language", "agency__level", "is_current"]
    search_fields = ["title_zh", "title_en", "doc_number", "notice_key"]
    readonly_fields = [
        "content_hash", "raw_encoding", "version", "supersedes", "notice_key", "agency_as_written",
    ]  # fmt: skip
    exclude = ["raw"]
    inlines = [CoIssuerInline]


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "document", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["data"]
    readonly_fields = ["status", "document", "error", "warnings", "finished_at"]
