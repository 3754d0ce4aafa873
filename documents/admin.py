from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import Agency, Document, Upload


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_zh", "level", "region"]
    list_filter = ["level", "region"]
    search_fields = ["name_en", "name_zh", "key"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "agency", "issued_on", "version", "status", "found_measures"]
    list_filter = ["status", "language", "agency__level", "is_current"]
    search_fields = ["title_zh", "title_en", "doc_number", "notice_key"]
    readonly_fields = ["content_hash", "raw_encoding", "version", "supersedes", "notice_key"]
    exclude = ["raw"]


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "document", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["data"]
    readonly_fields = ["status", "document", "error", "warnings", "finished_at"]
