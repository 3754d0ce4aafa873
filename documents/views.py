"""Public pages of notices: the home page, the list of notices and one notice."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from documents.models import Agency, Document
from measures.models import Measure


def home(request: HttpRequest) -> HttpResponse:
    documents = Document.objects.published().select_related("agency")
    context = {
        "latest": documents[:8],
        "counts": {
            "documents": documents.count(),
            "measures": Measure.objects.published().count(),
            "agencies": Agency.objects.filter(documents__in=documents).distinct().count(),
        },
    }
    return render(request, "documents/home.html", context)


def document_list(request: HttpRequest) -> HttpResponse:
    documents = Document.objects.published().select_related("agency")
    page = Paginator(documents, 25).get_page(request.GET.get("page"))
    return render(request, "documents/list.html", {"page": page})


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.published().select_related("agency"), pk=pk)
    measures = document.measures.prefetch_related("texts", "tags").order_by("number")
    return render(request, "documents/detail.html", {"document": document, "measures": measures})
