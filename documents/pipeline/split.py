"""Stage 4 — clean text → sections and measures.

Reads the cleaned text of a notice and its language; produces a
``SplitResult``: the sections, the measures (each with label as written,
title, full text and its ``start``/``end`` offsets so that
``text == cleaned[start:end]``), the number of measures the text announces
and warnings (numbering gaps, announced-vs-found mismatch, a cut-off last
measure, no measures at all).

Strategies, tried in order:

1. line-based numbering (一、 / （一） / 第一条 / 1. 1、 1␠ / (1) / ① / I. / Article 1 /
   "first, …" lines). The shallowest style is the section level when a
   deeper style also exists; the next style is the measure level; deeper
   lists stay inside their measure.
2. inline enumerations: 一是……二是…… (Chinese) or "First, … Second, …"
   (English prose). For Chinese, paragraphs with quantitative targets and a
   plan keyword (计划/将/力争/目标/工程/给予) are measures too (seed 002:
   the "131 Project" and the annual plan). Sections are then the short
   heading lines of the article. Numbering is continuous over the document.
3. English news reports without enumeration: the policy packages the text
   reports ("30 … measures", "10 measures to …"), each with its passage.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .textutil import (
    CJK_RE,
    CN_NUM_CHARS,
    EN_NUMBER_WORDS,
    ORDINALS,
    any_to_int,
    cn_to_int,
    roman_to_int,
    to_simplified,
)

# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

_CN = f"[{CN_NUM_CHARS}]+"
_ORD = "|".join(ORDINALS)

# style name → (level, compiled line-start regex with group "n"). Shallower levels are
# the larger units: chapters (0), sections (1), items (2), numbered points (3) …
LINE_STYLES: dict[str, tuple[int, re.Pattern[str]]] = {
    "cn_chapter": (0, re.compile(rf"第(?P<n>{_CN})章\s*")),
    "en_chapter": (0, re.compile(r"(?:Chapter|CHAPTER)\s+(?P<n>[IVXLC]{1,6}|\d{1,2})\b[.:]?\s*")),
    "cn_section": (1, re.compile(rf"(?P<n>{_CN})\s*[、.]\s*")),
    "roman": (1, re.compile(r"(?P<n>[IVXivx]{1,5})\s*[.、]\s*(?=[A-Za-z\u4e00-\u9fff])")),
    "en_ordinal": (
        1,
        re.compile(rf"(?P<n>{_ORD}|last|final)(?:ly)?\s*[,，:]\s*", re.IGNORECASE),
    ),
    "cn_paren": (2, re.compile(rf"[（(](?P<n>{_CN})[）)]\s*")),
    "cn_article": (2, re.compile(rf"第(?P<n>{_CN})条\s*")),
    # "Article 3 of these Measures" at a line start is a cross-reference, not an article.
    "en_article": (
        2,
        re.compile(
            r"(?:Article|ARTICLE)\s+(?P<n>\d{1,5})\b(?:[.:]\s*|\s+(?=[A-Z(“\"\u4e00-\u9fff])|\s*$)"
        ),
    ),
    "decimal": (4, re.compile(r"\d{1,2}\.(?P<n>\d{1,2})(?![.\d])\s*")),
    "arabic": (
        3,
        re.compile(r"(?P<n>\d{1,5})(?:\s*[.、](?!\d)|\s+(?=[A-Za-z\u4e00-\u9fff“\"]))\s*"),
    ),
    "paren_arabic": (5, re.compile(r"[（(](?P<n>\d{1,5})[）)]\s*")),
    "circled": (6, re.compile(r"(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
    "bullet": (7, re.compile(r"(?P<n>[•·▪●◆■])\s*")),
}
# Styles that belong to the same family (mixed within one document, seed 001).
STYLE_FAMILY = {"en_ordinal": "roman"}
SECTION_LEVEL = 1  # this level and above are sections whenever a deeper list exists
LAST = -1  # "Lastly," / "Finally,": the number after the previous one
MAX_GAP = 2
# Numbering is followed up to here; a list that goes on is not split further, its tail
# stays inside the last measure and the document says so (never silently cut).
MAX_LABEL_VALUE = 9999
HEADING_LINE_MAX = {"zh": 30, "en": 80}
# Words that close a measure's prose: a lone heading line is never part of it.
SENTENCE_ENDINGS = "。；！？.;!?：:"

CN_INLINE_RE = re.compile(r"(?:^|(?<=[，。；：,;:！？!?\s]))(?P<n>[一二三四五六七八九十]+)是")
EN_INLINE_RE = re.compile(
    rf"(?:^|(?<=[.;:!?”\"]))\s*(?P<n>{_ORD.title()}|Last|Final)(?:ly)?\s*,", re.MULTILINE
)
# Phrases that close an inline enumeration (the rest of the paragraph is not a measure).
CLOSING_RE = re.compile(
    r"(?:^|(?<=[.;!?。；！？”]))\s*(?:In the next step|Next step|Next,|In addition,|Attachment\s*:|下一步|此外|附件\s*[:：])",
    re.IGNORECASE,
)
PLAN_KEYWORDS = ("计划", "将", "力争", "目标", "工程", "给予", "确保")
HEADING_MAX_LEN = 25
SENTENCE_END = "。！？!?；;"

# Announcements: "20 policies and measures", "six actions", "29条措施", "二十条措施".
ANNOUNCE_EN = [
    re.compile(
        rf"(?<!Article )(?<!Articles )\b(?P<n>\d{{1,3}}|{EN_NUMBER_WORDS})\s+(?:[“\"]?[\w-]+[”\"]?\s+){{0,2}}?[“\"]?(?:policies and measures|measures|policy measures)\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<n>\d{{1,3}}|{EN_NUMBER_WORDS})\s+(?:[“\"]?[\w-]+[”\"]?\s+){{0,2}}?[“\"]?(?:actions|policies|articles|steps|tasks)\b",
        re.IGNORECASE,
    ),
]
ANNOUNCE_ZH = [
    re.compile(
        rf"(?P<n>\d{{1,3}}|{_CN})\s*(?:条|项)[\u4e00-\u9fff]{{0,4}}?(?:措施|举措|政策|意见|任务)"
    ),
    re.compile(rf"(?<![第\d{CN_NUM_CHARS}])(?P<n>\d{{1,3}}|{_CN})\s*条(?=[」”\"，,。）)\s]|$)"),
    re.compile(rf"(?P<n>\d{{1,3}}|{_CN})\s*(?:大行动|项行动|个行动)"),
]
# Package mentions in English reports: "30 bail out measures", "10 steps to …".
PACKAGE_RE = re.compile(
    r"\b(?P<n>\d{1,3})\s+(?:[\w-]+\s+){0,3}?(?P<noun>measures|steps|policies|policy)\b",
    re.IGNORECASE,
)
PACKAGE_START_VERBS = re.compile(
    r"\b(?:formulate|formulated|issue|issued|introduce|introduced|launch|launched)\b", re.IGNORECASE
)
EN_SENTENCE_RE = re.compile(r"[^.!?]*(?:[.!?]+[”\"]?|$)")
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "have",
        "has",
        "been",
        "will",
        "are",
        "was",
        "were",
        "which",
        "their",
        "they",
        "them",
        "small",
        "medium",
        "sized",
        "enterprises",
        "enterprise",
        "measures",
        "measure",
        "province",
        "provincial",
        "said",
        "into",
        "also",
        "more",
        "such",
        "other",
        "would",
        "should",
        "policy",
        "policies",
        "development",
        "support",
        "high",
        "quality",
    ]
)
CUT_OFF_ENDINGS = re.compile(
    r"(?:\b(?:and|or|of|the|to|with|for|in|a|an|by)|[，、,和及与])\s*$", re.IGNORECASE
)

# --------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------


@dataclass
class SectionDraft:
    number: int
    label: str
    title: str


@dataclass
class MeasureDraft:
    number: int
    label: str
    section_number: int | None
    section_title: str
    title: str
    text: str
    start: int
    end: int
    targets: list[Any] = field(default_factory=list)


@dataclass
class SplitResult:
    measures: list[MeasureDraft] = field(default_factory=list)
    sections: list[SectionDraft] = field(default_factory=list)
    announced: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Marker:
    style: str
    value: int
    label: str
    line_start: int
    body_start: int
    line_end: int


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for every line of text."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _label_value(style: str, raw: str) -> int | None:
    if style == "roman":
        return roman_to_int(raw)
    if style == "en_ordinal":
        return LAST if raw.lower() in ("last", "final") else ORDINALS.get(raw.lower())
    if style == "en_chapter":
        return int(raw) if raw.isdigit() else roman_to_int(raw)
    if style == "bullet":
        return 0  # numbered by position in _find_markers
    if style == "circled":
        return ord(raw) - ord("①") + 1
    return any_to_int(raw)


def make_title(body: str, language: str) -> str:
    """Heading of a measure: its first clause/sentence up to 。 (zh) or '. ' (en)."""
    body = body.strip()
    if language == "zh":
        cut = min((i for i in (body.find(p) for p in "。；！？") if i >= 0), default=-1)
        title = body[:cut] if cut >= 0 else body.split("\n", 1)[0]
    else:
        match = re.search(r"[.!?;](?=\s|[A-Z“\"]|$)", body)
        title = body[: match.start()] if match else body.split("\n", 1)[0]
    title = title.strip().rstrip("，,：:")
    return title[:200]


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _find_markers(text: str) -> dict[str, list[_Marker]]:
    found: dict[str, list[_Marker]] = {}
    for start, end, line in _lines(text):
        stripped = line.lstrip()
        offset = start + len(line) - len(stripped)
        for style, (_, regex) in LINE_STYLES.items():
            match = regex.match(stripped)
            if not match or match.end() >= len(stripped):
                continue
            value = _label_value(style, match.group("n"))
            if value == 0 and style == "bullet":
                run = found.get("bullet", [])
                value = run[-1].value + 1 if run and run[-1].line_end == start - 1 else 1
            elif value is None or not (value == LAST or value > 0):
                continue
            family = STYLE_FAMILY.get(style, style)
            label = match.group(0).strip()
            found.setdefault(family, []).append(
                _Marker(family, value, label, offset, offset + match.end(), end)
            )
            break
    return found


def _sequence(markers: list[_Marker], warnings: list[str], kind: str) -> list[_Marker]:
    """Keep markers that continue a plausible numbering; note gaps."""
    kept: list[_Marker] = []
    last = 0
    for marker in markers:
        if marker.value == LAST:
            if kept:
                marker.value = last + 1
                kept.append(marker)
                last = marker.value
            continue
        if marker.value > MAX_LABEL_VALUE:
            if marker.value == last + 1:
                warnings.append(
                    f"numbering goes on past {MAX_LABEL_VALUE}: the items from {marker.label} on"
                    f" are not split and stay in the text of measure {last}"
                )
                break
            continue
        if marker.value == last + 1 or (marker.value == 1 and last > 0):
            kept.append(marker)
            last = marker.value
        elif last < marker.value <= last + 1 + MAX_GAP and (kept or marker.value <= 1 + MAX_GAP):
            missing = ", ".join(str(v) for v in range(last + 1, marker.value))
            warnings.append(f"numbering gap in {kind}: {missing} missing before {marker.label}")
            kept.append(marker)
            last = marker.value
    return kept


# --------------------------------------------------------------------------
# Strategy 1: line-based numbering
# --------------------------------------------------------------------------


def _nested(inner: list[_Marker], outer: list[_Marker]) -> bool:
    """Most of a list's markers come after the first of the outer list's.

    A summary box (①②③, bullets) before the ordinal paragraphs is not their sub-list.
    """
    first = outer[0].line_start
    inside = sum(1 for m in inner if m.line_start > first)
    return inside >= 2 and inside * 2 >= len(inner)


def _heading_like(text: str, markers: list[_Marker], language: str) -> bool:
    """Every marker's line is a short heading: no sentence, nothing else on it."""
    limit = HEADING_LINE_MAX.get(language, 30)
    for marker in markers:
        line = text[marker.body_start : marker.line_end].strip()
        if not line or len(line) > limit or line[-1] in SENTENCE_ENDINGS:
            return False
    return True


def _choose_levels(
    seqs: dict[str, list[_Marker]], text: str, language: str
) -> tuple[str | None, str | None]:
    """(section style, measure style): the shallowest list and the next one nested in it.

    A list at section level or above (章, 一、, I.) is the sections whenever a deeper
    list sits inside it; a deeper list is the sections only when its lines are headings
    ("1. Lower operating costs" above "1.1 Reduce rents").
    """

    def level(style: str) -> int:
        return LINE_STYLES[style][0]

    usable = sorted((s for s, m in seqs.items() if len(m) >= 2), key=level)
    if not usable:
        return None, None
    top = usable[0]
    deeper = [s for s in usable if level(s) > level(top) and _nested(seqs[s], seqs[top])]
    if deeper and (level(top) <= SECTION_LEVEL or _heading_like(text, seqs[top], language)):
        return top, deeper[0]
    return None, top


def _line_based(text: str, language: str, result: SplitResult) -> bool:
    seq_warnings: dict[str, list[str]] = {}
    seqs: dict[str, list[_Marker]] = {}
    found = _find_markers(text)
    for style, markers in found.items():
        seq_warnings[style] = []
        kept = _sequence(markers, seq_warnings[style], "measures")
        if kept:
            seqs[style] = kept
    section_style, measure_style = _choose_levels(seqs, text, language)
    if measure_style is None:
        return False
    if section_style is None and _items_enumerate(text, seqs[measure_style], language, result):
        return True
    result.warnings.extend(seq_warnings[measure_style])
    sections = seqs.get(section_style, []) if section_style else []
    measures = seqs[measure_style]
    for i, marker in enumerate(sections, 1):
        title = text[marker.body_start : marker.line_end].strip()
        result.sections.append(SectionDraft(number=i, label=marker.label, title=title))
    boundaries = sorted(
        {m.line_start for m in sections} | {m.line_start for m in measures} | {len(text)}
    )
    values = [m.value for m in measures]
    continuous = all(b > a for a, b in zip(values, values[1:], strict=False))
    spans: list[tuple[int, int]] = []
    for marker in measures:
        nxt = boundaries[bisect.bisect_right(boundaries, marker.line_start)]
        spans.append(_trim_span(text, marker.body_start, nxt))
    # When every measure is one line, the last one ends with its line too (unless the
    # numbering went on past the limit: the rest of the list then stays in it).
    overflow = measures[-1].value == MAX_LABEL_VALUE and any(
        m.value == MAX_LABEL_VALUE + 1 for m in found[measure_style]
    )
    if not overflow and len(spans) > 1 and all("\n" not in text[s:e] for s, e in spans[:-1]):
        s, e = spans[-1]
        line_end = text.find("\n", s)
        while 0 <= line_end < e and _opens_inner_item(
            text[line_end + 1 : e].lstrip(), LINE_STYLES[measure_style][0]
        ):
            line_end = text.find("\n", line_end + 1)
        if 0 <= line_end < e:
            spans[-1] = _trim_span(text, s, line_end)
    section_starts = [m.line_start for m in sections]
    for i, (marker, (start, end)) in enumerate(zip(measures, spans, strict=True), 1):
        sec_no, sec_title = _section_for(marker.line_start, section_starts, result.sections)
        body = text[start:end]
        result.measures.append(
            MeasureDraft(
                number=marker.value if continuous else i,
                label=marker.label,
                section_number=sec_no,
                section_title=sec_title,
                title=make_title(body, language),
                text=body,
                start=start,
                end=end,
            )
        )
    return True


INNER_ITEM_RE = re.compile(r"[（(][a-zA-Z][)）]|[a-z][.)]\s")


def _opens_inner_item(rest: str, level: int) -> bool:
    """The line starts an item of a list nested inside the measure ((a), (1), ①)."""
    if INNER_ITEM_RE.match(rest):
        return True
    return any(
        style_level > level and regex.match(rest) for style_level, regex in LINE_STYLES.values()
    )


def _items_enumerate(text: str, items: list[_Marker], language: str, result: SplitResult) -> bool:
    """Numbered paragraphs that each open with a heading and enumerate 一是……二是……

    (一、强化要素保障。一是……二是……): the paragraphs are the sections, their
    enumerated items the measures, labelled as the notice numbers them.
    """
    inline = _inline_items(text, language)
    ends = [m.line_start for m in items[1:]] + [len(text)]
    grouped = [
        [it for it in inline if marker.body_start <= it[2] < end]
        for marker, end in zip(items, ends, strict=True)
    ]
    if sum(1 for g in grouped if len(g) >= 2) < 2:
        return False
    number = 0
    for section_no, (marker, found) in enumerate(zip(items, grouped, strict=True), 1):
        if found:
            heading = text[marker.body_start : found[0][2] - len(found[0][0])]
            title = heading.strip().rstrip("。，,：:；;").strip()
        else:
            title = make_title(text[marker.body_start : marker.line_end], language)
        result.sections.append(SectionDraft(number=section_no, label=marker.label, title=title))
        pieces = [(label, s, e) for label, _, s, e in found] or [
            (marker.label, *_trim_span(text, marker.body_start, ends[section_no - 1]))
        ]
        for label, start, end in pieces:
            number += 1
            body = text[start:end]
            result.measures.append(
                MeasureDraft(
                    number=number,
                    label=label,
                    section_number=section_no,
                    section_title=title,
                    title=make_title(body, language),
                    text=body,
                    start=start,
                    end=end,
                )
            )
    return True


def _section_for(
    pos: int, starts: list[int], sections: list[SectionDraft]
) -> tuple[int | None, str]:
    """The section holding pos: the last one whose marker (in text order) starts at or before."""
    index = bisect.bisect_right(starts, pos) - 1
    if index < 0:
        return None, ""
    return sections[index].number, sections[index].title


# --------------------------------------------------------------------------
# Strategy 2: inline enumerations (+ Chinese plan paragraphs)
# --------------------------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e, line in _lines(text) if line.strip()]


def _inline_items(text: str, language: str) -> list[tuple[str, int, int, int]]:
    """(label, value, start, end) of inline enumeration items, per paragraph."""
    regex = CN_INLINE_RE if language == "zh" else EN_INLINE_RE
    items: list[tuple[str, int, int, int]] = []
    for p_start, p_end in _paragraphs(text):
        para = text[p_start:p_end]
        found: list[tuple[str, int, int, int]] = []
        for match in regex.finditer(para):
            raw = match.group("n")
            value = cn_to_int(raw) if language == "zh" else ORDINALS.get(raw.lower())
            expected = (found[-1][1] + 1) if found else 1
            if raw.lower() in ("last", "final") and found:
                value = expected
            if value != expected:
                continue
            label = match.group(0).strip().rstrip(",")
            found.append((label, value, p_start + match.start("n"), p_start + match.end()))
        if len(found) < 2:
            continue
        for i, (label, value, lab_start, body_start) in enumerate(found):
            if i + 1 < len(found):
                end = found[i + 1][2]
            else:
                closing = CLOSING_RE.search(para, body_start - p_start)
                end = p_start + closing.start() if closing else p_end
            start = body_start if language == "en" else lab_start + len(label)
            s, e = _trim_span(text, start, end)
            items.append((label, value, s, e))
    return items


def _plan_paragraphs(text: str, taken: list[tuple[int, int]], has_targets) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    out = []
    for start, end in _paragraphs(text):
        if any(s < end and start < e for s, e in taken):
            continue
        para = to_simplified(text[start:end])
        if len(para) < 40 or not any(k in para for k in PLAN_KEYWORDS):
            continue
        if has_targets(para):
            out.append(_trim_span(text, start, end))
    return out


def _heading_sections(text: str, title: str | None) -> list[tuple[int, SectionDraft]]:
    """Short heading lines (no sentence punctuation) followed by a paragraph."""
    sections: list[tuple[int, SectionDraft]] = []
    lines = [(s, e, line.strip()) for s, e, line in _lines(text) if line.strip()]
    for i, (start, _, line) in enumerate(lines[:-1]):
        if i == 0 and (title is None or line == title):
            continue
        if (
            line == title
            or len(line) > HEADING_MAX_LEN
            or any(p in line for p in SENTENCE_END + "，,：:")
        ):
            continue
        if not CJK_RE.search(line) or len(lines[i + 1][2]) <= HEADING_MAX_LEN:
            continue
        sections.append((start, SectionDraft(number=len(sections) + 1, label="", title=line)))
    return sections


# A paragraph's own heading before its enumeration: a short sentence ("减轻经营负担。")
# or a topic phrase ("在市场开拓方面，"); a clause such as "负责人介绍，" is neither.
TOPIC_PHRASE_RE = re.compile(r"^(?:在|从|围绕|针对|聚焦|就)[^，,。]{2,20}(?:方面|领域|环节)$")
PARAGRAPH_HEADING_MAX = 30


def _paragraph_heading(text: str, p_start: int, first_label_start: int) -> str | None:
    prefix = text[p_start:first_label_start].strip()
    if not prefix or len(prefix) > PARAGRAPH_HEADING_MAX:
        return None
    core = prefix.rstrip("，,：:。；;").strip()
    if prefix[-1] in "。：:" and not any(p in core for p in "，,。；"):
        return core
    return core if TOPIC_PHRASE_RE.match(core) else None


def _inline(text: str, language: str, result: SplitResult, title: str | None, has_targets) -> bool:  # type: ignore[no-untyped-def]
    items = _inline_items(text, language)
    spans = [(s, e, label) for label, _, s, e in items]
    if language == "zh" and has_targets is not None:
        for s, e in _plan_paragraphs(text, [(s, e) for s, e, _ in spans], has_targets):
            spans.append((s, e, ""))
    if not spans:
        return False
    spans.sort()
    heads = _heading_sections(text, title) if language == "zh" else []
    # Paragraphs whose enumeration is preceded by a heading of their own are sections.
    for p_start, p_end in _paragraphs(text):
        inside = [(s, label) for s, e, label in spans if p_start <= s < p_end and label]
        if len(inside) < 2 or language != "zh":
            continue
        heading = _paragraph_heading(text, p_start, inside[0][0] - len(inside[0][1]))
        if heading:
            heads.append((p_start, SectionDraft(number=0, label="", title=heading)))
    heads.sort(key=lambda h: h[0])
    for number, (_, section) in enumerate(heads, 1):
        section.number = number
    result.sections.extend(section for _, section in heads)
    for i, (start, end, label) in enumerate(spans, 1):
        current = None
        for pos, section in heads:
            if pos <= start:
                current = section
        body = text[start:end]
        result.measures.append(
            MeasureDraft(
                number=i,
                label=label,
                section_number=current.number if current else None,
                section_title=current.title if current else "",
                title=make_title(body, language),
                text=body,
                start=start,
                end=end,
            )
        )
    return True


# --------------------------------------------------------------------------
# Strategy 3: policy packages reported in English news
# --------------------------------------------------------------------------


def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    for match in EN_SENTENCE_RE.finditer(text):
        s, e = _trim_span(text, match.start(), match.end())
        if e > s:
            out.append((s, e))
    return out


def _terms(sentence: str) -> set[str]:
    return {
        w.lower()[:6] for w in re.findall(r"[A-Za-z]{4,}", sentence) if w.lower() not in STOPWORDS
    }


def _packages(text: str, language: str, result: SplitResult) -> bool:
    if language != "en":
        return False
    sentences = _sentences(text)
    anchors: list[tuple[int, int]] = []  # (sentence index, package size)
    seen: set[int] = set()
    for idx, (s, e) in enumerate(sentences):
        mentions = {int(m.group("n")) for m in PACKAGE_RE.finditer(text, s, e)}
        mentions = {n for n in mentions if 2 <= n <= 100}
        if len(mentions) == 1 and not (mentions & seen):
            n = mentions.pop()
            anchors.append((idx, n))
            seen.add(n)
    if len(anchors) < 2:
        return False
    terms = [_terms(text[s:e]) for s, e in sentences]
    df: dict[str, int] = {}
    for ts in terms:
        for t in ts:
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log(len(sentences) / c) for t, c in df.items()}
    starts: list[int] = []
    first_anchor = anchors[0][0]
    prev_end_idx = first_anchor
    for k, (idx, _) in enumerate(anchors):
        if k == 0:
            begin = idx
            while begin > 0 and not _is_overview(text, sentences[begin - 1], anchors):
                begin -= 1
            starts.append(begin)
            continue
        prev_idx = anchors[k - 1][0]
        s, e = sentences[idx]
        if PACKAGE_START_VERBS.search(text[s:e][: max(1, (e - s) // 2)]):
            starts.append(idx)
        else:
            starts.append(_topic_shift(prev_idx, idx, terms, idf))
        prev_end_idx = idx
    del prev_end_idx
    for k, (idx, n) in enumerate(anchors):
        first = starts[k]
        last = starts[k + 1] - 1 if k + 1 < len(anchors) else len(sentences) - 1
        start, end = sentences[first][0], sentences[last][1]
        body = text[start:end]
        a_s, a_e = sentences[idx]
        match = PACKAGE_RE.search(text, a_s, a_e)
        label = match.group(0) if match else str(n)
        result.measures.append(
            MeasureDraft(
                number=k + 1,
                label=label,
                section_number=None,
                section_title="",
                title=_package_title(text[match.start() : a_e] if match else text[a_s:a_e]),
                text=body,
                start=start,
                end=end,
            )
        )
    total = sum(n for _, n in anchors)
    if result.announced is None:
        result.announced = total
    result.warnings.append(
        f"no enumerated measures: {len(anchors)} policy packages reported ({total} measures in total)"
    )
    return True


def _is_overview(text: str, sentence: tuple[int, int], anchors: list[tuple[int, int]]) -> bool:
    sizes = {int(m.group("n")) for m in PACKAGE_RE.finditer(text, *sentence)}
    return len(sizes & {n for _, n in anchors}) >= 2


def _topic_shift(prev_idx: int, idx: int, terms: list[set[str]], idf: dict[str, float]) -> int:
    """Boundary between two anchors that best separates the two topics.

    Every sentence between the anchors has an affinity (shared rare terms) to
    each anchor; the boundary maximises the affinity of the sentences before
    it to the first anchor plus that of the sentences after it to the second.
    """

    def affinity(j: int, anchor: int) -> float:
        return sum(idf.get(t, 0) for t in terms[j] & terms[anchor])

    between = range(prev_idx + 1, idx)
    best, best_score = idx, float("-inf")
    for boundary in range(prev_idx + 1, idx + 1):
        score = sum(affinity(j, prev_idx) for j in between if j < boundary) + sum(
            affinity(j, idx) for j in between if j >= boundary
        )
        if score >= best_score:
            best, best_score = boundary, score
    return best


def _package_title(rest: str) -> str:
    """The package phrase: from "N … measures" to the next clause break."""
    cut = re.search(r"[,;:]|\s[“\"]|(?<=[a-z])(?=[A-Z])", rest)
    return (rest[: cut.start()] if cut else rest).strip().rstrip(".")[:200]


# --------------------------------------------------------------------------
# Announcement, warnings and entry point
# --------------------------------------------------------------------------


def find_announced(text: str, title: str | None = None) -> int | None:
    """The number of measures the text announces ("20 policies and measures", "29条")."""
    language_zh = bool(CJK_RE.search(text[:2000]))
    patterns = ANNOUNCE_ZH if language_zh else ANNOUNCE_EN
    for source in (title or "", text):
        simplified = to_simplified(source) if language_zh else source
        for regex in patterns:
            match = regex.search(simplified)
            if match:
                value = any_to_int(match.group("n"))
                if value and 1 < value <= MAX_LABEL_VALUE:
                    return value
    return None


def announcement_warnings(result: SplitResult) -> list[str]:
    """Warnings comparing the announced count with the measures found."""
    found = len(result.measures)
    if result.announced is None or not found or result.announced == found:
        return []
    if any(w.startswith("no enumerated measures") for w in result.warnings):
        return []
    return [f"announces {result.announced} measures, {found} found"]


def _cut_off_warning(result: SplitResult) -> list[str]:
    if not result.measures:
        return []
    last = result.measures[-1].text.rstrip()
    if last and last[-1] not in '。.!?！？；;”")）' and CUT_OFF_ENDINGS.search(last):
        return [f"measure {result.measures[-1].number} seems cut off mid-sentence: …{last[-40:]}"]
    return []


def split(text: str, *, language: str, title: str | None = None, has_targets=None) -> SplitResult:  # type: ignore[no-untyped-def]
    """Split a cleaned notice into sections and measures.

    ``has_targets`` (optional callable str → bool) lets Chinese paragraphs with
    quantitative targets become measures when there is no numbered list.
    """
    result = SplitResult()
    result.announced = find_announced(text, title)
    try:
        done = (
            _line_based(text, language, result)
            or _inline(text, language, result, title, has_targets)
            or _packages(text, language, result)
        )
    except RecursionError:  # pragma: no cover - defensive
        done = False
    if not done or not result.measures:
        result.warnings.append("no enumerated measures found")
    result.warnings.extend(announcement_warnings(result))
    result.warnings.extend(_cut_off_warning(result))
    return result
