"""Staff test helpers: a signed-in client per role, documents in each status, office files."""

from __future__ import annotations

import io

import pytest

ROLES = ("anonymous", "outsider", "editor", "reviewer", "site_admin")


@pytest.fixture
def outsider(db, django_user_model):
    """Signed in, but in no staff role (a reader's account, or staff without a group)."""
    return django_user_model.objects.create_user("olu", password="olu-pass-123", is_staff=True)


@pytest.fixture
def as_role(request, client, django_user_model):
    """A test client signed in as the named role (or anonymous)."""

    def sign_in(role: str):  # type: ignore[no-untyped-def]
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return sign_in


NOTICE = (
    "国家发展改革委关于支持小微企业融资的通知\n"
    "一、设立小微企业融资担保专项资金，单户担保额度最高1000万元。\n"
    "二、对首次贷款的小微企业给予贴息支持。\n"
    "三、开展银企对接活动，每季度不少于一次。\n"
)


@pytest.fixture
def draft(agencies):
    """A small notice ingested as a draft (not public)."""
    from documents.services import notice_ingest

    return notice_ingest(data=NOTICE.encode(), name="draft.txt").document


def docx_bytes(paragraphs: list[str], *, numbered: list[str] = (), header: str = "") -> bytes:
    """A Word file: plain paragraphs, then paragraphs in Word's own numbered-list style."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for text in numbered:
        document.add_paragraph(text, style="List Number")
    if header:
        document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(
    browser, body_html: str, *, header: str = "", footer_page_numbers: bool = True
) -> bytes:  # type: ignore[no-untyped-def]
    """A PDF printed by Chromium: running header and "— N —" page numbers on every page."""
    page = browser.new_page()
    try:
        page.set_content(
            f"<html lang='zh-Hans'><body style='font-family:\"Noto Sans CJK SC\"'>{body_html}</body></html>"
        )
        footer = (
            "<div style='font-size:9px;width:100%;text-align:center'>— <span class='pageNumber'></span> —</div>"
            if footer_page_numbers
            else "<div></div>"
        )
        return page.pdf(
            display_header_footer=True,
            header_template=f"<div style='font-size:9px;width:100%;text-align:center'>{header}</div>",
            footer_template=footer,
            margin={"top": "60px", "bottom": "60px"},
        )
    finally:
        page.close()
