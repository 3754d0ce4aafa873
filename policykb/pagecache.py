"""A cache of public answers (pages and API), invalidated whenever public content changes.

Visitors read far more than curators write: an anonymous GET answered 200 is kept under
the full URL, the interface language and the current *content version*, in the process
that computed it and in the shared store (CACHES["shared-pages"]: a table of the database,
or Redis), so every other process and host serves it without computing it again; a
process keeps what it read from the shared store too.
Every write that changes what the public sees (a notice stored or published, a document
or measure edited: measures.indexing writes the search copies on each) bumps the version
in the shared cache once its transaction commits, so every process on every host stops
serving the old answers within PAGE_CACHE_VERSION_SECONDS; PAGE_CACHE_SECONDS bounds the
life of an answer whatever happens. Staff, sessions, cookies and the admin are never
cached, nor any answer that sets a cookie or varies by one.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)

VERSION_KEY = "policykb:public-version"
_seen: dict[str, float | int] = {"version": 0, "checked": 0.0}


def public_content_changed() -> None:
    """Make every cached public answer stale, once the current transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet (or evicted): any new value invalidates
            cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)
    except Exception:  # the shared cache is down: answers go stale for PAGE_CACHE_SECONDS
        logger.warning("could not mark public content as changed", exc_info=True)
    _seen["checked"] = 0.0  # this process sees its own change at once


def _version() -> int:
    now = time.monotonic()
    if now - _seen["checked"] > settings.PAGE_CACHE_VERSION_SECONDS:
        try:
            _seen["version"] = cache.get(VERSION_KEY, 0)
        except Exception:  # database or Redis down: keep serving what is cached
            logger.warning("content version unavailable; keeping %s", _seen["version"])
        _seen["checked"] = now
    return int(_seen["version"])


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.COOKIES
        and "/admin/" not in request.path
        and "/staff/" not in request.path
        and request.path != "/healthz"
    )


def _cacheable_response(response: HttpResponse) -> bool:
    vary = response.get("Vary", "").lower()
    return (
        response.status_code == 200
        and not response.cookies
        and "cookie" not in vary
        and not response.streaming
        and "private" not in response.get("Cache-Control", "")
    )


class PublicCacheMiddleware:
    def __init__(self, get_response) -> None:  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        local = caches["pages"]
        # Hashed: a URL may be longer than a cache key may be (250 characters).
        url = f"{translation.get_language()}:{request.get_full_path()}"
        key = f"{_version()}:{hashlib.blake2b(url.encode(), digest_size=16).hexdigest()}"
        if (hit := local.get(key)) is not None:
            return hit
        if (hit := _shared("get", key)) is not None:
            local.set(key, hit, timeout=settings.PAGE_CACHE_SECONDS)
            return hit
        response = self.get_response(request)
        if _cacheable_response(response):
            local.set(key, response, timeout=settings.PAGE_CACHE_SECONDS)
            _shared("set", key, response, timeout=settings.PAGE_CACHE_SECONDS)
        return response


def _shared(method: str, *args, **kwargs):  # type: ignore[no-untyped-def]
    """The shared store's get or set; a store that fails is a miss (the request then
    computes its answer, or meets the database fault itself)."""
    if not settings.PAGE_CACHE_SHARED:
        return None
    try:
        return getattr(caches["shared-pages"], method)(*args, **kwargs)
    except Exception:
        logger.warning("shared answer cache unavailable", exc_info=True)
        return None
