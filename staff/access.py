"""Who may open a staff page: a member of a role (staff.roles) holding the page's permission.

Anonymous visitors are sent to the sign-in page; a signed-in person without the role or
the permission gets the 403 page. Services check the permission of each write again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from staff.roles import ROLE_PERMISSIONS


def has_role(user: Any) -> bool:
    """A signed-in member of one of the staff roles (or a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_staff_role", None)
    if cached is None:
        cached = user.groups.filter(name__in=list(ROLE_PERMISSIONS)).exists()
        user._staff_role = cached
    return cached


def role_required(permission: str | None = None) -> Callable:
    """Close a view to anonymous visitors (to sign-in) and to people without the role or
    the permission (403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user) or (
                permission is not None and not request.user.has_perm(permission)
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
