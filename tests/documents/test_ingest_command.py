"""python manage.py ingest: files and folders in, a summary or JSON out, honest exit codes."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from documents.models import Document
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


def test_json_output_describes_each_file(agencies, tags):
    code, out, _ = run(str(SEEDS / "001_5c6d6f51adc04f3c.txt"), "--json")
    assert code == 0
    [result] = json.loads(out)
    assert result["status"] == "ingested" and result["error"] is None
    assert result["document"]["agency"] == {
        "key": "miit",
        "name_zh": "工业和信息化部",
        "name_en": "Ministry of Industry and Information Technology",
        "as_written": "Ministry of industry and information technology",
        "created": False,
        "needs_review": False,
    }
    assert result["document"]["co_issuers"] == []
    assert result["document"]["issued_on"] == "2020-02-09"
    assert result["document"]["announced_measures"] == 20
    assert len(result["measures"]) == 18
    assert result["measures"][8]["title"].startswith("Strengthen financing guarantee")
    assert any("20" in w for w in result["warnings"])


def test_a_folder_is_ingested_and_a_second_run_is_unchanged(agencies, tmp_path):
    for path in SEEDS.glob("00[01]*"):
        shutil.copy(path, tmp_path / path.name)
    code, out, _ = run(str(tmp_path), "--json")
    assert code == 0 and [r["status"] for r in json.loads(out)] == ["ingested", "ingested"]
    code, out, _ = run(str(tmp_path), "--json")
    assert [r["status"] for r in json.loads(out)] == ["unchanged", "unchanged"]
    assert Document.objects.count() == 2


def test_one_bad_file_fails_the_run_but_the_others_are_ingested(agencies, tmp_path):
    (tmp_path / "a-good.txt").write_text("关于支持小微企业的通知\n1.减免房租。\n2.缓缴社保费。\n")
    (tmp_path / "b-bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, out, err = run(str(tmp_path), str(tmp_path / "missing.txt"))
    assert code == 1
    assert "a-good.txt: ingested" in out
    assert "b-bad.txt" in out and "missing.txt: no such file" in out
    assert "1 ingested or unchanged, 2 failed" in err
    assert Document.objects.count() == 1


def test_summary_shows_the_incomplete_warning(agencies):
    code, out, _ = run(str(SEEDS / "001_5c6d6f51adc04f3c.txt"))
    assert code == 0
    assert "18 measures of 20 announced" in out
    assert "! announces 20 measures, 18 found" in out


def test_a_bad_sidecar_fails_its_file_with_a_clear_error_and_the_run_goes_on(agencies, tmp_path):
    (tmp_path / "a.txt").write_text("关于支持小微企业的通知\n1.减免房租。\n2.缓缴社保费。\n")
    (tmp_path / "a.meta.json").write_text('{"source_url": "not a url", "announced_measures": 2}')
    (tmp_path / "b.txt").write_text("关于稳岗的通知\n1.发放稳岗补贴。\n2.开展技能培训。\n")
    (tmp_path / "c.txt").write_text("关于融资的通知\n1.扩大融资担保。\n")
    (tmp_path / "c.meta.json").write_text('{"announced_measures": "many"}')
    code, out, err = run(str(tmp_path))
    assert code == 1
    assert "a.txt: source_url" in out and "c.txt" in out
    assert "b.txt: ingested" in out
    assert Document.objects.count() == 1
