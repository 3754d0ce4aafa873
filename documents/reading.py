"""A notice's cleaned text cut into the passages a reader sees: prose and anchored measures."""

from __future__ import annotations

from dataclasses import dataclass

from measures.models import Measure


@dataclass
class Passage:
    text: str
    measure: Measure | None = None  # the measure this passage is, or None for other text
    is_heading: bool = False  # a section heading of the notice


def _prose(text: str, headings: set[str]) -> list[Passage]:
    """Prose lines, with the notice's section headings marked as such."""
    out: list[Passage] = []
    lines: list[str] = []
    for line in text.splitlines():
        if " ".join(line.split()) in headings:
            if lines:
                out.append(Passage("\n".join(lines)))
                lines = []
            out.append(Passage(line.strip(), is_heading=True))
        elif line.strip():
            lines.append(line)
    if lines:
        out.append(Passage("\n".join(lines)))
    return out


def passages(cleaned_text: str, measures: list[Measure]) -> list[Passage]:
    """The whole cleaned text in order, each measure's span its own passage.

    Text between measures (the preamble, section headings, the closing lines) stays as
    prose, so nothing of the notice is hidden. Measures without a usable span (older
    ingestions, overlapping spans) are left to the table of contents.
    """
    spanned = sorted(
        (m for m in measures if m.span_start is not None and m.span_end is not None),
        key=lambda m: m.span_start,
    )
    headings = {
        " ".join(f"{m.section_label}{sep}{m.section_title}".split())
        for m in measures
        if m.section_title
        for sep in ("", " ")
    }
    out: list[Passage] = []
    cursor = 0
    for measure in spanned:
        start, end = measure.span_start, measure.span_end
        if start < cursor or end > len(cleaned_text) or end <= start:
            continue
        # The measure's own number ("1.", "（三）", "First,") stays with the measure.
        gap = cleaned_text[cursor:start].rstrip()
        label = measure.label.strip()
        if label and len(label) <= 12 and gap.endswith(label):
            start = cursor + len(gap) - len(label)
        before = cleaned_text[cursor:start]
        out.extend(_prose(before, headings))
        out.append(Passage(cleaned_text[start:end].strip(), measure))
        cursor = end
    out.extend(_prose(cleaned_text[cursor:], headings))
    return out
