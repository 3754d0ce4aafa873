"""Background tasks (django-q2). Thin: load by primary key, call a service, log."""

import logging

from documents.models import Upload
from documents.services import upload_process as process

logger = logging.getLogger(__name__)


def upload_process(upload_id: int) -> str | None:
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None:
        logger.warning("upload %s is gone; nothing to do", upload_id)
        return None
    upload = process(upload=upload)
    logger.info("upload %s (%s): %s", upload.pk, upload.name, upload.status)
    return upload.status
