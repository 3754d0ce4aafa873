"""The pages as a person sees them, in Debian's Chromium."""

import re

import pytest

from tests.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_language_switch_in_a_real_browser_keeps_the_page(live_server, page, screenshot):
    page.goto(f"{live_server.url}/zh-hant/documents/")
    assert page.locator("h1").inner_text() == "政策文件"
    header_border = page.locator("header").evaluate("e => getComputedStyle(e).borderTopWidth")
    assert header_border == "4px", "the stylesheet did not load"
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


# ---- the tasks a visitor does, in Debian's Chromium --------------------------------


def search_from_home(page, base: str, lang: str, words: str) -> None:
    page.goto(f"{base}/{lang}/")
    page.locator("#q").fill(words)
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def hit_titles(page) -> list[str]:
    return page.locator(".hit-title a").all_inner_texts()


def test_searching_in_simplified_then_traditional_finds_the_same_measures(
    live_server, page, seeds, screenshot
):
    search_from_home(page, live_server.url, "zh-hans", "融资担保")
    simplified = hit_titles(page)
    assert simplified
    assert page.locator(".snippet mark").first.inner_text() == "融资担保"
    assert page.locator("#q").input_value() == "融资担保"
    screenshot("search-zh-hans")
    search_from_home(page, live_server.url, "zh-hant", "融資擔保")
    traditional = hit_titles(page)
    assert len(traditional) == len(simplified)
    assert page.locator(".snippet mark").first.inner_text() == "融資擔保"  # shown in Traditional
    screenshot("search-zh-hant")


def test_an_english_search_finds_a_chinese_measure_and_opens_it(
    live_server, page, seeds, screenshot
):
    search_from_home(page, live_server.url, "en", "financing guarantee")
    screenshot("search-en")
    chinese = page.locator(".hit-title a[lang^='zh']").first
    title = chinese.inner_text()
    chinese.click()
    page.wait_for_url(re.compile(r"/en/measures/\d+/$"))
    assert title in page.locator("h1").inner_text()
    assert "available in Chinese only" in page.locator("main").inner_text()
    screenshot("measure-en")
    # The same measure in Traditional Chinese.
    page.get_by_role("link", name="繁體中文").click()
    page.wait_for_url(re.compile(r"/zh-hant/measures/\d+/$"))
    assert "發文機關" in page.locator("main").inner_text()
    screenshot("measure-zh-hant")
    # "View in the notice" opens the document at this measure, highlighted.
    page.locator("a.source").click()
    page.wait_for_url(re.compile(r"/zh-hant/documents/\d+/#m-\d+$"))
    target = page.locator(".measure-passage:target")
    assert target.count() == 1
    assert target.evaluate("e => getComputedStyle(e).borderTopWidth") == "2px"
    screenshot("document-zh-hant")


def test_a_facet_filter_is_added_then_removed(live_server, page, seeds):
    search_from_home(page, live_server.url, "en", "enterprises")
    before = page.locator(".count").inner_text()
    year = page.locator("details.facet", has_text="Year").locator("a").first
    label = year.inner_text()
    if not page.locator("details.facet", has_text="Year").get_attribute("open"):
        page.locator("details.facet summary", has_text="Year").click()
    year.click()
    page.wait_for_url(re.compile(rf"year={label}"))
    assert page.locator(".chip").inner_text().startswith(f"Year: {label}")
    assert page.locator(".count").inner_text() != before
    page.locator(".chip").click()
    page.wait_for_load_state()
    assert page.locator(".chip").count() == 0
    assert page.locator(".count").inner_text() == before


def test_sorting_by_date_and_paging(live_server, page, seeds, screenshot):
    search_from_home(page, live_server.url, "en", "enterprises")
    page.get_by_role("link", name="Newest first").click()
    page.wait_for_url(re.compile(r"sort=-date"))
    years = [
        int(y)
        for y in re.findall(r"\b(20\d\d)\b", " ".join(page.locator(".hit-meta").all_inner_texts()))
    ]
    assert years == sorted(years, reverse=True)
    first_page = hit_titles(page)
    page.locator(".pager").get_by_role("link", name="2", exact=True).click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "sort=-date" in page.url
    assert page.locator(".pager .current").inner_text() == "2"
    assert not set(hit_titles(page)) & set(first_page)
    screenshot("search-en-page-2")


def test_the_empty_results_page_says_what_to_try(live_server, page, seeds, screenshot):
    search_from_home(page, live_server.url, "zh-hans", "量子计算机")
    text = page.locator("main").inner_text()
    assert "没有与" in text and "可以尝试" in text
    screenshot("search-empty-zh-hans")


def test_a_phone_width_page_has_no_sideways_scroll(live_server, browser, seeds):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone = context.new_page()
    measure = seeds["004"].measures.get(number=10)
    for path in ("/zh-hans/", "/zh-hans/search/?q=融资", f"/en/measures/{measure.pk}/",
                 f"/zh-hant/documents/{measure.document_id}/", "/en/agencies/"):  # fmt: skip
        phone.goto(f"{live_server.url}{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    phone.goto(f"{live_server.url}/zh-hans/search/?q=融资")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "search-phone-zh-hans.png"), full_page=True)
    context.close()


def test_keyboard_focus_is_visible_and_the_skip_link_works(live_server, page, seeds):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    assert skip.bounding_box()["y"] >= 0  # it comes into view
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_latin_text_is_drawn_with_a_latin_face(live_server, page, seeds):
    measure = seeds["000"].measures.get(number=1)
    page.goto(f"{live_server.url}/zh-hans/measures/{measure.pk}/")
    english = page.locator(".text-version[lang='en']").first
    family = english.evaluate("e => getComputedStyle(e).fontFamily")
    assert not family.startswith('"Noto Sans CJK'), family
