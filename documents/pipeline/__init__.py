"""PolicyKB ingestion pipeline: raw notice bytes → ``ParsedNotice``.

Pure functions on bytes/strings; no Django. Stages (one module each):
decode → extract → clean → metadata.detect_language → split → metadata.

``parse`` chains them; a curated sidecar dict overrides extracted values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .clean import Cleaned, clean, normalize
from .decode import Decoded, decode
from .errors import IngestError
from .extract import extract
from .metadata import (
    AgencyRef,
    DateInfo,
    Target,
    detect_language,
    find_dates,
    find_doc_number,
    find_doc_type,
    find_targets,
    find_title,
    find_validity,
    has_targets,
    match_agency,
)
from .split import MeasureDraft, SectionDraft, SplitResult, announcement_warnings, split

__all__ = [
    "AgencyRef",
    "Cleaned",
    "DateInfo",
    "Decoded",
    "IngestError",
    "MeasureDraft",
    "ParsedNotice",
    "SectionDraft",
    "SplitResult",
    "Target",
    "clean",
    "decode",
    "detect_language",
    "extract",
    "find_dates",
    "find_doc_number",
    "find_doc_type",
    "find_targets",
    "find_title",
    "match_agency",
    "parse",
    "split",
]

SIDECAR_KEYS = frozenset(
    {
        "title_zh",
        "title_en",
        "agency",
        "issued_on",
        "published_on",
        "source_url",
        "doc_type",
        "doc_number",
        "announced_measures",
        "effective_on",
        "expires_on",
        "validity",
    }
)


@dataclass
class ParsedNotice:
    """Everything the pipeline learned about one notice."""

    name: str
    raw_text: str
    encoding: str
    text: str
    removed: list[str]
    language: str
    script: str
    title: str | None
    title_zh: str | None
    title_en: str | None
    agency_key: str | None
    doc_number: str | None
    issued_on: date | None
    issued_precision: str | None
    published_on: date | None
    doc_type: str | None
    announced: int | None
    measures: list[MeasureDraft] = field(default_factory=list)
    sections: list[SectionDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_url: str | None = None
    effective_on: date | None = None
    expires_on: date | None = None
    validity: str | None = None  # only from a sidecar; otherwise derived when stored


def parse_partial_date(value: str, *, name: str = "sidecar") -> tuple[date, str]:
    """ "2023" → (2023-01-01, "year"); "2023-05" → month; "2023-05-20" → day."""
    parts = str(value).strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return date(numbers[0], 1, 1), "year"
        if len(numbers) == 2:
            return date(numbers[0], numbers[1], 1), "month"
        if len(numbers) == 3:
            return date(*numbers), "day"
    except ValueError:
        pass
    raise IngestError(f"{name}: bad date in sidecar: {value!r}")


def _resolve_agency(value: str, agencies: list[AgencyRef]) -> str | None:
    for agency in agencies:
        if value == agency.key or value in agency.names:
            return agency.key
    return match_agency(value, agencies) or value


def _apply_sidecar(notice: ParsedNotice, sidecar: dict, agencies: list[AgencyRef]) -> None:
    unknown = set(sidecar) - SIDECAR_KEYS
    if unknown:
        notice.warnings.append(f"sidecar: unknown keys ignored: {', '.join(sorted(unknown))}")
    if sidecar.get("title_zh"):
        notice.title_zh = sidecar["title_zh"]
    if sidecar.get("title_en"):
        notice.title_en = sidecar["title_en"]
    preferred = notice.title_zh if notice.language == "zh" else notice.title_en
    if sidecar.get("title_zh") or sidecar.get("title_en"):
        notice.title = preferred or notice.title_zh or notice.title_en
    if sidecar.get("agency"):
        notice.agency_key = _resolve_agency(str(sidecar["agency"]), agencies)
    if sidecar.get("issued_on"):
        notice.issued_on, notice.issued_precision = parse_partial_date(
            sidecar["issued_on"], name=notice.name
        )
    if sidecar.get("published_on"):
        notice.published_on, _ = parse_partial_date(sidecar["published_on"], name=notice.name)
    for key in ("effective_on", "expires_on"):
        if sidecar.get(key):
            setattr(notice, key, parse_partial_date(sidecar[key], name=notice.name)[0])
    if sidecar.get("validity") in ("effective", "expired", "unknown"):
        notice.validity = sidecar["validity"]
    for key, attr in (
        ("source_url", "source_url"),
        ("doc_type", "doc_type"),
        ("doc_number", "doc_number"),
    ):
        if sidecar.get(key):
            setattr(notice, attr, sidecar[key])
    if sidecar.get("announced_measures") is not None:
        notice.announced = int(sidecar["announced_measures"])
        notice.warnings = [w for w in notice.warnings if not w.startswith("announces ")]
        check = SplitResult(
            measures=notice.measures, announced=notice.announced, warnings=notice.warnings
        )
        notice.warnings.extend(announcement_warnings(check))


def _has_targets_zh(paragraph: str) -> bool:
    return has_targets(paragraph, language="zh")


def parse(
    data: bytes, *, name: str, agencies: list[AgencyRef], sidecar: dict | None = None
) -> ParsedNotice:
    """Run the whole pipeline on the raw bytes of one notice."""
    decoded = decode(data, name=name)
    content = extract(decoded.text)
    if not content.strip():
        raise IngestError(f"{name}: no text content")
    cleaned = clean(content)
    language, script = detect_language(cleaned.text)
    title = find_title(cleaned.text.split("\n"))
    parts = split(
        cleaned.text,
        language=language,
        title=title,
        has_targets=_has_targets_zh if language == "zh" else None,
    )
    for measure in parts.measures:
        measure.targets = find_targets(measure.text, language=language)
    dates = find_dates(normalize(content))
    notice = ParsedNotice(
        name=name,
        raw_text=decoded.text,
        encoding=decoded.encoding,
        text=cleaned.text,
        removed=cleaned.removed,
        language=language,
        script=script,
        title=title,
        title_zh=title if language == "zh" else None,
        title_en=title if language == "en" else None,
        agency_key=match_agency(cleaned.text, agencies) if agencies else None,
        doc_number=find_doc_number(cleaned.text),
        issued_on=dates.issued_on,
        issued_precision=dates.issued_precision,
        published_on=dates.published_on,
        doc_type=find_doc_type(cleaned.text, title),
        announced=parts.announced,
        measures=parts.measures,
        sections=parts.sections,
        warnings=[*decoded.warnings, *parts.warnings],
    )
    validity = find_validity(cleaned.text, issued_on=notice.issued_on)
    notice.effective_on, notice.expires_on = validity.effective_on, validity.expires_on
    if not cleaned.text.strip():
        notice.warnings.append("nothing left after cleaning")
    if sidecar:
        _apply_sidecar(notice, sidecar, agencies)
    return notice
