"""The relevance sets over the seed notices (relevance/*.json).

The goal: recall@10 ≥ 0.95 and MRR ≥ 0.85 on each set and on each query kind with at
least 10 queries. The groups listed in SHORT do not reach it yet (README, "Search
relevance", says by how much and why): each is held to the floor it reached, so it cannot
slip back, and a strict xfail checks it against the goal, so the day it gets there this
file must be updated. Every other group must reach the goal.
"""

import pytest

from measures.search.evaluation import SETS, evaluate

pytestmark = pytest.mark.django_db

RECALL, MRR, PRECISION = 0.95, 0.85, 0.9
# (set, group) → (recall floor, MRR floor) measured on this commit's code, less 0.02 (the
# goal itself where the group reaches it); MRR counts a set's "also" answers
SHORT = {
    ("second", "kind near-synonym"): (0.95, 0.81),
    ("second", "kind question"): (0.95, 0.82),
    ("second", "kind researcher"): (0.90, 0.85),
}


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker):
    """Both sets evaluated once, over the seeds loaded in a transaction rolled back after."""
    from django.db import transaction

    from tests.conftest import FIXTURES, SEEDS

    with django_db_blocker.unblock(), transaction.atomic():
        from documents.services import agencies_load, notice_ingest_file
        from measures.services import glossary_load, phrasings_load, tags_load

        agencies_load(path=FIXTURES / "agencies.json")
        tags_load(path=FIXTURES / "tags.json")
        glossary_load(path=FIXTURES / "glossary.json")
        phrasings_load(path=FIXTURES / "phrasings.json")
        for path in sorted(SEEDS.glob("*.txt")):
            notice_ingest_file(path=path, publish=True)
        yield {name: evaluate(path) for name, path in SETS.items()}
        transaction.set_rollback(True)


def _groups(report):
    groups = {"all": report}
    groups |= {f"kind {k}": r for k, r in report.groups("kind").items() if len(r.cases) >= 10}
    return groups


def _misses(report) -> str:
    return "\n".join(
        f"{c.kind}: {c.query!r} rank {c.first_rank} missing {c.missing}"
        for c in report.cases
        if c.missing or (c.first_rank or 99) > 1
    )


@pytest.mark.parametrize("name", sorted(SETS))
def test_relevance_goal_on_each_set_and_kind(reports, name):
    report = reports[name]
    assert len(report.cases) >= (60 if name == "first" else 150)
    failing = {}
    for label, group in _groups(report).items():
        recall_floor, mrr_floor = SHORT.get((name, label), (RECALL, MRR))
        if group.recall < recall_floor or group.mrr < mrr_floor:
            failing[label] = (round(group.recall, 3), round(group.mrr, 3))
    assert not failing, f"{failing}\n{_misses(report)}"


@pytest.mark.parametrize("name,label", sorted(SHORT))
@pytest.mark.xfail(strict=True, reason="below the goal: see README, Search relevance")
def test_groups_short_of_the_goal_reach_it(reports, name, label):
    group = _groups(reports[name])[label]
    assert group.recall >= RECALL and group.mrr >= MRR


def test_precision_at_10_of_the_second_set(reports):
    report = reports["second"]
    assert len(report.precision_cases) >= 30
    intruders = [f"{c.query!r}: {c.intruders}" for c in report.precision_cases if c.intruders]
    assert report.precision >= PRECISION, "\n".join(intruders)


def test_the_sets_are_data_not_tests():
    assert all("tests" not in path.parts for path in SETS.values())
