"""PolicyKB ingestion pipeline: raw notice bytes → ``ParsedNotice``.

Pure functions on bytes/strings; no Django. Stages (one module each), in the order
``parse`` runs them (``STAGES`` lists them; the README mirrors it):

decode → extract → fields → clean → language → title → doc number → issuer → dates
→ validity → split → targets → doc type

A curated sidecar dict overrides extracted values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .clean import Cleaned, clean, normalize
from .decode import Decoded, decode
from .errors import IngestError
from .extract import extract, extract_page
from .fields import ISSUED, NUMBER, PUBLISHED, TITLE, Fields, find_fields
from .issuer import (
    AgencyRef,
    IssuerDraft,
    IssuerFinding,
    Registry,
    draft_for,
    find_issuers,
    issuer_drafts,
)
from .metadata import (
    NEWS_REPORT,
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
    undated_issue,
)
from .split import MeasureDraft, SectionDraft, SplitResult, announcement_warnings, split

__all__ = [
    "AgencyRef",
    "Cleaned",
    "DateInfo",
    "Decoded",
    "IngestError",
    "IssuerDraft",
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
    "find_fields",
    "find_issuers",
    "parse",
    "split",
]

SIDECAR_KEYS = frozenset(
    {
        "title_zh",
        "title_en",
        "agency",
        "co_issuers",
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
    # The issuing bodies, lead first: as written, matched or proposed as new agencies.
    issuers: list[IssuerDraft] = field(default_factory=list)

    @property
    def co_issuers(self) -> list[IssuerDraft]:
        return self.issuers[1:]


STAGES = (
    "decode: bytes → text (DOCX and PDF text layers; BOM, UTF-8, GB18030, Big5, UTF-16)",
    "extract: HTML → main text, title, metadata lines, the page's URL",
    "fields: label：value metadata (发文机关, 成文日期, 發文字號, Issued by …)",
    "clean: junk, pinyin, spam, hard wrapping",
    "language: zh-Hans / zh-Hant / en",
    "title",
    "doc number",
    "issuer: field, header, title, signature, first sentence, speaker; matched or new",
    "dates: issued (成文日期), published, by role",
    "validity: effective and expiry dates",
    "split: sections and measures",
    "targets",
    "doc type",
)


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


def _sidecar_issuer(value: str, agencies: list[AgencyRef]) -> IssuerDraft:
    """A curated issuer: an agency key, one of its names, or a name to register."""
    for agency in agencies:
        if value == agency.key:
            return IssuerDraft(as_written=agency.names[0] if agency.names else value, key=value)
    draft, _ = draft_for(value, Registry(agencies), set())
    return draft


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
    if sidecar.get("agency") or sidecar.get("co_issuers"):
        lead = (
            _sidecar_issuer(str(sidecar["agency"]), agencies)
            if sidecar.get("agency")
            else (notice.issuers[0] if notice.issuers else None)
        )
        others = sidecar.get("co_issuers")
        co = (
            [_sidecar_issuer(str(v), agencies) for v in others]
            if isinstance(others, list)
            else notice.co_issuers
        )
        notice.issuers = [i for i in [lead, *co] if i is not None]
        notice.agency_key = notice.issuers[0].key if notice.issuers else None
        notice.warnings = [w for w in notice.warnings if not w.startswith("issuer:")]
    if sidecar.get("issued_on"):
        notice.issued_on, notice.issued_precision = parse_partial_date(
            sidecar["issued_on"], name=notice.name
        )
        notice.warnings = [w for w in notice.warnings if not w.startswith("issue date:")]
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


def _issue_date(dates: DateInfo, doc_type: str | None, text: str) -> tuple[DateInfo, list[str]]:
    """A news report that states no issue date is dated by its page; nothing else is."""
    if dates.issued_on is not None:
        return dates, []
    if dates.published_on is not None and doc_type == NEWS_REPORT and not undated_issue(text):
        dated = DateInfo(dates.published_on, "day", dates.published_on, "page date")
        return dated, ["issue date: not stated; the report's page date is used"]
    return dates, ["issue date: not found"]


def parse(
    data: bytes, *, name: str, agencies: list[AgencyRef], sidecar: dict | None = None
) -> ParsedNotice:
    """Run the whole pipeline on the raw bytes of one notice (see ``STAGES``)."""
    decoded = decode(data, name=name)
    page = extract_page(decoded.text)
    content = page.text
    if not content.strip():
        raise IngestError(f"{name}: no text content")
    normalized = normalize(content)
    fields: Fields = find_fields(normalized.split("\n"))
    cleaned = clean(content)
    language, script = detect_language(cleaned.text)
    lines = cleaned.text.split("\n")
    title = fields.get(TITLE) or page.title or find_title(lines)
    doc_number = find_doc_number(cleaned.text, field=fields.get(NUMBER))
    registry = Registry(agencies)
    finding: IssuerFinding = find_issuers(
        lines,
        title=title,
        fields=fields,
        doc_number=doc_number,
        region_names=registry.region_names(),
    )
    issuers, issuer_warnings = issuer_drafts(finding, registry)
    parts = split(
        cleaned.text,
        language=language,
        title=title,
        has_targets=_has_targets_zh if language == "zh" else None,
    )
    for measure in parts.measures:
        measure.targets = find_targets(measure.text, language=language)
    doc_type = find_doc_type(cleaned.text, title)
    dates = find_dates(
        cleaned.text,
        dateline_text=normalized,
        issued_field=fields.get(ISSUED),
        published_field=fields.get(PUBLISHED),
        signature_date=finding.signature_date,
        roc=script == "hant",
    )
    dates, date_warnings = _issue_date(dates, doc_type, cleaned.text)
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
        agency_key=issuers[0].key if issuers else None,
        doc_number=doc_number,
        issued_on=dates.issued_on,
        issued_precision=dates.issued_precision,
        published_on=dates.published_on,
        doc_type=doc_type,
        announced=parts.announced,
        measures=parts.measures,
        sections=parts.sections,
        warnings=[*decoded.warnings, *issuer_warnings, *date_warnings, *parts.warnings],
        source_url=page.source_url,
        issuers=issuers,
    )
    validity = find_validity(cleaned.text, issued_on=notice.issued_on)
    notice.effective_on, notice.expires_on = validity.effective_on, validity.expires_on
    if not cleaned.text.strip():
        notice.warnings.append("nothing left after cleaning")
    if sidecar:
        _apply_sidecar(notice, sidecar, agencies)
    return notice
