"""The staff uploads page: files and pasted text become queued uploads with the metadata
given; limits are checked before the body is read; bad input gets a clear error and
stores nothing; the status feed and retry."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from documents.models import Agency, Upload, UploadStage, UploadStatus
from documents.services import upload_process
from tests.staff.conftest import NOTICE, docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def post(client, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("staff:uploads"), data, follow=True)


def test_several_files_become_uploads_with_the_metadata_given(signed_in, agencies, editor):
    agency = Agency.objects.get(key="ndrc")
    files = [
        SimpleUploadedFile("a.txt", NOTICE.encode()),
        SimpleUploadedFile(
            "b.docx", docx_bytes(["关于支持企业的通知"], numbered=["设立资金。", "减免租金。"])
        ),
    ]
    response = post(signed_in, files=files, agency=agency.key, issued_on="2024-05",
                    source_url="https://www.example.gov.cn/a.html")  # fmt: skip
    assert response.status_code == 200
    assert "2 notice(s) queued" in response.content.decode()
    uploads = list(Upload.objects.order_by("name"))
    assert [u.name for u in uploads] == ["a.txt", "b.docx"]
    assert all(u.uploaded_by == editor and u.status == UploadStatus.QUEUED for u in uploads)
    assert uploads[0].sidecar == {
        "agency": "ndrc", "issued_on": "2024-05", "source_url": "https://www.example.gov.cn/a.html"
    }  # fmt: skip
    done = upload_process(upload=uploads[1])
    assert done.status == UploadStatus.DONE, done.error
    assert done.stage == UploadStage.FINISHED and done.attempts == 1
    document = done.document
    assert document.agency == agency and document.issued_on.isoformat() == "2024-05-01"
    assert document.source_url == "https://www.example.gov.cn/a.html"
    assert document.measures.count() == 2 and document.status == "draft"


def test_pasted_text_is_an_upload_named_after_its_first_line(signed_in, agencies):
    post(signed_in, text=NOTICE)
    upload = Upload.objects.get()
    assert upload.name == "国家发展改革委关于支持小微企业融资的通知.txt"
    assert upload_process(upload=upload).document.measures.count() == 3


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("setup.exe", b"MZ\x90\x00" * 50, "not a notice file"),
        ("notice.pdf", "关于支持企业的通知".encode(), "not what its name says"),
        ("notice.docx", b"%PDF-1.4 fake", "not what its name says"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_stored(signed_in, name, data, reason):
    response = post(signed_in, files=[SimpleUploadedFile(name, data)])
    page = response.content.decode()
    assert f"{name} was not uploaded" in page and reason in page
    assert Upload.objects.count() == 0


def test_an_oversized_file_is_dropped_as_it_arrives(signed_in, settings):
    settings.POLICYKB_MAX_NOTICE_BYTES = 2000
    files = [SimpleUploadedFile("big.txt", "措施".encode() * 2000),
             SimpleUploadedFile("ok.txt", NOTICE.encode())]  # fmt: skip
    page = post(signed_in, files=files).content.decode()
    assert "big.txt was not uploaded" in page and "larger than the limit" in page
    assert list(Upload.objects.values_list("name", flat=True)) == ["ok.txt"]


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):  # type: ignore[no-untyped-def]
        raise AssertionError("the body was read")

    readline = readinto = read


def test_a_body_declared_too_large_is_refused_before_it_is_read(editor):
    from staff.uploads import body_limit
    from staff.views import uploads

    request = RequestFactory().post(
        "/en/staff/uploads/", data=b"", content_type="multipart/form-data; boundary=x"
    )
    request.META["CONTENT_LENGTH"] = str(body_limit() + 1)
    request.META["wsgi.input"] = Untouchable()
    request._stream = Untouchable()
    request.user = editor
    request._dont_enforce_csrf_checks = True
    response = uploads(request)
    assert response.status_code == 413
    assert "Nothing was uploaded" in response.content.decode()


@pytest.mark.parametrize(
    "data,error",
    [
        ({"text": NOTICE, "issued_on": "2024-13"}, "Write the date as"),
        ({"text": NOTICE, "issued_on": "spring"}, "Write the date as"),
        ({"text": "关于\x00通知"}, "Null characters are not allowed"),
        ({"text": NOTICE, "source_url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"text": NOTICE, "agency": "no-such-body"}, "Select a valid choice"),
        ({"text": "   "}, "Choose at least one file"),
        ({}, "Choose at least one file"),
    ],
)
def test_bad_form_input_gets_a_clear_error_and_stores_nothing(signed_in, agencies, data, error):
    response = signed_in.post(reverse("staff:uploads"), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Upload.objects.count() == 0


def test_the_status_feed_reports_stage_and_progress(signed_in, agencies):
    post(signed_in, text=NOTICE)
    upload = Upload.objects.get()
    url = reverse("staff:upload-status")
    state = signed_in.get(url, {"ids": f"{upload.pk},x,999999"}).json()["uploads"]
    assert [(s["status"], s["step"], s["finished"]) for s in state] == [("queued", 0, False)]
    upload_process(upload=upload)
    (state,) = signed_in.get(url, {"ids": str(upload.pk)}).json()["uploads"]
    assert (state["status"], state["step"], state["steps"], state["finished"]) == (
        "done",
        4,
        4,
        True,
    )
    assert state["document_title"] == "国家发展改革委关于支持小微企业融资的通知"


def test_a_failed_upload_shows_its_error_and_can_be_retried(signed_in, agencies):
    post(signed_in, files=[SimpleUploadedFile("broken.txt", b"\x01\x02\x03\x04" * 300)])
    failed = upload_process(upload=Upload.objects.get())
    assert failed.status == UploadStatus.FAILED
    page = signed_in.get(reverse("staff:uploads")).content.decode()
    assert "broken.txt: " in page and "Try again" in page
    response = signed_in.post(reverse("staff:upload-retry", args=[failed.pk]), follow=True)
    assert "queued again" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == UploadStatus.QUEUED and failed.error == ""
    again = signed_in.post(reverse("staff:upload-retry", args=[failed.pk]), follow=True)
    assert "only a failed upload" in again.content.decode()


def test_the_uploads_page_without_uploads_says_what_to_do(signed_in):
    page = signed_in.get(reverse("staff:uploads")).content.decode()
    assert "No uploads yet" in page
    assert 'accept=".txt,' in page and "multiple" in page


def test_an_upload_without_the_csrf_token_is_refused(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("staff:uploads"), {"text": NOTICE})
    assert response.status_code == 403
    assert Upload.objects.count() == 0
    page = client.get(reverse("staff:uploads"))
    token = page.cookies["csrftoken"].value
    accepted = client.post(reverse("staff:uploads"), {"text": NOTICE, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302 and Upload.objects.count() == 1
