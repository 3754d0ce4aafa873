"""Relevance evaluation: recall@10 and MRR of a query set over the seed notices."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from measures.models import Measure
from measures.search.service import measures_search
from policykb.chinese import to_simplified

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "search" / "relevance.json"


@dataclass
class CaseResult:
    query: str
    kind: str
    expected: int
    found: int
    first_rank: int | None
    missing: list[str] = field(default_factory=list)


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

    def by_kind(self) -> dict[str, tuple[int, float, float]]:
        groups: dict[str, list[CaseResult]] = defaultdict(list)
        for case in self.cases:
            groups[case.kind].append(case)
        return {kind: (len(cs), Report(cs).recall, Report(cs).mrr) for kind, cs in groups.items()}


def _resolve(expect: dict, by_seed: dict[str, list[tuple[int, str]]]) -> int | None:
    needle = to_simplified(expect["contains"]).lower()
    for measure_id, text in by_seed.get(expect["seed"], []):
        if needle in text:
            return measure_id
    return None


def evaluate(path: Path = DEFAULT_SET, k: int = 10) -> Report:
    cases = json.loads(path.read_text(encoding="utf-8"))
    by_seed: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for measure in Measure.objects.published().select_related("document").prefetch_related("texts"):
        seed = measure.document.source_name[:3]
        text = " ".join(f"{t.title} {t.text}" for t in measure.texts.all())
        by_seed[seed].append((measure.pk, to_simplified(text).lower()))
    results = []
    for case in cases:
        wanted = {e["contains"]: _resolve(e, by_seed) for e in case["expect"]}
        ranked = [
            h.measure.pk for h in measures_search(q=case["q"], page_size=k, with_facets=False).hits
        ]
        ranks = [ranked.index(m) + 1 for m in wanted.values() if m in ranked]
        results.append(
            CaseResult(
                query=case["q"],
                kind=case["kind"],
                expected=len(wanted),
                found=len(ranks),
                first_rank=min(ranks) if ranks else None,
                missing=[c for c, m in wanted.items() if m not in ranked],
            )
        )
    return Report(results)
