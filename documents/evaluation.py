"""How right ingestion is on a corpus of notices with a curator's answers (gold JSON).

A corpus is a folder of notice files, each with ``NAME.gold.json`` beside it::

    {"issuer": "江川市商务局",          # the lead issuer as written (null: none stated)
     "co_issuers": ["江川市财政局"],     # the other issuers as written, in order
     "agency": "new",                   # a registry key, "new" (not registered) or null
     "issued_on": "2024-03-18",         # any date field may be null; a missing key is
     "published_on": null,              # not checked
     "effective_on": null, "expires_on": null,
     "doc_number": "江商联发〔2024〕4号",
     "announced": 10,
     "sections": ["…"],                 # section titles, in order
     "measures": [{"label": "1.", "first": "first words", "contains": "a phrase",
                   "section": 1}]}

``evaluate`` parses every notice with the pipeline (no database write) and compares
field by field; the ``ingest_eval`` command prints the figures and the misses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from documents.pipeline import AgencyRef, ParsedNotice, parse
from documents.pipeline.errors import IngestError
from documents.pipeline.issuer import normalize_name
from documents.pipeline.textutil import to_simplified

GOLD_SUFFIX = ".gold.json"
# The fields reported, in the order printed; the first five are the thresholds.
FIELDS = (
    "split",
    "issuer",
    "issued_on",
    "doc_number",
    "announced",
    "co_issuers",
    "published_on",
    "effective_on",
    "expires_on",
)
DATE_FIELDS = ("issued_on", "published_on", "effective_on", "expires_on")


@dataclass
class Case:
    path: Path
    gold: dict[str, Any]


@dataclass
class Miss:
    name: str
    field: str
    expected: Any
    got: Any


@dataclass
class Report:
    """Per field: notices checked and notices right; the misses."""

    checked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[Miss] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notices: int = 0

    def share(self, name: str) -> float:
        return self.right[name] / self.checked[name] if self.checked[name] else 1.0


def load_corpus(folder: Path) -> list[Case]:
    """Every notice under the folder that has a gold answer beside it."""
    cases = []
    for gold in sorted(folder.rglob(f"*{GOLD_SUFFIX}")):
        stem = gold.name[: -len(GOLD_SUFFIX)]
        notices = [
            p
            for p in gold.parent.iterdir()
            if p.is_file()
            and p.name.startswith(stem + ".")
            and not p.name.endswith((GOLD_SUFFIX, ".meta.json"))
        ]
        if len(notices) != 1:
            raise IngestError(f"{gold}: expected one notice file named {stem}.*")
        try:
            data = json.loads(gold.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise IngestError(f"{gold}: not valid JSON ({exc})") from exc
        _check_gold(gold, data)
        cases.append(Case(notices[0], data))
    return cases


def _check_gold(path: Path, data: Any) -> None:
    """A gold answer is an object whose measures each give at least their first words."""
    if not isinstance(data, dict):
        raise IngestError(f"{path}: a gold answer must be a JSON object")
    measures = data.get("measures") or []
    if not isinstance(measures, list) or not all(
        isinstance(m, dict) and isinstance(m.get("first"), str) for m in measures
    ):
        raise IngestError(f'{path}: each of "measures" must be an object with "first"')
    for name in DATE_FIELDS:
        value = data.get(name)
        if value is not None and not (isinstance(value, str) and len(value) == 10):
            raise IngestError(f"{path}: {name} must be YYYY-MM-DD or null")


def _norm_text(value: str) -> str:
    return re.sub(r"\s+", "", to_simplified(value))


def _norm_number(value: str | None) -> str | None:
    if not value:
        return None
    value = to_simplified(value)
    value = re.sub(r"[\[【［(（]\s*(\d{4})\s*[\]】］)）]", r"〔\1〕", value)
    return re.sub(r"\s+", " ", value).strip()


def _split_misses(notice: ParsedNotice, gold: dict[str, Any]) -> list[str]:
    problems = []
    expected = gold.get("measures") or []
    if len(notice.measures) != len(expected):
        problems.append(f"{len(notice.measures)} measures for {len(expected)}")
    for i, (got, want) in enumerate(zip(notice.measures, expected, strict=False), 1):
        text = _norm_text(got.text)
        if not text.startswith(_norm_text(want["first"])):
            problems.append(f"measure {i} starts {got.text[:30]!r}, not {want['first']!r}")
        if want.get("contains") and _norm_text(want["contains"]) not in text:
            problems.append(f"measure {i} lacks {want['contains']!r}")
        if want.get("label") and got.label.strip() != want["label"]:
            problems.append(f"measure {i} labelled {got.label!r}, not {want['label']!r}")
        if "section" in want and got.section_number != want["section"]:
            problems.append(f"measure {i} in section {got.section_number}, not {want['section']}")
    if "sections" in gold:
        got_titles = [_norm_text(s.title) for s in notice.sections]
        want_titles = [_norm_text(t) for t in gold["sections"]]
        if got_titles != want_titles:
            problems.append(f"sections {[s.title for s in notice.sections]}")
    return problems


def _issuer_got(notice: ParsedNotice) -> tuple[str | None, str | None]:
    if not notice.issuers:
        return None, None
    lead = notice.issuers[0]
    return lead.as_written, lead.key or ("new" if lead.can_be_created else None)


def _compare(name: str, notice: ParsedNotice, gold: dict[str, Any], report: Report) -> None:
    def check(field_name: str, ok: bool, expected: Any, got: Any) -> None:
        report.checked[field_name] += 1
        if ok:
            report.right[field_name] += 1
        else:
            report.misses.append(Miss(name, field_name, expected, got))

    problems = _split_misses(notice, gold)
    check("split", not problems, f"{len(gold.get('measures') or [])} measures", "; ".join(problems))
    written, matched = _issuer_got(notice)
    want_written, want_agency = gold.get("issuer"), gold.get("agency")
    ok = (written is None and want_written is None) or (
        written is not None
        and want_written is not None
        and normalize_name(written) == normalize_name(want_written)
        and matched == want_agency
    )
    check("issuer", ok, f"{want_written} → {want_agency}", f"{written} → {matched}")
    if "co_issuers" in gold:
        got_co = [normalize_name(i.as_written) for i in notice.co_issuers]
        want_co = [normalize_name(n) for n in gold["co_issuers"]]
        keys = [i.key or "new" for i in notice.co_issuers]
        want_keys = gold.get("co_agencies") or ["new"] * len(want_co)
        check(
            "co_issuers",
            got_co == want_co and keys == want_keys,
            gold["co_issuers"],
            [f"{i.as_written} → {i.key or 'new'}" for i in notice.co_issuers],
        )
    for date_field in DATE_FIELDS:
        if date_field in gold:
            value = getattr(notice, date_field)
            got = value.isoformat() if value else None
            check(date_field, got == gold[date_field], gold[date_field], got)
    if "doc_number" in gold:
        got = _norm_number(notice.doc_number)
        check("doc_number", got == _norm_number(gold["doc_number"]), gold["doc_number"], got)
    if "announced" in gold:
        check(
            "announced", notice.announced == gold["announced"], gold["announced"], notice.announced
        )


def evaluate(cases: list[Case], *, agencies: list[AgencyRef]) -> Report:
    """Parse every notice and compare it with its gold answer, field by field."""
    report = Report()
    for case in cases:
        report.notices += 1
        name = str(case.path)
        try:
            notice = parse(case.path.read_bytes(), name=name, agencies=agencies)
        except IngestError as exc:
            report.failed.append(str(exc))
            for field_name in FIELDS:
                report.checked[field_name] += 1
            continue
        _compare(name, notice, case.gold, report)
    return report
