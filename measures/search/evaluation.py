"""Relevance evaluation: recall@10, MRR and precision@10 of query sets over the seed notices.

The sets live in relevance/ (data, not tests): first.json, the original set, and
second.json, queries written from users' point of view (owners' words, questions in both
scripts, amounts, researchers' terms …), tagged by kind and script. A case may list
measures that must NOT be in the top 10 ("not"); precision@10 is the share of those kept
out. It may also list measures that answer it as well as the expected ones ("also"):
found by pooling (judging, text only, the measures a search ranked above the expected
one); they count for MRR (the rank of the first right answer), not for recall.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from measures.models import Measure
from measures.search.service import measures_search
from policykb.chinese import to_simplified

SETS_DIR = Path(settings.BASE_DIR) / "relevance"
SETS = {"first": SETS_DIR / "first.json", "second": SETS_DIR / "second.json"}
DEFAULT_SET = SETS["first"]


@dataclass
class CaseResult:
    query: str
    kind: str
    script: str
    expected: int
    found: int
    first_rank: int | None  # of the first expected or "also" measure
    missing: list[str] = field(default_factory=list)
    banned: int = 0  # must-not measures listed for the query
    intruders: list[str] = field(default_factory=list)  # of those, found in the top 10


@dataclass
class Report:
    cases: list[CaseResult]

    @property
    def recall(self) -> float:
        """Share of expected measures found in the top 10, averaged over queries."""
        return sum(c.found / c.expected for c in self.cases) / len(self.cases)

    @property
    def mrr(self) -> float:
        return sum(1 / c.first_rank if c.first_rank else 0 for c in self.cases) / len(self.cases)

    @property
    def precision_cases(self) -> list[CaseResult]:
        return [c for c in self.cases if c.banned]

    @property
    def precision(self) -> float | None:
        """Share of must-not measures kept out of the top 10, averaged over those queries."""
        cases = self.precision_cases
        if not cases:
            return None
        return sum(1 - len(c.intruders) / c.banned for c in cases) / len(cases)

    def groups(self, attribute: str) -> dict[str, Report]:
        grouped: dict[str, list[CaseResult]] = defaultdict(list)
        for case in self.cases:
            grouped[getattr(case, attribute)].append(case)
        return {name: Report(cases) for name, cases in sorted(grouped.items())}

    def by_kind(self) -> dict[str, tuple[int, float, float]]:
        return {k: (len(r.cases), r.recall, r.mrr) for k, r in self.groups("kind").items()}


def _resolve(expect: dict, by_seed: dict[str, list[tuple[int, str]]]) -> int | None:
    needle = to_simplified(expect["contains"]).lower()
    for measure_id, text in by_seed.get(expect["seed"], []):
        if needle in text:
            return measure_id
    return None


def evaluate(path: Path = DEFAULT_SET, k: int = 10) -> Report:
    cases = json.loads(Path(path).read_text(encoding="utf-8"))
    by_seed: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for measure in Measure.objects.published().select_related("document").prefetch_related("texts"):
        seed = measure.document.source_name[:3]
        text = " ".join(f"{t.title} {t.text}" for t in measure.texts.all())
        by_seed[seed].append((measure.pk, to_simplified(text).lower()))
    results = []
    for case in cases:
        wanted = {e["contains"]: _resolve(e, by_seed) for e in case["expect"]}
        banned = {e["contains"]: _resolve(e, by_seed) for e in case.get("not", [])}
        right = set(wanted.values()) | {_resolve(e, by_seed) for e in case.get("also", [])}
        ranked = [
            h.measure.pk for h in measures_search(q=case["q"], page_size=k, with_facets=False).hits
        ]
        ranks = [ranked.index(m) + 1 for m in wanted.values() if m in ranked]
        right_ranks = [rank for rank, m in enumerate(ranked, 1) if m in right]
        results.append(
            CaseResult(
                query=case["q"],
                kind=case["kind"],
                script=case.get("script", ""),
                expected=len(wanted),
                found=len(ranks),
                first_rank=min(right_ranks) if right_ranks else None,
                missing=[c for c, m in wanted.items() if m not in ranked],
                banned=len(banned),
                intruders=[c for c, m in banned.items() if m is not None and m in ranked],
            )
        )
    return Report(results)
