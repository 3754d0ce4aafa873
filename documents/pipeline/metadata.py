"""Stage 5 — metadata found in the clean text.

Pure functions reading strings and producing: language and script, document
number, dates by their role (issue, publication, effect, expiry), document type,
quantitative targets and the title line. The issuer is ``issuer.py``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .textutil import CJK_RE, CN_NUM_CHARS, cn_to_int, to_simplified

# --------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------

LATIN_WORD_RE = re.compile(r"[A-Za-z]+")
HANT_MIN_SHARE = 0.03  # share of CJK characters changed by t2s
HANT_MIN_CHARS = 2


def detect_language(text: str) -> tuple[str, str]:
    """("zh", "hans") / ("zh", "hant") / ("en", "latn")."""
    sample = text[:20000]
    cjk = CJK_RE.findall(sample)
    words = len(LATIN_WORD_RE.findall(sample))
    if len(cjk) <= words:  # one Chinese character weighs about one English word
        return "en", "latn"
    han = "".join(cjk)
    simplified = to_simplified(han)
    changed = sum(1 for a, b in zip(han, simplified, strict=False) if a != b)
    if changed >= HANT_MIN_CHARS and changed / len(han) >= HANT_MIN_SHARE:
        return "zh", "hant"
    return "zh", "hans"


# --------------------------------------------------------------------------
# Document number
# --------------------------------------------------------------------------

_ZH_NUM_DIGITS = "〇○零一二三四五六七八九"
DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12})\s*[〔\[【［(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]】］)）]\s*(?:第\s*)?(?P<num>\d{1,4})\s*[号號]"
)
# Taiwan style: 府產字第1130045678號, 經中字第11200123450號.
DOC_NUMBER_TW_RE = re.compile(
    rf"(?P<prefix>[\u4e00-\u9fff]{{1,10}}字)\s*第\s*(?P<num>[\d{_ZH_NUM_DIGITS}]{{4,14}})\s*[号號]"
)
# English renderings: "Ji Fa [2023] No. 15", "No. 15 [2023]", "[2023] No. 15".
DOC_NUMBER_EN_RE = re.compile(
    r"(?P<prefix>\b(?:[A-Z][a-z]{0,10}\s){1,7})?\[(?P<year>(?:19|20)\d{2})\]\s*No\.\s*(?P<num>\d{1,4})\b"
    r"|\bNo\.\s*(?P<num2>\d{1,4})\s*\[(?P<year2>(?:19|20)\d{2})\]"
)
# A number in brackets right after a cited title is the cited document's: 《…》（国发〔2023〕5号）.
CITED_BEFORE = ("》（", "》(", "”（", "”(", "》〔")
NUMBER_ZONE_LINES = 12


def _doc_numbers(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in DOC_NUMBER_RE.finditer(text):
        found.append(
            (
                match.start(),
                match.end(),
                f"{match.group('prefix')}〔{match.group('year')}〕{match.group('num')}"
                + text[match.end() - 1],
            )
        )
    for match in DOC_NUMBER_TW_RE.finditer(text):
        found.append((match.start(), match.end(), re.sub(r"\s+", "", match.group(0))))
    for match in DOC_NUMBER_EN_RE.finditer(text):
        found.append((match.start(), match.end(), " ".join(match.group(0).split())))
    found.sort()
    return found


def find_doc_number(text: str, *, field: str | None = None) -> str | None:
    """The notice's own number: the metadata field, a line of its own near the top,
    else the first number that is not a cited document's.

    工信明电〔2020〕14号 ([2020] / 【2020】 normalised to 〔〕); 府產字第1130045678號;
    Ji Fa [2023] No. 15; No. 15 [2023].
    """
    if field:
        found = _doc_numbers(field)
        if found:
            return found[0][2]
    lines = text.split("\n")
    for line in lines[:NUMBER_ZONE_LINES]:
        stripped = line.strip()
        found = _doc_numbers(stripped)
        if found and found[0][0] == 0 and found[0][1] >= len(stripped) - 1:
            return found[0][2]
    for start, _, number in _doc_numbers(text):
        if start and (text[max(0, start - 2) : start] in CITED_BEFORE or text[start - 1] in "（("):
            continue
        return number
    return None


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


@dataclass
class DateInfo:
    issued_on: date | None
    issued_precision: str | None  # "day" | "month" | "year" | None
    published_on: date | None
    issued_source: str | None = None  # where the issue date was read


MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_CNN = f"[{CN_NUM_CHARS}]"
DATELINE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})(?!\d)日?"
)
# A page's dateline is numeric (2022-06-28); 2024年5月20日 near the top of a short
# letter is its signature date.
NUMERIC_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"
)
# ROC years written with three digits in Taiwan pages: 113-05-06, 113/5/6.
ROC_DATELINE_RE = re.compile(r"(?<!\d)(?P<y>1\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
ZH_DATE_RE = re.compile(
    rf"(?P<roc>(?:中华)?民国)?(?P<y>\d{{2,4}}|{_CNN}{{2,4}})\s*年\s*(?P<m>\d{{1,2}}|{_CNN}{{1,2}})\s*月(?:\s*(?P<d>\d{{1,2}}|{_CNN}{{1,3}})\s*日)?"
)
ZH_MONTH_DAY_RE = re.compile(r"(?<![年\d])(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
EN_MDY_RE = re.compile(
    rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?\b",
    re.IGNORECASE,
)
EN_DMY_RE = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+(?P<y>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# The role of a date is the role of the verb nearest to it in its sentence.
ISSUE_VERBS_EN = re.compile(
    r"\b(?:issued|issues|formulated|formulates|promulgated|adopted|signed|approved|held|printed|introduced|drew up|drawn up|dated)\b",
    re.IGNORECASE,
)
RELEASE_VERBS_EN = re.compile(
    r"\b(?:released|releases|published|announced|announces|unveiled|posted|launched|made public)\b",
    re.IGNORECASE,
)
EFFECT_WORDS_EN = re.compile(
    r"\b(?:effect|effective|force|valid|until|expire[sd]?|till|deadline)\b",
    re.IGNORECASE,
)
ISSUE_VERBS_ZH = re.compile(r"印发|发布|出台|颁布|制定|签发|召开|审议通过|公布")
RELEASE_VERBS_ZH = re.compile(r"公开|发稿|刊发|刊登")
# A reporter's verbs: the date is when the news was heard, neither issue nor release.
REPORT_VERBS_ZH = re.compile(r"获悉|了解到|获知|采访|介绍|表示|透露")
REPORT_VERBS_EN = re.compile(r"\b(?:said|says|told|learned|learnt|reported)\b", re.IGNORECASE)
EFFECT_WORDS_ZH = re.compile(r"施行|实施|执行|生效|有效|截至|截止|之前|以前|前|起|至|止|到|期间")
DATELINE_ZONE_LINES = 6
# Characters looked at on each side of a date for its verb: a quoted English title can
# stand between "issued" and "on February 9".
ROLE_WINDOW = {"zh": 60, "en": 200}
UNDATED_ISSUE_RE = re.compile(r"近日|日前|近期|\brecently\b|\bthis week\b", re.IGNORECASE)


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _cn_or_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    return int(raw) if raw.isdigit() else cn_to_int(raw)


def parse_date(value: str, *, roc: bool = False) -> tuple[date, str] | None:
    """A date written on its own (a field's value, a signature line), in any usual form.

    2024年3月18日, 二〇二四年三月十八日, 中華民國113年2月27日 (ROC: + 1911), 2024-03-18,
    113-05-06 (ROC where ``roc``, or always for a three-digit year), 15 April 2024,
    April 15, 2024.
    """
    text = to_simplified(value.strip())
    candidates = []
    for regex in (ZH_DATE_RE, DATELINE_RE, EN_DMY_RE, EN_MDY_RE, ROC_DATELINE_RE):
        match = regex.search(text)
        if match and match.groupdict().get("y"):
            candidates.append((match.start(), regex, match))
    for _, regex, match in sorted(candidates, key=lambda c: c[0]):
        if regex is ROC_DATELINE_RE and not roc and len(match["y"]) != 3:
            continue
        found = _match_date(match, None, text)
        if found:
            return found
    return None


def _published(text: str) -> tuple[date | None, tuple[int, int] | None]:
    """The page dateline near the top: (date, span)."""
    pos = 0
    for i, line in enumerate(text.split("\n")):
        if i >= DATELINE_ZONE_LINES:
            break
        match = NUMERIC_DATE_RE.search(line)
        if match and len(line.strip()) < 120:
            found = _date(int(match["y"]), int(match["m"]), int(match["d"]))
            if found:
                return found, (pos + match.start(), pos + match.end())
        pos += len(line) + 1
    return None, None


def _sentence_around(text: str, start: int, end: int, zh: bool) -> tuple[str, str]:
    stops = "。！？；\n" if zh else ".!?;\n"
    window = max(0, start - CONTEXT_WINDOW)
    limit = min(len(text), end + CONTEXT_WINDOW)
    left = max(window, max(text.rfind(ch, window, start) for ch in stops) + 1)
    rights = [i for i in (text.find(ch, end, limit) for ch in stops) if i >= 0]
    right = min(rights) if rights else limit
    return text[left:start], text[end:right]


def _infer_year(text: str, page_year: int | None) -> int | None:
    years = [int(y) for y in YEAR_RE.findall(text)]
    if page_year:
        earlier = [y for y in years if y <= page_year]
        return max(earlier) if earlier else page_year
    return max(years) if years else None


def _role(before: str, after: str, zh: bool) -> str | None:
    """issue / release / effect: the kind of the word nearest the date in its sentence."""
    window = ROLE_WINDOW["zh" if zh else "en"]
    before, after = before[-window:], after[:window]
    kinds = (
        (
            ("issue", ISSUE_VERBS_ZH),
            ("release", RELEASE_VERBS_ZH),
            ("effect", EFFECT_WORDS_ZH),
            ("report", REPORT_VERBS_ZH),
        )
        if zh
        else (
            ("issue", ISSUE_VERBS_EN),
            ("release", RELEASE_VERBS_EN),
            ("effect", EFFECT_WORDS_EN),
            ("report", REPORT_VERBS_EN),
        )
    )
    best: tuple[int, str] | None = None
    for kind, regex in kinds:
        for match in regex.finditer(after):
            # In Chinese the verb follows the date (于3月5日印发); a word right after it
            # (起, 至) binds closest of all.
            distance = match.start() * (1 if zh else 2)
            if best is None or distance < best[0]:
                best = (distance, kind)
            break
        for match in regex.finditer(before):
            distance = (len(before) - match.end()) * (2 if zh else 1)
            if best is None or distance < best[0]:
                best = (distance, kind)
    return best[1] if best else None


def _dated_mentions(
    text: str, skip: tuple[int, int] | None, page_year: int | None
) -> list[tuple[int, str, tuple[date, str]]]:
    """(position, role, date) of every full or month-day date in the running text."""
    zh = bool(CJK_RE.search(text[:2000]))
    regexes = (ZH_DATE_RE, ZH_MONTH_DAY_RE) if zh else (EN_DMY_RE, EN_MDY_RE, DATELINE_RE)
    found = []
    inferred = _infer_year(text, page_year)  # the same for every date without a year
    taken: set[int] = set()  # characters already read as part of a date (linear, not k²)
    for regex in regexes:
        for match in regex.finditer(text):
            if skip and match.start() < skip[1] and skip[0] < match.end():
                continue
            if taken.intersection(range(match.start(), match.end())):
                continue
            if not match.groupdict().get("d"):
                continue
            taken.update(range(match.start(), match.end()))
            before, after = _sentence_around(text, match.start(), match.end(), zh)
            role = _role(before, after, zh)
            if role is None:
                continue
            parsed = _match_date(match, page_year, text, inferred=inferred)
            if parsed:
                found.append((match.start(), role, parsed))
    found.sort(key=lambda f: f[0])
    return found


_NOT_INFERRED = -1


def _match_date(
    match: re.Match[str], page_year: int | None, text: str, *, inferred: int | None = _NOT_INFERRED
) -> tuple[date, str] | None:
    """The date a match writes; a date without its year takes ``inferred`` (or the text's)."""
    groups = match.groupdict()
    mon = groups.get("mon")
    month = MONTHS.get(mon.lower().rstrip(".")) if mon else _cn_or_int(groups.get("m"))
    day = _cn_or_int(groups.get("d"))
    if groups.get("y"):
        year = _cn_or_int(groups.get("y"))
    else:
        year = _infer_year(text, page_year) if inferred == _NOT_INFERRED else inferred
    if year is None or month is None:
        return None
    if groups.get("roc") or (year < 200 and groups.get("y")):
        year += 1911
    if day is None:
        found = _date(year, month, 1)
        return (found, "month") if found else None
    found = _date(year, month, day)
    return (found, "day") if found else None


def find_dates(
    text: str,
    *,
    issued_field: str | None = None,
    published_field: str | None = None,
    signature_date: str | None = None,
    roc: bool = False,
    dateline_text: str | None = None,
) -> DateInfo:
    """Dates by their role.

    ``text`` is the notice's clean text; ``dateline_text`` the text before cleaning, where
    a page's dateline still is (the cleaner drops it as page chrome).

    The issue date (成文日期) is the metadata field's, else the signature block's, else
    a date the text says the notice was issued, formulated or adopted on. The page
    (publication) date is the field's, else the dateline near the top, else a date the
    text says it was released or published on. A date that says when the notice takes
    effect or expires is neither.
    """
    published = (
        parse_date(published_field, roc=roc)[0]
        if published_field and parse_date(published_field, roc=roc)
        else None
    )
    span = None
    if published is None:
        published, _ = _published(dateline_text if dateline_text is not None else text)
    if published is not None:
        found, span = _published(text)  # the same dateline, still in the clean text?
        span = span if found == published else None
    page_year = published.year if published else None
    if span:  # the dateline's own year must not be used to infer the issue year
        text = text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]
    if signature_date is None:
        signature_date = _closing_date_line(text)
    for value, source in ((issued_field, "metadata field"), (signature_date, "signature")):
        found = parse_date(value, roc=roc) if value else None
        if found:
            return DateInfo(found[0], found[1], published, source)
    simplified = to_simplified(text)
    mentions = _dated_mentions(simplified, span, page_year)
    if published is None:
        released = [m for m in mentions if m[1] == "release" and m[2][1] == "day"]
        if released:
            published = released[0][2][0]
    for _, role, (found, precision) in mentions:
        if role == "issue" and (published is None or found <= published):
            return DateInfo(found, precision, published, "text")
    return DateInfo(None, None, published)


SIGNATURE_LINE_MAX = 24
CLOSING_ZONE_LINES = 6


def _closing_date_line(text: str) -> str | None:
    """A line that is only a date among the last lines: the date that closes a letter."""
    for line in reversed(text.rstrip().split("\n")[-CLOSING_ZONE_LINES:]):
        stripped = line.strip()
        if 0 < len(stripped) <= SIGNATURE_LINE_MAX and any(
            regex.fullmatch(to_simplified(stripped)) for regex in (ZH_DATE_RE, EN_MDY_RE, EN_DMY_RE)
        ):
            return stripped
    return None


def undated_issue(text: str) -> bool:
    """The text reports an issue without its date ("近日，X印发…", "recently issued")."""
    return bool(UNDATED_ISSUE_RE.search(to_simplified(text[:3000])))


# --------------------------------------------------------------------------
# Validity: effective and expiry dates
# --------------------------------------------------------------------------


@dataclass
class ValidityInfo:
    effective_on: date | None
    expires_on: date | None


_ZH_FROM_ISSUE = re.compile(
    r"自(?:(?:印发|发布|公布|颁布|发文|公告)之日|即日)起?(?:施行|实施|执行|生效)"
)
_EN_FROM_ISSUE = re.compile(
    r"\b(?:effective immediately|with immediate effect|(?:takes?|shall take) effect (?:from|on)"
    r" the date of (?:issue|issuance|promulgation|publication))\b",
    re.IGNORECASE,
)
_ZH_EFFECTIVE = re.compile(r"自(?=\S{6,20}?(?:起)?(?:施行|实施|执行|生效))")
_ZH_EXPIRES = re.compile(r"有效期(?:至|到|截至|截止(?:到|至)?)")
_ZH_YEARS = re.compile(rf"有效期(?:为)?(?P<n>\d{{1,2}}|{_CNN}{{1,2}})年")
_EN_EFFECTIVE = re.compile(
    r"\b(?:effective|take effect|come into (?:force|effect)|implemented)\s+(?:from|as of|on)\s+",
    re.IGNORECASE,
)
_EN_EXPIRES = re.compile(
    r"\b(?:valid|effective|in force)\s+(?:until|through|till)\s+", re.IGNORECASE
)
_EN_YEARS = re.compile(
    r"\bvalid for (?P<n>\d{1,2}|one|two|three|four|five) years?\b", re.IGNORECASE
)
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def _date_after(text: str, pos: int) -> date | None:
    """A full date written right after `pos` (within a few characters)."""
    window = text[pos : pos + 30]
    for regex in (ZH_DATE_RE, EN_MDY_RE, EN_DMY_RE, DATELINE_RE):
        match = regex.search(window)
        if (
            match
            and match.start() <= 3
            and match.groupdict().get("y")
            and match.groupdict().get("d")
        ):
            found = _match_date(match, None, text)
            if found:
                return found[0]
    return None


def _plus_years(start: date, years: int) -> date | None:
    try:
        return start.replace(year=start.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28) - timedelta(days=1)


def find_validity(text: str, *, issued_on: date | None) -> ValidityInfo:
    """When a notice takes effect and when it expires, where the text says so.

    自2023年1月1日起施行 / 自印发之日起施行 / 有效期至2025年12月31日 / 有效期3年 /
    effective from May 1, 2024 / valid until 31 December 2025 / valid for two years.
    """
    simplified = to_simplified(text)
    effective = expires = None
    if _ZH_FROM_ISSUE.search(simplified) or _EN_FROM_ISSUE.search(simplified):
        effective = issued_on
    for regex in (_ZH_EFFECTIVE, _EN_EFFECTIVE):
        for match in regex.finditer(simplified):
            effective = _date_after(simplified, match.end()) or effective
    for regex in (_ZH_EXPIRES, _EN_EXPIRES):
        for match in regex.finditer(simplified):
            expires = _date_after(simplified, match.end()) or expires
    if expires is None and (effective or issued_on):
        years = _ZH_YEARS.search(simplified) or _EN_YEARS.search(simplified)
        if years:
            raw = years["n"].lower()
            n = _EN_NUMBERS.get(raw) or (int(raw) if raw.isdigit() else cn_to_int(raw))
            if n:
                expires = _plus_years(effective or issued_on, n)  # type: ignore[arg-type]
    return ValidityInfo(effective, expires)


# --------------------------------------------------------------------------
# Document type
# --------------------------------------------------------------------------

DOC_TYPES_ZH: tuple[str, ...] = (
    "工作要点",
    "通知",
    "意见",
    "方案",
    "办法",
    "规定",
    "措施",
    "决定",
    "公告",
)
DOC_TYPES_EN: tuple[tuple[str, str], ...] = (
    ("work points", "工作要点"),
    ("notice", "通知"),
    ("opinions", "意见"),
    ("plan", "方案"),
    ("measures", "措施"),
    ("regulations", "规定"),
    ("decision", "决定"),
    ("announcement", "公告"),
)
NEWS_MARKERS_ZH = re.compile(r"记者|来源[:：]|编辑[:：]|都市报|日报|晚报|新闻")
NEWS_MARKERS_EN = re.compile(
    r"\b(?:reporter|xinhua|press conference|said|according to|by)\b", re.IGNORECASE
)
NEWS_REPORT = "news report"


def find_doc_type(text: str, title: str | None) -> str | None:
    """通知 / 意见 / 方案 / 工作要点 / 办法 / 规定 / 措施 / 决定 / 公告 / "news report"."""
    head = to_simplified(title or "")
    zh = bool(CJK_RE.search(text[:2000]))
    if zh:
        # the type is the last word of the title ("关于…的通知"), else any in it
        for doc_type in sorted(DOC_TYPES_ZH, key=lambda t: head.rfind(t), reverse=True):
            if doc_type in head:
                return doc_type
        if NEWS_MARKERS_ZH.search(to_simplified(text[:3000])) or (
            head and "：" not in head and ":" in head
        ):
            return NEWS_REPORT
        return None
    if NEWS_MARKERS_EN.search(text) or re.search(
        r"\b(?:issued|implements|formulated)\b", head, re.IGNORECASE
    ):
        return NEWS_REPORT
    lower = head.lower()
    for word, doc_type in DOC_TYPES_EN:
        if word in lower:
            return doc_type
    return None


# --------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------


@dataclass
class Target:
    value: float
    value_max: float | None
    unit: str
    comparator: str | None
    period: str | None
    text: str


ZH_UNITS = (
    "亿元",
    "万元",
    "千元",
    "元",
    "万户",
    "万家",
    "万个",
    "万人",
    "万名",
    "亿",
    "家次",
    "家",
    "户",
    "个",
    "项",
    "场次",
    "场",
    "名",
    "人次",
    "人",
    "批",
    "所",
    "座",
    "台",
    "套",
    "期",
    "次",
    "件",
    "款",
    "笔",
    "%",
    "％",
)
ZH_COMP_BEFORE = {
    "不少于": ">=",
    "不低于": ">=",
    "至少": ">=",
    "超过": ">",
    "不超过": "<=",
    "不高于": "<=",
    "低于": "<",
    "少于": "<",
}
ZH_COMP_AFTER = {"以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "="}
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
ZH_TARGET_RE = re.compile(
    rf"(?P<before>{'|'.join(ZH_COMP_BEFORE)})?(?<![\d.第〔\[【])(?P<v>{_NUM})(?:\s*[-~～—至到]\s*(?P<v2>{_NUM}))?\s*"
    rf"(?P<unit>{'|'.join(map(re.escape, ZH_UNITS))})(?P<after>{'|'.join(ZH_COMP_AFTER)})?"
)
ZH_PERIODS = re.compile(
    r"(?:19|20)\d{2}年(?:底|内|度)?|全年|每年|年内|年度|今年|“?十[三四五六]五”?期间|\d+年内"
)
ZH_NOT_AFTER = re.compile(r"^(?:强|号|届|年|月|日|批次)")

EN_UNIT_NOUNS = (
    "enterprises",
    "enterprise",
    "companies",
    "company",
    "firms",
    "projects",
    "products",
    "platforms",
    "bases",
    "people",
    "persons",
    "talents",
    "jobs",
    "activities",
    "events",
    "parks",
    "smes",
    "items",
)
EN_COMP = {
    "at least": ">=",
    "no less than": ">=",
    "no fewer than": ">=",
    "not less than": ">=",
    "more than": ">",
    "over": ">",
    "up to": "<=",
    "no more than": "<=",
    "less than": "<",
}
EN_TARGET_RE = re.compile(
    rf"(?:(?P<comp>{'|'.join(EN_COMP)})\s+)?(?<![\d.,])(?P<v>{_NUM})(?:\s*(?:-|to)\s*(?P<v2>{_NUM}))?"
    r"(?:(?P<pct>\s?%|\s?percent)|\s+(?P<scale>billion|million|thousand)?\s*(?P<words>(?:[\w“”\"'-]+\s+){0,10}?)"
    rf"(?P<noun>{'|'.join(EN_UNIT_NOUNS)}|yuan)\b)",
    re.IGNORECASE,
)
EN_PERIODS = re.compile(
    r"\b(?:annually|a year|every year|each year|per year|in (?:19|20)\d{2}|by (?:19|20)\d{2})\b|(?:the )?[“\"]?\d{2}th Five-Year Plan",
    re.IGNORECASE,
)


CONTEXT_WINDOW = 400  # max characters looked at around a match (keeps scans linear)


# a number followed by these is a count of measures or a sentence break, not a target
EN_NOT_TARGET_WORDS = re.compile(
    r"[.,;:]|\b(?:measures|steps|policies|items|articles|aspects)\b", re.IGNORECASE
)


def _num(raw: str) -> float:
    return float(raw.replace(",", ""))


def _zh_targets(text: str) -> list[Target]:
    return list(_iter_zh_targets(text))


def _iter_zh_targets(text: str) -> Iterator[Target]:
    simplified = to_simplified(text)
    same = len(simplified) == len(text)
    for match in ZH_TARGET_RE.finditer(simplified):
        value_raw = match.group("v")
        if re.fullmatch(r"(?:19|20)\d{2}", value_raw) and match.group("unit") not in (
            "亿元",
            "万元",
            "元",
        ):
            continue
        if ZH_NOT_AFTER.match(simplified[match.end() : match.end() + 2]):
            continue
        window = max(0, match.start() - CONTEXT_WINDOW)
        clause_start = max(
            window, max(simplified.rfind(p, window, match.start()) for p in "。；;\n") + 1
        )
        periods = ZH_PERIODS.findall(simplified, clause_start, match.start())
        comparator = ZH_COMP_BEFORE.get(match.group("before") or "") or ZH_COMP_AFTER.get(
            match.group("after") or ""
        )
        unit = match.group("unit").replace("％", "%")
        phrase = (text if same else simplified)[match.start() : match.end()]
        yield (
            Target(
                value=_num(value_raw),
                value_max=_num(match.group("v2")) if match.group("v2") else None,
                unit=unit,
                comparator=comparator,
                period=periods[-1].strip("“”") if periods else None,
                text=phrase,
            )
        )


def _en_targets(text: str) -> list[Target]:
    out: list[Target] = []
    for match in EN_TARGET_RE.finditer(text):
        raw = match.group("v")
        if re.fullmatch(r"(?:19|20)\d{2}", raw) and not match.group("pct"):
            continue
        if not match.group("pct") and EN_NOT_TARGET_WORDS.search(match.group("words") or ""):
            continue
        if match.group("pct"):
            unit = "%"
        else:
            unit = " ".join(
                filter(None, [(match.group("scale") or "").lower(), match.group("noun").lower()])
            )
        window = max(0, match.start() - CONTEXT_WINDOW)
        sentence_start = max(
            window, max(text.rfind(p, window, match.start()) for p in ".;!?\n") + 1
        )
        limit = min(len(text), match.end() + CONTEXT_WINDOW)
        ends = [i for i in (text.find(p, match.end(), limit) for p in ".;!?\n") if i >= 0]
        sentence = text[sentence_start : min(ends) if ends else limit]
        m_start, m_end = match.start() - sentence_start, match.end() - sentence_start

        def distance(p: re.Match[str], m_start: int = m_start, m_end: int = m_end) -> int:
            return p.start() - m_end if p.start() >= m_end else m_start - p.end()

        periods = sorted(EN_PERIODS.finditer(sentence), key=distance)
        period = periods[0] if periods else None
        comp = (match.group("comp") or "").lower()
        out.append(
            Target(
                value=_num(raw),
                value_max=_num(match.group("v2")) if match.group("v2") else None,
                unit=unit,
                comparator=EN_COMP.get(comp),
                period=period.group(0).strip('“”"') if period else None,
                text=match.group(0).strip(),
            )
        )
    return out


def has_targets(text: str, *, language: str = "zh") -> bool:
    """Cheap check: does the text contain at least one quantitative target?"""
    if language != "zh":
        return bool(_en_targets(text))
    return next(_iter_zh_targets(text), None) is not None


def find_targets(text: str, *, language: str) -> list[Target]:
    """Quantitative targets ("500家以上" → 500 家 >=; "no less than 2,500 enterprises")."""
    return _zh_targets(text) if language == "zh" else _en_targets(text)


# --------------------------------------------------------------------------
# Title
# --------------------------------------------------------------------------

TITLE_MIN_LEN = 4
TITLE_MAX_LEN = 250
NUMBERED_LINE_RE = re.compile(
    rf"^(?:[{CN_NUM_CHARS}]+[、.]|[（(][{CN_NUM_CHARS}\d]+[）)]|\d+[.、．\s]|第[{CN_NUM_CHARS}]+[条章]|[IVXivx]+\.\s|[①-⑳])"
)


def find_title(lines: Iterable[str]) -> str | None:
    """The first meaningful heading line (not numbered, not a sentence, not a dateline,
    not a metadata field, not a letter's 「X 函」 header)."""
    from .fields import field_pairs

    for line in lines:
        line = line.strip()
        if field_pairs(line) or line.endswith(("：", ":")) or re.search(r"[\s\u3000]函$", line):
            continue
        if not (TITLE_MIN_LEN <= len(line) <= TITLE_MAX_LEN):
            if len(line) > TITLE_MAX_LEN:
                return None
            continue
        if NUMBERED_LINE_RE.match(line) or DATELINE_RE.match(line):
            continue
        if line.endswith(("。", "；")):
            return None
        return line
    return None
