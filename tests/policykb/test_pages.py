"""The public pages as a visitor reads them, on the seed notices (Django's test client)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from documents.models import Agency, Document
from measures.models import Measure

pytestmark = pytest.mark.django_db

LANGS = ("en", "zh-hans", "zh-hant")


def text_of(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", body, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def interface_text(response) -> str:
    """What the page says in its own words: content (marked with lang) left out."""
    body = response.content.decode()
    body = body.split("<body", 1)[1]
    # Drop elements that carry content in another language, and the language switch.
    body = re.sub(r'<nav class="lang-switch".*?</nav>', "", body, flags=re.S)
    for _ in range(3):
        body = re.sub(r'<(\w+)[^>]*\slang="[^"]+"[^>]*>.*?</\1>', "", body, flags=re.S)
    body = re.sub(r"<textarea.*?</textarea>|<pre.*?</pre>|<mark>.*?</mark>|<bdi.*?</bdi>", "", body,
                  flags=re.S)  # fmt: skip
    return re.sub(r"https?://\S+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def measure_of(seeds, seed: str, number: int) -> Measure:
    return seeds[seed].measures.get(number=number)


# ---- search ---------------------------------------------------------------------


def test_search_in_simplified_finds_the_measure_and_marks_the_words(client, seeds):
    response = client.get("/zh-hans/search/", {"q": "融资担保"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>融资担保</mark>" in body
    assert 'value="融资担保"' in body  # the query stays in the box
    assert "条措施" in text_of(response)


def test_the_same_search_in_traditional_finds_the_same_measures(client, seeds):
    simplified = client.get("/zh-hans/search/", {"q": "融资担保"}).context["page"]
    traditional = client.get("/zh-hant/search/", {"q": "融資擔保"}).context["page"]
    assert [h.measure.pk for h in traditional.hits] == [h.measure.pk for h in simplified.hits]
    assert traditional.hits


def test_an_english_search_finds_a_chinese_measure_and_says_why(client, seeds):
    response = client.get("/en/search/", {"q": "financing guarantee"})
    hits = response.context["page"].hits
    assert any(h.language == "zh" for h in hits)
    assert "Matched through a glossary translation of your words" in text_of(response)


def test_facet_links_add_a_filter_and_chips_remove_it(client, seeds):
    response = client.get("/en/search/", {"q": "enterprises"})
    groups = {g.key: g for g in response.context["facet_groups"]}
    year = groups["year"].links[0]
    filtered = client.get(year.url)
    page = filtered.context["page"]
    assert page.count == year.count
    assert {h.measure.year for h in page.hits} == {int(year.label)}
    (chip,) = filtered.context["active_filters"]
    assert chip.label == f"Year: {year.label}"
    back = client.get(chip.url)
    assert back.context["page"].count == response.context["page"].count


def test_two_tag_filters_stack_and_come_off_one_by_one(client, seeds):
    response = client.get("/en/search/", {"tag": ["sme", "finance"]})
    page = response.context["page"]
    assert page.hits
    for hit in page.hits:
        assert {"sme", "finance"} <= {t.slug for t in hit.measure.tags.all()}
    chips = response.context["active_filters"]
    assert len(chips) == 2
    one_left = client.get(chips[0].url)
    assert len(one_left.context["active_filters"]) == 1
    assert one_left.context["page"].count > page.count


def test_sort_by_date_puts_the_newest_first(client, seeds):
    response = client.get("/en/search/", {"q": "enterprises", "sort": "-date"})
    dates = [h.measure.issued_on for h in response.context["page"].hits]
    assert dates == sorted(dates, reverse=True)
    assert '<strong aria-current="true">Newest first</strong>' in response.content.decode()


def test_pages_are_numbered_and_lead_to_the_next_results(client, seeds):
    first = client.get("/en/search/", {"q": "enterprises", "page_size": 5})
    numbers = [link.label for link in first.context["pages"] if link]
    assert numbers[:2] == ["1", "2"]
    second = client.get(first.context["results"].next_url)
    assert second.context["page"].page == 2
    assert not {h.measure.pk for h in first.context["page"].hits} & {
        h.measure.pk for h in second.context["page"].hits
    }


def test_no_results_page_says_what_to_try(client, seeds):
    # Misspelt words: no measure holds any of them, so no partial results either.
    response = client.get("/en/search/", {"q": "guarantes for spaceshipz"})
    text = text_of(response)
    assert "No measure matches" in text
    assert "Use fewer words" in text
    assert "other language or script" in text
    assert any("guarantee" in s for s in response.context["suggestions"])


def test_no_results_in_chinese_speaks_chinese(client, seeds):
    text = text_of(client.get("/zh-hans/search/", {"q": "量子计算机"}))
    assert re.search(r"没有与“\s*量子计算机\s*”匹配的措施", text)
    assert "可以尝试" in text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00融资"},
        {"q": "a" * 5000},
        {"q": "融资 & | ! : * ' ( ) <->"},
        {"year": "twenty"},
        {"year": "99999"},
        {"page": "-3"},
        {"page": "abc"},
        {"level": "planet"},
        {"tag": "<script>"},
        {"agency": "no-such-body"},
        {"sort": "sideways"},
        {"lang": "fr", "q": "融资"},
    ],
)
def test_any_query_string_gives_a_page_not_an_error(client, seeds, params):
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</head>", 1)[1].replace(
        "<script", "&lt;script"
    )


def test_bytes_that_are_not_utf8_give_a_page(client, seeds):
    for raw in ("%ED%A0%80", "%FF%FE", "%C3"):  # a lone surrogate, junk, a cut character
        assert client.get(f"/en/search/?q={raw}&region={raw}").status_code == 200


def test_an_unusable_parameter_is_named_on_the_page(client, seeds):
    response = client.get("/en/search/", {"q": "financing", "year": "twenty"})
    assert response.context["page"].hits  # the search still ran
    assert "ignored: year" in text_of(response)


def test_an_estimated_count_is_written_as_an_estimate(client, seeds, settings):
    settings.SEARCH_SAMPLE_MODULUS = 1
    settings.SEARCH_EXACT_LIMIT = 5  # every broad word now takes the estimated path
    from measures.indexing import sample_rebuild
    from measures.search.champions import champions_build

    sample_rebuild()
    champions_build(min_df=2, depth=100)
    en = client.get("/en/search/", {"q": "enterprises"})
    assert en.context["page"].estimated
    assert re.search(r"about [\d,]+ measures", text_of(en))
    zh = client.get("/zh-hans/search/", {"q": "企业"})
    assert re.search(r"约[\d.万]+条措施", text_of(zh))


# ---- measure page ----------------------------------------------------------------


def test_measure_page_shows_where_it_comes_from(client, seeds):
    measure = measure_of(seeds, "001", 3)
    text = text_of(client.get(f"/en/measures/{measure.pk}/"))
    assert "Ministry of Industry and Information Technology" in text
    assert "9 February 2020" in text
    assert "Validity not stated" in text
    assert "Measure 3" in text
    assert "Original text" in text


def test_measure_page_of_a_chinese_only_measure_says_so_in_english(client, seeds):
    measure = measure_of(seeds, "004", 10)
    response = client.get(f"/en/measures/{measure.pk}/")
    text = text_of(response)
    assert "available in Chinese only" in text
    assert "Qingdao" in text  # English metadata
    assert "Quantitative targets" in text
    assert re.search(r"120\s*亿元", text)


def test_measure_page_links_tags_to_the_filtered_search(client, seeds):
    measure = measure_of(seeds, "004", 10)
    body = client.get(f"/en/measures/{measure.pk}/").content.decode()
    for tag in measure.tags.all():
        assert f'/en/search/?tag={tag.slug}"' in body


def test_measure_page_links_its_neighbours_and_its_place_in_the_notice(client, seeds):
    measure = measure_of(seeds, "004", 10)
    body = client.get(f"/zh-hans/measures/{measure.pk}/").content.decode()
    previous, following = (measure_of(seeds, "004", n) for n in (9, 11))
    assert f'href="/zh-hans/measures/{previous.pk}/"' in body
    assert f'href="/zh-hans/measures/{following.pk}/"' in body
    assert f'href="/zh-hans/documents/{measure.document_id}/#m-10"' in body


def test_a_traditional_page_shows_simplified_content_in_traditional(client, seeds):
    measure = measure_of(seeds, "004", 10)
    text = text_of(client.get(f"/zh-hant/measures/{measure.pk}/"))
    assert "融資擔保" in text
    assert "融资担保" not in text


def test_a_simplified_page_shows_traditional_content_in_simplified(client, seeds):
    measure = seeds["002"].measures.order_by("number").first()
    text = text_of(client.get(f"/zh-hans/measures/{measure.pk}/"))
    assert "企业" in text and "企業" not in text


def test_citation_names_agency_notice_number_and_link(client, seeds):
    measure = measure_of(seeds, "004", 10)
    citation = client.get(f"/zh-hans/measures/{measure.pk}/").context["citation"]
    assert citation.startswith("青岛市")
    assert "第10条" in citation
    assert citation.endswith(f"/zh-hans/measures/{measure.pk}/")


def test_related_measures_come_from_other_bodies_grouped_by_level(client, seeds):
    measure = measure_of(seeds, "001", 3)
    related = client.get(f"/en/measures/{measure.pk}/").context["related"]
    others = [m for _level, items in related for m in items]
    assert others, "a national measure on financing should show local ones"
    assert all(m.agency_id != measure.agency_id for m in others)
    for label, items in related:
        assert {str(m.get_level_display()) for m in items} <= {str(label)}


def test_a_draft_measure_is_not_found(client, agencies, tags, glossary):
    from documents.services import notice_ingest

    outcome = notice_ingest(data="1.支持企业融资。\n2.减免房租。".encode(), name="draft.txt")
    measure = outcome.document.measures.first()
    assert client.get(f"/en/measures/{measure.pk}/").status_code == 404
    assert client.get(f"/en/documents/{outcome.document.pk}/").status_code == 404


# ---- document page ---------------------------------------------------------------


def test_document_page_has_the_policy_library_fields(client, seeds):
    text = text_of(client.get(f"/zh-hans/documents/{seeds['004'].pk}/"))
    for field in ("发文机关", "发文字号", "成文日期", "发布日期", "主题分类", "公文种类", "有效性"):
        assert field in text


def test_document_page_anchors_every_measure_and_keeps_the_raw_text(client, seeds):
    document = seeds["004"]
    body = client.get(f"/en/documents/{document.pk}/").content.decode()
    for number in range(1, document.found_measures + 1):
        assert f'id="m-{number}"' in body
        assert f'href="#m-{number}"' in body  # table of contents
    assert '<details class="raw">' in body


def test_an_incomplete_notice_says_how_many_measures_are_missing(client, seeds):
    text = text_of(client.get(f"/en/documents/{seeds['001'].pk}/"))
    assert "18 of 20 announced measures found" in text


def test_english_pages_prefer_a_curated_english_title(client, seeds):
    document = seeds["004"]
    assert document.title_en and document.title_zh
    body = client.get("/en/documents/").content.decode()
    assert document.title_en in unescape(body)
    zh = client.get("/zh-hans/documents/").content.decode()
    assert document.title_zh in unescape(zh)


# ---- agencies --------------------------------------------------------------------


def test_agency_directory_groups_by_level(client, seeds):
    text = text_of(client.get("/en/agencies/"))
    assert text.index("National") < text.index("Provincial") < text.index("Municipal")
    assert "Ministry of Industry and Information Technology" in text


def test_agency_page_lists_documents_by_year_and_links_to_search(client, seeds):
    agency = seeds["004"].agency
    response = client.get(f"/zh-hans/agencies/{agency.key}/")
    body = response.content.decode()
    assert f"/zh-hans/search/?agency={agency.key}" in body
    assert [year for year, _docs in response.context["by_year"]] == sorted(
        {d.issued_on.year for d in Document.objects.published().filter(agency=agency)},
        reverse=True,
    )
    assert agency.name_zh in text_of(response)


def test_an_agency_without_published_notices_is_not_in_the_directory(client, seeds):
    # neither lead issuer nor co-issuer of a published notice
    quiet = (
        Agency.objects.exclude(documents__status="published")
        .exclude(co_issuer_links__document__status="published")
        .first()
    )
    assert quiet.name_en not in text_of(client.get("/en/agencies/"))


# ---- everything a finished site has ---------------------------------------------


PAGES = ("/{lang}/", "/{lang}/search/?q=%E8%9E%8D%E8%B5%84", "/{lang}/documents/",
         "/{lang}/agencies/")  # fmt: skip


# The pages of issue 11: years, the matrix, the matcher with a result, about the data.
BROWSE_PAGES = ("/{lang}/years/", "/{lang}/years/2020/", "/{lang}/about/data/",
                "/{lang}/match/?province=Shandong&city=Qingdao&industry=industry&employees=80"
                "&revenue=5000&recognitions=specialised-sme&needs=finance")  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_title_description_canonical_and_alternates(client, seeds, lang):
    measure = measure_of(seeds, "004", 10)
    titles = set()
    for path in (
        *PAGES,
        f"/{{lang}}/measures/{measure.pk}/",
        f"/{{lang}}/documents/{measure.document_id}/",
    ):
        body = client.get(path.format(lang=lang)).content.decode()
        title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
        titles.add(title)
        assert re.search(r'<meta name="description" content="[^"]{20,}">', body)
        assert '<link rel="canonical" href="http://testserver/' in body
        for hreflang in ("en", "zh-Hans", "zh-Hant", "x-default"):
            assert f'hreflang="{hreflang}"' in body
        assert 'rel="icon"' in body
        assert 'class="skip-link" href="#main"' in body
    assert len(titles) == 6  # every page type has its own title


@pytest.mark.parametrize("lang", ("zh-hans", "zh-hant"))
def test_the_chinese_interface_has_no_english_words(client, seeds, lang):
    measure = measure_of(seeds, "004", 10)
    paths = [*PAGES, f"/{{lang}}/measures/{measure.pk}/", f"/{{lang}}/documents/{measure.document_id}/",
             f"/{{lang}}/agencies/{measure.agency.key}/", "/{lang}/no-such-page/",
             "/{lang}/search/?q=quantumcomputing", *BROWSE_PAGES]  # fmt: skip
    for path in paths:
        text = interface_text(client.get(path.format(lang=lang)))
        words = set(re.findall(r"\b[A-Za-z]{3,}\b", text)) - {"PolicyKB", "Policy", "CSV",
                                                             "JSON", "Atom", "API"}  # fmt: skip
        assert not words, (path, sorted(words)[:20])


def test_the_english_interface_has_no_chinese_labels(client, seeds):
    measure = measure_of(seeds, "004", 10)
    for path in (*PAGES, f"/en/measures/{measure.pk}/", "/en/no-such-page/", *BROWSE_PAGES):
        text = interface_text(client.get(path.format(lang="en")))
        assert not re.search(
            r"[\u4e00-\u9fff]", text.replace("简体中文", "").replace("繁體中文", "")
        ), path


@pytest.mark.parametrize(("lang", "words"), [("en", "Page not found"), ("zh-hans", "未找到页面"),
                                             ("zh-hant", "未找到頁面")])  # fmt: skip
def test_404_page_speaks_the_language_of_the_address(client, seeds, lang, words):
    response = client.get(f"/{lang}/measures/999999/")
    assert response.status_code == 404
    assert words in text_of(response)


def test_500_page_needs_no_database(rf, django_db_blocker):
    from django.utils import translation

    from policykb.views import server_error

    request = rf.get("/zh-hant/search/")
    with django_db_blocker.block(), translation.override("en"):  # any query would raise
        response = server_error(request)
    assert response.status_code == 500
    assert "出錯了" in response.content.decode()


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")


def test_a_joint_notice_shows_every_issuer_and_is_listed_under_each(client, seeds):
    from documents.services import document_issuers_set

    document = seeds["004"]
    lead, partner = document.agency, Agency.objects.get(key="miit")
    partner.needs_review = True
    partner.save(update_fields=["needs_review"])
    document_issuers_set(document=document, lead=lead, co_issuers=[partner])
    text = text_of(client.get(f"/en/documents/{document.pk}/"))
    assert text.index(lead.name_en) < text.index(partner.name_en)
    assert "jointly issued" in text and "not yet reviewed" in text
    measure = document.measures.get(number=10)
    assert partner.name_en in text_of(client.get(f"/en/measures/{measure.pk}/"))
    listed = client.get(f"/en/agencies/{partner.key}/").context["by_year"]
    assert document.pk in {d.pk for _year, docs in listed for d in docs}


def test_a_large_body_s_notices_come_a_page_at_a_time_newest_first(client, seeds, monkeypatch):
    from documents import views
    from documents.services import document_issuers_set

    partner = Agency.objects.get(key="miit")
    for seed in ("000", "002", "003", "004"):  # co-issued by MIIT, which leads 001
        document_issuers_set(document=seeds[seed], lead=seeds[seed].agency, co_issuers=[partner])
    issued = Document.objects.published().issued_by(partner.key)
    assert issued.count() == 5  # no notice twice, joint ones included
    newest_first = list(issued.order_by("-issued_on", "-id").values_list("pk", flat=True))
    monkeypatch.setattr(views, "AGENCY_PAGE_SIZE", 2)
    shown = []
    for number in (1, 2, 3):
        response = client.get(f"/en/agencies/{partner.key}/?page={number}")
        shown += [d.pk for _year, docs in response.context["by_year"] for d in docs]
        assert f"Page {number} of 3" in text_of(response)
    assert shown == newest_first
    # A page past the end shows the last one, as the notice list does.
    last = client.get(f"/en/agencies/{partner.key}/?page=99").context["page"]
    assert last.number == 3


def test_the_api_counts_a_body_s_notices_as_published(client, seeds):
    from documents.services import document_withdraw

    agency = seeds["004"].agency

    def count(query: str = "") -> int:
        return client.get(f"/api/documents{query}").json()["count"]

    lead_and_joint = Document.objects.published().issued_by(agency.key).count()
    assert count(f"?agency={agency.key}") == lead_and_joint >= 1
    assert count() == 5
    document_withdraw(document=seeds["004"])
    assert count() == 4
    assert count(f"?agency={agency.key}") == lead_and_joint - 1
    assert count("?agency=no-such-body") == 0
