"""Reading an upload's body within the limits, before it is all read.

The view refuses a body whose declared length is over what `MAX_FILES` notices can
weigh before touching it; this handler then keeps each file in memory only while it is
within the notice limit and of a kind ingestion reads, and drops the rest of a file as
soon as it is over or its first bytes show it is something else. Refused files are
listed (name and reason) for the page.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_FILES = 20
# What ingestion reads, by file name ending, and the signature a file must start with.
KINDS: dict[str, bytes | None] = {
    ".txt": None,
    ".text": None,
    ".htm": None,
    ".html": None,
    ".docx": b"PK\x03\x04",
    ".pdf": b"%PDF-",
}
ACCEPT = ",".join(
    [*KINDS, "text/plain", "text/html", "application/pdf",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
)  # fmt: skip


def body_limit() -> int:
    """The largest request body the upload page reads at all."""
    return MAX_FILES * settings.POLICYKB_MAX_NOTICE_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class NoticeUploadHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(request)
        self.rejected: list[tuple[str, str]] = []
        self.count = 0

    def new_file(self, field_name, file_name, content_type, content_length, charset=None,  # type: ignore[no-untyped-def]
                 content_type_extra=None):  # fmt: skip
        super().new_file(field_name, file_name, content_type, content_length, charset,
                         content_type_extra)  # fmt: skip
        self.buffer: io.BytesIO | None = io.BytesIO()
        self.size = 0
        self.problem = ""
        self.count += 1
        suffix = Path(file_name or "").suffix.lower()
        if self.count > MAX_FILES:
            self.problem = _("more than %(n)d files at once") % {"n": MAX_FILES}
        elif suffix not in KINDS:
            self.problem = _("not a notice file (use .txt, .html, .docx or .pdf)")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.problem:
            return None
        signature = KINDS[Path(self.file_name).suffix.lower()]
        if start == 0 and signature and not raw_data.startswith(signature):
            self.problem = _("its content is not what its name says (%(kind)s)") % {
                "kind": Path(self.file_name).suffix.lower()
            }
            self.buffer = None
            return None
        self.size += len(raw_data)
        if self.size > settings.POLICYKB_MAX_NOTICE_BYTES:
            self.problem = _("larger than the limit of %(limit)s") % {
                "limit": filesizeformat(settings.POLICYKB_MAX_NOTICE_BYTES)
            }
            self.buffer = None
            return None
        assert self.buffer is not None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.problem or self.buffer is None:
            self.rejected.append((self.file_name or "?", self.problem))
            return None
        if self.size == 0:
            self.rejected.append((self.file_name or "?", _("the file is empty")))
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
