"""An upload is ingested by a real django-q2 worker process."""

import subprocess
import sys
import time

import pytest
from django.conf import settings

from documents.models import Upload, UploadStatus
from documents.services import upload_create
from tests.processes import child_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=settings.BASE_DIR,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for(upload: Upload, seconds: float = 90) -> Upload:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        upload.refresh_from_db()
        if upload.is_finished:
            return upload
        time.sleep(0.5)
    raise AssertionError(f"upload {upload.pk} still queued after {seconds}s")


def test_worker_ingests_an_upload_and_reports_a_bad_one(agencies, worker):
    good = upload_create(
        data="关于支持中小企业的通知\n1.设立专项资金。\n2.开展融资服务。\n".encode("gb18030"),
        name="通知.txt",
    )
    bad = upload_create(data=b"\x00\xff" * 300, name="broken.bin")
    good, bad = wait_for(good), wait_for(bad)
    assert good.status == UploadStatus.DONE, good.error
    assert good.document.measures.count() == 2
    assert bad.status == UploadStatus.FAILED and "broken.bin" in bad.error
