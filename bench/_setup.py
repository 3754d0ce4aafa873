"""Shared start of the benchmarks: the project on sys.path and a database of their own."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def use_own_database(suffix: str) -> None:
    """Point Django at `policykb_<suffix>` (embedded) or DATABASE_URL's name + `_<suffix>`.

    Benchmarks fill and empty their database; the site's data is never touched.
    """
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policykb.settings")
    if url := os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"{url.rstrip('/')}_{suffix}"
    else:
        os.environ["POLICYKB_DB_NAME"] = f"policykb_{suffix}"
