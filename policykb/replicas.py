"""Read replicas: safe web requests read from a replica, everything else from the primary.

DATABASE_REPLICA_URLS lists the replicas. A read goes to one (at random) only inside a
GET or HEAD request that is not pinned; writes, the worker, management commands, reads
inside a transaction, staff pages (/admin/, /staff/) and every request within
REPLICA_PIN_SECONDS of a write by the same browser stay on the primary, so a curator
always sees the change just saved however far the replicas lag.
"""

from __future__ import annotations

import contextvars
import random
import time

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "policykb_primary"
_replicas_allowed = contextvars.ContextVar("replicas_allowed", default=False)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReplicaRouter:
    def db_for_read(self, model, **hints):  # type: ignore[no-untyped-def]
        if not settings.REPLICA_DATABASES or not _replicas_allowed.get():
            return "default"
        if connections["default"].in_atomic_block:
            return "default"  # a transaction reads what it is about to write
        return random.choice(settings.REPLICA_DATABASES)

    def db_for_write(self, model, **hints):  # type: ignore[no-untyped-def]
        return "default"

    def allow_relation(self, obj1, obj2, **hints):  # type: ignore[no-untyped-def]
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):  # type: ignore[no-untyped-def]
        return db == "default"


def _pinned(request: HttpRequest) -> bool:
    """The browser wrote less than REPLICA_PIN_SECONDS ago (the cookie holds until when:
    a client that keeps a cookie past its max-age is not pinned for ever)."""
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaPinMiddleware:
    """Let a request read from replicas, or pin it (and the next few) to the primary."""

    def __init__(self, get_response) -> None:  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = (
            bool(settings.REPLICA_DATABASES)
            and request.method in _SAFE_METHODS
            and not _pinned(request)
            and "/admin/" not in request.path
            and "/staff/" not in request.path
        )
        token = _replicas_allowed.set(allowed)
        try:
            response = self.get_response(request)
        finally:
            _replicas_allowed.reset(token)
        if settings.REPLICA_DATABASES and request.method not in _SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + settings.REPLICA_PIN_SECONDS),
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
