"""MemoryOnlyUploadHandler, through Django's test client and a tiny view defined here.

The view reports what arrived (file classes, sizes, text fields) and ``upload_refusals``; the
tests post real multipart bodies, including ones past every limit, and make any way of writing
an upload to disk fail loudly.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any

import django.core.files.temp
import django.core.files.uploadedfile
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client
from django.urls import path

from passage.core import uploads
from passage.core.access import public_view
from passage.core.uploads import MemoryOnlyUploadHandler, refusal_messages, upload_refusals

MB = 1024 * 1024


@public_view
def upload_view(request: HttpRequest) -> HttpResponse:
    refusals = upload_refusals(request)
    return JsonResponse(
        {
            "refusals": refusals,
            "attribute": getattr(request, "upload_refusals", None),
            "handlers": [type(h).__name__ for h in request.upload_handlers],
            "fields": {key: request.POST.getlist(key) for key in request.POST},
            "files": [
                {
                    "field": field,
                    "name": f.name,
                    "class": type(f).__name__,
                    "size": f.size,
                    "head": f.read(16).hex(),
                }
                for field in request.FILES
                for f in request.FILES.getlist(field)
            ],
        }
    )


@public_view
def plain_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"refusals": upload_refusals(request), "fields": dict(request.POST)})


@public_view
def messages_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"messages": refusal_messages(request)})


urlpatterns = [
    path("upload", upload_view),
    path("plain", plain_view),
    path("messages", messages_view),
]

pytestmark = [pytest.mark.urls("tests.core.test_uploads"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every way Django (or anything else) could spool an upload to disk raises."""

    def refuse(*args: object, **kwargs: object) -> Any:
        raise AssertionError("an upload went to disk")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(django.core.files.temp, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(django.core.files.uploadedfile.tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(django.core.files.uploadedfile.TemporaryUploadedFile, "__init__", refuse)
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", refuse)
    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", refuse)
    yield


def post(client: Client, data: dict[str, Any], url: str = "/upload") -> dict[str, Any]:
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:300]
    result: dict[str, Any] = json.loads(response.content)
    return result


def upload(name: str, size: int, fill: bytes = b"x") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (fill * size)[:size], content_type="application/octet-stream")


def test_settings_point_at_the_memory_only_handler() -> None:
    assert django_settings.FILE_UPLOAD_HANDLERS == ["passage.core.uploads.MemoryOnlyUploadHandler"]
    assert django_settings.PASSAGE_UPLOAD_FILE_BYTES == 10 * MB
    assert django_settings.PASSAGE_UPLOAD_MAX_FILES == 5
    assert not issubclass(MemoryOnlyUploadHandler, MemoryFileUploadHandler)


def test_a_normal_file_arrives_in_memory_whole(client: Client) -> None:
    result = post(client, {"note": "Привет", "photo": upload("photo.jpg", 1234, b"\xff\xd8\xff")})
    assert result["refusals"] == [] and result["attribute"] == []
    assert result["handlers"] == ["MemoryOnlyUploadHandler"]
    assert result["fields"] == {"note": ["Привет"]}
    assert result["files"] == [
        {
            "field": "photo",
            "name": "photo.jpg",
            "class": "InMemoryUploadedFile",
            "size": 1234,
            "head": ((b"\xff\xd8\xff" * 6)[:16]).hex(),
        }
    ]


def test_a_file_larger_than_djangos_memory_threshold_still_stays_in_memory(
    client: Client, settings: Any
) -> None:
    # Django's own handlers write anything over this (2.5 MB by default) to a temporary file;
    # ours does not look at it.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    size = 9 * MB
    result = post(client, {"voice": upload("voice.ogg", size)})
    assert result["refusals"] == []
    assert [(f["class"], f["size"]) for f in result["files"]] == [("InMemoryUploadedFile", size)]


def test_exactly_the_limit_is_kept(client: Client) -> None:
    result = post(client, {"a": upload("a.pdf", 10 * MB)})
    assert result["refusals"] == []
    assert [f["size"] for f in result["files"]] == [10 * MB]


def test_one_byte_over_the_limit_is_refused_and_the_rest_kept(client: Client) -> None:
    result = post(
        client,
        {
            "before": "text before",
            "big": upload("big.jpg", 10 * MB + 1),
            "small": upload("small.png", 100),
            "after": "text after",
        },
    )
    assert result["refusals"] == ["too_big"] and result["attribute"] == ["too_big"]
    assert [(f["field"], f["size"]) for f in result["files"]] == [("small", 100)]
    assert result["fields"] == {"before": ["text before"], "after": ["text after"]}


def test_six_files_keep_the_first_five_and_say_too_many(client: Client) -> None:
    files = [upload(f"p{i}.jpg", 10 + i) for i in range(6)]
    result = post(client, {"photos": files, "note": "six"})
    assert result["refusals"] == ["too_many"]
    assert [f["name"] for f in result["files"]] == [f"p{i}.jpg" for i in range(5)]
    assert {f["class"] for f in result["files"]} == {"InMemoryUploadedFile"}
    assert result["fields"] == {"note": ["six"]}


def test_both_rules_are_reported_once_each(client: Client) -> None:
    files = [upload(f"p{i}.jpg", 10) for i in range(7)]
    result = post(client, {"photos": [upload("huge.jpg", 10 * MB + 1), *files]})
    assert result["refusals"] == ["too_big", "too_many"]
    assert len(result["files"]) == 4


def test_body_over_the_whole_limit_keeps_no_file_and_reads_none(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PASSAGE_UPLOAD_FILE_BYTES = 1000
    settings.PASSAGE_UPLOAD_MAX_FILES = 2
    monkeypatch.setattr(uploads, "BODY_SLACK_BYTES", 0)
    chunks: list[int] = []
    real = MemoryOnlyUploadHandler.receive_data_chunk

    def watched(self: MemoryOnlyUploadHandler, raw_data: bytes, start: int) -> bytes | None:
        chunks.append(len(raw_data))
        return real(self, raw_data, start)

    monkeypatch.setattr(MemoryOnlyUploadHandler, "receive_data_chunk", watched)
    # Each file is under the per-file limit and there are not too many: only the total is over.
    result = post(client, {"note": "kept", "a": upload("a.jpg", 900), "b": upload("b.jpg", 900)})
    assert result["refusals"] == ["too_big"]
    assert result["files"] == []
    assert result["fields"] == {"note": ["kept"]}
    assert chunks == []  # not a byte of either file was handed to the handler

    # The same files within the whole limit are kept.
    monkeypatch.setattr(uploads, "BODY_SLACK_BYTES", 10_000)
    result = post(client, {"a": upload("a.jpg", 900), "b": upload("b.jpg", 900)})
    assert result["refusals"] == []
    assert [f["size"] for f in result["files"]] == [900, 900]


def test_default_whole_limit_is_files_times_limit_plus_one_megabyte() -> None:
    handler = MemoryOnlyUploadHandler()
    limit = 5 * 10 * MB + MB
    handler.handle_raw_input(None, {}, limit, "b")  # type: ignore[arg-type]
    assert handler.refusals == [] and not handler.body_too_big
    handler.handle_raw_input(None, {}, limit + 1, "b")  # type: ignore[arg-type]
    assert handler.refusals == ["too_big"] and handler.body_too_big


def test_request_without_upload_has_no_refusals(client: Client) -> None:
    result = post(client, {"note": "hello"}, url="/plain")
    assert result == {"refusals": [], "fields": {"note": ["hello"]}}
    assert json.loads(client.get("/plain").content)["refusals"] == []


def test_refusals_are_read_before_the_view_touches_the_body(client: Client) -> None:
    # upload_refusals() parses the body itself: the first thing plain_view does is ask.
    result = post(client, {"a": upload("a.jpg", 10 * MB + 1)}, url="/plain")
    assert result["refusals"] == ["too_big"]


def test_long_text_field_is_refused_with_400(client: Client) -> None:
    response = client.post("/upload", {"note": "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE)})
    assert response.status_code == 400
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 20_000 * 6 * 2  # two long narratives


def test_refusals_as_sentences(client: Client) -> None:
    files = [upload("huge.jpg", 10 * MB + 1)] + [upload(f"p{i}.jpg", 10) for i in range(5)]
    result = post(client, {"photos": files}, url="/messages")
    assert result["messages"] == [
        "Each file can be at most 10 MB.",
        "At most 5 files can be sent at once.",
    ]
    assert post(client, {"photos": [upload("a.jpg", 10)]}, url="/messages") == {"messages": []}
