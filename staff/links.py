"""Links to the curation pages (issue 12's other half), when they are installed."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def curation_url(name: str, *args: object) -> str | None:
    """The address of a curation page, or None where that app is not installed."""
    try:
        return reverse(f"curation:{name}", args=args)
    except NoReverseMatch:
        return None
