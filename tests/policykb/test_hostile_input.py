"""Hostile input to every API route (schemathesis, from the API's own OpenAPI schema) and
to every HTML page (hypothesis): never a 5xx, every answer documented in the schema."""

from __future__ import annotations

import urllib.parse

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykb.wsgi import application

pytestmark = pytest.mark.django_db

# Bounded: the suite must stay quick on two shared cores. Derandomized: the same
# examples on every run, so that a failure is reproducible and never depends on luck.
EXAMPLES = settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


# The schema is generated from the code (no database needed) when the module loads.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_test_connection():
    """Calls straight into the WSGI app would close the test transaction's connection at
    the end of each request, as Django's own test client prevents."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@EXAMPLES
def test_every_api_route_answers_as_its_schema_says(case, seeds, keep_test_connection):
    # Checks: no 5xx, the status code is documented, the body matches its schema,
    # and the content type is the declared one.
    case.call_and_validate()


# Text a hostile client may send: controls, NUL, lone surrogates, tsquery syntax,
# very long runs and mixed scripts.
HOSTILE = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, categories=["Cc", "Cs", "Zs", "P", "S"])),
    st.sampled_from(["& | ! : * ' ( ) <->", "\x00", "\ud800", '融资 OR -担保 "x', "9" * 40]),
    st.text(alphabet="融資financing企业\x00'&|!", min_size=1000, max_size=5000),
)


def _quote(value: str) -> str:
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


@given(value=HOSTILE, name=st.sampled_from(["q", "agency", "region", "tag", "year", "page"]))
@EXAMPLES
def test_api_search_parameters_never_fail(client, seeds, value, name):
    response = client.get(f"/api/measures?{name}={_quote(value)}")
    assert response.status_code in (200, 422), response.content[:300]
    if response.status_code == 422:
        assert response.json()["message"].startswith("Some parameters are not valid: ")


@given(value=HOSTILE, path=st.sampled_from(["/en/", "/zh-hans/documents/", "/zh-hant/"]))
@EXAMPLES
def test_html_pages_never_fail_on_any_parameter(client, seeds, value, path):
    response = client.get(f"{path}?page={_quote(value)}&q={_quote(value)}")
    assert response.status_code == 200


@given(segment=HOSTILE)
@EXAMPLES
def test_html_detail_pages_answer_404_for_any_id(client, seeds, segment):
    for prefix in ("/en/documents/", "/zh-hans/measures/", "/api/measures/", "/api/documents/"):
        response = client.get(prefix + _quote(segment) + ("/" if "api" not in prefix else ""))
        assert response.status_code in (404, 422), (prefix, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/api/measures?tag=%00",
        "/api/measures?agency=%00",
        "/api/measures?region=%00",
        "/api/documents?agency=%00",
        "/api/measures?q=%00",
    ],
)
def test_nul_in_a_filter_is_refused_with_a_clear_422(client, url):
    response = client.get(url)
    assert response.status_code == 422
    body = response.json()
    assert "NUL" in body["detail"][0]["msg"]
    assert body["message"].startswith("Some parameters are not valid: ")


def test_the_422_message_speaks_the_interface_language(client):
    response = client.get("/api/measures?page=0", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 422
    assert response.json()["message"] == "部分参数无效：page。"


def test_schema_documents_404_and_422_for_every_route(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for operation in operations.values():
            assert {"200", "404", "422"} <= set(operation["responses"]), path


SEARCH_PARAMETERS = ["q", "agency", "level", "region", "year", "tag", "lang", "sort", "page"]
# Values a visitor may also send in the right shape but out of range or of the wrong type.
BAD_VALUES = st.one_of(
    HOSTILE,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["-1", "0", "1e9", "2.5", "NaN", "∞", "９", "２０２４", "sme", "-date"]),
)


@given(
    query=st.dictionaries(
        st.sampled_from(SEARCH_PARAMETERS), st.lists(BAD_VALUES, min_size=1, max_size=3), max_size=9
    ),
    lang=st.sampled_from(["en", "zh-hans", "zh-hant"]),
)
@EXAMPLES
def test_the_search_page_answers_any_combination_of_parameters(client, seeds, query, lang):
    """Every parameter of the search page at once, repeated, with any values: a page, the
    bad values ignored (the form names them), never an error."""
    pairs = [(name, value) for name, values in query.items() for value in values]
    url = f"/{lang}/search/?" + "&".join(f"{name}={_quote(value)}" for name, value in pairs)
    response = client.get(url)
    assert response.status_code == 200, (url[:300], response.status_code)
    assert b"<main" in response.content


@pytest.fixture
def pages_with_ids(seeds) -> list[str]:
    """Every public page type, with real ids, to which hostile query strings are added."""
    from documents.models import Agency

    document = seeds["004"]
    measure = document.measures.order_by("number").first()
    agency = Agency.objects.filter(documents__isnull=False).first()
    return [
        "/{lang}/",
        "/{lang}/documents/",
        f"/{{lang}}/documents/{document.pk}/",
        f"/{{lang}}/measures/{measure.pk}/",
        "/{lang}/agencies/",
        f"/{{lang}}/agencies/{agency.key}/",
    ]


@given(
    names=st.lists(
        st.one_of(st.sampled_from(["page", "q", "year", "lang", "sort", "tag"]), HOSTILE),
        min_size=1,
        max_size=4,
    ),
    value=BAD_VALUES,
    lang=st.sampled_from(["en", "zh-hans", "zh-hant"]),
)
@EXAMPLES
def test_every_page_answers_any_query_string(client, pages_with_ids, names, value, lang):
    query = "&".join(f"{_quote(name)}={_quote(value)}" for name in names)
    for path in pages_with_ids:
        url = path.format(lang=lang) + "?" + query
        response = client.get(url)
        assert response.status_code == 200, (url[:300], response.status_code)


@given(segment=HOSTILE, lang=st.sampled_from(["en", "zh-hans", "zh-hant"]))
@EXAMPLES
def test_an_agency_page_answers_404_for_any_key(client, seeds, segment, lang):
    response = client.get(f"/{lang}/agencies/{_quote(segment)}/")
    assert response.status_code == 404
