"""Two tries of one upload, or two ingests of one notice, at the same time (a task handed
out again while the first copy still runs): one document, and a true status."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from documents.models import Document, Upload, UploadStatus
from documents.services import notice_ingest, upload_create, upload_process

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE = "关于支持中小企业的通知\n" + "\n".join(f"{i}.开展第{i}项融资服务。" for i in range(1, 400))


def at_once(work, n: int = 2) -> list:  # type: ignore[no-untyped-def]
    results: list = []
    start = threading.Barrier(n)

    def run() -> None:
        start.wait()
        try:
            results.append(work())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_tries_of_one_upload_store_one_document(agencies):
    upload = upload_create(data=NOTICE.encode(), name="twice.txt")
    at_once(lambda: upload_process(upload=Upload.objects.get(pk=upload.pk)))
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE, upload.error
    assert Document.objects.count() == 1
    assert upload.document.measures.count() == 399


def test_two_ingests_of_one_notice_at_once_store_it_once(agencies):
    outcomes = at_once(lambda: notice_ingest(data=NOTICE.encode(), name="same.txt").status)
    assert sorted(outcomes) == ["ingested", "unchanged"]
    assert Document.objects.count() == 1
