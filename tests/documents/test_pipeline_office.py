"""DOCX and PDF notices become text: Word's list numbers kept, PDF page furniture removed,
broken files refused with a clear error."""

from __future__ import annotations

import io
import zipfile

import pytest

from documents.pipeline import parse
from documents.pipeline.binary import convert, strip_page_furniture
from documents.pipeline.errors import IngestError
from tests.staff.conftest import docx_bytes, pdf_bytes

ITEMS = [f"对符合条件的中小企业给予第{i}项资金补助，最高不超过{i * 10}万元。" for i in range(1, 6)]


def test_a_word_notice_keeps_its_automatic_numbers_and_splits():
    data = docx_bytes(["关于支持中小企业发展的若干措施"], numbered=ITEMS, header="页眉：内部资料")
    parsed = parse(data, name="notice.docx", agencies=[])
    assert parsed.encoding == "docx"
    assert [m.number for m in parsed.measures] == [1, 2, 3, 4, 5]
    assert "最高不超过30万元" in parsed.measures[2].text
    assert "页眉" not in parsed.text  # headers are page furniture in Word too


def test_word_tables_are_read_row_by_row():
    import docx

    document = docx.Document()
    document.add_paragraph("联系方式")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "联系人", "王芳"
    table.cell(1, 0).text, table.cell(1, 1).text = "电话", "0532-12345678"
    buffer = io.BytesIO()
    document.save(buffer)
    assert convert(buffer.getvalue(), name="t.docx").text.splitlines()[1:] == [
        "联系人  王芳",
        "电话  0532-12345678",
    ]


@pytest.mark.browser
def test_a_printed_pdf_loses_its_running_header_and_page_numbers(browser):
    body = "<h1>关于支持中小企业技术改造的若干措施</h1>" + "".join(
        f"<p>{i}.支持企业开展第{i}项技术改造，给予资金补助，最高不超过{i * 10}万元。</p>"
        for i in range(1, 70)
    )
    data = pdf_bytes(browser, body, header="云泽市工业和信息化局文件")
    converted = convert(data, name="n.pdf")
    lines = converted.text.splitlines()
    assert lines[0] == "关于支持中小企业技术改造的若干措施"
    assert "云泽市工业和信息化局文件" not in converted.text
    assert not any(line.strip("— ").isdigit() for line in lines), "a page number stayed"
    assert sum(line.startswith(tuple("123456789")) for line in lines) == 69
    assert converted.warnings and "removed" in converted.warnings[0]
    parsed = parse(data, name="n.pdf", agencies=[])
    assert [m.number for m in parsed.measures] == list(range(1, 70))


def test_numbered_body_lines_at_page_edges_are_not_taken_for_headers():
    pages = [
        ["7. Support for export credit insurance.", "Premiums are refunded in part."],
        ["8. Support for export credit insurance.", "Claims are paid within a month."],
        ["9. Support for export credit insurance.", "Small firms pay half the rate."],
    ]
    kept, removed = strip_page_furniture(pages)
    assert removed == 0 and kept == pages


@pytest.mark.parametrize(
    "header,footer",
    [
        ("Yunze Municipal Bureau of Industry", "Page {n} of 3"),
        ("云泽市人民政府办公室", "第{n}页 共3页"),
        ("Notice 2024-05", "{n}/3"),
        ("深圳市中小企业服务局", "- {n} -"),
    ],
)
def test_running_headers_and_page_number_footers_of_any_wording_go(header, footer):
    body = [["一、设立专项资金。", "二、减免租金。"], ["三、开展融资服务。", "四、培育专精特新企业。"],
            ["Article 5 applies from 2024.", "Contact the bureau."]]  # fmt: skip
    pages = [[header, *lines, footer.format(n=n)] for n, lines in enumerate(body, 1)]
    kept, removed = strip_page_furniture(pages)
    assert removed == 6
    assert kept == body


@pytest.mark.parametrize(
    "data,message",
    [
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "not a readable PDF"),
        (b"%PDF-1.4\n%%EOF", "not a readable PDF"),
    ],
    ids=["garbage-pdf", "empty-pdf"],
)
def test_a_broken_pdf_is_refused_naming_the_file(data, message):
    with pytest.raises(IngestError, match=f"broken.pdf: .*({message}|no text layer|damaged)"):
        convert(data, name="broken.pdf")


def test_a_damaged_word_file_is_refused_naming_the_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not-xml")
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(IngestError, match="bad.docx: not a readable Word document"):
        convert(buffer.getvalue(), name="bad.docx")


def test_a_word_file_that_would_expand_hugely_is_not_opened(monkeypatch):
    from documents.pipeline import binary

    monkeypatch.setattr(binary, "MAX_DOCX_XML_BYTES", 10_000)
    data = docx_bytes(["很长的段落。" * 2000])
    with pytest.raises(IngestError, match="would expand to"):
        convert(data, name="bomb.docx")


def test_a_plain_zip_is_still_refused_as_an_archive():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notice.txt", "关于支持企业的通知")
    with pytest.raises(IngestError, match="a ZIP archive"):
        parse(buffer.getvalue(), name="a.zip", agencies=[])


def test_a_word_file_without_text_says_so():
    with pytest.raises(IngestError, match="has no text"):
        convert(docx_bytes([]), name="empty.docx")
