"""Small builders of published notices for the matcher, export and feed tests."""

from __future__ import annotations

import itertools

from documents.services import notice_ingest

_serial = itertools.count(1)


def notice(agency: str, *measures: str, issued_on: str = "2024-03-01", title: str = "") -> object:
    """A published notice of `agency` (a key) with one measure per text, in order."""
    n = next(_serial)
    if len(measures) == 1:  # a notice of one item is not split: add a neutral second one
        measures = (*measures, "各有关单位要认真组织实施。")
    numerals = "一二三四五六七八九十"
    body = "\n".join(f"{numerals[i]}、{text}" for i, text in enumerate(measures))
    heading = title or f"关于支持企业发展的若干措施（第{n}号）"
    data = f"{heading}\n\n{body}\n".encode()
    sidecar = {"agency": agency, "issued_on": issued_on, "title_zh": heading}
    return notice_ingest(data=data, name=f"built-{n}.txt", sidecar=sidecar, publish=True).document
