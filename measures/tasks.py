"""Background tasks of measures (django-q2). Thin: call a service, log."""

import logging

from measures.search import champions
from measures.search.match import Match

logger = logging.getLogger(__name__)


def champions_refresh() -> str:
    build = champions.champions_refresh()
    if build is None:
        return "current"
    logger.info("champion lists rebuilt: %s lexemes in %.1f s", build.lexemes, build.seconds)
    return f"{build.lexemes} lexemes"


def query_champions_build(build_id: int, own: str | None, exp: str | None, full: str) -> bool:
    built = champions.query_champions_build(build_id=build_id, match=Match(own, exp, full))
    logger.info("champion list for the query %s: %s", full[:80], "built" if built else "not needed")
    return built
