"""Tests of the raw notice generator for the ingestion benchmark (pure: no database).

Run with:  .venv/bin/python -m pytest -q tests/test_notice_gen.py
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.notice_gen import (
    MAX_BYTES,
    MIN_BYTES,
    STYLES_EN,
    STYLES_ZH,
    NoticeMeta,
    generate_notices,
    generate_notices_with_meta,
    notice_manifest,
    write_notices,
    zh_numeral,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
N = 400


@pytest.fixture(scope="module")
def notices() -> list[tuple[str, bytes, NoticeMeta]]:
    return list(generate_notices_with_meta(N, rng_seed=11, seed_dir=SEEDS))


def decoded(raw: bytes, meta: NoticeMeta) -> str:
    text = raw.decode(meta.encoding)
    return html.unescape(text) if meta.html else text


def test_n_files_with_unique_names(notices):
    assert len(notices) == N
    names = [name for name, _, _ in notices]
    assert len(set(names)) == N
    assert all(re.fullmatch(r"notice_\d{6}\.(txt|html)", n) for n in names)
    assert all(meta.name == name for name, _, meta in notices)
    assert list(generate_notices(0, rng_seed=1, seed_dir=SEEDS)) == []


def test_plain_api_matches_manifest(notices):
    pairs = list(generate_notices(50, rng_seed=11, seed_dir=SEEDS))
    manifest = notice_manifest(50, rng_seed=11, seed_dir=SEEDS)
    assert [(n, r) for n, r, _ in notices[:50]] == pairs
    assert [m for _, _, m in notices[:50]] == manifest


def test_deterministic_and_prefix_stable():
    a = list(generate_notices(30, rng_seed=5, seed_dir=SEEDS))
    b = list(generate_notices(60, rng_seed=5, seed_dir=SEEDS))
    c = list(generate_notices(30, rng_seed=6, seed_dir=SEEDS))
    assert a == b[:30]
    assert a != c


def test_encodings_vary_and_decode_as_claimed(notices):
    encodings = Counter(meta.encoding for _, _, meta in notices)
    assert {"utf-8", "gb18030", "big5", "utf-16"} <= set(encodings)
    assert encodings["utf-8"] > N / 2  # utf-8 mostly
    for _, raw, meta in notices:
        text = decoded(raw, meta)  # raises if the claim is wrong
        assert meta.title in text
        assert "\ufffd" not in text
        if meta.encoding == "utf-16":
            assert raw[:2] in (b"\xff\xfe", b"\xfe\xff")
        if meta.encoding == "utf-8-sig":
            assert raw.startswith(b"\xef\xbb\xbf")
        if meta.encoding in ("gb18030", "big5"):
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")


def test_sizes(notices):
    sizes = [len(raw) for _, raw, _ in notices]
    assert all(MIN_BYTES <= s <= MAX_BYTES for s in sizes), (min(sizes), max(sizes))
    assert all(meta.size == len(raw) for _, raw, meta in notices)
    assert min(sizes) < 5000 and max(sizes) > 15000  # spread over the range


def test_languages_and_styles(notices):
    langs = Counter(meta.language for _, _, meta in notices)
    assert set(langs) == {"zh-hans", "zh-hant", "en", "mixed"}
    styles = {meta.style for _, _, meta in notices}
    assert styles == set(STYLES_ZH) | set(STYLES_EN)
    for _, raw, meta in notices:
        text = decoded(raw, meta)
        han = len(re.findall(r"[\u4e00-\u9fff]", text))
        latin = len(re.findall(r"[A-Za-z]", text))
        if meta.language == "en":
            assert han == 0
        elif meta.language == "zh-hans":
            assert han > latin
        elif meta.language == "zh-hant":
            assert any(ch in text for ch in "業發經濟關於")
            assert not any(ch in text for ch in "业发经济关于")
        else:
            assert han and latin > 200


def test_numbering_styles_present(notices):
    markers = {
        "sections": (r"^\s*(?:<p>)?一、", r"(?:^|>)1\."),
        "paren": (r"（一）", r"（二）"),
        "article": (r"第一条", r"第二条"),
        "circled": (r"①", r"②"),
        "inline": (r"一是", r"二是"),
    }
    en_markers = {
        "article": (r"Article 1 ", r"Article 2 "),
        "ordinal": (r"First, ", r"Second, "),
        "roman": (r"(?:^|>)I\. ", r"(?:^|>)1\. "),
        "numbered": (r"(?:^|>)\(?1[.)] ", r"(?:^|>)\(?2[.)] "),
    }
    for _, raw, meta in notices:
        text = decoded(raw, meta)
        table = en_markers if meta.language == "en" else markers
        for pattern in table[meta.style]:
            if meta.language == "zh-hant":
                pattern = pattern.replace("条", "條")
            assert re.search(pattern, text, re.M), (meta.name, meta.style, pattern)
        assert meta.measure_count >= 3
        if meta.style in ("article",) and meta.language != "en":
            last = zh_numeral(meta.measure_count)
            assert f"第{last}" in text


def test_html_pages(notices):
    pages = [(raw, meta) for _, raw, meta in notices if meta.html]
    assert 0.1 * N < len(pages) < 0.4 * N
    for raw, meta in pages:
        text = raw.decode(meta.encoding)
        for tag in ("<html", "<body>", "<nav>", '<div class="content">', "<p>", "<footer>"):
            assert tag in text, (meta.name, tag)
        claimed = re.search(r'charset="?([\w-]+)', text).group(1)
        assert claimed.replace("-sig", "") == meta.encoding.replace("-sig", "")


def test_header_lines_and_junk(notices):
    junky = 0
    for _, raw, meta in notices:
        text = decoded(raw, meta)
        y, m, d = (int(x) for x in meta.date.split("-"))
        date_forms = (f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", f"{d}, {y}")
        assert any(f in text for f in date_forms), meta.name
        assert meta.agency in text or meta.agency.split()[0] in text
        if meta.junk:
            junky += 1
            assert any(
                j in text
                for j in (
                    "扫一扫",
                    "掃一掃",
                    "Copyright",
                    "版权",
                    "版權",
                    "分享",
                    "Share",
                    "打印",
                    "Print",
                    "浏览次数",
                    "瀏覽次數",
                    "Views",
                    "字号",
                    "字號",
                    "Font size",
                    "首页",
                    "首頁",
                    "Home",
                    "Scan the QR",
                )
            ), meta.name
    assert 0.3 * N < junky < 0.9 * N
    everything = "".join(decoded(r, m) for _, r, m in notices)
    assert "扫一扫在手机打开当前页" in everything
    assert "\r\n" in everything and "\n\n" in everything


def test_body_comes_from_seed_sentences(notices):
    _, raw, meta = next(n for n in notices if n[2].language == "zh-hans")
    text = decoded(raw, meta)
    assert any(s in text for s in ("专精特新", "中小企业", "民营经济"))


def test_zh_numeral():
    assert [zh_numeral(i) for i in (1, 9, 10, 11, 20, 29, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十九",
        "九十九",
    ]


def test_write_notices_and_command_line(tmp_path):
    manifest = write_notices(7, tmp_path / "a", rng_seed=3, seed_dir=SEEDS)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 8 and "manifest.json" in files
    data = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in data] == [m.name for m in manifest]
    for d in data:
        (tmp_path / "a" / d["name"]).read_bytes().decode(d["encoding"])

    out = tmp_path / "b"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "notice_gen.py"), "7", str(out), "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for m in manifest:
        assert (out / m.name).read_bytes() == (tmp_path / "a" / m.name).read_bytes()
