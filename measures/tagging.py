"""Tagging measures with target groups, topics and support types by keyword."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from measures.sizeclass import size_tag_slugs
from policykb.chinese import to_simplified


@dataclass(frozen=True)
class TagRule:
    slug: str
    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]
    tag_id: int | None = None
    names: str = ""  # both names, indexed with the measures the tag applies to


def matching_tags(text: str, rules: Iterable[TagRule]) -> list[str]:
    """Slugs of the rules whose keywords occur in `text` (Simplified, case-insensitive)."""
    simplified = to_simplified(text)
    lowered = simplified.lower()
    found = []
    for rule in rules:
        if any(k in simplified for k in rule.keywords_zh) or any(
            k in lowered for k in rule.keywords_en
        ):
            found.append(rule.slug)
    # Size classes follow a rule on how a text names sizes, not keywords.
    known = {rule.slug for rule in rules}
    found.extend(slug for slug in size_tag_slugs(simplified) if slug in known and slug not in found)
    return found
