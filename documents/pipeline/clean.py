"""Stage 3 — raw content text → clean text.

Reads the extracted text of a notice and produces a ``Cleaned`` text plus the
list of every piece that was removed (so a curator can audit the cleaning):

* character normalisation: line endings, zero-width characters, NBSP and
  ideographic spaces, full-width digits/letters → ASCII (Chinese full-width
  punctuation such as ，。、（）“” is kept as is);
* pinyin annotations spliced after CJK characters (``企業(yè)`` → ``企業``);
* SEO-spam phrases spliced into sentences (machinery terms), removing the
  whole spliced clause so the sentence still reads;
* editor signatures glued at the end of a paragraph;
* junk lines: spam titles, copyright, editor, share/QR prompts, navigation
  widgets and pipe menus, bylines/datelines, bullets such as "• Detail",
  lone "?", known site names, repeated lines and a cut-off copy of a title.

Everything is data-driven: the lexicons and patterns are the lists below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .textutil import to_simplified

# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

# Adult/SEO spam vocabulary (Simplified; lines are checked after t2s).
SPAM_TITLE_TERMS: tuple[str, ...] = (
    "国产",
    "婷婷",
    "香蕉",
    "精品",
    "免费看",
    "观看",
    "一区二区",
    "影院",
    "久久",
    "在线看",
    "偷拍",
    "无码",
    "成人视频",
    "av在线",
    "色婷婷",
    "高清无码",
    "日韩",
    "亚洲一区",
    "国偷",
)
SPAM_TITLE_MIN_HITS = 3

# Spliced English SEO-spam: machinery/industrial product names.
SPAM_PHRASE_TERMS: tuple[str, ...] = (
    r"back door and tail support pressure testing machine",
    r"pressure testing machine",
    r"lubricating oil analysis method",
    r"hydraulic (?:breaker|hammer|cylinder)s?",
    r"excavator (?:bucket|parts)",
    r"tower cranes?",
    r"concrete pump trucks?",
    r"wheel loaders?",
    r"crawler cranes?",
    r"vibratory rollers?",
)
# A spliced clause is removed from the nearest of these words before the term.
SPLICE_PREPOSITIONS = frozenset({"with", "of", "for", "by", "using", "via", "from"})
SPLICE_MAX_WORDS = 8

# Whole lines dropped when any pattern matches (matched on the Simplified,
# lower-cased, stripped line).
JUNK_LINE_PATTERNS: tuple[str, ...] = (
    # copyright
    r"copyright\s*(?:©|\(c\)|&copy;)",
    r"^©\s*\d{4}",
    r"版权所有",
    r"版权稿件",
    r"未经授权不得转载",
    r"all rights reserved",
    # editor lines
    r"^[\[【(（]?\s*(?:责任)?编辑\s*[:：]",
    r"^editors?\s*[:：]",
    r"^(?:责任)?编辑\s*[:：]",
    # share / QR prompts
    r"扫一扫",
    r"手机看新闻",
    r"^分享到",
    r"在手机(?:上)?打开",
    r"打印本页",
    r"关闭窗口",
    r"^【?打印】?$",
    r"^share\s*(?:to|on)?\s*[:：]?$",
    # navigation / font-size widgets
    r"小字体\s*大字体",
    r"大字体\s*小字体",
    r"^字号\s*[:：]",
    r"客户端\s*[?？]?$",
    r"^热门推荐$",
    r"^相关(?:新闻|阅读|推荐)$",
    r"^(?:上一篇|下一篇)",
    r"^返回(?:顶部|首页)$",
    # bylines / datelines ("2022-06-28 0 By", "2017-06-27 10:15 来源: …")
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+\d+)?(?:\s*by)?\s*$",
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.{0,30}(?:来源|source)\s*[:：]",
    r"^(?:来源|source)\s*[:：]",
    r"^[•·]\s*\w{1,12}$",
    r"^[?？]+$",
    # short reporter bylines ("半岛全媒体记者 娄花")
    r"^[^。，,.!?]{0,16}记者\s*\S{1,8}$",
)
# Known site names / mastheads (lower-case).
SITE_NAMES: tuple[str, ...] = ("china construction machinery information",)
# Pipe-separated menus: "房产 | 旅游 | 教育".
MENU_MIN_ITEMS = 3
MENU_MAX_ITEM_LEN = 8

# Editor signature glued at the end of a paragraph: "…enterprises.Editor: CAI Xiaoyu".
GLUED_EDITOR_RE = re.compile(
    r"(?<=[.。!?！？”\"])\s*(?:Editor|编辑|編輯|责任编辑|責任編輯)\s*[:：]\s*[^\n.。]{1,40}$",
    re.IGNORECASE | re.MULTILINE,
)

# --------------------------------------------------------------------------
# Compiled patterns
# --------------------------------------------------------------------------

ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
SPACES_RE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
FULLWIDTH_ALNUM[0xFF05] = ord("%")  # ％
FULLWIDTH_DOT_AFTER_DIGIT_RE = re.compile(r"(?<=\d)．")
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（]\s*(?=[a-z" + TONE_VOWELS + r"]*[" + TONE_VOWELS + r"])"
    r"[a-z" + TONE_VOWELS + r"]{1,7}\s*[)）]"
)
SPAM_PHRASE_RE = re.compile(
    r"(?:\b\d+(?:\.\d+)?\s+)?(?:" + "|".join(SPAM_PHRASE_TERMS) + r")\b", re.IGNORECASE
)
JUNK_LINE_RE = re.compile("|".join(f"(?:{p})" for p in JUNK_LINE_PATTERNS), re.IGNORECASE)
LEADING_QMARK_RE = re.compile(r"^[?？]\s+(?=\S)")
TRAILING_QMARK_RE = re.compile(r"\s+[?？]$")
BLANK_RUN_RE = re.compile(r"\n{3,}")
WORD_RE = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
TERMINAL_PUNCT = '。.!?！？；;:：”"'
DEDUP_MIN_LEN = 8
CUT_TITLE_MIN_LEN = 15


@dataclass
class Cleaned:
    """Cleaned text and every removed piece, in order of removal."""

    text: str
    removed: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# Character level
# --------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Character normalisation only (no content removed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ZERO_WIDTH_RE.sub("", text)
    text = SPACES_RE.sub(" ", text)
    text = FULLWIDTH_DOT_AFTER_DIGIT_RE.sub(".", text.translate(FULLWIDTH_ALNUM))
    return text


def remove_pinyin(text: str, removed: list[str]) -> str:
    """Drop pinyin annotations glued after CJK characters: 企業(yè) → 企業."""

    def drop(match: re.Match[str]) -> str:
        removed.append(match.group(0))
        return ""

    previous = None
    while previous != text:  # annotations can be stacked: 網(wǎng)（wǎng）
        previous, text = text, PINYIN_RE.sub(drop, text)
    return text


def _splice_start(line: str, term_start: int) -> int:
    """Start of the spliced clause: nearest preceding preposition in the clause."""
    window = max(0, term_start - 200)
    clause_from = max(window, max(line.rfind(p, window, term_start) for p in ",;:.!?，。；：") + 1)
    words = list(WORD_RE.finditer(line, clause_from, term_start))
    for word in reversed(words[-SPLICE_MAX_WORDS:]):
        if word.group(0).lower() in SPLICE_PREPOSITIONS:
            return word.start()
    return term_start


def remove_spam_phrases(text: str, removed: list[str]) -> str:
    """Remove SEO-spam clauses spliced into sentences."""
    out_lines = []
    for line in text.split("\n"):
        while True:
            match = SPAM_PHRASE_RE.search(line)
            if not match:
                break
            start = _splice_start(line, match.start())
            while start > 0 and line[start - 1] == " ":
                start -= 1
            removed.append(line[start : match.end()].strip())
            line = line[:start] + line[match.end() :]
        out_lines.append(re.sub(r" +([,.;:])", r"\1", line) if removed else line)
    return "\n".join(out_lines)


def remove_glued_editor(text: str, removed: list[str]) -> str:
    """Drop "Editor: NAME" glued to the end of a paragraph."""

    def drop(match: re.Match[str]) -> str:
        removed.append(match.group(0).strip())
        return ""

    return GLUED_EDITOR_RE.sub(drop, text)


# --------------------------------------------------------------------------
# Line level
# --------------------------------------------------------------------------


def is_spam_title(simplified_lower: str) -> bool:
    hits = sum(1 for term in SPAM_TITLE_TERMS if term in simplified_lower)
    return hits >= SPAM_TITLE_MIN_HITS


def is_menu(line: str) -> bool:
    parts = [p.strip() for p in re.split(r"[|｜]", line)]
    return len(parts) >= MENU_MIN_ITEMS and all(0 < len(p) <= MENU_MAX_ITEM_LEN for p in parts)


def is_junk_line(line: str, simplified_lower: str) -> bool:
    """True for a line that is page chrome, spam or boilerplate."""
    return bool(
        JUNK_LINE_RE.search(simplified_lower)
        or is_spam_title(simplified_lower)
        or simplified_lower in SITE_NAMES
        or is_menu(line)
    )


def _drop_junk_lines(lines: list[str], removed: list[str]) -> list[str]:
    simplified = to_simplified("\n".join(lines)).split("\n")
    if len(simplified) != len(lines):  # pragma: no cover - t2s keeps newlines
        simplified = [to_simplified(line) for line in lines]
    kept: list[str] = []
    for line, simp in zip(lines, simplified, strict=True):
        if line and is_junk_line(line, simp.lower()):
            removed.append(line)
            continue
        kept.append(line)
    return kept


def _tidy_line(line: str, removed: list[str]) -> str:
    line = line.strip()
    for pattern in (LEADING_QMARK_RE, TRAILING_QMARK_RE):
        match = pattern.search(line)
        if match:
            removed.append(match.group(0).strip())
            line = pattern.sub("", line)
    return line


def _drop_repeats(lines: list[str], removed: list[str]) -> list[str]:
    """Drop exact repeats (case-insensitive) and a cut-off prefix of a later line."""
    seen: set[str] = set()
    kept: list[str] = []
    contents = [line.lower() for line in lines if line]
    for line in lines:
        key = line.lower()
        if line and len(line) >= DEDUP_MIN_LEN and key in seen:
            removed.append(line)
            continue
        if (
            len(line) >= CUT_TITLE_MIN_LEN
            and line[-1] not in TERMINAL_PUNCT
            and any(len(other) > len(key) and other.startswith(key) for other in contents[:20])
        ):
            removed.append(line)
            continue
        seen.add(key)
        kept.append(line)
    return kept


# --------------------------------------------------------------------------
# Hard-wrapped text
# --------------------------------------------------------------------------

WRAP_MIN_LINES = 8
WRAP_MAX_WIDTH = 120
WRAP_FULL_SHARE = 0.4  # share of lines filling the width in a hard-wrapped text
WRAP_SENTENCE_ENDS = "。；！？.;!?"
# A line that opens a structural unit is never glued to the line before it, unless the
# number is followed by a word that makes it a cross-reference ("Article 3 of these").
STRUCTURE_START_RE = re.compile(
    r"^(?:(?:chapter|article|section|part)\s+[\divxlc]+|[一二三四五六七八九十]+[、.]|第[一二三四五六七八九十百]+[章条节]"
    r"|[（(][一二三四五六七八九十\d]+[)）]|\d{1,3}(?:\.\d{1,2})*[.、]?\s|[①-⑳•·]|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final)(?:ly)?\s*,)",
    re.IGNORECASE,
)
CROSS_REFERENCE_RE = re.compile(
    r"^(?:(?:chapter|article|section|part)\s+[\divxlc]+|\d{1,3})\s+(?:of|and|or|to|in|under|above|below|shall|is|are|hereof)\b",
    re.IGNORECASE,
)


def _wrap_width(lines: list[str]) -> int | None:
    """The width a text was hard-wrapped at, or None if it was not."""
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < WRAP_MIN_LINES:
        return None
    width = lengths[int(len(lengths) * 0.95) - 1] if len(lengths) >= 20 else lengths[-1]
    if width > WRAP_MAX_WIDTH or width < 40:
        return None
    # A line the wrapping broke fills the width and does not end a sentence.
    full = sum(
        1
        for line in lines
        if width * 0.8 <= len(line) <= width and line.rstrip()[-1:] not in WRAP_SENTENCE_ENDS
    )
    return width if full >= WRAP_FULL_SHARE * len(lengths) else None


def unwrap(text: str, removed: list[str]) -> str:
    """Join the lines of a hard-wrapped text back into paragraphs.

    A line was broken by the wrapping (not by its author) when the next line's first
    word would not have fitted on it; such a line is joined to the next, unless the
    next one opens a new article, chapter or item (a wrapped line that begins with
    "Article 5 of …" is a cross-reference and is joined).
    """
    lines = text.split("\n")
    width = _wrap_width(lines)
    if width is None:
        return text
    out: list[str] = []
    last = ""  # the previous line as wrapped, before any joining
    for line in lines:
        previous_line, last = last, line
        if out and out[-1].strip() and line.strip():
            previous = out[-1]
            first_word = line.strip().split(" ", 1)[0]
            cjk = bool(re.match(r"[\u4e00-\u9fff]", line.strip()))
            forced = (
                len(previous_line) + (0 if cjk else 1) + (1 if cjk else len(first_word)) > width
            )
            starts_unit = STRUCTURE_START_RE.match(line.strip()) and not CROSS_REFERENCE_RE.match(
                line.strip()
            )
            if forced and not starts_unit:
                hyphen = re.fullmatch(r"[A-Za-z]-", previous.rstrip()[-2:])
                joiner = "" if cjk or hyphen else " "
                out[-1] = previous.rstrip() + joiner + line.strip()
                continue
        out.append(line)
    if len(out) < len(lines):
        removed.append(
            f"(hard wrapping at {width} characters: {len(lines) - len(out)} line breaks)"
        )
    return "\n".join(out)


def clean(text: str) -> Cleaned:
    """Normalise characters and remove junk; see the module docstring."""
    removed: list[str] = []
    text = normalize(text)
    text = remove_pinyin(text, removed)
    text = remove_spam_phrases(text, removed)
    text = remove_glued_editor(text, removed)
    text = unwrap(text, removed)
    lines = [_tidy_line(line, removed) for line in text.split("\n")]
    lines = _drop_junk_lines(lines, removed)
    lines = _drop_repeats(lines, removed)
    text = BLANK_RUN_RE.sub("\n\n", "\n".join(lines)).strip("\n")
    return Cleaned(text=text, removed=removed)
