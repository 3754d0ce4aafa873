"""Background tasks of measures (django-q2). Thin: call a service, log."""

import logging

from django.conf import settings

from measures.search import champions
from measures.search.match import Match

logger = logging.getLogger(__name__)


def champions_refresh() -> str:
    """The ten-minute schedule: hand a rebuild to a task that may run as long as it needs.

    Tasks are otherwise stopped after Q_TIMEOUT (so that a dead worker's upload is retried
    within Q_RETRY); a rebuild at a million measures takes a quarter of an hour. The ORM
    broker hands a long task out again after Q_RETRY while it runs: the second copy finds
    the build in progress and returns at once.
    """
    from django_q.tasks import async_task

    async_task("measures.tasks.champions_rebuild", timeout=settings.Q_LONG_TIMEOUT)
    return "queued"


def champions_rebuild() -> str:
    build = champions.champions_refresh()
    if build is None:
        return "current"
    logger.info("champion lists rebuilt: %s lexemes in %.1f s", build.lexemes, build.seconds)
    return f"{build.lexemes} lexemes"


def query_champions_build(build_id: int, own: str | None, exp: str | None, full: str,
                          strict: str | None = None, amt: str | None = None,
                          alts: list[str] | None = None) -> bool:  # fmt: skip
    match = Match(own, exp, full, strict=strict, amt=amt, alts=tuple(alts or ()))
    built = champions.query_champions_build(build_id=build_id, match=match)
    logger.info("champion list for the query %s: %s", full[:80], "built" if built else "not needed")
    return built


def counts_rebuild() -> str:
    """The daily schedule: recount every published measure (repairs any drift)."""
    from measures import counts

    measures = counts.counts_rebuild()
    logger.info("stored counts rebuilt: %s published measures", measures)
    return f"{measures} measures"
