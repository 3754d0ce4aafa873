"""Reference data a search reads on every request, cached per process (issue 10, speed).

The glossary and the names of agencies and tags are read by every search and changed
rarely, by staff. Each search asks PostgreSQL once for the newest history row of the three
tables (django-simple-history writes one for every change made through a model: services,
admin, commands) and reloads only what changed since; before, each search read the
glossary's version and then the names of every agency and tag in its facets, three round
trips where one does. An agency or tag that has no history row (bulk-created) is missing
from the cache and is read when first met; entries also expire after MAX_AGE seconds,
so a change that bypassed the models is seen within a minute.
"""

from __future__ import annotations

import threading
import time

from django.db import connection

MAX_AGE = 60.0

_VERSIONS = """
SELECT (SELECT max(history_id) FROM measures_historicalglossaryterm),
       (SELECT max(history_id) FROM documents_historicalagency),
       (SELECT max(history_id) FROM measures_historicaltag),
       (SELECT max(history_id) FROM measures_historicalownerphrasing)
"""

_lock = threading.Lock()
_state: dict = {"versions": None, "read_at": 0.0, "agencies": {}, "tags": {}}


def refresh() -> tuple[int, int, int, int]:
    """Read the versions of glossary, agencies, tags and phrasings (one statement) and drop the names that changed."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSIONS)
        versions = tuple(v or 0 for v in cursor.fetchone())
    now = time.monotonic()
    with _lock:
        old = _state["versions"]
        expired = now - _state["read_at"] > MAX_AGE
        if old is None or expired or old[1] != versions[1]:
            _state["agencies"] = {}
        if old is None or expired or old[2] != versions[2]:
            _state["tags"] = {}
        if old is None or expired:
            _state["read_at"] = now
        _state["versions"] = versions
    return versions  # type: ignore[return-value]


def glossary_version() -> int:
    """The glossary's version, as read by the latest refresh() of this process."""
    versions = _state["versions"] or refresh()
    return versions[0]


def _labels(kind: str, ids: set[str], load) -> dict[str, tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    cached = _state[kind]
    missing = [int(i) for i in ids if i not in cached]
    if missing:
        found = load(missing)
        with _lock:
            _state[kind] = {**_state[kind], **found}
        cached = _state[kind]
    return {i: cached[i] for i in ids if i in cached}


def agency_labels(ids) -> dict[str, tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """pk (as text) → (key, name_en, name_zh) of the agencies that exist among `ids`."""
    from documents.models import Agency

    def load(pks: list[int]) -> dict:
        rows = Agency.objects.filter(pk__in=pks).values_list("pk", "key", "name_en", "name_zh")
        return {str(pk): (key, en, zh) for pk, key, en, zh in rows}

    return _labels("agencies", {str(i) for i in ids}, load)


def tag_labels(ids) -> dict[str, tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """pk (as text) → ("kind:slug", name_en, name_zh) of the tags that exist among `ids`."""
    from measures.models import Tag

    def load(pks: list[int]) -> dict:
        rows = Tag.objects.filter(pk__in=pks).values_list(
            "pk", "kind", "slug", "name_en", "name_zh"
        )
        return {str(pk): (f"{kind}:{slug}", en, zh) for pk, kind, slug, en, zh in rows}

    return _labels("tags", {str(i) for i in ids}, load)
