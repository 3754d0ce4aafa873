"""Staff pages for curating notices: review, correct, translate, tag, vocabularies, history.

Every page checks a Django permission of the staff roles (staff/roles.py): visitors who
are not signed in go to the login page, staff without the permission get 403. Every
write is one service call; its refusal (ValueError, ValidationError) is shown, and
nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from curation import forms, history
from curation.reading import review_warnings, source_segments
from documents import services as ds
from documents.models import Document, PublicationStatus
from measures import services as ms
from measures.models import GlossaryTerm, Measure, MeasureText, Tag, TagKind


def staff_required(*perms: str) -> Callable:
    """Sign-in first (redirect), then every permission named (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _refused(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        text = "; ".join(
            f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
            for k, v in exc.message_dict.items()
        ) if hasattr(exc, "error_dict") else " ".join(exc.messages)  # fmt: skip
    else:
        text = str(exc)
    messages.error(request, _("Not saved: %(reason)s") % {"reason": text})


def _errors_text(form: Any) -> str:
    """A form's errors in one line, each after its field's label."""
    return "; ".join(
        f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}"
        for k, v in form.errors.items()
    )


def _review(document_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("curation:document-review", args=[document_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


# ---------------------------------------------------------------- documents


@staff_required("documents.view_document")
def index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    documents = Document.objects.select_related("agency").defer("raw", "cleaned_text")
    if status in PublicationStatus.values:
        documents = documents.filter(status=status)
    else:
        status = ""
        documents = documents.filter(is_current=True)
    page = Paginator(documents.order_by("-updated_at", "-pk"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": PublicationStatus.choices}
    return render(request, "curation/index.html", context)


@staff_required("documents.view_document", "measures.view_measure")
def document_review(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("agency"), pk=pk)
    measures = list(
        document.measures.order_by("number").prefetch_related("texts__translated_by", "tags")
    )
    segments = source_segments(document, measures)
    shown = {s.measure.pk for s in segments if s.measure}
    sections = ms.document_sections(document)
    context = {
        "document": document,
        "measures": measures,
        "segments": segments,
        "sections": sections,
        "warnings": review_warnings(document, measures, shown),
        "metadata_form": forms.DocumentMetadataForm(instance=document, prefix="meta"),
        "move_choices": forms.MoveForm(sections=sections).fields["section"].choices,
        "can_edit": request.user.has_perm("documents.change_document"),
        "can_publish": request.user.has_perm("documents.publish_document"),
    }
    return render(request, "curation/review.html", context)


@require_POST
@staff_required("documents.change_document")
def document_metadata(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    form = forms.DocumentMetadataForm(request.POST, instance=Document.objects.get(pk=pk),
                                      prefix="meta")  # fmt: skip
    if not form.is_valid():
        messages.error(request, _errors_text(form))
        return _review(pk, "metadata")
    changes = form.changes()
    if changes or form.issuers_changed():
        try:
            with transaction.atomic():
                if form.issuers_changed():
                    lead, co_issuers = form.issuers()
                    ds.document_issuers_set(document=document, lead=lead,
                                            co_issuers=co_issuers, acting_user=request.user)  # fmt: skip
                if changes:
                    ds.document_update(document=document, changes=changes,
                                       acting_user=request.user)  # fmt: skip
        except (ValueError, ValidationError) as exc:
            _refused(request, exc)
            return _review(pk, "metadata")
        messages.success(request, _("The notice's details were saved."))
    else:
        messages.info(request, _("Nothing was changed."))
    return _review(pk, "metadata")


@require_POST
@staff_required("documents.change_document")
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
        return _review(pk)
    status = form.cleaned_data["status"]
    if status == PublicationStatus.PUBLISHED and not request.user.has_perm(
        "documents.publish_document"
    ):
        raise PermissionDenied
    try:
        ds.document_status_set(document=document, status=status, acting_user=request.user)
    except (ValueError, ValidationError) as exc:
        _refused(request, exc)
        return _review(pk)
    labels = {
        PublicationStatus.PUBLISHED: _("Published: the notice and its measures are on the site."),
        PublicationStatus.REVIEW: _("Sent to review."),
        PublicationStatus.DRAFT: _("Back to draft."),
    }
    messages.success(request, labels[status])
    return _review(pk)


@require_POST
@staff_required("documents.change_document", "measures.change_measure")
def document_renumber(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    changed = ms.measures_renumber(document=document, acting_user=request.user)
    messages.success(
        request, _("Renumbered: %(count)s measures changed number.") % {"count": changed}
    )
    return _review(pk, "measures")


@require_POST
@staff_required("documents.change_document", "measures.change_measure")
def section_rename(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    form = forms.SectionRenameForm(request.POST)
    if form.is_valid():
        try:
            ms.section_rename(document=document, section_number=number,
                              title=form.cleaned_data["title"], acting_user=request.user)  # fmt: skip
        except ValueError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The section heading was saved."))
    else:
        messages.error(request, _("A section heading cannot be empty."))
    return _review(pk, "sections")


@require_POST
@staff_required("documents.change_document", "measures.change_measure")
def conflict_resolve(request: HttpRequest, pk: int, conflict_id: str) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    choice = request.POST.get("choice", "")
    try:
        ds.conflict_resolve(document=document, conflict_id=conflict_id, choice=choice,  # type: ignore[arg-type]
                            acting_user=request.user)  # fmt: skip
    except (ValueError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Decision saved."))
    return _review(pk, "conflicts")


# ---------------------------------------------------------------- measures


def _measure(pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("document").prefetch_related("texts", "tags"), pk=pk
    )


@staff_required("measures.view_measure")
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(pk)
    return _measure_page(request, measure)


def _measure_page(request: HttpRequest, measure: Measure, **bound: Any) -> HttpResponse:
    texts = {t.language: t for t in measure.texts.all()}
    language = measure.document.language
    other = "en" if language == "zh" else "zh"
    original = texts.get(language) or next(iter(texts.values()), None)
    translation = texts.get(other)
    targets = bound.get("targets") or forms.TargetFormSet(
        initial=[{k: t.get(k) for k in ms.TARGET_KEYS} for t in measure.targets], prefix="targets"
    )
    tags_form = forms.MeasureTagsForm(initial={"tags": list(measure.tags.all())})
    kinds = dict(TagKind.choices)
    context = {
        "measure": measure,
        "document": measure.document,
        "original": original,
        "translation": translation,
        "other_language": other,
        "title_form": bound.get("title_form")
        or forms.TextForm(initial={"title": original.title if original else ""}, prefix="orig"),
        "translation_form": bound.get("translation_form")
        or forms.TextForm(
            initial={"title": translation.title, "text": translation.text} if translation else {},
            prefix="tr",
        ),
        "targets": targets,
        "tags_form": tags_form,
        "tag_groups": [
            (kinds[kind], [t for t in Tag.objects.all() if t.kind == kind]) for kind in kinds
        ],
        "current_tags": {t.pk for t in measure.tags.all()},
    }
    status = 400 if bound else 200
    return render(request, "curation/measure.html", context, status=status)


@require_POST
@staff_required("measures.change_measure", "measures.change_measuretext")
def measure_text(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    measure = _measure(pk)
    if language not in ("zh", "en"):
        raise Http404
    is_original = language == measure.document.language
    prefix = "orig" if is_original else "tr"
    form = forms.TextForm(request.POST, prefix=prefix)
    if not form.is_valid() or (not is_original and not form.cleaned_data["text"].strip()):
        if form.is_valid():
            form.add_error("text", _("A translation needs its text."))
        key = "title_form" if is_original else "translation_form"
        return _measure_page(request, measure, **{key: form})
    try:
        ms.measure_text_set(measure=measure, language=language, title=form.cleaned_data["title"],
                            text="" if is_original else form.cleaned_data["text"],
                            acting_user=request.user)  # fmt: skip
    except (ValueError, ValidationError) as exc:
        _refused(request, exc)
        return _measure_page(request, measure, **{"translation_form": form})
    messages.success(request, _("Saved; search finds the new text now."))
    return redirect("curation:measure", pk)


@require_POST
@staff_required("measures.change_measure")
def measure_targets(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(pk)
    formset = forms.TargetFormSet(request.POST, prefix="targets")
    if not formset.is_valid():
        messages.error(request, _("Some targets are not valid: see the marked fields."))
        return _measure_page(request, measure, targets=formset)
    targets = [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    for target in targets:
        target.pop("DELETE", None)
    try:
        ms.measure_targets_set(measure=measure, targets=targets, acting_user=request.user)
    except ValueError as exc:
        _refused(request, exc)
        return _measure_page(request, measure, targets=formset)
    messages.success(request, _("The targets were saved."))
    return redirect("curation:measure", pk)


@require_POST
@staff_required("measures.change_measure")
def measure_tags(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(pk)
    form = forms.MeasureTagsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown tag."))
        return redirect("curation:measure", pk)
    wanted, have = set(form.cleaned_data["tags"]), set(measure.tags.all())
    ms.measures_tag(measures=[measure], add=wanted - have, remove=have - wanted,
                    acting_user=request.user)  # fmt: skip
    messages.success(request, _("The tags were saved."))
    return redirect("curation:measure", pk)


@staff_required("measures.change_measure", "measures.change_measuretext")
def measure_split(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(pk)
    original = ms.original_text(measure)
    form = forms.SplitForm(request.POST or None, text=original.text)
    if request.method == "POST" and form.is_valid():
        try:
            head, tail = ms.measure_split(measure=measure, at=form.cleaned_data["at"],
                                          acting_user=request.user)  # fmt: skip
        except (ValueError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                _("Measure %(n)s was split; its second part is now measure %(m)s.")
                % {"n": head.number, "m": tail.number},
            )
            return _review(measure.document_id, f"m-{head.number}")
    context = {"measure": measure, "document": measure.document, "original": original,
               "form": form}  # fmt: skip
    return render(request, "curation/split.html", context, status=400 if form.errors else 200)


@require_POST
@staff_required("measures.change_measure", "measures.change_measuretext")
def measure_merge(request: HttpRequest, pk: int) -> HttpResponse:
    first = _measure(pk)
    second = Measure.objects.filter(document=first.document_id, number=first.number + 1).first()
    if second is None:
        messages.error(request, _("This is the last measure: there is nothing to merge it with."))
        return _review(first.document_id, f"m-{first.number}")
    try:
        ms.measure_merge(first=first, second=second, acting_user=request.user)
    except (ValueError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("Measures %(n)s and %(m)s are now one.") % {"n": first.number, "m": second.number},
        )
    return _review(first.document_id, f"m-{first.number}")


@require_POST
@staff_required("measures.change_measure")
def measure_move(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(pk)
    form = forms.MoveForm(request.POST, sections=ms.document_sections(measure.document))
    if not form.is_valid():
        messages.error(request, _("Unknown section."))
    else:
        ms.measure_move(measure=measure, section_number=form.cleaned_data["section"],
                        acting_user=request.user)  # fmt: skip
        messages.success(request, _("Measure %(n)s was moved.") % {"n": measure.number})
    return _review(measure.document_id, f"m-{measure.number}")


@staff_required("measures.view_measure")
def measure_list(request: HttpRequest) -> HttpResponse:
    """A filtered list of measures, to tag many at once."""
    form = forms.MeasureFilterForm(request.GET)
    measures = Measure.objects.select_related("document").prefetch_related("texts", "tags")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            measures = measures.filter(
                Q(texts__title__icontains=data["q"]) | Q(texts__text__icontains=data["q"])
            ).distinct()
        if data["document"]:
            measures = measures.filter(document_id=data["document"])
        if data["tag"]:
            measures = measures.filter(tags__slug=data["tag"])
        if data["missing"]:
            measures = measures.annotate(
                has=Count("texts", filter=Q(texts__language=data["missing"]))
            ).filter(has=0)
        if data["status"]:
            measures = measures.filter(document__status=data["status"])
    page = Paginator(measures.order_by("-document_id", "number"), 50).get_page(
        request.GET.get("page")
    )
    if request.method == "POST":
        if not request.user.has_perm("measures.change_measure"):
            raise PermissionDenied
        bulk = forms.BulkTagForm(request.POST, ids=[m.pk for m in page])
        if bulk.is_valid():
            chosen = Measure.objects.filter(pk__in=bulk.cleaned_data["measures"])
            tag = bulk.cleaned_data["tag"]
            add = [tag] if bulk.cleaned_data["action"] == "add" else []
            remove = [tag] if bulk.cleaned_data["action"] == "remove" else []
            changed = ms.measures_tag(measures=chosen, add=add, remove=remove,
                                      acting_user=request.user)  # fmt: skip
            messages.success(request, _("%(count)s measures changed.") % {"count": changed})
            return redirect(request.get_full_path())
        messages.error(request, _("Choose at least one measure and a tag."))
    context = {"form": form, "page": page, "tags": Tag.objects.all(),
               "query": request.GET.urlencode()}  # fmt: skip
    return render(request, "curation/measures.html", context)


# ---------------------------------------------------------------- vocabularies


@staff_required("measures.view_tag", "measures.view_glossaryterm")
def vocabulary(request: HttpRequest) -> HttpResponse:
    tag = (
        Tag.objects.filter(pk=request.GET.get("tag") or 0).first()
        if request.GET.get("tag", "").isdigit()
        else None
    )
    term_id = request.GET.get("term", "")
    term = GlossaryTerm.objects.filter(pk=term_id).first() if term_id.isdigit() else None
    context = {
        "tags": Tag.objects.annotate(n=Count("measures")),
        "terms": GlossaryTerm.objects.all(),
        "tag_form": forms.TagForm(instance=tag, prefix="tag"),
        "edited_tag": tag,
        "term_form": forms.GlossaryTermForm(
            initial={"zh": term.zh, "en": "\n".join(term.en), "notes": term.notes}
            if term
            else None,
            prefix="term",
        ),
        "edited_term": term,
        "can_edit": request.user.has_perms(["measures.change_tag", "measures.change_glossaryterm"]),
    }
    return render(request, "curation/vocabulary.html", context)


@require_POST
@staff_required("measures.add_tag", "measures.change_tag", "measures.delete_tag")
def tag_save(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=pk) if pk else None
    if request.POST.get("delete") and tag is not None:
        count = ms.tag_delete(tag=tag, acting_user=request.user)
        messages.success(
            request, _("Tag deleted; it was removed from %(count)s measures.") % {"count": count}
        )
        return redirect("curation:vocabulary")
    form = forms.TagForm(
        request.POST, instance=Tag.objects.get(pk=pk) if pk else None, prefix="tag"
    )
    if form.is_valid():
        try:
            ms.tag_save(tag=tag, values=form.values(), acting_user=request.user)
        except (ValueError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The tag was saved."))
            return redirect("curation:vocabulary")
    else:
        messages.error(request, _("The tag was not saved: %(errors)s") % {
            "errors": _errors_text(form)})  # fmt: skip
    return redirect(f"{reverse('curation:vocabulary')}{f'?tag={pk}' if pk else ''}")


@require_POST
@staff_required("measures.add_glossaryterm", "measures.change_glossaryterm",
                "measures.delete_glossaryterm")  # fmt: skip
def glossary_save(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm, pk=pk) if pk else None
    if request.POST.get("delete") and term is not None:
        ms.glossary_term_delete(term=term, acting_user=request.user)
        messages.success(request, _("The glossary term was deleted."))
        return redirect("curation:vocabulary")
    form = forms.GlossaryTermForm(request.POST, prefix="term")
    if form.is_valid():
        try:
            ms.glossary_term_save(term=term, zh=form.cleaned_data["zh"],
                                  en=form.cleaned_data["en"].splitlines(),
                                  notes=form.cleaned_data["notes"], acting_user=request.user)  # fmt: skip
        except (ValueError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The glossary term was saved; search uses it now."))
            return redirect("curation:vocabulary")
    else:
        messages.error(request, _("The glossary term was not saved: %(errors)s") % {
            "errors": _errors_text(form)})  # fmt: skip
    return redirect(f"{reverse('curation:vocabulary')}{f'?term={pk}' if pk else ''}")


# ---------------------------------------------------------------- history


def history_view(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    model = history.model_for(label)
    if model is None:
        raise Http404
    perm = f"{model._meta.app_label}.view_{model._meta.model_name}"
    return staff_required(perm)(_history)(request, model, pk)


def _history(request: HttpRequest, model: Any, pk: int) -> HttpResponse:
    rows = history.versions(model, pk)
    if not rows:
        raise Http404
    if request.method == "POST":
        change = f"{model._meta.app_label}.change_{model._meta.model_name}"
        if not request.user.has_perm(change):
            raise PermissionDenied
        record = next((r for r in rows if str(r.history_id) == request.POST.get("restore")), None)
        if record is None:
            messages.error(request, _("Unknown version."))
        else:
            try:
                ds.history_restore(record=record, acting_user=request.user)
            except (ValueError, ValidationError, model.DoesNotExist) as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("The version was restored; the restore is on record."))
        return redirect(request.path)
    by_id = {str(r.history_id): r for r in rows}
    a, b = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
    compared = None
    if a is not None and b is not None:
        old, new = sorted([a, b], key=lambda r: r.history_id)
        compared = (old, new, history.differences(old, new))
    current = model.objects.filter(pk=pk).first()
    context = {
        "model_name": model._meta.verbose_name,
        "label": model._meta.label_lower,
        "current": current,
        "title": str(current or rows[0].instance),
        "rows": history.with_changes(rows),
        "compared": compared,
        "can_restore": request.user.has_perm(
            f"{model._meta.app_label}.change_{model._meta.model_name}"
        ),
        "texts": MeasureText.objects.filter(measure_id=pk) if model is Measure else [],
    }
    return render(request, "curation/history.html", context)
