"""A ready-to-copy citation of a measure, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from measures.models import Measure
from policykb import display
from policykb.dates import precise_date


def citation(measure: Measure, url: str) -> str:
    """Agency, document title, number, date, measure number and URL, as one line."""
    document = measure.document
    title, _language = display.document_title(document)
    agency = display.local_name(measure.agency) if measure.agency else ""
    date = precise_date(document.issued_on, document.issued_precision)
    if display.is_chinese_ui():
        parts = [f"{agency}：" if agency else "", f"《{title}》"]
        if document.doc_number:
            parts.append(f"（{display.in_ui_script(document.doc_number)}）")
        if date:
            parts.append(f"，{date}")
        parts.append("，" + _("Measure %(number)s") % {"number": measure.number} + "。")
        return "".join(parts) + url
    parts = [agency, f"“{title}”", display.in_ui_script(document.doc_number), date,
             _("Measure %(number)s") % {"number": measure.number}]  # fmt: skip
    return ". ".join(p for p in parts if p) + f". {url}"
