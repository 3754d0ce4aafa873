"""Staff work in Debian's Chromium: signing in, uploading with visible progress (a real
worker), publishing, and withdrawing a notice, which takes its measure off the public
search page. Screenshots of each page in zh-hans and en land in var/screenshots/."""

from __future__ import annotations

import re
import sys
import time

import pytest

from documents.services import notice_ingest
from tests.conftest import SCREENSHOTS
from tests.policykb.test_faults import start, stop
from tests.processes import child_env
from tests.staff.conftest import NOTICE, docx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, user, lang: str = "en", *, password: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/{lang}/staff/")
    page.wait_for_url(re.compile(r"/staff/login/\?next="))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password or f"{user.username}-pass-123")
    page.locator("form.stack-form button[type=submit]").click()


def test_signing_in_and_out(live_server, page, screenshot, editor):
    sign_in(page, live_server.url, editor, "zh-hans", password="wrong-password")
    assert "用户名与密码不匹配" in page.locator("[role=alert]").inner_text()
    screenshot("staff-login-error-zh-hans")
    page.locator("#id_password").fill("erin-pass-123")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/zh-hans/staff/$"))
    assert page.locator("h1").inner_text() == "工作台"
    assert "erin" in page.locator(".staff-user").inner_text()
    screenshot("staff-dashboard-zh-hans")
    page.get_by_role("button", name="退出登录").click()
    assert page.locator("h1").inner_text() == "您已退出登录"
    page.goto(f"{live_server.url}/en/staff/uploads/")
    assert "/en/staff/login/" in page.url  # signed out: closed again
    screenshot("staff-login-en")


def test_an_editor_without_the_reviewer_role_sees_the_403_page(
    live_server, page, screenshot, editor
):
    sign_in(page, live_server.url, editor, "en")
    page.wait_for_url(re.compile(r"/en/staff/$"))
    response = page.goto(f"{live_server.url}/en/staff/agencies/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You cannot open this page"
    assert page.locator("header").evaluate("e => getComputedStyle(e).borderTopWidth") == "4px"
    screenshot("staff-403-en")


def test_an_upload_shows_its_progress_without_a_reload(
    live_server, page, screenshot, editor, agencies, tmp_path
):
    items = [f"支持企业开展第{i}项技术改造，给予资金补助。" for i in range(1, 2501)]
    long_file = tmp_path / "技术改造.docx"
    long_file.write_bytes(docx_bytes(["云泽市关于支持中小企业技术改造的若干措施"], numbered=items))
    short_file = tmp_path / "融资.txt"
    short_file.write_bytes(NOTICE.encode())
    sign_in(page, live_server.url, editor, "en")
    page.wait_for_url(re.compile(r"/en/staff/$"))
    page.goto(f"{live_server.url}/en/staff/uploads/")
    screenshot("staff-uploads-empty-en")
    page.locator("#id_files").set_input_files([str(long_file), str(short_file)])
    page.locator("#id_issued_on").fill("2024-05")
    worker = start([sys.executable, "manage.py", "qcluster"], child_env())
    try:
        page.get_by_role("button", name="Upload", exact=True).click()
        page.wait_for_url(re.compile(r"/en/staff/uploads/$"))
        assert "2 notice(s) queued" in page.locator(".messages").inner_text()
        page.evaluate("window.__noReload = true")  # gone if the page reloads
        row = page.locator("tr", has_text="技术改造.docx")
        seen, shot = set(), False
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            state = row.locator("[data-field=status]").inner_text()
            stage = row.locator("[data-field=stage]").inner_text()
            seen.add((state, stage))
            if state == "Running" and not shot:
                screenshot("staff-uploads-progress-en")
                shot = True
            if state not in ("Queued", "Running"):
                break
            time.sleep(0.1)
    finally:
        stop(worker)
    assert state == "Ingested", (state, seen)
    assert page.evaluate("window.__noReload === true"), "the page reloaded"
    assert any(s == "Running" and stage for s, stage in seen), seen  # a stage was shown
    assert row.locator("progress").evaluate("e => e.value") == 4
    assert (
        "云泽市关于支持中小企业技术改造的若干措施"
        in row.locator("[data-field=result]").inner_text()
    )
    other = page.locator("tr", has_text="融资.txt")
    other.locator("[data-field=status]", has_text="Ingested").wait_for(timeout=30_000)
    screenshot("staff-uploads-done-en")
    page.goto(f"{live_server.url}/zh-hans/staff/uploads/")
    assert (
        page.locator("tr", has_text="融资.txt").locator("[data-field=status]").inner_text()
        == "已导入"
    )
    screenshot("staff-uploads-done-zh-hans")


def test_publishing_then_withdrawing_takes_the_measure_off_the_public_search(
    live_server, page, browser, screenshot, reviewer, agencies
):
    draft = notice_ingest(data=NOTICE.encode(), name="draft.txt").document
    visitor = browser.new_context().new_page()

    def public_hits() -> list[str]:
        visitor.goto(f"{live_server.url}/en/search/?q=%E8%9E%8D%E8%B5%84%E6%8B%85%E4%BF%9D")
        return visitor.locator(".hit-title a").all_inner_texts()

    assert public_hits() == []
    sign_in(page, live_server.url, reviewer, "zh-hans")
    page.wait_for_url(re.compile(r"/zh-hans/staff/$"))
    page.goto(f"{live_server.url}/zh-hans/staff/documents/")
    row = page.locator(f"#doc-{draft.pk}")
    assert row.locator(".status").inner_text() == "草稿"
    screenshot("staff-documents-zh-hans")
    row.get_by_role("button", name="发布").click()
    page.wait_for_url(re.compile(r"/zh-hans/staff/documents/"))
    assert "现为已发布" in page.locator(".messages").inner_text()
    assert page.locator(f"#doc-{draft.pk} .status").inner_text() == "已发布"
    hits = public_hits()
    assert len(hits) == 1
    visitor.screenshot(path=str(SCREENSHOTS / "staff-published-search-en.png"), full_page=True)
    page.goto(f"{live_server.url}/en/staff/documents/")
    screenshot("staff-documents-en")
    page.locator(f"#doc-{draft.pk}").get_by_role("button", name="Withdraw").click()
    assert "is now withdrawn" in page.locator(".messages").inner_text()
    assert public_hits() == []
    page.goto(f"{live_server.url}/en/staff/archive/")
    assert page.locator(f"#doc-{draft.pk}").count() == 1
    screenshot("staff-archive-en")
    page.goto(f"{live_server.url}/zh-hans/staff/archive/")
    screenshot("staff-archive-zh-hans")
    visitor.context.close()
