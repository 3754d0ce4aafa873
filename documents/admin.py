"""The Django admin for agencies, documents and uploads: every save goes through a service.

Staff work on their own pages (/staff/); the admin stays for admins. A document's status
and curated fields are saved by document_status_set and document_update, so withdrawing
a notice here takes its measures off the site with it; agencies are saved by
agency_update (merging is on the staff agency page); nothing is deleted here (withdraw
a document, merge an agency).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from documents.models import Agency, Document, DocumentCoIssuer, PublicationStatus, Upload
from documents.services import (
    AGENCY_EDITABLE,
    CURATABLE_FIELDS,
    WorkflowError,
    agency_update,
    document_status_set,
    document_update,
    upload_retry,
)
from measures.models import Measure
from policykb.history_admin import HistoryAdmin


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Agency)
class AgencyAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ["name_en", "name_zh", "level", "region", "needs_review"]
    list_filter = ["needs_review", "level", "region"]
    search_fields = ["name_en", "name_zh", "key", "aliases"]
    fields = ["key", *AGENCY_EDITABLE]
    autocomplete_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return ["key"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        if not change:
            agency = Agency(key=form.cleaned_data["key"])
            fields = [name for name in AGENCY_EDITABLE if name in form.cleaned_data]
        else:
            agency = Agency.objects.get(pk=obj.pk)
            fields = [name for name in form.changed_data if name in AGENCY_EDITABLE]
        changes = {name: form.cleaned_data[name] for name in fields}
        obj.pk = agency_update(agency=agency, changes=changes, acting_user=request.user).pk


class CoIssuerInline(admin.TabularInline):
    """Shown, not edited here: document_issuers_set keeps search in step (issue 12)."""

    model = DocumentCoIssuer
    fields = ["position", "agency", "as_written"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class MeasureInline(admin.TabularInline):
    """A document's measures, read-only: their text and facts belong to the services."""

    model = Measure
    fields = ["number", "label", "section_title", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


def _set_status(status: str, label: str):  # type: ignore[no-untyped-def]
    @admin.action(description=label, permissions=["change"])
    def action(modeladmin, request, queryset) -> None:  # type: ignore[no-untyped-def]
        changed, refused = 0, []
        for document in queryset:
            try:
                document_status_set(document=document, status=status, acting_user=request.user)
                changed += 1
            except (WorkflowError, PermissionDenied) as exc:
                refused.append(f"{document}: {exc}")
        modeladmin.message_user(
            request,
            ngettext("%(count)d document changed.", "%(count)d documents changed.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )
        for problem in refused:
            modeladmin.message_user(request, problem, messages.ERROR)

    action.__name__ = f"set_{status}"
    return action


@admin.register(Document)
class DocumentAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ["__str__", "agency", "issued_on", "version", "status", "found_measures"]
    list_filter = ["status", "language", "agency__level", "is_current", "agency__needs_review",
                   ("issued_on", admin.DateFieldListFilter)]  # fmt: skip
    search_fields = ["title_zh", "title_en", "doc_number", "notice_key", "agency__name_zh",
                     "agency__name_en"]  # fmt: skip
    list_select_related = ["agency"]
    date_hierarchy = "issued_on"
    fields = ["status", *CURATABLE_FIELDS, "agency_as_written", "notice_key", "version",
              "content_hash", "raw_encoding", "found_measures", "warnings"]  # fmt: skip
    readonly_fields = ["content_hash", "raw_encoding", "version", "notice_key", "found_measures",
                       "warnings", "agency_as_written"]  # fmt: skip
    inlines = [CoIssuerInline, MeasureInline]
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
            try:
                document_status_set(
                    document=document, status=form.cleaned_data["status"], acting_user=request.user
                )
            except (WorkflowError, PermissionDenied, ValidationError) as exc:
                self.message_user(request, str(exc), messages.ERROR)


@admin.action(description=_("Try the selected failed uploads again"), permissions=["view"])
def retry_uploads(modeladmin, request, queryset) -> None:  # type: ignore[no-untyped-def]
    retried = 0
    for upload in queryset:
        try:
            upload_retry(upload=upload, acting_user=request.user)
            retried += 1
        except (WorkflowError, PermissionDenied) as exc:
            modeladmin.message_user(request, f"{upload.name}: {exc}", messages.WARNING)
    modeladmin.message_user(
        request,
        ngettext("%(count)d upload queued again.", "%(count)d uploads queued again.", retried)
        % {"count": retried},
        messages.SUCCESS,
    )


@admin.register(Upload)
class UploadAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "status", "stage", "document", "uploaded_by", "created_at",
                    "finished_at"]  # fmt: skip
    list_filter = ["status", "stage"]
    search_fields = ["name", "error"]
    exclude = ["data"]
    readonly_fields = ["name", "status", "stage", "sidecar", "attempts", "document", "error",
                       "warnings", "uploaded_by", "started_at", "finished_at"]  # fmt: skip
    actions = [retry_uploads]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # files are uploaded on the staff uploads page

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # the worker writes uploads; retrying is the action above
