"""Staff pages speak the interface language (content carries its lang), pass the HTML
checks of the public pages, and show what to do when a list is empty."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from documents.services import document_publish, document_withdraw, upload_create, upload_process
from tests.policykb.test_pages import interface_text

pytestmark = pytest.mark.django_db

# Names of file formats and the brand stay as they are in every language.
PROPER = {"PolicyKB", "Policy", "HTML", "Word", "PDF", "docx", "txt", "html", "pdf", "API"}


@pytest.fixture
def busy(draft, agencies, site_admin):
    """Something on every staff page: a withdrawn and a draft notice, two uploads."""
    from documents.services import notice_ingest
    from tests.staff.conftest import NOTICE

    other = notice_ingest(data=NOTICE.replace("1000万元", "50万元").encode(), name="b.txt",
                          sidecar={"notice_key": "other"}).document  # fmt: skip
    document_publish(document=other)
    document_withdraw(document=other)
    upload_process(upload=upload_create(data=NOTICE.encode(), name="ok.txt"))
    upload_process(upload=upload_create(data=b"\x01\x02" * 400, name="bad.txt"))
    registered = notice_ingest(data="云泽市中小企业服务局关于支持小微企业的通知\n一、设立资金。\n二、减免租金。\n".encode(),
                               name="y.txt").document  # fmt: skip
    return registered.agency


def staff_paths(agency) -> list[str]:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return _paths(agency)


def _paths(agency) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        reverse("staff:dashboard"), reverse("staff:documents"), reverse("staff:archive"),
        reverse("staff:uploads"), reverse("staff:agencies"), reverse("staff:agency", args=[agency.pk]),
        reverse("staff:agencies") + "?all=1", reverse("staff:documents") + "?q=nothing-like-this",
    ]  # fmt: skip


def in_lang(path: str, lang: str) -> str:
    return re.sub(r"^/en/", f"/{lang}/", path)


@pytest.mark.parametrize("lang", ("zh-hans", "zh-hant"))
def test_staff_pages_in_chinese_have_no_english_words(client, busy, site_admin, lang):
    client.force_login(site_admin)
    for path in staff_paths(busy):
        response = client.get(in_lang(path, lang))
        assert response.status_code == 200, path
        words = set(re.findall(r"\b[A-Za-z]{3,}\b", interface_text(response))) - PROPER
        assert not words, (path, sorted(words)[:20])
    client.logout()
    words = set(
        re.findall(r"\b[A-Za-z]{3,}\b", interface_text(client.get(f"/{lang}/staff/login/")))
    )
    assert not words - PROPER


def test_staff_pages_in_english_have_no_chinese_labels(client, busy, site_admin):
    client.force_login(site_admin)
    for path in staff_paths(busy):
        text = interface_text(client.get(path)).replace("简体中文", "").replace("繁體中文", "")
        assert not re.search(r"[\u4e00-\u9fff]", text), (
            path,
            re.findall(r".{20}[\u4e00-\u9fff]+.{20}", text)[:3],
        )


def test_staff_pages_are_valid_html(client, busy, site_admin, tmp_path):
    import json
    import subprocess

    from tests.policykb.test_html_valid import VNU

    client.force_login(site_admin)
    pages = {f"staff-{i}": client.get(path).content for i, path in enumerate(staff_paths(busy))}
    client.logout()
    pages["login"] = client.get("/zh-hans/staff/login/").content
    files = []
    for name, content in pages.items():
        (tmp_path / f"{name}.html").write_bytes(content)
        files.append(str(tmp_path / f"{name}.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error"]  # fmt: skip
    assert not errors, "\n".join(errors[:30])


def test_the_staff_lists_say_what_to_do_when_empty(client, site_admin):
    client.force_login(site_admin)
    translation.activate("en")
    assert "Nothing has been withdrawn" in client.get(reverse("staff:archive")).content.decode()
    assert "No issuing body needs review" in client.get(reverse("staff:agencies")).content.decode()
    assert "Upload notices to start" in client.get(reverse("staff:documents")).content.decode()
