"""Uploads that never touch disk, with a size limit per file and a limit on the number of files.

Django's own ``MemoryFileUploadHandler`` keeps only files under FILE_UPLOAD_MAX_MEMORY_SIZE in
memory and leaves larger ones to ``TemporaryFileUploadHandler`` (a file on disk, before anything
is sealed). ``MemoryOnlyUploadHandler``, the only handler in FILE_UPLOAD_HANDLERS, keeps every
file it accepts in memory (``InMemoryUploadedFile``) and refuses the rest:

- a file larger than ``PASSAGE_UPLOAD_FILE_BYTES`` stops being kept at the chunk that crosses
  the limit (``SkipFile``: what was read of it is dropped, the rest is read past and thrown away);
- a file beyond the first ``PASSAGE_UPLOAD_MAX_FILES`` is not kept at all (a file refused for
  its size still counts as one of them);
- a body whose Content-Length is over ``files x limit + 1 MB`` keeps none of its files (they
  are read past unkept, before a byte of them is stored).

The body is always read to its end, so the browser gets the page (not a "connection reset")
and the text fields arrive: the form can show them again with the reason. (Django's other
way out, ``StopUpload``, is not caught when raised from ``handle_raw_input``, a 500, and raised
later it drops every field after the first file.)

**How the form learns why.** Once the body is parsed (on the first use of ``request.POST`` or
``request.FILES``), ``request.upload_refusals`` is a list of codes, each at most once, in the
order they happened: ``"too_big"`` (a file, or the whole body, over the limit) and
``"too_many"`` (more files than allowed). The refused files are simply absent from
``request.FILES``. Call ``upload_refusals(request)``: it parses the body if that has not
happened yet, and gives ``[]`` for a request that carried no upload; ``refusal_messages(request)``
gives the same as sentences for the person (in the active language, with the limits in them).
"""

from __future__ import annotations

import io
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext

TOO_BIG = "too_big"
TOO_MANY = "too_many"
# Room in a body for its text fields and the multipart framing, on top of the files.
BODY_SLACK_BYTES = 1024 * 1024


def upload_refusals(request: HttpRequest) -> list[str]:
    """Why files of this request were not kept (``"too_big"``, ``"too_many"``), or ``[]``."""
    request.FILES  # noqa: B018 -- parses the body (and so runs the handler) if not done yet
    refusals: list[str] = getattr(request, "upload_refusals", [])
    return list(refusals)


def refusal_messages(request: HttpRequest) -> list[str]:
    """``upload_refusals(request)`` as short sentences for the person who sent the files."""
    messages = []
    for code in upload_refusals(request):
        if code == TOO_BIG:
            megabytes = max(1, settings.PASSAGE_UPLOAD_FILE_BYTES // (1024 * 1024))
            messages.append(gettext("Each file can be at most %(size)s MB.") % {"size": megabytes})
        elif code == TOO_MANY:
            count = settings.PASSAGE_UPLOAD_MAX_FILES
            messages.append(
                gettext("At most %(count)s files can be sent at once.") % {"count": count}
            )
    return messages


class MemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.file_limit: int = settings.PASSAGE_UPLOAD_FILE_BYTES
        self.max_files: int = settings.PASSAGE_UPLOAD_MAX_FILES
        self.refusals: list[str] = []
        self.files_seen = 0
        self.body_too_big = False
        self.buffer: io.BytesIO | None = None
        self.received = 0
        if request is not None:
            request.upload_refusals = self.refusals  # type: ignore[attr-defined]

    def refuse(self, code: str) -> None:
        if code not in self.refusals:
            self.refusals.append(code)

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, UploadedFile]] | None:
        if content_length > self.max_files * self.file_limit + BODY_SLACK_BYTES:
            self.body_too_big = True
            self.refuse(TOO_BIG)
        return None  # the multipart parser goes on, calling the methods below

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        self.buffer = None
        self.received = 0
        if self.body_too_big:
            raise SkipFile
        self.files_seen += 1
        if self.files_seen > self.max_files:
            self.refuse(TOO_MANY)
            raise SkipFile
        if content_length is not None and content_length > self.file_limit:
            self.refuse(TOO_BIG)
            raise SkipFile
        self.buffer = io.BytesIO()
        raise StopFutureHandlers  # no other handler sees this file

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.buffer is None:
            raise SkipFile
        self.received += len(raw_data)
        if self.received > self.file_limit:
            self.buffer = None
            self.refuse(TOO_BIG)
            raise SkipFile
        self.buffer.write(raw_data)
        return None  # nothing passed on to a later handler

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.buffer is None:
            return None
        buffer, self.buffer = self.buffer, None
        buffer.seek(0)
        return InMemoryUploadedFile(
            file=buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def upload_interrupted(self) -> None:
        self.buffer = None
