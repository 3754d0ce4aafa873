"""Answer 503 with a static page when the database cannot be reached.

Without this a page or an API call made while PostgreSQL is down or restarting ends as a
bare "Server Error (500)". The answer needs no database (no session, no user, no query),
says so in the interface language, and asks clients to retry: as soon as the database
answers again, the next request is served as usual.

Two ways in, so that no database error anywhere in a request ends as a 500: this
middleware turns one raised by a view or by rendering its template into the 503, and the
500 handler (policykb.views.server_error) does the same for one raised anywhere else (a
middleware: sessions, the user, django-axes, the answer cache; a context processor; the
404 page; saving the session after the view).
"""

from __future__ import annotations

import logging

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


# Django wraps the driver's errors in its own; a connection that fails inside the embedded
# backend's restart may surface as psycopg's.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, psycopg.OperationalError)


def database_unavailable(exception: BaseException | None) -> bool:
    """Whether an exception (or one it was raised from) says the database is out of reach."""
    while exception is not None:
        if isinstance(exception, UNAVAILABLE_ERRORS):
            return True
        exception = exception.__cause__ or exception.__context__
    return False


def interface_language(request: HttpRequest) -> str:
    """The address's language prefix, else (the API) the language cookie or Accept-Language;
    read without the session, which lives in the database."""
    return translation.get_language_from_path(request.path_info) or (
        translation.get_language_from_request(request, check_path=False)
        if request.path.startswith("/api/")
        else settings.LANGUAGE_CODE
    )


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API, the static templates/503.html for pages."""
    with translation.override(interface_language(request)):
        if request.path.startswith("/api/"):
            message = _("The service is briefly unavailable. Please try again in a minute.")
            response: HttpResponse = JsonResponse(
                {"detail": message}, status=503, json_dumps_params={"ensure_ascii": False}
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response) -> None:  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        logger.warning("database unavailable for %s: %s", request.path, exception)
        return unavailable(request)
