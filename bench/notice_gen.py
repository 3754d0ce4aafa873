"""Raw notice files for the ingestion benchmark (pure Python, no Django).

    generate_notices(n, rng_seed=..., seed_dir=...) -> Iterator[(file name, raw bytes)]
    generate_notices_with_meta(...) -> Iterator[(file name, raw bytes, NoticeMeta)]
    notice_manifest(...) -> list[NoticeMeta]      # the "manifest": what each file claims

The files look like what scrapers bring back: Chinese, Traditional Chinese,
English and bilingual notices; many numbering styles (一、 sections with 1.
measures, （一）, 第一条, ①, 一是……二是……, Article 1, First/Second, I./II.);
an agency line, a date line and a title line; page junk (copyright lines,
"扫一扫在手机打开当前页", share prompts); encodings utf-8 (mostly), utf-8 with a
BOM, gb18030, big5 (the Traditional ones, converted with OpenCC s2t/s2tw) and
utf-16; some are small HTML pages. Sizes are 2-20 KB. Body sentences are
recombined from the seed notices (`measures.synth.load_sentences`).

Each file is generated from its own random stream (rng_seed and its index),
so the output is deterministic and the first k files do not depend on n.

Command line:  python bench/notice_gen.py N OUT_DIR [--seed S] [--seeds DIR]
writes N files and a manifest.json describing them.
"""

from __future__ import annotations

import html
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from measures.synth import load_sentences  # noqa: E402

__all__ = [
    "NoticeMeta",
    "generate_notices",
    "generate_notices_with_meta",
    "notice_manifest",
    "write_notices",
]

DEFAULT_SEED_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
MIN_BYTES = 2 * 1024
MAX_BYTES = 20 * 1024


@dataclass(frozen=True)
class NoticeMeta:
    name: str
    encoding: str  # Python codec that decodes the bytes: utf-8, utf-8-sig, gb18030, big5, utf-16
    language: str  # zh-hans, zh-hant, en, mixed
    style: str  # numbering style, see STYLES_ZH / STYLES_EN
    html: bool
    measure_count: int
    title: str
    agency: str
    date: str  # ISO date of the date line
    junk: bool  # page junk lines present
    size: int  # bytes


STYLES_ZH = ("sections", "paren", "article", "circled", "inline")
STYLES_EN = ("article", "ordinal", "roman", "numbered")

_CITIES = (
    ("青岛市", "Qingdao"),
    ("济南市", "Jinan"),
    ("烟台市", "Yantai"),
    ("郑州市", "Zhengzhou"),
    ("杭州市", "Hangzhou"),
    ("苏州市", "Suzhou"),
    ("成都市", "Chengdu"),
    ("武汉市", "Wuhan"),
    ("合肥市", "Hefei"),
    ("厦门市", "Xiamen"),
    ("河南省", "Henan Province"),
    ("山东省", "Shandong Province"),
    ("浙江省", "Zhejiang Province"),
)
_BUREAUS = (
    ("工业和信息化局", "Bureau of Industry and Information Technology"),
    ("民营经济发展局", "Bureau of Private Economy Development"),
    ("财政局", "Finance Bureau"),
    ("地方金融监督管理局", "Local Financial Supervision and Administration Bureau"),
    ("科学技术局", "Science and Technology Bureau"),
    ("人民政府办公厅", "General Office of the People's Government"),
    ("中小企业服务中心", "SME Service Center"),
)
_TOPICS = (
    ("纾困解难", "Bailout and Relief"),
    ("专精特新发展", "Specialized and Sophisticated Development"),
    ("融资支持", "Financing Support"),
    ("数字化转型", "Digital Transformation"),
    ("复工复产", "Resumption of Work and Production"),
    ("稳增长", "Stable Growth"),
    ("创新创业", "Innovation and Entrepreneurship"),
)
_SECTIONS_ZH = (
    "优化发展环境",
    "加大财税支持力度",
    "强化金融服务",
    "提升创新能力",
    "优化公共服务",
    "加强要素保障",
    "推动数字化转型",
    "加强组织保障",
    "强化法治保障",
    "培育优质企业",
)
_SECTIONS_EN = (
    "Optimize the development environment",
    "Increase fiscal and tax support",
    "Strengthen financial services",
    "Improve innovation capacity",
    "Optimize public services",
    "Strengthen the guarantee of factors",
    "Promote digital transformation",
    "Strengthen organizational guarantees",
    "Cultivate high-quality enterprises",
)
_ORDINALS = (
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
    "Twentieth",
)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_JUNK_TOP_ZH = (
    "首页 > 政策文件 > 通知公告",
    "字号：大 中 小",
    "【打印本页】【关闭窗口】",
    "浏览次数：{views}",
)
_JUNK_BOTTOM_ZH = (
    "扫一扫在手机打开当前页",
    "分享到：微信 微博 QQ空间",
    "版权所有：{agency}  网站标识码：37020{views}",
    "Copyright © {year} {agency_en} All Rights Reserved",
    "【我要纠错】【打印】【关闭】",
)
_JUNK_TOP_EN = ("Home > Policies > Notices", "Font size: A+ A A-", "Views: {views}")
_JUNK_BOTTOM_EN = (
    "Share: WeChat | Weibo | Facebook | Twitter",
    "Copyright © {year} {agency_en}. All Rights Reserved.",
    "Scan the QR code to read on your phone",
    "Print | Close",
)

_INLINE_ENUM = re.compile(r"[一二三四五六七八九十]是")
_s2t = None


def _to_traditional(text: str) -> str:
    global _s2t
    if _s2t is None:
        import opencc

        _s2t = opencc.OpenCC("s2tw")  # Taiwan forms (為, not 爲) fit Big5
    return _s2t.convert(text)


def zh_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 35 -> 三十五 (1..99)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


@dataclass
class _Ctx:
    r: random.Random
    zh: list[str]
    en: list[str]


def _measure(ctx: _Ctx, lang: str) -> str:
    pool = ctx.zh if lang == "zh" else ctx.en
    k = ctx.r.randint(1, 4)
    picked = list(dict.fromkeys(ctx.r.choice(pool) for _ in range(k)))
    return ("" if lang == "zh" else " ").join(picked)


def _section_title(ctx: _Ctx, lang: str) -> str:
    return ctx.r.choice(_SECTIONS_ZH if lang == "zh" else _SECTIONS_EN)


def _body_zh(ctx: _Ctx, style: str, measures: list[str]) -> list[str]:
    """Paragraphs (lines) of a Chinese body in one numbering style."""
    r = ctx.r
    lines: list[str] = []
    if style == "sections":  # 一、 sections, 1. measures numbered through
        n = 0
        sec = 0
        while n < len(measures):
            sec += 1
            lines.append(f"{zh_numeral(sec)}、{_section_title(ctx, 'zh')}")
            for _ in range(r.randint(2, 6)):
                if n == len(measures):
                    break
                n += 1
                lines.append(f"{n}.{measures[n - 1]}")
    elif style == "paren":  # 一、 sections, （一） items restarting in each section
        n = 0
        sec = 0
        while n < len(measures):
            sec += 1
            lines.append(f"{zh_numeral(sec)}、{_section_title(ctx, 'zh')}")
            for i in range(1, r.randint(2, 6) + 1):
                if n == len(measures):
                    break
                lines.append(f"（{zh_numeral(i)}）{measures[n]}")
                n += 1
    elif style == "article":
        for i, m in enumerate(measures, 1):
            lines.append(f"第{zh_numeral(i)}条 {m}")
    elif style == "circled":
        for i, m in enumerate(measures, 1):
            lines.append(f"{_CIRCLED[i - 1]}{m}")
    elif style == "inline":  # 一是……二是…… inside paragraphs, restarting per paragraph
        n = 0
        while n < len(measures):
            items = []
            for i in range(1, r.randint(2, 5) + 1):
                if n == len(measures):
                    break
                items.append(f"{zh_numeral(i)}是{measures[n]}")
                n += 1
            lead = r.choice(("为进一步支持中小企业发展，现提出以下措施：", "相关负责人介绍，", ""))
            lines.append(lead + "".join(items))
    else:
        raise ValueError(style)
    return lines


def _body_en(ctx: _Ctx, style: str, measures: list[str]) -> list[str]:
    r = ctx.r
    lines: list[str] = []
    if style == "article":
        for i, m in enumerate(measures, 1):
            lines.append(f"Article {i} {m}")
    elif style == "ordinal":  # First, … Second, … in one or a few paragraphs
        para: list[str] = []
        for i, m in enumerate(measures):
            para.append(f"{_ORDINALS[i]}, {m[0].lower() + m[1:]}")
            if r.random() < 0.25:
                lines.append(" ".join(para))
                para = []
        if para:
            lines.append(" ".join(para))
    elif style == "roman":  # I. sections, 1. measures numbered through
        n = 0
        sec = 0
        while n < len(measures):
            lines.append(f"{_ROMAN[sec]}. {_section_title(ctx, 'en')}")
            sec += 1
            for _ in range(r.randint(2, 6)):
                if n == len(measures):
                    break
                n += 1
                lines.append(f"{n}. {measures[n - 1]}")
    elif style == "numbered":
        fmt = r.choice(("{n}. {m}", "({n}) {m}", "{n}) {m}"))
        for i, m in enumerate(measures, 1):
            lines.append(fmt.format(n=i, m=m))
    else:
        raise ValueError(style)
    return lines


_MAX_MEASURES = {"circled": 20, "ordinal": 20, "roman": 12 * 6, "sections": 99, "paren": 99}


def _notice(
    index: int, rng_seed: int, zh: list[str], en: list[str]
) -> tuple[str, bytes, NoticeMeta]:
    r = random.Random(f"policykb-notice:{rng_seed}:{index}")
    ctx = _Ctx(r, zh, en)

    roll = r.random()
    language = (
        "zh-hans" if roll < 0.5 else "zh-hant" if roll < 0.62 else "en" if roll < 0.92 else "mixed"
    )
    style = r.choice(STYLES_EN if language == "en" else STYLES_ZH)
    is_html = r.random() < 0.22
    junk = r.random() < 0.6
    if language == "zh-hant":
        encoding = "big5" if r.random() < 0.6 else "utf-8"
    elif language == "zh-hans":
        encoding = r.choices(("utf-8", "gb18030", "utf-8-sig", "utf-16"), (70, 18, 6, 6))[0]
    else:
        encoding = r.choices(("utf-8", "utf-16", "utf-8-sig"), (85, 10, 5))[0]
    newline = "\r\n" if r.random() < 0.15 else "\n"

    city_zh, city_en = r.choice(_CITIES)
    bureau_zh, bureau_en = r.choice(_BUREAUS)
    topic_zh, topic_en = r.choice(_TOPICS)
    agency_zh, agency_en = city_zh + bureau_zh, f"{city_en} {bureau_en}"
    year = r.randint(2015, 2026)
    month, day = r.randint(1, 12), r.randint(1, 28)
    views = r.randint(100, 99999)
    doc_no = r.randint(1, 60)

    title_zh = r.choice(
        (
            f"关于印发《{city_zh}支持中小企业{topic_zh}若干措施》的通知",
            f"{city_zh}关于进一步支持中小微企业{topic_zh}的实施意见",
            f"{agency_zh}关于{year}年中小企业{topic_zh}工作要点的通知",
        )
    )
    title_en = r.choice(
        (
            f"Notice on Issuing Several Measures of {city_en} to Support SMEs in {topic_en}",
            f"{agency_en} Issues Measures on {topic_en} for Small and Medium-sized Enterprises",
            f"Implementation Opinions of {city_en} on Further Supporting SMEs: {topic_en}",
        )
    )
    date_zh = f"{year}年{month}月{day}日"
    date_en = r.choice((f"{_MONTHS[month - 1]} {day}, {year}", f"{year}-{month:02d}-{day:02d}"))

    fmt = {"agency": agency_zh, "agency_en": agency_en, "year": year, "views": views}
    top_junk: list[str] = []
    bottom_junk: list[str] = []
    if junk:
        src_top, src_bottom = (
            (_JUNK_TOP_EN, _JUNK_BOTTOM_EN) if language == "en" else (_JUNK_TOP_ZH, _JUNK_BOTTOM_ZH)
        )
        top_junk = [j.format(**fmt) for j in r.sample(src_top, r.randint(1, len(src_top)))]
        bottom_junk = [j.format(**fmt) for j in r.sample(src_bottom, r.randint(1, 3))]

    # Header: title line, agency line and date line, in a shuffled-but-plausible order.
    if language == "en":
        header = [title_en, f"Issued by: {agency_en}" if r.random() < 0.5 else agency_en, date_en]
        intro = [r.choice(en)]
    elif language == "mixed":
        header = [title_zh, title_en, agency_zh, f"{date_zh} / {date_en}"]
        intro = [r.choice(zh)]
    else:
        doc_line = f"{city_zh[:1]}{bureau_zh[:2]}发〔{year}〕{doc_no}号"
        header = [
            title_zh,
            doc_line,
            f"发布机构：{agency_zh}" if r.random() < 0.5 else agency_zh,
            f"发布日期：{date_zh}" if r.random() < 0.5 else date_zh,
        ]
        intro = [r.choice(zh) + "现将有关事项通知如下："]
    if r.random() < 0.3:  # the date line sometimes sits at the end, after the signature
        date_line = header.pop()
        signature = [header[-1], date_line]
    else:
        signature = []

    target = r.randint(MIN_BYTES + 400, MAX_BYTES - 1600)
    bytes_per_char = {"utf-8": 3, "utf-8-sig": 3, "gb18030": 2, "big5": 2, "utf-16": 2}[encoding]
    if language == "en":
        bytes_per_char = 2 if encoding == "utf-16" else 1
    fixed_chars = sum(len(x) for x in header + intro + top_junk + bottom_junk + signature) + 200

    max_measures = _MAX_MEASURES.get(style, 200)
    if language == "zh-hant" and style == "circled":
        max_measures = 10  # Big5 has ① … ⑩ only
    measure_lang = "en" if language == "en" else "zh"
    pool = en if measure_lang == "en" else zh
    sep = " " if measure_lang == "en" else ""
    measures: list[str] = []
    chars = fixed_chars
    while len(measures) < max_measures and (len(measures) < 3 or chars * bytes_per_char < target):
        m = _measure(ctx, measure_lang)
        measures.append(m)
        chars += len(m) + 6
    while chars * bytes_per_char < target:  # capped styles: longer measures instead of more
        i = r.randrange(len(measures))
        extra = r.choice(pool)
        measures[i] += sep + extra
        chars += len(extra)

    if language == "zh-hant":
        convert = _to_traditional
        title, agency = convert(title_zh), convert(agency_zh)
        header, intro, signature = (
            [convert(x) for x in header],
            [convert(x) for x in intro],
            [convert(x) for x in signature],
        )
        top_junk = [convert(x) for x in top_junk]
        bottom_junk = [convert(x).replace("Copyright © ", "Copyright ") for x in bottom_junk]
    else:
        convert = None
        title = title_en if language == "en" else title_zh
        agency = agency_en if language == "en" else agency_zh
    is_blank = r.random() < 0.5  # blank lines between paragraphs, or not
    render_seed = r.random()

    def render(ms: list[str]) -> tuple[bytes, str]:
        rr = random.Random(render_seed)  # the same layout choices on every re-render
        sub = _Ctx(rr, zh, en)
        if language == "mixed":  # Chinese measures, some lines followed by an English rendering
            body = []
            for line in _body_zh(sub, style, ms):
                body.append(line)
                if rr.random() < 0.4:
                    body.append(rr.choice(en))
        elif language == "en":
            body = _body_en(sub, style, ms)
        else:
            body = _body_zh(sub, style, ms)
            if convert is not None:
                body = [convert(x) for x in body]
        lines = top_junk + header + intro + body + signature + bottom_junk
        if is_html:
            text = _html_page(lines, title, top_junk, bottom_junk, encoding, language, rr, newline)
        else:
            text = (newline * 2 if is_blank else newline).join(lines) + newline
        return _encode(text, encoding)

    raw, used_encoding = render(measures)
    while len(raw) > MAX_BYTES and len(measures) > 3:  # the estimate was too generous
        keep = max(3, min(len(measures) - 1, int(len(measures) * MAX_BYTES * 0.93 / len(raw))))
        measures = measures[:keep]
        raw, used_encoding = render(measures)
    while len(raw) < MIN_BYTES:  # …or too stingy
        measures[r.randrange(len(measures))] += sep + r.choice(pool)
        raw, used_encoding = render(measures)
    encoding = used_encoding
    ext = "html" if is_html else "txt"
    name = f"notice_{index:06d}.{ext}"
    measure_count = len(measures)
    meta = NoticeMeta(
        name=name,
        encoding=encoding,
        language=language,
        style=style,
        html=is_html,
        measure_count=measure_count,
        title=title,
        agency=agency,
        date=f"{year}-{month:02d}-{day:02d}",
        junk=junk,
        size=len(raw),
    )
    return name, raw, meta


def _html_page(lines, title, top_junk, bottom_junk, encoding, language, r, newline) -> str:
    charset = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    lang = {"zh-hans": "zh-CN", "zh-hant": "zh-TW", "en": "en", "mixed": "zh-CN"}[language]
    nav_items = (
        ["Home", "Policies", "News", "Services", "Contact"]
        if language == "en"
        else ["首页", "政务公开", "政策文件", "办事服务", "互动交流"]
    )
    if language == "zh-hant":
        nav_items = [_to_traditional(x) for x in nav_items]
    body_lines = [x for x in lines if x not in top_junk and x not in bottom_junk]
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        f'<meta charset="{charset}">'
        if r.random() < 0.7
        else f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{esc(title)}</title>",
        "</head>",
        "<body>",
        "<nav>"
        + " | ".join(f'<a href="/{i}">{esc(x)}</a>' for i, x in enumerate(nav_items))
        + "</nav>",
    ]
    parts += [f'<div class="crumbs">{esc(x)}</div>' for x in top_junk]
    parts.append('<div class="content">')
    parts.append(f"<h1>{esc(body_lines[0])}</h1>")
    parts += [f"<p>{esc(x)}</p>" for x in body_lines[1:]]
    parts.append("</div>")
    parts.append("<footer>" + "<br>".join(esc(x) for x in bottom_junk) + "</footer>")
    parts += ["</body>", "</html>"]
    return newline.join(parts) + newline


def _encode(text: str, encoding: str) -> tuple[bytes, str]:
    """Encode, falling back when a legacy codec cannot hold a character."""
    for enc in (encoding, "big5hkscs" if encoding == "big5" else None, "utf-8"):
        if enc is None:
            continue
        try:
            return text.encode(enc), enc
        except UnicodeEncodeError:
            continue
    raise AssertionError("utf-8 encodes everything")


def generate_notices_with_meta(
    n: int, *, rng_seed: int, seed_dir: Path = DEFAULT_SEED_DIR
) -> Iterator[tuple[str, bytes, NoticeMeta]]:
    zh, en = load_sentences(Path(seed_dir))
    # Sentences that carry an enumeration of their own (…介绍,一是…) would blur
    # the numbering the notice imposes: leave them out.
    zh = [s for s in zh if not _INLINE_ENUM.search(s)]
    for i in range(n):
        yield _notice(i, rng_seed, zh, en)


def generate_notices(
    n: int, *, rng_seed: int, seed_dir: Path = DEFAULT_SEED_DIR
) -> Iterator[tuple[str, bytes]]:
    """Yield ``n`` (file name, raw bytes) pairs of realistic raw notices."""
    for name, raw, _meta in generate_notices_with_meta(n, rng_seed=rng_seed, seed_dir=seed_dir):
        yield name, raw


def notice_manifest(
    n: int, *, rng_seed: int, seed_dir: Path = DEFAULT_SEED_DIR
) -> list[NoticeMeta]:
    """What each of the ``n`` files of generate_notices() is: encoding, language, style…"""
    return [
        meta for _, _, meta in generate_notices_with_meta(n, rng_seed=rng_seed, seed_dir=seed_dir)
    ]


def write_notices(
    n: int, out_dir: Path, *, rng_seed: int = 0, seed_dir: Path = DEFAULT_SEED_DIR
) -> list[NoticeMeta]:
    """Write ``n`` notice files and ``manifest.json`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, raw, meta in generate_notices_with_meta(n, rng_seed=rng_seed, seed_dir=seed_dir):
        (out_dir / name).write_bytes(raw)
        manifest.append(meta)
    (out_dir / "manifest.json").write_text(
        json.dumps([asdict(m) for m in manifest], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Write N generated raw notices into a folder.")
    parser.add_argument("n", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEED_DIR, help="seed notices folder")
    args = parser.parse_args(argv)
    manifest = write_notices(args.n, args.out_dir, rng_seed=args.seed, seed_dir=args.seeds)
    total = sum(m.size for m in manifest)
    print(
        f"wrote {len(manifest)} notices ({total / 1024:.0f} KB) and manifest.json to {args.out_dir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
