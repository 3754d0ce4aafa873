"""Uploads from the staff page ingested by a real django-q2 worker process: a Word file and
a PDF become documents; a worker killed in the middle of a task leaves exactly one
document once the task is handed out again."""

from __future__ import annotations

import os
import signal
import sys

import pytest
from django.urls import reverse

from documents.models import Document, Upload, UploadStage, UploadStatus
from documents.services import upload_create
from tests.policykb.test_faults import start, stop
from tests.processes import child_env, wait_until
from tests.staff.conftest import docx_bytes, pdf_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ITEMS = [f"支持中小企业开展第{i}项数字化改造，给予不超过{i}万元补助。" for i in range(1, 13)]


def finished(upload: Upload, seconds: float = 120) -> Upload:
    assert wait_until(lambda: Upload.objects.get(pk=upload.pk).is_finished, seconds=seconds), (
        f"upload {upload.pk} not finished after {seconds}s"
    )
    upload.refresh_from_db()
    return upload


@pytest.mark.browser
def test_a_word_file_and_a_pdf_uploaded_on_the_staff_page_become_documents(
    client, editor, agencies, browser
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    word = docx_bytes(["云泽市关于推进中小企业数字化转型的若干措施"], numbered=ITEMS)
    body = "<h1>云泽市关于支持专精特新企业发展的若干措施</h1>" + "".join(
        f"<p>{i}. 对新认定的专精特新企业给予第{i}档奖励，最高{i * 5}万元。</p>"
        for i in range(1, 41)
    )
    pdf = pdf_bytes(browser, body, header="云泽市人民政府办公室")
    client.force_login(editor)
    worker = start([sys.executable, "manage.py", "qcluster"], child_env())
    try:
        response = client.post(
            reverse("staff:uploads"),
            {
                "files": [
                    SimpleUploadedFile("转型.docx", word),
                    SimpleUploadedFile("专精特新.pdf", pdf),
                ]
            },
        )
        assert response.status_code == 302
        uploads = {u.name: finished(u) for u in Upload.objects.all()}
    finally:
        stop(worker)
    docx_upload, pdf_upload = uploads["转型.docx"], uploads["专精特新.pdf"]
    assert docx_upload.status == UploadStatus.DONE, docx_upload.error
    assert pdf_upload.status == UploadStatus.DONE, pdf_upload.error
    word_doc, pdf_doc = docx_upload.document, pdf_upload.document
    assert word_doc.title_zh == "云泽市关于推进中小企业数字化转型的若干措施"
    assert word_doc.measures.count() == 12 and word_doc.raw_encoding == "docx"
    assert pdf_doc.title_zh == "云泽市关于支持专精特新企业发展的若干措施"
    assert pdf_doc.measures.count() == 40 and pdf_doc.raw_encoding == "pdf"
    assert "云泽市人民政府办公室" not in pdf_doc.cleaned_text
    assert "最高200万元" in pdf_doc.measures.get(number=40).texts.get().text
    assert "云泽市关于支持专精特新" in pdf_doc.raw_text()  # the "raw text" toggle reads it


def test_a_worker_killed_mid_task_leaves_exactly_one_document_after_the_retry(agencies):
    items = [f"支持企业开展第{i}项技术改造，给予资金补助。" for i in range(1, 3001)]
    upload = upload_create(data=docx_bytes(["关于支持中小企业技术改造的若干措施"], numbered=items),
                           name="long.docx")  # fmt: skip
    env = child_env(Q_RETRY="20", Q_TIMEOUT="18")
    worker = start([sys.executable, "manage.py", "qcluster"], env)
    try:
        # Mid-task: the staff page would show it reading, tagging or storing.
        assert wait_until(
            lambda: (
                Upload.objects.get(pk=upload.pk).stage in (UploadStage.TAGGING, UploadStage.STORING)
            ),
            seconds=90,
            step=0.05,
        ), Upload.objects.get(pk=upload.pk).stage
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        upload.refresh_from_db()
        assert not upload.is_finished, "the task finished before the kill"
        assert upload.status == UploadStatus.RUNNING  # what the page shows meanwhile
        worker = start([sys.executable, "manage.py", "qcluster"], env)
        upload = finished(upload, seconds=180)
    finally:
        stop(worker)
    assert upload.status == UploadStatus.DONE, upload.error
    assert upload.attempts == 2
    assert Document.objects.count() == 1
    assert upload.document.measures.count() == 3000
