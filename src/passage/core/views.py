"""Plumbing views: health check, our static files, and error pages (no stack trace, ever)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template import loader
from django.utils.html import escape
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from passage.core import queries
from passage.core.access import public_view
from passage.core.staticfiles import cache_control_for, is_servable

logger = logging.getLogger("passage.errors")


@public_view
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for a load balancer: 200 only when the database is usable."""
    database = "ok" if queries.database_ok() else "unavailable"
    if database != "ok":
        migrations = "unknown"
    else:
        migrations = "ok" if queries.migrations_current() else "pending"
    healthy = database == "ok" and migrations == "ok"
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "migrations": migrations,
    }
    return JsonResponse(body, status=200 if healthy else 503)


@public_view
@require_safe
def static_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """One file collected into STATIC_ROOT; nothing else on disk is reachable from here."""
    if not is_servable(path):
        raise Http404
    # serve() refuses paths that leave document_root, answers If-Modified-Since, and guesses
    # the content type (needed: X-Content-Type-Options is nosniff).
    response = static.serve(request, path, document_root=str(settings.STATIC_ROOT))
    response["Cache-Control"] = cache_control_for(path)
    return response


# --- Error pages ---------------------------------------------------------------------------------
#
# Rendered without the request's context processors: the 500 page must work while the database is
# down, and none of these pages may show who is signed in. Only the language (already active),
# static file names and plain settings are used. If even that fails, a fixed page is sent.

_FALLBACK = (
    "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>{title}</title>"
    "<h1>{title}</h1><p>Please try again later.</p></html>"
)


def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    context = {
        "public_title": settings.PASSAGE_PUBLIC_TITLE,
        "quick_exit_url": settings.PASSAGE_QUICK_EXIT_URL,
        "request_id": getattr(request, "request_id", ""),
        "status": status,
    }
    html: str
    try:
        html = loader.render_to_string(f"core/errors/{template}", context)
    except Exception as exc:  # the error page itself must never become a second error
        logger.error("error page %s failed to render: %s", template, type(exc).__name__)
        html = _FALLBACK.format(title=escape(f"Error {status}"))
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "500.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # ``reason`` is Django's developer-facing explanation; it is not shown to anyone.
    return _error(request, 403, "csrf.html")
