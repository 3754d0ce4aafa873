"""Enterprise size classes: the national standard, and the size limits measures state.

The thresholds are data (measures/data/sme_size_standard.json, with the standard's title,
number and year), so a revised standard is a change of that file. The rule is the one
the standard states: an enterprise is an SME when any of its industry's indicators is
under the ceiling; medium and small need every indicator at or above their lower bound
(otherwise it falls one class); micro when any is below the small bound.

``stated_sizes`` reads which size classes a measure names as its beneficiaries, by a
general rule on how size is written (a run of 大/中/小/微 size characters before 企业,
"small and micro enterprises"), never a list of phrases; when a text names every SME
class or large firms too, it states no limit and the answer is None.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "sme_size_standard.json"
INDICATORS = ("employees", "revenue", "assets")
SIZES = ("medium", "small", "micro")  # the SME classes, largest first
SIZE_TAGS = {"medium": "size-medium", "small": "size-small", "micro": "size-micro"}


@dataclass(frozen=True)
class Industry:
    key: str
    name_zh: str
    name_en: str
    ceiling: dict[str, int]
    medium: dict[str, int]
    small: dict[str, int]
    includes_zh: str = ""

    @property
    def indicators(self) -> list[str]:
        return [k for k in INDICATORS if k in self.ceiling]


@dataclass(frozen=True)
class Standard:
    title_zh: str
    title_en: str
    document_number: str
    year: int
    issued_on: str
    source: str
    issuers_zh: tuple[str, ...]
    issuers_en: tuple[str, ...]
    industries: tuple[Industry, ...]

    def industry(self, key: str) -> Industry | None:
        return next((i for i in self.industries if i.key == key), None)


@lru_cache(maxsize=4)
def standard(path: Path = DATA) -> Standard:
    """The standard as its data file states it (read once)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    industries = []
    for item in data["industries"]:
        industry = Industry(
            key=item["key"], name_zh=item["name_zh"], name_en=item["name_en"],
            ceiling=item["ceiling"], medium=item["medium"], small=item["small"],
            includes_zh=item.get("includes_zh", ""),
        )  # fmt: skip
        for bounds in (industry.medium, industry.small):
            if set(bounds) != set(industry.ceiling) or set(bounds) - set(INDICATORS):
                raise ValueError(f"{path}: {industry.key} has inconsistent indicators")
        industries.append(industry)
    return Standard(
        title_zh=data["title_zh"], title_en=data["title_en"],
        document_number=data["document_number"], year=int(data["year"]),
        issued_on=data["issued_on"], source=data["source"],
        issuers_zh=tuple(data["issuers_zh"]), issuers_en=tuple(data["issuers_en"]),
        industries=tuple(industries),
    )  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    indicator: str
    value: int | float
    bound: int
    holds: bool
    strict: bool  # "<" (a ceiling) rather than "≥" (a lower bound)


@dataclass
class Classification:
    """A size class and how it was reached; size is None when it cannot be told."""

    industry: Industry | None
    size: str | None  # medium, small, micro, large, or None
    steps: list[tuple[str, list[Comparison], bool]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    given: bool = False  # the size class was stated, not derived


def classify(
    industry: Industry, *, employees: float | None = None, revenue: float | None = None,
    assets: float | None = None,
) -> Classification:  # fmt: skip
    """The size class of an enterprise of `industry` by the standard's rule."""
    values = {"employees": employees, "revenue": revenue, "assets": assets}
    missing = [k for k in industry.indicators if values[k] is None]
    if missing:
        return Classification(industry, None, missing=missing)

    def compare(bounds: dict[str, int], *, strict: bool) -> list[Comparison]:
        return [
            Comparison(k, values[k], bounds[k],  # type: ignore[arg-type]
                       values[k] < bounds[k] if strict else values[k] >= bounds[k], strict)  # type: ignore[operator]
            for k in industry.indicators
        ]  # fmt: skip

    steps: list[tuple[str, list[Comparison], bool]] = []
    under = compare(industry.ceiling, strict=True)
    is_sme = any(c.holds for c in under)
    steps.append(("sme", [c for c in under if c.holds] or under, is_sme))
    if not is_sme:
        return Classification(industry, "large", steps)
    for size, bounds in (("medium", industry.medium), ("small", industry.small)):
        at_least = compare(bounds, strict=False)
        holds = all(c.holds for c in at_least)
        steps.append((size, at_least if holds else [c for c in at_least if not c.holds], holds))
        if holds:
            return Classification(industry, size, steps)
    return Classification(industry, "micro", steps)


def size_names() -> dict[str, str]:
    return {"medium": _("medium"), "small": _("small"), "micro": _("micro"),
            "large": _("large (not an SME)")}  # fmt: skip


def money(wan: float) -> str:
    """An amount the standard states in 万元: as written in Chinese, in yuan in English."""
    from policykb.display import is_chinese_ui

    if is_chinese_ui():
        return (f"{wan:,.0f}" if float(wan).is_integer() else f"{wan:,}") + "万元"
    millions = float(wan) / 100
    shown = f"{millions:,.0f}" if millions.is_integer() else f"{millions:,.2f}".rstrip("0")
    return _("CNY %(amount)s million") % {"amount": shown}


def _indicator_phrase(c: Comparison) -> str:
    sign = "<" if c.strict else "≥"
    if not c.holds:
        sign = "≥" if c.strict else "<"
    if c.indicator == "employees":
        value = f"{c.value:,.0f}" if float(c.value).is_integer() else f"{c.value:,}"
        words = {"value": value, "sign": sign, "bound": f"{c.bound:,}"}
        return _("%(value)s employees %(sign)s %(bound)s") % words
    words = {"value": money(c.value), "sign": sign, "bound": money(c.bound)}
    if c.indicator == "revenue":
        return _("revenue %(value)s %(sign)s %(bound)s") % words
    return _("total assets %(value)s %(sign)s %(bound)s") % words


def explain(result: Classification, *, chinese: bool) -> str:
    """The derivation as a reader follows it, e.g. "industry: 工业; 80 employees ≥ 20 and … → small"."""
    if result.given:
        return _("size class as you stated it: %(size)s") % {
            "size": size_names()[result.size or ""]
        }
    if result.industry is None:
        return _("no industry given: the size class cannot be derived")
    industry = result.industry.name_zh if chinese else result.industry.name_en
    parts = [_("industry: %(name)s") % {"name": industry}]
    if result.missing:
        names = {
            "employees": _("employees"),
            "revenue": _("annual revenue"),
            "assets": _("total assets"),
        }
        parts.append(
            _("missing for this industry: %(names)s")
            % {"names": _(", ").join(names[m] for m in result.missing)}
        )
        return _("; ").join(parts)
    joiner = _(" and ")
    either = _(" or ")
    for step, comparisons, holds in result.steps:
        text = (either if step == "sme" and holds else joiner if holds else either).join(
            _indicator_phrase(c) for c in comparisons
        )
        if step == "sme":
            parts.append(text + (" → " + _("an SME") if holds else " → " + size_names()["large"]))
        elif holds:
            parts.append(text + " → " + size_names()[step])
        else:
            parts.append(text + " → " + (_("not medium") if step == "medium" else _("not small")))
    if result.size == "micro":
        parts[-1] += " → " + size_names()["micro"]
    return _("; ").join(parts)


# ---------------------------------------------------------------- limits stated in text

# A run of size characters (中小, 小微, 中小微, 小型微型, 中型, 微型…) closing on 企业 or
# 市场主体, with at most four characters between (小微工业企业). A lone character must
# carry 型 to count: 中国企业 and 小学 are not size phrases.
_ZH_RUN = re.compile(
    r"((?:[大中小微]型?[、和及与]?){2,4}|[大中小微]型)[\u4e00-\u9fff]{0,4}?(?:企业|市场主体)"
)
_EN_SIZE = r"(?:micro|small|medium|large)(?:[- ]sized)?"
_EN_RUN = re.compile(
    rf"\b({_EN_SIZE}(?:\s*(?:,|/|&|and|or)\s*{_EN_SIZE})*)\s+(?:[a-z-]+\s+)?(?:enterprises|businesses|firms|companies|entities)\b",
    re.IGNORECASE,
)
_EN_SME = re.compile(r"\bM?SMEs?\b")


def _zh_classes(run: str) -> set[str]:
    chars = set(run) & set("大中小微")
    if "大" in chars or {"中", "小"} <= chars:
        return {"large"} if "大" in chars else set(SIZES)  # 中小企业: every SME class
    return {{"中": "medium", "小": "small", "微": "micro"}[c] for c in chars}


def stated_sizes(text: str) -> frozenset[str] | None:
    """The SME size classes a text limits itself to, or None if it states no limit."""
    named: set[str] = set()
    for match in _ZH_RUN.finditer(text):
        named |= _zh_classes(match.group(1))
    for match in _EN_RUN.finditer(text):
        words = set(re.findall(r"micro|small|medium|large", match.group(1).lower()))
        # "small and medium-sized enterprises" are every SME class, as 中小企业 are
        named |= set(SIZES) if {"small", "medium"} <= words else words
    if _EN_SME.search(text):
        named |= set(SIZES)
    if not named or "large" in named or set(SIZES) <= named:
        return None
    return frozenset(named)


def size_tag_slugs(text: str) -> list[str]:
    """Slugs of the size-class tags of a measure text (none when it states no limit)."""
    sizes = stated_sizes(text)
    return [SIZE_TAGS[s] for s in SIZES if sizes and s in sizes]
