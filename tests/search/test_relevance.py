"""The relevance test set over the seed notices: the suite fails below recall@10 0.9."""

import pytest

from measures.search.evaluation import evaluate

pytestmark = pytest.mark.django_db


def test_relevance_set_reaches_recall_at_10_of_0_9(seeds):
    report = evaluate()
    misses = [f"{c.query!r}: {c.missing}" for c in report.cases if c.missing]
    assert len(report.cases) >= 60
    assert report.recall >= 0.9, "\n".join(misses)
    assert report.mrr >= 0.7, "\n".join(misses)
