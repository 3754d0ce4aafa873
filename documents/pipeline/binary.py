"""Stage 0 — office files → text, before decode.

Reads the raw bytes of a DOCX or PDF notice (recognised by their signature, never by
the file name) and produces the plain text the later stages read, one paragraph a line:

- DOCX (python-docx): body paragraphs and table cells in document order, with Word's
  automatic list numbers written out (a notice numbered by Word keeps its "1." and
  "（一）"), headers and footers left out. A ZIP that declares more than
  ``MAX_DOCX_XML_BYTES`` of XML is refused before anything is expanded.
- PDF (pypdfium2, the PDFium engine): the text layer page by page, then page furniture
  removed by a general rule: a line among the first or last ``EDGE_LINES`` of a page
  that recurs at the same edge of at least half the pages (word for word, or with only
  a number that moves with the page) is a running header or footer, and a bare page number ("3", "- 3 -", "第3页 共9页", "Page 3 of 9",
  "3/9") at a page's edge is dropped.

Broken, encrypted or text-less files raise ``IngestError`` naming the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from .errors import IngestError

DOCX, PDF = "docx", "pdf"
EDGE_LINES = 3
MAX_DOCX_XML_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 2000
MAX_PAGE_OFFSET = 4  # printed page number minus page index, for a running footer


@dataclass(frozen=True)
class Converted:
    text: str
    kind: str  # "docx" or "pdf"
    warnings: tuple[str, ...] = ()


def office_kind(data: bytes) -> str | None:
    """ "pdf" or "docx" when the bytes are one (by signature and, for ZIPs, by content)."""
    if data[:1024].lstrip(b"\r\n\t \x00").startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
    return None


def convert(data: bytes, *, name: str) -> Converted | None:
    """The text of a DOCX or PDF notice; None for any other kind of bytes."""
    kind = office_kind(data)
    if kind == DOCX:
        return Converted(docx_text(data, name=name), DOCX)
    if kind == PDF:
        text, warnings = pdf_text(data, name=name)
        return Converted(text, PDF, tuple(warnings))
    return None


# ---------------------------------------------------------------- DOCX


_CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    if n < 10:
        return _CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (_CHINESE_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CHINESE_DIGITS[n // 10] + "十" + (_CHINESE_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format_number(n: int, fmt: str) -> str:
    """One level's number in Word's numFmt."""
    if fmt in {"chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"}:  # fmt: skip
        return _chinese_number(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in {"bullet", "none"}:
        return ""
    return str(n)  # decimal, decimalZero and anything unknown


class _Numbering:
    """Word's automatic list numbers (numbering.xml), counted as the document goes."""

    def __init__(self, document) -> None:  # type: ignore[no-untyped-def]
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            for lvl in abstract.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt = self._val(lvl, "w:numFmt") or "decimal"
                text = self._val(lvl, "w:lvlText") or ""
                start = int(self._val(lvl, "w:start") or "1")
                self.levels[(abstract_id, ilvl)] = (fmt, text, start)
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.abstract_of[num.get(qn("w:numId"))] = ref.get(qn("w:val"))

    def _val(self, element, tag: str) -> str | None:  # type: ignore[no-untyped-def]
        child = element.find(self.qn(tag))
        return child.get(self.qn("w:val")) if child is not None else None

    def label(self, paragraph) -> str:  # type: ignore[no-untyped-def]
        """The number Word shows before this paragraph ("" when it has none)."""
        ppr = paragraph._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        if numpr is None:
            numpr = self._style_numpr(paragraph)
        if numpr is None or numpr.numId is None:
            return ""
        num_id = str(numpr.numId.val)
        ilvl = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        abstract_id = self.abstract_of.get(num_id)
        if abstract_id is None or num_id == "0":
            return ""
        counters = self.counters.setdefault(abstract_id, [0] * 9)
        ilvl = min(max(ilvl, 0), 8)
        fmt, text, start = self.levels.get((abstract_id, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt in {"bullet", "none"}:
            return ""

        def level_number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_fmt = self.levels.get((abstract_id, level), ("decimal", "", 1))[0]
            value = counters[level] or self.levels.get((abstract_id, level), ("", "", 1))[2]
            return _format_number(value, level_fmt)

        return re.sub(r"%([1-9])", level_number, text)

    def _style_numpr(self, paragraph):  # type: ignore[no-untyped-def]
        style = paragraph.style
        while style is not None:
            ppr = style.element.pPr
            if ppr is not None and ppr.numPr is not None:
                return ppr.numPr
            style = style.base_style
        return None


def _docx_size_check(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(i.file_size for i in archive.infolist() if i.filename.endswith(".xml"))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IngestError(f"{name}: not a readable Word document ({exc})") from exc
    if declared > MAX_DOCX_XML_BYTES:
        raise IngestError(
            f"{name}: the Word document would expand to {declared:,} bytes of XML "
            f"(the limit is {MAX_DOCX_XML_BYTES:,}); it was not opened"
        )


def docx_text(data: bytes, *, name: str) -> str:
    """Paragraphs and table rows of a .docx in order, one a line, with list numbers."""
    _docx_size_check(data, name)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise IngestError(f"{name}: not a readable Word document ({exc})") from exc
    numbering = _Numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                lines.append(f"{numbering.label(block)}{text}")
        elif isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                if cells:
                    lines.append("  ".join(cells))
    text = "\n".join(lines).strip()
    if not text:
        raise IngestError(f"{name}: the Word document has no text")
    return text + "\n"


# ---------------------------------------------------------------- PDF


_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–—－~]?\s*\d{1,4}\s*[-–—－~]?"  # 3, - 3 -, — 3 —
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"  # 第3页 共9页
    r"|第\s*\d{1,4}\s*頁(?:\s*[，,/]?\s*共\s*\d{1,4}\s*頁)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"  # Page 3 of 9
    r"|\d{1,4}\s*/\s*\d{1,4})$",  # 3/9
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")
_SPACES_RE = re.compile(r"\s+")


def _edge_keys(line: str, page_index: int) -> set[tuple[str, int, int]]:
    """How a running header or footer repeats: the same words, and any number in it either
    the same on every page or moving with the page (a page number, "第3页", "3/9").

    (shape with numbers blanked, which number, number minus page index) for a line whose
    only numbers are page-linked, and (text, -1, 0) for the line as it is. Numbered body
    lines ("3. Support…" on one page, "22. Support…" on the next) share a shape but not
    an offset, so they never count as repeating.
    """
    compact = _SPACES_RE.sub("", line)
    keys = {(compact, -1, 0)}
    numbers = _DIGITS_RE.findall(compact)
    shape = _DIGITS_RE.sub("#", compact)
    for position, number in enumerate(numbers[:4]):
        offset = int(number[:6]) - page_index
        # Printed page numbers start at 1, or a few pages later after a cover; numbered
        # items one per page (7., 8., 9.) far from the page count are not page numbers.
        if -MAX_PAGE_OFFSET <= offset <= MAX_PAGE_OFFSET:
            keys.add((shape, position, offset))
    return keys


def strip_page_furniture(pages: list[list[str]]) -> tuple[list[list[str]], int]:
    """Pages' lines without running headers, footers and page numbers; and how many went.

    A line is furniture when it sits among the first or last EDGE_LINES lines of its page
    and either is a bare page number or recurs at that same edge of at least half of the
    pages (and at least two): word for word, or with only a page-linked number changing
    (see ``_edge_keys``). Body text never qualifies by appearing on one page.
    """
    top: Counter[tuple[str, int, int]] = Counter()
    bottom: Counter[tuple[str, int, int]] = Counter()
    for index, lines in enumerate(pages):
        top.update(set().union(*(_edge_keys(line, index) for line in lines[:EDGE_LINES])))
        bottom.update(set().union(*(_edge_keys(line, index) for line in lines[-EDGE_LINES:])))
    needed = max(2, (len(pages) + 1) // 2)
    kept_pages, removed = [], 0
    for index, lines in enumerate(pages):
        n = len(lines)
        kept = []
        for i, line in enumerate(lines):
            at_top, at_bottom = i < EDGE_LINES, i >= n - EDGE_LINES
            furniture = False
            if at_top or at_bottom:
                keys = _edge_keys(line, index)
                furniture = (
                    _PAGE_NUMBER_RE.match(line.strip()) is not None
                    or (at_top and max(top[k] for k in keys) >= needed)
                    or (at_bottom and max(bottom[k] for k in keys) >= needed)
                )
            if furniture:
                removed += 1
            else:
                kept.append(line)
        kept_pages.append(kept)
    return kept_pages, removed


def pdf_text(data: bytes, *, name: str) -> tuple[str, list[str]]:
    """The text layer of a PDF, page furniture removed; warnings for what was dropped."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise IngestError(f"{name}: the PDF is password-protected") from exc
        raise IngestError(f"{name}: not a readable PDF ({message})") from exc
    try:
        count = len(pdf)
        if count > MAX_PDF_PAGES:
            raise IngestError(f"{name}: {count:,} pages is over the limit of {MAX_PDF_PAGES:,}")
        pages = []
        for index in range(count):
            page = pdf[index]
            textpage = page.get_textpage()
            raw = textpage.get_text_bounded()
            textpage.close()
            page.close()
            lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n")]
            pages.append([line for line in lines if line])
    except pdfium.PdfiumError as exc:
        raise IngestError(f"{name}: the PDF is damaged ({exc})") from exc
    finally:
        pdf.close()
    if not any(pages):
        raise IngestError(f"{name}: the PDF has no text layer (a scanned image?); nothing to read")
    kept, removed = strip_page_furniture(pages)
    warnings = []
    if removed:
        warnings.append(
            f"pdf: {removed} running header, footer or page-number line(s) removed "
            f"from {count} page(s)"
        )
    return "\n".join(line for lines in kept for line in lines) + "\n", warnings
