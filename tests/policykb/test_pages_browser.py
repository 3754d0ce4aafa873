"""The pages as a person sees them, in Debian's Chromium."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_language_switch_in_a_real_browser_keeps_the_page(live_server, page, screenshot):
    page.goto(f"{live_server.url}/zh-hant/documents/")
    assert page.locator("h1").inner_text() == "政策文件"
    header_border = page.locator("header").evaluate("e => getComputedStyle(e).borderBottomWidth")
    assert header_border == "3px", "the stylesheet did not load"
    screenshot("documents-zh-hant-empty")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/documents/$"))
    assert page.locator("h1").inner_text() == "Notices"


def test_chinese_renders_with_cjk_fonts_not_boxes(live_server, page, screenshot):
    page.goto(f"{live_server.url}/zh-hans/")
    heading = page.locator("h1")
    assert heading.inner_text() == "政府扶持中小企业的政策措施"
    # Without a CJK font Chromium draws every character as the same fallback box; with
    # one, different characters have different ink. Compare two single-glyph renderings.
    widths = page.evaluate(
        """() => {
            const c = document.createElement('canvas').getContext('2d');
            c.font = '32px sans-serif';
            const ink = ch => { c.clearRect(0,0,64,64); c.fillText(ch, 0, 40);
                const d = c.getImageData(0,0,64,64).data; let n = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; };
            return [ink('一'), ink('鑫')];
        }"""
    )
    assert widths[0] < widths[1], "CJK glyphs render as identical boxes: fonts missing"
    screenshot("home-zh-hans")
