"""Broken and hostile notices: a clear error or a clean result, never a crash or a cut."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
import zipfile

import pytest

from documents.pipeline import IngestError, parse
from documents.services import notice_ingest, notice_prepare

NOTICE = "关于支持中小企业发展的若干措施\n1.设立专项资金。\n2.开展融资服务。\n"


def prepare(data: bytes):
    return notice_prepare(data=data, name="notice.txt", agencies=[], rules=[])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b" \r\n\t \x00", "empty file"),
        ("\u3000\u3000\n  ".encode(), "empty file (only white space)"),
        (bytes(range(256)) * 40, "cannot decode"),
        (b"\x00\xff" * 3000, "not decodable as utf-16-be text"),
        ("，。；：".encode() * 50_000, "no words in it (utf-8 text of a few repeated symbols)"),
        (b"1." + b"a" * 100_000, "no words in it"),
    ],
)
def test_empty_and_binary_files_get_a_clear_error(data, message):
    with pytest.raises(IngestError, match=re.escape(message)) as error:
        prepare(data)
    assert str(error.value).startswith("notice.txt: ")


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notice.txt", data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("compress", "kind"),
    [(gzip.compress, "gzip"), (bz2.compress, "bzip2"), (lzma.compress, "xz"), (_zip, "ZIP")],
)
def test_a_compressed_bomb_is_named_and_never_expanded(compress, kind):
    # 200 MB of zeros, a few hundred kilobytes compressed: refused from its first bytes.
    bomb = compress(b"\x00" * 200_000_000)
    assert len(bomb) < 1_000_000
    with pytest.raises(IngestError, match=f"this is an? {kind}"):
        prepare(bomb)


def test_a_file_cut_inside_a_character_keeps_its_text_and_says_so():
    data = NOTICE.encode()[:-5]  # "。\n" and the last byte of "务" are gone
    parsed = prepare(data).parsed
    assert [m.text for m in parsed.measures] == ["设立专项资金。", "开展融资服"]
    assert any("cut short" in w for w in parsed.warnings)


def test_a_20_megabyte_file_is_refused_before_it_is_read(settings):
    with pytest.raises(IngestError, match="20,000,000 bytes is over the limit"):
        prepare(b"1." + b"a" * 19_999_998)


def test_deeply_nested_html_gets_an_answer():
    page = "<html><body>" + "<div>" * 50_000 + "一、设立资金。二、开展服务。" + "</div>" * 50_000
    try:
        parsed = parse(page.encode(), name="deep.html", agencies=[])
    except IngestError as exc:
        assert str(exc).startswith("deep.html: ")
    else:
        assert parsed.text


def _numbered(n: int) -> bytes:
    lines = [f"{i}.支持企业开展第{i}项技术改造，给予资金补助。" for i in range(1, n + 1)]
    return ("关于支持中小企业技术改造的若干措施\n" + "\n".join(lines)).encode()


@pytest.mark.django_db
def test_a_notice_with_thousands_of_items_is_stored_whole():
    outcome = notice_ingest(data=_numbered(2500), name="long.txt")
    measures = outcome.document.measures.order_by("number")
    assert measures.count() == 2500 == outcome.document.found_measures
    assert measures.last().texts.get().text == "支持企业开展第2500项技术改造，给予资金补助。"
    assert not any("numbering" in w for w in outcome.warnings)


def test_numbering_past_the_limit_keeps_the_rest_and_warns():
    parsed = prepare(_numbered(10_003)).parsed
    assert len(parsed.measures) == 9999
    last = parsed.measures[-1].text
    assert last.startswith("支持企业开展第9999项") and last.endswith(
        "第10003项技术改造，给予资金补助。"
    )
    assert any(w.startswith("numbering goes on past 9999") for w in parsed.warnings)
