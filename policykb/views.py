"""Site-wide views: the health check, error pages and the favicon."""

import logging
import sys

from django.conf import settings
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from policykb.middleware import database_unavailable, unavailable

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 otherwise (for load balancers and probes)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database means "not healthy"
        logger.warning("health check failed: %s", exc)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def language_of(request: HttpRequest) -> str:
    """The interface language an address asks for (its /en/, /zh-hans/ prefix), else English."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    with translation.override(language_of(request)):
        return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Signed in, but without the role or permission the page needs."""
    with translation.override(language_of(request)):
        return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """A page that needs nothing but the template: no database, no context processors.

    Django calls this for an exception raised outside a view too (a middleware, the 404
    page, saving the session): when that was the database going away, answer the 503."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    language = language_of(request)
    with translation.override(language):
        return HttpResponseServerError(render_to_string("500.html", {"LANGUAGE_CODE": language}))
