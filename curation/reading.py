"""What the review page reads: the source text cut at measure spans, and the warnings."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from documents.models import DatePrecision, Document
from measures.models import Measure


@dataclass
class Segment:
    text: str
    measure: Measure | None = None


def source_segments(document: Document, measures: list[Measure]) -> list[Segment]:
    """The whole cleaned text in order, each measure's span a segment of its own.

    Spans that overlap or fall outside the text are left out (the warnings name them).
    """
    text = document.cleaned_text
    out: list[Segment] = []
    cursor = 0
    for measure in sorted(
        (m for m in measures if m.span_start is not None and m.span_end is not None),
        key=lambda m: m.span_start or 0,
    ):
        start, end = measure.span_start or 0, measure.span_end or 0
        if start < cursor or end > len(text) or end <= start:
            continue
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], measure))
        cursor = end
    if cursor < len(text):
        out.append(Segment(text[cursor:]))
    return out


def review_warnings(document: Document, measures: list[Measure], shown: set[int]) -> list[str]:
    """What a reviewer should check, beyond the warnings ingestion wrote."""
    found: list[str] = []
    if document.is_incomplete:
        found.append(
            _("Fewer measures than announced: %(found)s found, %(announced)s announced.")
            % {"found": document.found_measures, "announced": document.announced_measures}
        )
    if document.agency is None:
        found.append(_("No issuing body: choose one below."))
    elif document.agency.needs_review:
        found.append(
            _("The issuing body was registered by ingestion and needs review: %(name)s.")
            % {"name": document.agency}
        )
    if document.issued_on is None:
        found.append(_("No issue date was found."))
    elif document.issued_precision and document.issued_precision != DatePrecision.DAY:
        found.append(
            _("The issue date is uncertain: only the %(precision)s is known.")
            % {"precision": DatePrecision(document.issued_precision).label.lower()}
        )
    numbers = [m.number for m in measures]
    if numbers != list(range(1, len(numbers) + 1)):
        found.append(_("The measures are not numbered 1, 2, 3 … in order: renumber them."))
    unplaced = [str(m.number) for m in measures if m.pk not in shown]
    if unplaced:
        found.append(
            _("No usable place in the source text for measures %(numbers)s.")
            % {"numbers": ", ".join(unplaced)}
        )
    return found
