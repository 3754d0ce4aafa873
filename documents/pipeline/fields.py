"""Stage 3a — metadata fields printed as ``label：value``.

Reads lines of a notice (before cleaning: the cleaner drops some of them as page
chrome) and produces ``Fields``: the values of the labelled fields that policy pages
and official letters print apart from the body — a gov.cn-style table (发文机关,
成文日期, 发文字号, 发布日期), a Taiwan 函's header (發文日期, 發文字號; 受文者, 正本
and 副本 name the recipients, never the issuer), an English facts list ("Issued by",
"Date of issue", "Document No."). The labels are a dictionary: each maps to the role
of its value. Several fields may share a line ("发布时间：2024-03-12　来源：X").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .textutil import to_simplified

ISSUER, ISSUED, PUBLISHED, EFFECTIVE, EXPIRES, NUMBER, TITLE, RECIPIENT, OTHER = (
    "issuer",
    "issued",
    "published",
    "effective",
    "expires",
    "number",
    "title",
    "recipient",
    "other",
)

# Label (Simplified, no spaces, lower case) → role of its value.
FIELD_LABELS: dict[str, str] = {
    "发文机关": ISSUER,
    "发文单位": ISSUER,
    "发文机构": ISSUER,
    "发布机构": ISSUER,
    "发布机关": ISSUER,
    "发布单位": ISSUER,
    "制发机关": ISSUER,
    "颁布机关": ISSUER,
    "来源": ISSUER,  # a body, or a newspaper: the issuer stage tells them apart
    "信息来源": ISSUER,
    "文章来源": ISSUER,
    "issued by": ISSUER,
    "issuing authority": ISSUER,
    "issuing body": ISSUER,
    "issuer": ISSUER,
    "source": ISSUER,
    "成文日期": ISSUED,
    "成文时间": ISSUED,
    "发文日期": ISSUED,
    "签发日期": ISSUED,
    "印发日期": ISSUED,
    "date of issue": ISSUED,
    "issue date": ISSUED,
    "date issued": ISSUED,
    "issued on": ISSUED,
    "发布日期": PUBLISHED,
    "发布时间": PUBLISHED,
    "公开日期": PUBLISHED,
    "公布日期": PUBLISHED,
    "发稿时间": PUBLISHED,
    "时间": PUBLISHED,
    "日期": PUBLISHED,
    "published": PUBLISHED,
    "publication date": PUBLISHED,
    "date published": PUBLISHED,
    "release date": PUBLISHED,
    "updated": PUBLISHED,
    "posted": PUBLISHED,
    "施行日期": EFFECTIVE,
    "实施日期": EFFECTIVE,
    "生效日期": EFFECTIVE,
    "生效时间": EFFECTIVE,
    "effective date": EFFECTIVE,
    "失效日期": EXPIRES,
    "废止日期": EXPIRES,
    "有效期至": EXPIRES,
    "expiry date": EXPIRES,
    "valid until": EXPIRES,
    "发文字号": NUMBER,
    "文号": NUMBER,
    "发文文号": NUMBER,
    "字号": NUMBER,
    "document no.": NUMBER,
    "document number": NUMBER,
    "doc. no.": NUMBER,
    "doc no.": NUMBER,
    "reference no.": NUMBER,
    "标题": TITLE,
    "文件名称": TITLE,
    "名称": TITLE,
    "title": TITLE,
    "受文者": RECIPIENT,
    "正本": RECIPIENT,
    "副本": RECIPIENT,
    "主送": RECIPIENT,
    "抄送": RECIPIENT,
    "索引号": OTHER,
    "主题分类": OTHER,
    "体裁分类": OTHER,
    "组配分类": OTHER,
    "主题词": OTHER,
    "有效性": OTHER,
    "时效性": OTHER,
    "浏览次数": OTHER,
    "点阅次数": OTHER,
    "作者": OTHER,
    "速别": OTHER,
    "密等及解密条件或保密期限": OTHER,
    "密等": OTHER,
    "档号": OTHER,
    "保存年限": OTHER,
    "承办人": OTHER,
    "联络人": OTHER,
    "电话": OTHER,
    "传真": OTHER,
    "地址": OTHER,
    "电子信箱": OTHER,
    "by": OTHER,
}
FIELD_LINE_MAX = 300
_SPACES_RE = re.compile(r"[\s\u3000]+")
_LABELS_BY_LENGTH = sorted(FIELD_LABELS, key=len, reverse=True)


def _label_pattern() -> re.Pattern[str]:
    # A label may be printed with spaces inside ("索 引 号", "标　　题").
    spaced = []
    for label in _LABELS_BY_LENGTH:
        if label.isascii():
            spaced.append(re.escape(label).replace(r"\ ", r"\s+"))
        else:
            spaced.append(r"[\s\u3000]*".join(map(re.escape, label)))
    return re.compile(
        rf"(?:^|(?<=[\s\u3000|·]))(?P<label>{'|'.join(spaced)})\s*[：:]\s*", re.IGNORECASE
    )


# Matched on Simplified text: the traditional labels (發文日期, 來源) are found too.
_LABEL_RE = _label_pattern()


def normalize_label(label: str) -> str:
    label = _SPACES_RE.sub(" ", to_simplified(label).strip().rstrip("：:").strip().lower())
    return label if label.isascii() else label.replace(" ", "")


def is_field_label(cell: str) -> bool:
    """A table cell that is only a label ("发文机关", "成文日期：")."""
    return normalize_label(cell) in FIELD_LABELS and len(cell) <= 30


def field_pairs(line: str) -> list[tuple[str, str]]:
    """The ``label：value`` pairs of one line, in order; [] if it does not open with one."""
    line = line.strip()
    if not line or len(line) > FIELD_LINE_MAX:
        return []
    simplified = to_simplified(line)
    if len(simplified) != len(line):  # pragma: no cover - t2s keeps lengths for these
        return []
    matches = list(_LABEL_RE.finditer(simplified))
    if not matches:
        return []
    lead = line[: matches[0].start()].strip()
    # A line that starts with a date then fields ("2024-08-09 08:15 来源：X") is an info line.
    if lead and not re.fullmatch(r"[\d\s:./年月日-]{6,25}", lead):
        return []
    pairs = [("发布日期", lead)] if lead else []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        value = line[match.end() : end].strip(" \u3000|·")
        pairs.append((line[match.start("label") : match.end("label")], value))
    return pairs


@dataclass
class Fields:
    """Values of the labelled fields, first occurrence per role; lines they came from."""

    values: dict[str, str] = field(default_factory=dict)
    recipients: list[str] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)

    def get(self, role: str) -> str | None:
        return self.values.get(role)


def find_fields(lines: list[str]) -> Fields:
    """Every labelled field in the lines (tables rendered as ``| label | value |`` too)."""
    found = Fields()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 3:
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            pairs = [
                (c, cells[i + 1])
                for i, c in enumerate(cells[:-1])
                if is_field_label(c) and cells[i + 1]
            ]
        else:
            pairs = field_pairs(stripped)
        if not pairs:
            continue
        found.lines.add(index)
        for label, value in pairs:
            role = FIELD_LABELS.get(normalize_label(label), OTHER)
            if not value:
                continue
            if role == RECIPIENT:
                found.recipients.append(value)
            elif role != OTHER:
                found.values.setdefault(role, value)
    return found
