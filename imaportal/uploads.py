"""Uploads are limited while they stream: ``SizeLimitUploadHandler`` (first in
``FILE_UPLOAD_HANDLERS``) passes a file's bytes on to Django's handlers only up to
``EVIDENCE_MAX_BYTES``; past it the rest is read and dropped, never spooled to memory or
disk, and the view receives a stand-in file that reports the real size and holds only the
first bytes, so the size check of the evidence rule refuses it with its usual message."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

if TYPE_CHECKING:
    _UploadedFile = UploadedFile[bytes]
else:  # UploadedFile is generic only in django-stubs
    _UploadedFile = UploadedFile

HEAD_BYTES = 64  # enough for every content signature the evidence rule looks at


class OversizeUpload(_UploadedFile):
    """A file that was larger than the limit: its real ``size`` and first bytes only."""

    def __init__(
        self, *, name: str, content_type: str, size: int, head: bytes, charset: str | None
    ) -> None:
        super().__init__(io.BytesIO(head), name, content_type, size, charset)
        self.too_large = True


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit: int = settings.EVIDENCE_MAX_BYTES
        self.received = 0
        self.head = b""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.head = b""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if len(self.head) < HEAD_BYTES:
            self.head += raw_data[: HEAD_BYTES - len(self.head)]
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one never see the rest
        return raw_data

    def file_complete(self, file_size: int) -> _UploadedFile | None:
        if self.received <= self.limit:
            return None  # the next handler completes the file as usual
        return OversizeUpload(
            name=self.file_name or "",
            content_type=self.content_type or "application/octet-stream",
            size=self.received,
            head=self.head,
            charset=self.charset,
        )
