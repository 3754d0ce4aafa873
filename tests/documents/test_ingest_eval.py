"""The ingestion corpus: notices nobody tuned the pipeline on, and what a curator answers."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from documents.evaluation import evaluate, load_corpus
from documents.services import agency_refs

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
# The thresholds of issue 9: exact splits, issuer and issue date.
THRESHOLDS = {"split": 0.90, "issuer": 0.95, "issued_on": 0.95}


def test_the_corpus_is_large_and_varied_enough():
    cases = load_corpus(CORPUS)
    assert len(cases) >= 24
    suffixes = {c.path.suffix for c in cases}
    assert {".txt", ".html"} <= suffixes
    assert any(c.gold.get("co_issuers") for c in cases)


def test_ingestion_meets_the_thresholds_on_the_whole_corpus(agencies):
    report = evaluate(load_corpus(CORPUS), agencies=agency_refs())
    assert not report.failed
    below = {
        name: f"{report.right[name]}/{report.checked[name]}"
        for name, threshold in THRESHOLDS.items()
        if report.share(name) < threshold
    }
    misses = [m for m in report.misses if m.field in THRESHOLDS]
    assert not below, f"below the thresholds: {below}; misses: {misses}"


def test_the_command_prints_figures_per_field_and_the_misses(agencies, tmp_path):
    notice = tmp_path / "a.txt"
    notice.write_text(
        "澜溪市商务局关于外贸的通知\n1.补贴展位费。\n2.补贴保费。\n", encoding="utf-8"
    )
    (tmp_path / "a.gold.json").write_text(
        '{"issuer": "澜溪市商务局", "agency": "new", "issued_on": "2024-03-18",'
        ' "measures": [{"first": "补贴展位费"}, {"first": "补贴保费"}]}',
        encoding="utf-8",
    )
    out = StringIO()
    call_command("ingest_eval", str(tmp_path), stdout=out, stderr=StringIO())
    printed = out.getvalue()
    assert "1 notices" in printed
    assert "split           1/1" in printed and "issuer          1/1" in printed
    assert "issued_on       0/1" in printed
    assert "[issued_on]: expected '2024-03-18', got None" in printed


def test_the_command_refuses_a_missing_folder_and_a_bad_gold_file(agencies, tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("ingest_eval", str(tmp_path / "missing"), stdout=StringIO())
    (tmp_path / "b.txt").write_text("1.一项。\n2.两项。", encoding="utf-8")
    (tmp_path / "b.gold.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("ingest_eval", str(tmp_path), stdout=StringIO())


@pytest.mark.parametrize(
    ("gold", "error"),
    [
        ("[1, 2]", "must be a JSON object"),
        ('{"measures": [{"contains": "x"}]}', "must be an object with"),
        ('{"issued_on": 20240318}', "YYYY-MM-DD"),
    ],
)
def test_a_malformed_gold_answer_is_refused_with_its_file_named(tmp_path, gold, error):
    (tmp_path / "c.txt").write_text("1.一项。\n2.两项。", encoding="utf-8")
    (tmp_path / "c.gold.json").write_text(gold, encoding="utf-8")
    with pytest.raises(CommandError, match=f"c.gold.json.*{error}"):
        call_command("ingest_eval", str(tmp_path), stdout=StringIO(), stderr=StringIO())
