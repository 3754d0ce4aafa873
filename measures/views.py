"""Public pages of measures."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from measures.models import Measure


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.published().with_details(),
        pk=pk,
    )
    return render(request, "measures/detail.html", {"measure": measure})
