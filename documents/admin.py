"""The Django admin for agencies, documents and uploads: every save goes through a service.

Until staff have pages of their own (issue 12), the admin is where curators work. A
document's status and curated fields are saved by document_status_set and
document_update, so withdrawing a notice here takes its measures off the site with it.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from documents.models import Agency, Document, DocumentCoIssuer, PublicationStatus, Upload
from documents.services import CURATABLE_FIELDS, document_status_set, document_update
from policykb.history_admin import HistoryAdmin


@admin.register(Agency)
class AgencyAdmin(HistoryAdmin):
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


def _set_status(status: str, label: str):  # type: ignore[no-untyped-def]
    @admin.action(description=label)
    def action(modeladmin, request, queryset) -> None:  # type: ignore[no-untyped-def]
        for document in queryset:
            document_status_set(document=document, status=status)
        count = queryset.count()
        modeladmin.message_user(
            request,
            ngettext("%(count)d document changed.", "%(count)d documents changed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    action.__name__ = f"set_{status}"
    return action


@admin.register(Document)
class DocumentAdmin(HistoryAdmin):
    list_display = ["__str__", "agency", "issued_on", "version", "status", "found_measures"]
    list_filter = ["status", "language", "agency__level", "is_current"]
    search_fields = ["title_zh", "title_en", "doc_number", "notice_key"]
    fields = ["status", *CURATABLE_FIELDS, "agency_as_written", "notice_key", "version",
              "content_hash", "raw_encoding", "found_measures", "warnings"]  # fmt: skip
    readonly_fields = ["content_hash", "raw_encoding", "version", "notice_key", "found_measures",
                       "warnings", "agency_as_written"]  # fmt: skip
    inlines = [CoIssuerInline]
    actions = [
        _set_status(PublicationStatus.PUBLISHED, _("Publish the selected documents")),
        _set_status(PublicationStatus.WITHDRAWN, _("Withdraw the selected documents")),
        _set_status(PublicationStatus.REVIEW, _("Send the selected documents to review")),
    ]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # notices come in through ingestion (the ingest command or an upload)

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        curated = {
            name: form.cleaned_data[name] for name in form.changed_data if name in CURATABLE_FIELDS
        }
        document = Document.objects.get(pk=obj.pk)
        if curated:
            document = document_update(document=document, changes=curated)
        if "status" in form.changed_data:
            document_status_set(document=document, status=form.cleaned_data["status"])


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "document", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["data"]
    readonly_fields = ["name", "status", "document", "error", "warnings", "finished_at"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # an upload without its file could never be ingested
