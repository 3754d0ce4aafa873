"""Public pages of measures."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from measures.models import Measure


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.published()
        .select_related("document", "agency")
        .prefetch_related("texts", "tags"),
        pk=pk,
    )
    return render(request, "measures/detail.html", {"measure": measure})
