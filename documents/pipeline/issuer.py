"""Stage 5a — who issued the notice, read from where notices state it.

Reads the cleaned lines, the title and the labelled fields of a notice and produces an
``IssuerFinding``: the issuing bodies as written (lead first, then co-issuers), where
each was read, the region the notice is about, and warnings. The places, in order of
trust:

1. a metadata field (发文机关 / 发布机构 / 來源 / "Issued by");
2. a header line: a Taiwan 函's 「X 函」 or 「X 公告」, an English "Issued by X (and Y)
   on …" line or a line under the title that is only a body's name;
3. the title: "X关于印发……的通知", "X、Y关于……的意见", "Notice of X on …";
4. the signature block (落款): the bodies' names just above the date that closes a
   letter;
5. a press release's first sentences: "The X announced/issued …", "X印发《…》",
   "记者从X获悉";
6. a news report's speaker: "X相关负责人介绍", "director of X said".

A body merely cited in the text (a ministry whose policy is implemented, a bank that
co-operates, the recipients of a letter) is in none of these places.

What a body's name is, is a grammar: a Chinese name ends in the word for a kind of
organ (局, 厅, 委员会, 人民政府, 办公室 …) and an English one holds its head noun
(Bureau, Ministry, Commission …). The region is read from the name (青岛市…,
"Qingdao Municipal …"). Matching a name to the registry is ``match_issuer``: the name
as written must be one of an agency's names, and a name written without its region
(市工信局) is credited only when the notice's own region singles one agency out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .fields import ISSUER, Fields
from .textutil import CJK_RE, to_simplified

# --------------------------------------------------------------------------
# Names of bodies
# --------------------------------------------------------------------------

# The last word of a Chinese body's name: the kind of organ (Simplified).
ORGAN_SUFFIXES_ZH: tuple[str, ...] = (
    "人民政府办公厅",
    "人民政府办公室",
    "人民政府",
    "政府办公厅",
    "政府办公室",
    "办公厅",
    "办公室",
    "委员会",
    "管委会",
    "领导小组",
    "工作小组",
    "联席会议",
    "总局",
    "局",
    "厅",
    "部",
    "委",
    "署",
    "院",
    "政府",
    "公所",
    "中心",
    "办",
    "处",
    "银行",
    "分行",
    "支行",
    "联合会",
    "协会",
    "商会",
    "工会",
)
# Words that end like a body but name none ("全部", "本局", "各部门" are not issuers).
NOT_BODIES_ZH = frozenset(
    {"全部", "内部", "局部", "外部", "东部", "西部", "中部", "北部", "南部", "总部", "干部"}
)
NOT_BODY_START_ZH = ("本", "我", "该", "各", "贵", "全", "有关", "相关", "关于", "根据", "经")
NAME_ZH_RE = re.compile(
    rf"[\u4e00-\u9fff（）()]{{1,40}}?(?:{'|'.join(ORGAN_SUFFIXES_ZH)})", re.UNICODE
)
# Head nouns of English names of bodies.
HEADS_EN = (
    "Bureau",
    "Bureaux",
    "Ministry",
    "Department",
    "Commission",
    "Office",
    "Government",
    "Administration",
    "Council",
    "Committee",
    "Agency",
    "Authority",
    "Centre",
    "Center",
    "Bank",
    "Federation",
    "Association",
    "Group",
    "Service",
    "Secretariat",
)
HEAD_EN_RE = re.compile(rf"\b(?:{'|'.join(HEADS_EN)})\b", re.IGNORECASE)
EN_NAME_WORD_RE = re.compile(r"^(?:[A-Za-z][A-Za-z'’&.-]*|\(.+\))$")
EN_NAME_MAX_WORDS = 16
LIST_SEPARATORS_ZH_RE = re.compile(r"[、，,；;]|\s+|\u3000+")


def is_body_zh(name: str) -> bool:
    """A Chinese body's name: ends in an organ word, no sentence inside (Simplified)."""
    name = to_simplified(name.strip())
    if not 3 <= len(name) <= 40 or name in NOT_BODIES_ZH or name.startswith(NOT_BODY_START_ZH):
        return False
    if not re.fullmatch(r"[\u4e00-\u9fff（）()]+", name):
        return False
    return name.endswith(ORGAN_SUFFIXES_ZH)


NAME_CONNECTORS_EN = frozenset({"of", "and", "for", "the", "on", "in", "&", "at"})
NOT_NAME_START_EN = frozenset(
    {"in", "to", "for", "with", "as", "on", "at", "by", "from", "according", "after", "since",
     "under", "through", "and", "of", "a", "an", "this", "that", "its", "their"}
)  # fmt: skip


def is_body_en(name: str) -> bool:
    """An English body's name: a short phrase of name words holding a capitalised head noun.

    Before the head noun the words are capitalised (a lowercase first word is tolerated:
    scraped text writes "henan Provincial Department"); the phrase neither opens nor
    ends with a function word ("In order to …", "… took the lead and").
    """
    words = name.split()
    if not 1 <= len(words) <= EN_NAME_MAX_WORDS:
        return False
    if any(ch.isdigit() for ch in name) or re.search(r"[,;:!?\"“”]", name):
        return False
    if not all(EN_NAME_WORD_RE.match(w) for w in words):
        return False
    if words[0].lower() in NOT_NAME_START_EN or words[-1].lower() in NAME_CONNECTORS_EN:
        return False
    heads = [i for i, w in enumerate(words) if w in HEADS_EN]
    if not heads:
        return False
    before = [w for w in words[1 : heads[0]] if w.lower() not in NAME_CONNECTORS_EN]
    return all(w[0].isupper() or w[0] in "(&" for w in before)


def is_body(name: str) -> bool:
    return is_body_zh(name) if CJK_RE.search(name) else is_body_en(name)


def split_bodies(text: str) -> list[str] | None:
    """The bodies of a list as written ("X、Y", "X Y", "X and the Y"); None if not all are."""
    text = text.strip().strip("：:。.")
    if not text:
        return None
    if CJK_RE.search(text):
        parts = [p for p in LIST_SEPARATORS_ZH_RE.split(text) if p]
        if parts and all(is_body_zh(p) for p in parts):
            return parts
        return None
    text = re.sub(r"^(?:the|by)\s+", "", text.strip(), flags=re.IGNORECASE)
    # Strong separators first: "X and the Y" and commas; " and " before a capital only
    # when every part is a body ("Ministry of Industry and Information Technology" is one).
    for separator in (r",\s*(?:and\s+)?(?:the\s+)?|\s+and\s+the\s+", r"\s+and\s+(?=[A-Z])"):
        parts = [p.strip() for p in re.split(separator, text) if p.strip()]
        if len(parts) > 1 and all(is_body_en(p) for p in parts):
            return parts
    return [text] if is_body_en(text) else None


# --------------------------------------------------------------------------
# Regions and levels read from a name
# --------------------------------------------------------------------------

PLACE_SUFFIXES_ZH = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "省",
    "市",
    "县",
    "区",
    "州",
    "盟",
    "旗",
)
PROVINCIAL_ZH = ("特别行政区", "自治区", "省")
MUNICIPAL_ZH = ("市", "州", "盟", "自治州")
# A place does not start with these (国家市场监督管理总局 holds no place "国家市").
NOT_PLACE_START_ZH = ("国家", "中国", "中华", "全国")
# …nor is the suffix character the start of one of these words (市场, 区域, 县域).
NOT_PLACE_WORDS_ZH = ("市场", "区域", "县域", "省级", "市级", "县级", "区级", "州级")
_PLACE_ZH_RE = re.compile(rf"[\u4e00-\u9fff]{{2,8}}?(?:{'|'.join(PLACE_SUFFIXES_ZH)})")
# Bodies of the central government that have branches: "国家税务总局青岛市税务局".
_NATIONAL_PREFIX_ZH_RE = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:总局|总行|总署|银行|部)")
NATIONAL_HINTS_ZH = ("国务院", "国家", "中华人民共和国", "中央", "全国")
NATIONAL_SUFFIXES_ZH = ("部", "总局", "署", "委员会", "委")
PLACE_KINDS_EN = {
    "province": "provincial",
    "provincial": "provincial",
    "autonomous region": "provincial",
    "municipal": "municipal",
    "municipality": "municipal",
    "city": "municipal",
    "prefecture": "municipal",
    "district": "district",
    "county": "district",
}
_PLACE_EN_RE = re.compile(
    r"(?P<place>(?:[A-Z][a-z]+\s){1,3}?)(?P<kind>Provincial|Province|Municipal|Municipality|City|Prefecture|District|County|Autonomous Region)\b"
)
_PLACE_EN_OF_RE = re.compile(
    r"\b(?:of|in)\s+(?P<place>(?:[A-Z][a-z]+\s?){1,3}?)\s(?P<kind>Province|City|Municipality|District|County)\b"
)
NATIONAL_HINTS_EN = ("Ministry", "State ", "National", "China", "People's Bank")


@dataclass
class Place:
    name: str  # as in the name: 青岛市, "Qingdao"
    core: str  # without the suffix: 青岛, "qingdao"
    level: str  # provincial | municipal | district


def places_in_name(name: str) -> list[Place]:
    """The places a body's name starts with (山东省青岛市… → [山东省, 青岛市])."""
    if CJK_RE.search(name):
        text = to_simplified(name)
        prefix = _NATIONAL_PREFIX_ZH_RE.match(text)
        pos = 0
        if (
            prefix
            and not text.startswith(NOT_PLACE_START_ZH[1:])
            and _PLACE_ZH_RE.match(text, prefix.end())
        ):
            pos = prefix.end()
        places = []
        while True:
            match = _PLACE_ZH_RE.match(text, pos)
            if not match or match.group(0).startswith(NOT_PLACE_START_ZH):
                break
            word = match.group(0)
            if text[match.end() - 1 : match.end() + 1] in NOT_PLACE_WORDS_ZH:
                break
            suffix = next(s for s in PLACE_SUFFIXES_ZH if word.endswith(s))
            level = (
                "provincial"
                if suffix in PROVINCIAL_ZH
                else "municipal"
                if suffix in MUNICIPAL_ZH
                else "district"
            )
            places.append(Place(word, word[: -len(suffix)], level))
            pos = match.end()
        return places
    found = []
    for regex in (_PLACE_EN_RE, _PLACE_EN_OF_RE):
        for match in regex.finditer(name):
            place = match.group("place").strip()
            found.append(
                (match.start(), Place(place, place.lower(), PLACE_KINDS_EN[match["kind"].lower()]))
            )
    order = {"provincial": 0, "municipal": 1, "district": 2}
    unique = {p.name: p for _, p in sorted(found, key=lambda f: -order[f[1].level])}
    return sorted(unique.values(), key=lambda p: order[p.level])


def level_of(name: str) -> str | None:
    """national / provincial / municipal / district as the name says; None if it does not."""
    places = places_in_name(name)
    if places:
        return places[-1].level
    if CJK_RE.search(name):
        text = to_simplified(name)
        if text.startswith(NATIONAL_HINTS_ZH) or (
            text.endswith(NATIONAL_SUFFIXES_ZH) and not text.startswith(("市", "省", "区", "县"))
        ):
            return "national"
        return None
    if any(h in name for h in NATIONAL_HINTS_EN) or re.match(r"(?:the\s+)?Ministry\b", name, re.I):
        return "national"
    return None


# --------------------------------------------------------------------------
# Where notices state their issuer
# --------------------------------------------------------------------------

SOURCE_FIELD, SOURCE_HEADER, SOURCE_TITLE, SOURCE_SIGNATURE, SOURCE_PRESS, SOURCE_SPEAKER = (
    "metadata field",
    "header",
    "title",
    "signature",
    "first sentence",
    "speaker",
)
HEADER_ZONE_LINES = 12
LEAD_SENTENCES = 4
LEAD_CHARS = 2000

_DATE_ONLY_RE = re.compile(
    r"(?:(?:中华)?民国|中華民國)?\s*[\d〇○零一二三四五六七八九十]{2,4}\s*年\s*[\d〇○零一二三四五六七八九十]{1,2}\s*月\s*[\d〇○零一二三四五六七八九十]{1,3}\s*日"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
)
_TITLE_ZH_RE = re.compile(r"^(?P<who>.{3,120}?)(?:关于|转发|印发)")
_TITLE_EN_RE = re.compile(
    r"^(?:Notice|Circular|Opinions?|Measures|Provisions|Decision|Announcement|Plan|Rules|Guidelines)\s+of\s+(?P<who>.+?)\s+(?:on|about|regarding|concerning|for)\s",
    re.IGNORECASE,
)
_HEADER_ZH_RE = re.compile(r"^(?P<who>.+?)[\s\u3000]*(?:函|公告|通告|令)$")
_ISSUED_BY_RE = re.compile(
    r"\b(?:issued|promulgated|released|published|jointly issued)\s+by\s+(?P<who>.+?)(?=\s+on\s|\s+in\s|[,.;(]|$)",
    re.IGNORECASE,
)
_VERBS_EN = (
    r"(?:has\s+|have\s+|had\s+|recently\s+|jointly\s+|officially\s+|today\s+)*"
    r"(?:issued|issues|released|releases|announced|announces|unveiled|unveils|published|publishes|"
    r"formulated|formulates|launched|launches|introduced|introduces|rolled out|rolls out|"
    r"adopted|adopts|implements|implemented|printed|promulgated)\b"
)
_PRESS_EN_RE = re.compile(rf"(?P<who>[^.;:!?—–()]{{3,200}}?)\s+{_VERBS_EN}")
_LEADING_EN_RE = re.compile(
    r"^(?:(?:on|in|since|by)\s+(?:[A-Z][a-z]+\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+day)(?:,?\s+\d{4})?,?\s*|recently,?\s*|today,?\s*|this week,?\s*|the\s+)+",
    re.IGNORECASE,
)
_SPEAKER_EN_RE = re.compile(
    r"\b(?:director(?:-general)?|head|spokesperson|spokesman|spokeswoman|official|chief|minister|secretary|chairman|chairwoman|deputy director)\s+(?:general\s+)?(?:of|for|from|at)\s+(?P<who>[^,.;:]{3,150}?)(?:,\s*|\s+)(?:said|says|told|noted|explained|added|stated)\b",
    re.IGNORECASE,
)
_PRESS_ZH_RE = re.compile(
    r"(?:从|据)(?P<src>[\u4e00-\u9fff（）()]{3,40}?)(?:获悉|了解到|消息)"
    r"|(?P<who>[\u4e00-\u9fff（）()]{3,50}?)(?:近日|日前|近期|今天|今日|昨日|正式|联合|专门)?(?:印发|出台|发布|制定|公布|推出)(?:了)?[《“「]"
)
_SPEAKER_ZH_RE = re.compile(
    r"(?P<who>[\u4e00-\u9fff（）()]{3,40}?)(?:相关|有关|主要)?(?:负责人|负责同志|新闻发言人|发言人)(?:介绍|表示|说|称|指出|透露|告诉)"
)
# Words before a body's name in a clause (记者采访了市经信委, 近日青禾市商务局).
_LEADING_ZH_RE = re.compile(
    r"^.*?(?:采访了|采访|走访了|获悉|从|据|向|在|由|了|近日|日前|近期|今天|今日|昨日|目前|记者)"
)


@dataclass
class Statement:
    """Bodies named in one place of the notice, as written."""

    source: str
    names: list[str]


@dataclass
class IssuerFinding:
    """The issuing bodies as written, lead first, and what is uncertain about them."""

    names: list[str] = field(default_factory=list)
    source: str | None = None
    statements: list[Statement] = field(default_factory=list)
    regions: set[str] = field(default_factory=set)  # places the notice is about (cores)
    warnings: list[str] = field(default_factory=list)
    joint: bool = False
    signature_date: str | None = None  # the date line of the signature block, as written


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().strip("，,。.：:")).strip()


def _trim_zh(run: str) -> str | None:
    """The body's name at the end of a run of characters (drop the words before it)."""
    run = to_simplified(run) if len(to_simplified(run)) == len(run) else run
    candidates = [run]
    match = _LEADING_ZH_RE.match(run)
    if match and match.end() < len(run):
        candidates.insert(0, run[match.end() :])
    for candidate in candidates:
        if is_body_zh(candidate):
            return candidate
    return None


def _field_statement(fields: Fields) -> Statement | None:
    value = fields.get(ISSUER)
    names = split_bodies(value) if value else None
    return Statement(SOURCE_FIELD, names) if names else None


def _header_statements(lines: list[str], title: str | None) -> list[Statement]:
    out = []
    for i, line in enumerate(lines[:HEADER_ZONE_LINES]):
        line = line.strip()
        if not line:
            continue
        # 「X 函」/「X 公告」 heads a letter (and may be taken for its title)
        match = _HEADER_ZH_RE.match(line) if CJK_RE.search(line) else None
        if match:
            names = split_bodies(match.group("who"))
            if names:
                out.append(Statement(SOURCE_HEADER, names))
                continue
        if line == title:
            continue
        by = _ISSUED_BY_RE.search(line) if not CJK_RE.search(line) else None
        if by and i < HEADER_ZONE_LINES:
            names = split_bodies(by.group("who"))
            if names:
                out.append(Statement(SOURCE_HEADER, names))
                continue
        # A line under the title that is only the issuer's name.
        if i <= 3 and title and len(line) <= 120 and not CJK_RE.search(line):
            names = split_bodies(line) if is_body_en(line) else None
            if names:
                out.append(Statement(SOURCE_HEADER, names))
    return out


def _title_statement(title: str | None) -> Statement | None:
    if not title:
        return None
    if CJK_RE.search(title):
        match = _TITLE_ZH_RE.match(to_simplified(title))
        if match:
            who = title[: match.end("who")]
            names = split_bodies(who)
            if names:
                return Statement(SOURCE_TITLE, names)
        return None
    match = _TITLE_EN_RE.match(title)
    if match:
        names = split_bodies(match.group("who"))
        if names:
            return Statement(SOURCE_TITLE, names)
    return None


def _signature_names(line: str) -> list[str] | None:
    line = line.strip()
    if not line or len(line) > 120:
        return None
    if CJK_RE.search(line):
        parts = [p for p in re.split(r"[\s\u3000]{1,}|、", line) if p]
        return parts if parts and all(is_body_zh(p) for p in parts) else None
    parts = [p.strip() for p in re.split(r"\s{2,}|\t", line) if p.strip()]
    return parts if parts and all(is_body_en(p) for p in parts) else None


def signature_block(lines: list[str]) -> tuple[list[str], int] | None:
    """The names of the signature block (落款) and the index of its date line."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        date = _DATE_ONLY_RE.fullmatch(stripped)
        names: list[str] = []
        if not date:
            # "X局 2024年3月18日" on one line
            match = _DATE_ONLY_RE.search(stripped)
            if match and match.end() == len(stripped) and match.start() > 0:
                inline = _signature_names(stripped[: match.start()])
                if inline:
                    return inline, i
            continue
        j = i - 1
        while j >= 0 and i - j <= 4:
            found = _signature_names(lines[j])
            if not found:
                break
            names = found + names
            j -= 1
        if names:
            return names, i
    return None


def _press_statement(lines: list[str], title: str | None) -> Statement | None:
    from .fields import field_pairs

    texts = [title] if title else []
    body: list[str] = []
    for line in lines:  # the first lines of the body; a lead sentence is read, not a book
        if len(body) == 3:
            break
        if line.strip() and line.strip() != title and not field_pairs(line):
            body.append(line.strip()[:LEAD_CHARS])
    lead = " ".join(body)
    if CJK_RE.search(lead + (title or "")):
        for text in texts + [lead[:400]]:
            for match in _PRESS_ZH_RE.finditer(to_simplified(text)):
                run = match.group("src") or match.group("who")
                name = _trim_zh(run) if run else None
                if name:
                    return Statement(SOURCE_PRESS, [name])
        return None
    sentences = (
        texts
        + [sentence for line in body[:3] for sentence in re.split(r"(?<=[.!?])\s+", line)][
            :LEAD_SENTENCES
        ]
    )
    for sentence in sentences:
        clause_sentence = re.split(r"\s[—–]\s|\s--\s", sentence)[-1]
        for match in _PRESS_EN_RE.finditer(clause_sentence):
            clause = re.split(r",\s*|\)\s*", match.group("who"))[-1]
            who = _LEADING_EN_RE.sub("", clause.strip())
            names = split_bodies(who) if who else None
            if names:
                return Statement(SOURCE_PRESS, names)
    return None


def _speaker_statement(text: str) -> Statement | None:
    if CJK_RE.search(text[:2000]):
        for match in _SPEAKER_ZH_RE.finditer(to_simplified(text[:5000])):
            name = _trim_zh(match.group("who"))
            if name:
                return Statement(SOURCE_SPEAKER, [name])
        return None
    for match in _SPEAKER_EN_RE.finditer(text[:5000]):
        who = re.sub(r"^the\s+", "", match.group("who").strip(), flags=re.IGNORECASE)
        if is_body_en(who):
            return Statement(SOURCE_SPEAKER, [who])
    return None


def _key(name: str) -> str:
    return normalize_name(name)


def _regions(names: Iterable[str], title: str | None, region_names: Iterable[str]) -> set[str]:
    regions: set[str] = set()
    for name in names:
        regions.update(p.core for p in places_in_name(name))
    if title:
        head = places_in_name(title)
        regions.update(p.core for p in head[:1])
        lowered = to_simplified(title).lower()
        regions.update(r for r in region_names if r and r.lower() in lowered)
    return {r.lower() for r in regions}


JOINT_RE = re.compile(r"联合印发|联合制定|联合发布|联合出台|jointly", re.IGNORECASE)


def find_issuers(
    lines: list[str],
    *,
    title: str | None,
    fields: Fields,
    doc_number: str | None = None,
    region_names: Iterable[str] = (),
) -> IssuerFinding:
    """The bodies that issued the notice, as written, from the places listed above."""
    finding = IssuerFinding()
    text = "\n".join(lines)
    statements: list[Statement] = []
    for statement in (_field_statement(fields), *_header_statements(lines, title)):
        if statement:
            statements.append(statement)
    title_statement = _title_statement(title)
    if title_statement:
        statements.append(title_statement)
    signature = signature_block(lines)
    if signature:
        statements.append(Statement(SOURCE_SIGNATURE, signature[0]))
        line = lines[signature[1]].strip()
        date = _DATE_ONLY_RE.search(line)
        finding.signature_date = date.group(0) if date else None
    if not statements:
        for statement in (_press_statement(lines, title), _speaker_statement(text)):
            if statement:
                statements.append(statement)
                break
    finding.statements = statements
    if statements:
        primary = statements[0]
        names = list(primary.names)
        for other in statements[1:]:
            same_lead = _key(other.names[0]) == _key(names[0])
            if same_lead and len(other.names) > len(names):
                names = list(other.names)  # the fuller list of the same bodies
            elif not same_lead and not _same_body(other.names[0], names[0]):
                finding.warnings.append(
                    f"issuer: the {primary.source} names {names[0]}, "
                    f"the {other.source} {other.names[0]}"
                )
        finding.names = list(dict.fromkeys(names))
        finding.source = primary.source
    finding.joint = bool(
        len(finding.names) > 1
        or JOINT_RE.search(text[:3000])
        or (doc_number and re.search(r"联|聯|\bLian\b", doc_number))
    )
    if finding.joint and len(finding.names) == 1:
        finding.warnings.append(
            f"issuer: a joint notice, but only {finding.names[0]} is named as an issuer"
        )
    finding.regions = _regions(finding.names, title, region_names)
    return finding


def _same_body(a: str, b: str) -> bool:
    """One name is the other with its region or a prefix left out (市财政局 / 青岛市财政局)."""
    a, b = _key(a), _key(b)
    return a.endswith(b) or b.endswith(a)


# --------------------------------------------------------------------------
# Matching a name to the registry
# --------------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """The form names are compared in: Simplified, no spaces or brackets' width, lower."""
    name = to_simplified(name).strip().lower().replace("’", "'")
    if CJK_RE.search(name):
        return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")
    name = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", name))
    return name.rstrip(".")


@dataclass
class AgencyRef:
    """A registered agency: key, names (zh name, en name, aliases), region and level."""

    key: str
    names: list[str]
    region: str
    region_zh: str = ""
    level: str = ""

    def region_cores(self) -> set[str]:
        cores = set()
        for region in (self.region, self.region_zh):
            region = to_simplified(region or "").strip().lower()
            if region:
                cores.add(re.sub(r"(?:省|市|县|区|自治区)$", "", region) or region)
        return cores

    @property
    def is_national(self) -> bool:
        return self.level == "national" or bool(self.region_cores() & {"全国", "china", "national"})


# Short names that leave the region out: 市工信局, 省发改委, "Provincial Department of …".
REGIONLESS_ZH = ("市", "省", "区", "县", "州", "自治区")
REGIONLESS_EN_RE = re.compile(
    r"^(?:the\s+)?(?:municipal|provincial|city|county|district|prefecture|province)\b", re.I
)


def is_regionless(name: str) -> bool:
    """A name written without its region (市经信委, "Municipal Bureau of Commerce")."""
    if CJK_RE.search(name):
        return to_simplified(name.strip()).startswith(REGIONLESS_ZH)
    return bool(REGIONLESS_EN_RE.match(name.strip()))


@dataclass
class Match:
    key: str | None
    warning: str | None = None


class Registry:
    """The agencies by normalised name, for exact matching of names as written."""

    def __init__(self, agencies: Iterable[AgencyRef]) -> None:
        self.agencies = list(agencies)
        self.by_name: dict[str, list[AgencyRef]] = {}
        for agency in self.agencies:
            for name in agency.names:
                if name.strip():
                    owners = self.by_name.setdefault(normalize_name(name), [])
                    if agency not in owners:
                        owners.append(agency)

    def region_names(self) -> set[str]:
        names: set[str] = set()
        for agency in self.agencies:
            if not agency.is_national:
                names |= agency.region_cores()
        return names

    def match(self, name: str, *, regions: set[str] = frozenset()) -> Match:  # type: ignore[assignment]
        """The agency this name as written designates, or None with the reason.

        The name must be one of an agency's names; its region must agree with the
        agency's (青岛市 ≠ 烟台市). A name without a region (市工信局) is credited only
        when the notice's regions single out one agency that bears it.
        """
        normalized = normalize_name(name)
        candidates = self.by_name.get(normalized, [])
        if not candidates:
            # 青岛市经信委: the region and a short name (市经信委) registered without it.
            for place in places_in_name(name)[-1:]:
                rest = normalized.split(normalize_name(place.core), 1)[-1]
                if rest != normalized and is_regionless(rest):
                    candidates = self.by_name.get(rest, [])
        if not candidates:
            return Match(None)
        written = {p.core.lower() for p in places_in_name(name)}
        written |= {
            core for a in candidates for core in a.region_cores() if core and core in normalized
        }
        if written:
            fitting = [a for a in candidates if written & a.region_cores()]
            if len(fitting) == 1:
                return Match(fitting[0].key)
            if not fitting:  # 烟台市工信局 is not 青岛's 市工信局: a body not registered
                return Match(None)
            return Match(None, f"issuer: {name} fits several registered agencies")
        national = [a for a in candidates if a.is_national]
        if len(candidates) == 1 and (national or not is_regionless(name)):
            # a name only this agency bears, that is not a short name such as 市工信局
            return Match(candidates[0].key)
        fitting = [a for a in candidates if regions & a.region_cores()]
        if len(fitting) == 1 and len(regions) == 1:
            return Match(fitting[0].key)
        return Match(
            None,
            f"issuer: {name} is written without its region and the notice does not say "
            "which one: left unattributed",
        )


# --------------------------------------------------------------------------
# From names as written to issuers: matched, or proposed as new agencies
# --------------------------------------------------------------------------


@dataclass
class IssuerDraft:
    """One issuing body: as written, the registered agency it is, or what a new one would be."""

    as_written: str
    key: str | None  # the registered agency, when the name designates one
    name_zh: str = ""
    name_en: str = ""
    level: str | None = None
    region: str = ""
    region_zh: str = ""

    @property
    def can_be_created(self) -> bool:
        """Enough is known to register it as a new agency (a level, and a region below national)."""
        return (
            self.key is None
            and self.level is not None
            and bool(self.region or self.level == "national")
        )


def romanize(place: str) -> str:
    """A Chinese place name in pinyin, as agencies' English regions are written (Yunze)."""
    from pypinyin import lazy_pinyin  # imported lazily: its dictionaries are large

    return "".join(lazy_pinyin(to_simplified(place))).title()


def draft_for(name: str, registry: Registry, regions: set[str]) -> tuple[IssuerDraft, str | None]:
    """The issuer a name as written stands for, and a warning when it stays uncertain."""
    match = registry.match(name, regions=regions)
    draft = IssuerDraft(as_written=name, key=match.key)
    zh = bool(CJK_RE.search(name))
    draft.name_zh, draft.name_en = (name, "") if zh else ("", name)
    if match.key:
        return draft, None
    if match.warning:
        return draft, match.warning
    draft.level = level_of(name)
    places = places_in_name(name)
    if places:
        place = places[-1]
        if zh:
            draft.region_zh, draft.region = place.core, romanize(place.core)
        else:
            draft.region = place.name
    elif draft.level == "national":
        draft.region, draft.region_zh = "China", "全国"
    if draft.can_be_created:
        return draft, f"issuer: {name} is not registered: a new agency needs review"
    return (
        draft,
        f"issuer: {name} is not registered and its level or region is unclear: left unattributed",
    )


def issuer_drafts(
    finding: IssuerFinding, registry: Registry
) -> tuple[list[IssuerDraft], list[str]]:
    drafts, warnings = [], list(finding.warnings)
    for name in finding.names:
        draft, warning = draft_for(name, registry, finding.regions)
        drafts.append(draft)
        if warning:
            warnings.append(warning)
    if not finding.names:
        warnings.append("issuer: not stated where notices state it (title, signature, header)")
    return drafts, warnings
