"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def language_links(request: HttpRequest) -> dict:
    """The current page in each interface language: the language switch and hreflang links."""
    path = request.get_full_path()
    links = [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "hreflang": {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}.get(code, code),
        }
        for code, name in settings.LANGUAGES
    ]
    for link in links:
        link["absolute"] = request.build_absolute_uri(link["url"])
    return {"language_links": links, "canonical_url": request.build_absolute_uri(path)}
