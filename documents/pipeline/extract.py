"""Stage 2 — page text → main content.

Reads decoded text. If it is an HTML page, produces a ``Page``: the main content as
plain text with one paragraph per line (trafilatura, falling back to the text of
``<body>`` walked with lxml when trafilatura finds nothing), preceded by the page's
title and the metadata its layout prints apart from the body (a gov.cn-style table,
a ``<dl>`` of facts, an info line "发布时间：… 来源：…") as ``label：value`` lines, so
that the fields stage reads them the same way as in a plain-text notice. It also
finds the page's own address (canonical link, og:url). Numbered ``<ol>`` items keep
the numbers a browser shows; ``<ul>`` items get a bullet. Plain text is returned
unchanged. Tags are never handled with regular expressions; the only regex here
looks for HTML markers to decide whether the input is a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fields import FIELD_LINE_MAX, field_pairs, is_field_label

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
# Meta tags that name the document itself (gov.cn pages print ArticleTitle and PubDate).
TITLE_METAS = ("ArticleTitle", "og:title", "dc.title")
DATE_METAS = {"PubDate": "发布日期", "article:published_time": "发布日期"}
URL_METAS = ("og:url",)
# A <title> is often "document title - section - site": the first part is the title.
TITLE_SEPARATORS_RE = re.compile(r"\s*(?:[_|｜]|\s-\s|\s－\s|\s—\s)\s*")
LIST_NUMBER_RE = re.compile(r"^\s*(?:\d{1,3}[.、．)]|[（(]\d{1,3}[)）]|[①-⑳•·])")
BULLET = "• "
TRAFILATURA_ITEM_RE = re.compile(r"^- (?=\d{1,3}[.、．)]|[（(]\d{1,3}[)）]|[①-⑳•·])", re.MULTILINE)


@dataclass
class Page:
    """What a page holds: its text (title and metadata lines first), title and URL."""

    text: str
    title: str | None = None
    source_url: str | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)


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
    return _block_text(root)


def _block_text(root) -> str:  # type: ignore[no-untyped-def]
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


def _text_of(el) -> str:  # type: ignore[no-untyped-def]
    return " ".join(el.text_content().split())


def _meta(root, names: tuple[str, ...]) -> str | None:  # type: ignore[no-untyped-def]
    for name in names:
        for el in root.iter("meta"):
            if name in (el.get("name"), el.get("property")) and (el.get("content") or "").strip():
                return " ".join(el.get("content").split())
    return None


def _source_url(root) -> str | None:  # type: ignore[no-untyped-def]
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split():
            href = (el.get("href") or "").strip()
            if href.startswith(("http://", "https://")):
                return href
    url = _meta(root, URL_METAS)
    return url if url and url.startswith(("http://", "https://")) else None


def _title(root) -> str | None:  # type: ignore[no-untyped-def]
    title = _meta(root, TITLE_METAS)
    if title:
        return title
    body = root.find("body")
    for tag in ("h1", "h2"):
        for el in (body if body is not None else root).iter(tag):
            if any(a.tag in SKIP_TAGS for a in el.iterancestors() if isinstance(a.tag, str)):
                continue
            text = _text_of(el)
            if len(text) >= 4:
                return text
    head = root.find("head")
    el = head.find("title") if head is not None else None
    if el is not None and _text_of(el):
        return TITLE_SEPARATORS_RE.split(_text_of(el))[0] or None
    return None


def _cell_pairs(cells: list[str]) -> list[tuple[str, str]]:
    """Label and value cells side by side (| 发文机关 | X | 成文日期 | Y |)."""
    pairs = []
    for i, cell in enumerate(cells[:-1]):
        if is_field_label(cell) and cells[i + 1] and not is_field_label(cells[i + 1]):
            pairs.append((cell.rstrip("：: "), cells[i + 1]))
    return pairs


def _metadata_blocks(root) -> list[tuple[object, list[tuple[str, str]]]]:  # type: ignore[no-untyped-def]
    """Elements that print the document's metadata, with their label/value pairs."""
    found = []
    taken: set[int] = set()
    for el in root.iter("table", "dl", "ul", "ol", "p", "div", "li", "span", "td"):
        if any(id(a) in taken for a in el.iterancestors()):
            continue
        pairs: list[tuple[str, str]] = []
        if el.tag == "table":
            for row in el.iter("tr"):
                pairs += _cell_pairs([_text_of(c) for c in row if c.tag in ("td", "th")])
        elif el.tag == "dl":
            pairs = _cell_pairs([_text_of(c) for c in el if c.tag in ("dt", "dd")])
        elif el.tag in ("ul", "ol"):
            items = [_text_of(li) for li in el if li.tag == "li"]
            pairs = [p for item in items for p in field_pairs(item)]
            if len(pairs) < max(1, len(items) // 2):
                pairs = []
        else:
            text = _text_of(el)
            if len(text) <= FIELD_LINE_MAX and not any(
                c.tag in ("p", "div", "table", "ul", "ol", "dl") for c in el.iterdescendants()
            ):
                pairs = field_pairs(text)
        if pairs:
            found.append((el, pairs))
            taken.add(id(el))
    return found


def _number_lists(root) -> None:  # type: ignore[no-untyped-def]
    """Write the numbers a browser shows before <ol> items, and a bullet before <ul> items."""
    for ol in root.iter("ol", "ul"):
        items = [li for li in ol if li.tag == "li"]
        for i, li in enumerate(items, 1):
            if LIST_NUMBER_RE.match(li.text_content() or ""):
                continue
            prefix = f"{i}. " if ol.tag == "ol" else BULLET
            li.text = prefix + (li.text or "")


def _page(html: str) -> Page:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several parser errors
        content = _trafilatura_text(html).strip()
        return Page(text=content)
    title = _title(root)
    source_url = _source_url(root)
    fields: list[tuple[str, str]] = []
    for el, pairs in _metadata_blocks(root):
        fields.extend(pairs)
        parent = el.getparent()
        if parent is not None:
            if el.tail:  # keep the text that follows the element
                previous = el.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)
    date = _meta(root, tuple(DATE_METAS))
    if date and not any(label == "发布日期" for label, _ in fields):
        fields.append(("发布日期", date))
    _number_lists(root)
    cleaned_html = lxml.html.tostring(root, encoding="unicode")
    content = _trafilatura_text(cleaned_html).strip() or _block_text(root).strip()
    # trafilatura writes list items as "- item": keep the number or bullet written above.
    content = TRAFILATURA_ITEM_RE.sub("", content)
    head = [title] if title and title not in content.split("\n", 3)[:3] else []
    head += [f"{label}：{value}" for label, value in fields]
    text = "\n".join([*head, content]) if head else content
    return Page(text=text, title=title, source_url=source_url, fields=fields)


def extract_page(text: str) -> Page:
    """The main content of an HTML page with its title, metadata and address.

    Plain text passes through unchanged.
    """
    if not is_html(text):
        return Page(text=text)
    return _page(text)


def extract(text: str) -> str:
    """Main content of an HTML page as text; plain text passes through unchanged."""
    return extract_page(text).text
