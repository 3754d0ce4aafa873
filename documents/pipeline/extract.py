"""Stage 2 — page text → main content.

Reads decoded text. If it is an HTML page, produces the main content as plain
text with one paragraph per line (trafilatura, falling back to the text of
``<body>`` walked with lxml when trafilatura finds nothing). Plain text is
returned unchanged. Tags are never handled with regular expressions; the only
regex here looks for HTML markers to decide whether the input is a page.
"""

from __future__ import annotations

import re

HTML_MARKER_RE = re.compile(r"<(?:!doctype\s+html|html|body|head)\b", re.IGNORECASE)
BLOCK_TAG_RE = re.compile(
    r"<(?:p|div|br|table|li|h[1-6]|article|section)\b[^<>]{0,200}>", re.IGNORECASE
)
MIN_BLOCK_TAGS = 2

# Elements whose text is never content.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "nav",
        "footer",
        "header",
        "aside",
        "form",
        "iframe",
        "template",
    }
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "article",
        "section",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "ul",
        "ol",
        "td",
    }
)


def is_html(text: str) -> bool:
    """True when the text looks like an HTML page or fragment."""
    head = text[:5000]
    if HTML_MARKER_RE.search(head):
        return True
    return len(BLOCK_TAG_RE.findall(head)) >= MIN_BLOCK_TAGS


def _trafilatura_text(html: str) -> str:
    import trafilatura  # imported lazily: slow to import, only needed for pages

    result = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        output_format="txt",
    )
    return result or ""


def _lxml_body_text(html: str) -> str:
    """Fallback: text of <body>, one line per block element, skipping chrome."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several parser errors
        return ""
    body = root.find("body")
    node = body if body is not None else root
    parts: list[str] = []

    def walk(el) -> None:  # type: ignore[no-untyped-def]
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in SKIP_TAGS:
            if el.tail:
                parts.append(el.tail)
            return
        block = tag.lower() in BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(node)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def extract(text: str) -> str:
    """Main content of an HTML page as text; plain text passes through unchanged."""
    if not is_html(text):
        return text
    content = _trafilatura_text(text).strip()
    if not content:
        content = _lxml_body_text(text).strip()
    return content
