"""Staff pages: sign-in, the dashboard, the workflow, uploads, the archive and agencies.

Thin: a form parses the request, a service does the work (and checks the permission
again), the page renders. Every view is closed by staff.access.role_required.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from documents.models import (
    Agency,
    Document,
    PublicationStatus,
    Upload,
    UploadStage,
    UploadStatus,
)
from documents.services import (
    PublishConflict,
    WorkflowError,
    agency_merge,
    agency_update,
    document_status_set,
    documents_archived,
    transition_allowed,
    upload_create,
    upload_retry,
)
from policykb.display import content_lang, document_title
from staff.access import role_required
from staff.forms import AgencyForm, MergeForm, UploadForm
from staff.links import curation_url
from staff.uploads import MAX_FILES, NoticeUploadHandler, body_limit

P = PublicationStatus
# The buttons a document row may show, in order: (target status, label).
ACTIONS = (
    (P.REVIEW, gettext_lazy("Send to review")),
    (P.DRAFT, gettext_lazy("Back to draft")),
    (P.PUBLISHED, gettext_lazy("Publish")),
    (P.WITHDRAWN, gettext_lazy("Withdraw")),
)


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    template_name = "staff/logged_out.html"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# ---------------------------------------------------------------- dashboard


@never_cache
@role_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    by_status = dict(
        Document.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    uploads = Upload.objects.defer("data").select_related("document")
    context = {
        "statuses": [(s, label, by_status.get(s, 0)) for s, label in P.choices],
        "uploads_pending": uploads.filter(
            status__in=[UploadStatus.QUEUED, UploadStatus.RUNNING]
        ).count(),
        "uploads_failed": uploads.filter(status=UploadStatus.FAILED).count(),
        "agencies_to_review": Agency.objects.filter(needs_review=True).count(),
        "recent_uploads": uploads[:5],
        "in_review": _rows(
            request, Document.objects.filter(status=P.REVIEW).select_related("agency")[:10]
        ),
    }
    return render(request, "staff/dashboard.html", context)


# ---------------------------------------------------------------- documents and workflow


def _rows(request: HttpRequest, documents: Any) -> list[dict[str, Any]]:
    """What a row of a staff document list shows, with the moves this user may make."""
    rows = []
    for document in documents:
        actions = [
            (status, label)
            for status, label in ACTIONS
            if transition_allowed(document=document, status=status, user=request.user)
        ]
        if document.status == P.WITHDRAWN and request.user.has_perm("documents.publish_document"):
            actions = [(P.PUBLISHED, _("Restore")), *[a for a in actions if a[0] != P.PUBLISHED]]
        public = document.status in (P.PUBLISHED, P.SUPERSEDED)
        rows.append(
            {
                "document": document,
                "actions": actions,
                "public_url": reverse("documents:detail", args=[document.pk]) if public else None,
                "review_url": curation_url("document-review", document.pk),
                "history_url": curation_url("history", "documents.document", document.pk),
            }
        )
    return rows


STAFF_LIST_STATUSES = (P.DRAFT, P.REVIEW, P.PUBLISHED, P.SUPERSEDED)


@never_cache
@role_required("documents.view_document")
def document_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in STAFF_LIST_STATUSES:
        status = ""
    documents = Document.objects.exclude(status=P.WITHDRAWN)
    counts = dict(
        documents.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    if status:
        documents = documents.filter(status=status)
    q = request.GET.get("q", "").strip()[:200].replace("\x00", "")
    if q:
        documents = documents.filter(
            Q(title_zh__icontains=q) | Q(title_en__icontains=q) | Q(doc_number__icontains=q)
        )
    documents = (
        documents.select_related("agency")
        .defer("raw", "cleaned_text", "removed_junk")
        .order_by("-updated_at", "-id")
    )
    page = Paginator(documents, 30).get_page(request.GET.get("page"))
    tabs = [("", _("All"), sum(counts.values()))] + [
        (s, P(s).label, counts.get(s, 0)) for s in STAFF_LIST_STATUSES
    ]
    context = {"page": page, "rows": _rows(request, page.object_list), "tabs": tabs,
               "status": status, "q": q}  # fmt: skip
    return render(request, "staff/documents.html", context)


@require_POST
@role_required("documents.view_document")
def document_transition(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    status = request.POST.get("to", "")
    back = _safe_next(request, reverse("staff:documents"))
    if status not in P.values:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    try:
        document = document_status_set(document=document, status=status, acting_user=request.user)
    except PermissionDenied:
        raise
    except PublishConflict as exc:
        messages.error(request, _("Not published: %(reason)s") % {"reason": exc})
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": document.title[:80], "status": P(document.status).label.lower()},
        )
    return redirect(back)


@never_cache
@role_required("documents.view_document")
def archive(request: HttpRequest) -> HttpResponse:
    page = Paginator(documents_archived(), 30).get_page(request.GET.get("page"))
    return render(request, "staff/archive.html", {"page": page, "rows": _rows(request, page)})


# ---------------------------------------------------------------- uploads

STEPS = [UploadStage.READING, UploadStage.TAGGING, UploadStage.STORING, UploadStage.FINISHED]


def upload_state(upload: Upload) -> dict[str, Any]:
    """One upload as the page and its script show it."""
    stage = UploadStage(upload.stage) if upload.stage in UploadStage.values else None
    step = STEPS.index(stage) + 1 if stage in STEPS else 0
    document = upload.document
    return {
        "id": upload.pk,
        "name": upload.name,
        "status": upload.status,
        "status_label": str(UploadStatus(upload.status).label),
        "stage": upload.stage,
        "stage_label": str(stage.label) if stage else "",
        "step": step,
        "steps": len(STEPS),
        "finished": upload.is_finished,
        "error": upload.error,
        "warnings": len(upload.warnings or []),
        "warnings_label": _("%(n)d warning(s)") % {"n": len(upload.warnings or [])},
        "document_title": document_title(document)[0] if document else "",
        "document_lang": content_lang(document_title(document)[1]) if document else "",
        "document_url": _document_link(document) if document else "",
        "retry": upload.status == UploadStatus.FAILED,
    }


def _document_link(document: Document) -> str:
    """Where staff look at an ingested document: its review page, else the staff list."""
    review = curation_url("document-review", document.pk)
    if review:
        return review
    return reverse("staff:documents") + "?" + urlencode({"q": document.title[:60]})


def _recent_uploads(request: HttpRequest) -> Any:
    return (
        Upload.objects.defer("data")
        .select_related("document", "uploaded_by")
        .order_by("-created_at")[:50]
    )


@never_cache
@csrf_exempt  # the upload handlers must be set before the CSRF check reads the body
@role_required("documents.add_upload")
def uploads(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > body_limit():
            context = {"limit": filesizeformat(body_limit()), "max_files": MAX_FILES}
            return render(request, "staff/too_large.html", context, status=413)
        handler = NoticeUploadHandler(request)
        request.upload_handlers = [handler]
        return _uploads_post(request, handler)
    return _uploads_page(request, UploadForm())


@csrf_protect
def _uploads_post(request: HttpRequest, handler: NoticeUploadHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    for name, reason in handler.rejected:
        messages.error(request, _("%(name)s was not uploaded: %(reason)s") % {"name": name,
                                                                           "reason": reason})  # fmt: skip
    if not form.is_valid():
        return _uploads_page(request, form, status=400)
    sidecar = form.sidecar()
    created = []
    for upload_file in form.cleaned_data["files"]:
        created.append(
            upload_create(
                data=upload_file.read(),
                name=upload_file.name,
                sidecar=sidecar,
                acting_user=request.user,
            )
        )
    if form.cleaned_data["text"]:
        first_line = form.cleaned_data["text"].strip().splitlines()[0][:60].strip()
        created.append(
            upload_create(
                data=form.cleaned_data["text"].encode("utf-8"),
                name=f"{first_line or 'pasted'}.txt".replace("/", "-"),
                sidecar=sidecar,
                acting_user=request.user,
            )
        )
    if created:
        messages.success(
            request,
            _("%(n)d notice(s) queued; their progress shows below.") % {"n": len(created)},
        )
    return redirect("staff:uploads")


def _uploads_page(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "uploads": [upload_state(u) | {"upload": u} for u in _recent_uploads(request)],
        "max_files": MAX_FILES,
        "max_size": filesizeformat(settings.POLICYKB_MAX_NOTICE_BYTES),
        "status_url": reverse("staff:upload-status"),
    }
    return render(request, "staff/uploads.html", context, status=status)


@never_cache
@require_GET
@role_required("documents.add_upload")
def upload_status(request: HttpRequest) -> JsonResponse:
    """The state of the listed uploads (ids=1,2,3), for the page's script."""
    ids = [int(i) for i in request.GET.get("ids", "").split(",")[:100] if i.strip().isdigit()]
    found = Upload.objects.defer("data").select_related("document").filter(pk__in=ids)
    return JsonResponse({"uploads": [upload_state(u) for u in found]})


@require_POST
@role_required("documents.add_upload")
def upload_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(Upload.objects.defer("data"), pk=pk)
    try:
        upload_retry(upload=upload, acting_user=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s is queued again.") % {"name": upload.name})
    return redirect("staff:uploads")


# ---------------------------------------------------------------- agencies


@never_cache
@role_required("documents.change_agency")
def agency_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    agencies = Agency.objects.all() if show_all else Agency.objects.filter(needs_review=True)
    agencies = agencies.annotate(
        led=Count("documents", distinct=True), joint=Count("co_issuer_links", distinct=True)
    ).order_by("-needs_review", "level", "region", "name_en", "name_zh")
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    return render(request, "staff/agencies.html", {"page": page, "show_all": show_all})


@never_cache
@role_required("documents.change_agency")
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk)
    form = AgencyForm(request.POST or None, agency=agency, initial=AgencyForm.initial_for(agency))
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            if changes:
                agency_update(agency=agency, changes=changes, acting_user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": agency})
            return redirect("staff:agencies")
    documents = (
        Document.objects.issued_by(agency.key)
        .defer("raw", "cleaned_text", "removed_junk")
        .order_by("-issued_on")[:20]
    )
    context = {
        "agency": agency,
        "form": form,
        "merge_form": MergeForm(agency=agency),
        "documents": documents,
        "history_url": curation_url("history", "documents.agency", agency.pk),
    }
    return render(request, "staff/agency_edit.html", context, status=400 if form.errors else 200)


@require_POST
@role_required("documents.change_agency")
def agency_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk)
    form = MergeForm(request.POST, agency=agency)
    if not form.is_valid():
        messages.error(request, _("Choose the body to merge into."))
        return redirect("staff:agency", pk=pk)
    target = form.cleaned_data["target"]
    name = str(agency)
    try:
        agency_merge(source=agency, target=target, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("staff:agency", pk=pk)
    messages.success(
        request,
        _("%(source)s was merged into %(target)s; its notices follow.")
        % {"source": name, "target": target},
    )
    return redirect("staff:agency", pk=target.pk)
