"""Unit tests for decode and extract (texts written for these tests)."""

from __future__ import annotations

import codecs

import pytest

from documents.pipeline import IngestError, decode, extract, parse

ZH_HANS = "关于进一步支持中小企业发展的若干措施。各区市要加大财政支持力度，确保政策落实。"
ZH_HANT = "關於進一步支持中小企業發展的若干措施。各區市要加大財政支持力度，確保政策落實。"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"]
)
def test_decode_simplified(encoding):
    assert decode(ZH_HANS.encode(encoding), name="a.txt").text == ZH_HANS


@pytest.mark.parametrize("encoding", ["big5", "utf-8", "utf-16", "gb18030"])
def test_decode_traditional(encoding):
    assert decode(ZH_HANT.encode(encoding), name="a.txt").text == ZH_HANT


def test_decode_short_texts():
    assert decode("中文".encode("big5"), name="s").text == "中文"
    assert decode("中文".encode("gbk"), name="s").text == "中文"
    assert decode("通知".encode("big5"), name="s").text == "通知"


def test_decode_reports_codec():
    assert decode(codecs.BOM_UTF8 + b"abc", name="x").encoding == "utf-8-sig"
    assert decode("Hello policy".encode("utf-16-le"), name="x").encoding == "utf-16-le"
    assert decode(ZH_HANT.encode("big5"), name="x").encoding == "big5"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
        b"abc\x01\x02\x03\x04\x05\x06\x07\x08def",
        bytes(range(128, 256)) * 8,
    ],
)
def test_decode_rejects_non_text(data):
    with pytest.raises(IngestError, match="^bad.bin: "):
        decode(data, name="bad.bin")


def test_parse_rejects_binary():
    with pytest.raises(IngestError, match="photo.png"):
        parse(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, name="photo.png", agencies=[])


HTML = """<!DOCTYPE html>
<html><head><title>关于支持中小企业的通知</title><script>var tracker = 1;</script></head>
<body>
<nav><a href="/">首页</a> | <a href="/news">新闻</a> | <a href="/policy">政策</a></nav>
<div class="article">
<h1>关于进一步支持中小企业发展的通知</h1>
<p>各区、市人民政府，市政府各部门：</p>
<p>为进一步支持中小企业发展，现将有关事项通知如下。</p>
<p>一、加大财政支持力度。市财政每年安排专项资金不少于5亿元，用于支持中小企业创新发展。</p>
<p>二、强化融资服务。力争全年新增中小企业贷款100亿元以上。</p>
</div>
<footer>版权所有 © 2024 示例市人民政府 网站地图 联系我们</footer>
</body></html>"""


def test_extract_html_main_content():
    text = extract(HTML)
    assert "一、加大财政支持力度" in text
    assert "二、强化融资服务" in text
    assert "tracker" not in text
    assert "网站地图" not in text
    lines = [line for line in text.split("\n") if line.strip()]
    assert any(line.startswith("二、") for line in lines)


def test_extract_plain_text_unchanged():
    text = "1. 第一项措施。\n2. 第二项措施。\n"
    assert extract(text) == text


def test_extract_falls_back_to_body(monkeypatch):
    import sys

    extract_module = sys.modules["documents.pipeline.extract"]

    monkeypatch.setattr(extract_module, "_trafilatura_text", lambda html: "")
    text = extract_module.extract(HTML)
    assert "一、加大财政支持力度。" in text
    assert "tracker" not in text and "首页" not in text


def test_parse_html_page():
    notice = parse(HTML.encode("gb18030"), name="page.html", agencies=[])
    assert notice.language == "zh"
    assert len(notice.measures) == 2
    assert (5, "亿元", ">=") in {
        (t.value, t.unit, t.comparator) for t in notice.measures[0].targets
    }


def test_a_run_of_one_symbol_is_not_text():
    import pytest

    from documents.pipeline import IngestError, decode

    with pytest.raises(IngestError, match="junk.bin"):
        decode(b"\x00\xff" * 300, name="junk.bin")
