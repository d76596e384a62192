"""Request id, security headers and exception logging without personal data."""

from __future__ import annotations

import logging
import secrets
import time
import traceback
from collections.abc import Callable

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from passage.audit.context import current_request_id
from passage.core.logging import request_id_var

logger = logging.getLogger("passage.request")

EXPECTED_EXCEPTIONS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


class RequestIdMiddleware:
    """Gives every request a random id (logs, audit entries) and logs one line per request.

    The line has method, route name, status and duration: never the path's query string, the
    client address, or anything typed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = secrets.token_hex(8)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        audit_token = current_request_id.set(request_id)  # audit entries carry it too
        started = time.monotonic()
        try:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            route = match.view_name if match else "-"
            logger.info(
                "%s %s %s %.0fms",
                request.method,
                route,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            response["X-Request-Id"] = request_id
            return response
        finally:
            current_request_id.reset(audit_token)
            request_id_var.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, EXPECTED_EXCEPTIONS):
            return  # Django answers these with a 4xx page; they are not faults.
        # The exception's message may quote data; log its type and where it happened only.
        frames = traceback.extract_tb(exception.__traceback__)
        where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames[-5:])
        logger.error("unhandled %s at %s", type(exception).__name__, where)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: no caching of pages, no powerful browser features."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Static assets may be cached; every page (they show or take personal data) may not.
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("Referrer-Policy", "no-referrer")
        response.setdefault("X-Content-Type-Options", "nosniff")
        # Django's clickjacking middleware sits innermost and misses error pages made by the
        # middleware between it and us (e.g. the 400 for a bad Host header).
        response.setdefault("X-Frame-Options", "DENY")
        if request.method == "HEAD":
            _drop_body(response)
        return response


def _drop_body(response: HttpResponseBase) -> None:
    """HEAD answers carry GET's headers but no body (RFC 9110); gunicorn warns on each one."""
    length = response.get("Content-Length")
    if isinstance(response, StreamingHttpResponse):
        response.streaming_content = []  # the file is still closed with the response
    elif isinstance(response, HttpResponse):
        response.content = b""
    if length is not None:
        response["Content-Length"] = length
