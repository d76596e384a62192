"""Test-only URLs: Passage's own, plus views that fail on purpose and a public sample page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import URLPattern, URLResolver, path

from passage.urls import handler400, handler403, handler404, handler500
from passage.urls import urlpatterns as passage_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

SECRET_MARKER = "Zz-secret-marker-Яблоко-42"

PUBLIC_SAMPLE = """{% extends "core/public_base.html" %}
{% block page_title %}Sample · {% endblock %}
{% block content %}<h1>Sample public page</h1><p>Body text.</p>{% endblock %}"""


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"database said: {SECRET_MARKER}")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET_MARKER)


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(SECRET_MARKER)


def public_sample(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(PUBLIC_SAMPLE)
    return HttpResponse(template.render({}, request))


urlpatterns: list[URLPattern | URLResolver] = [
    *passage_urlpatterns,
    path("test/boom", boom),
    path("test/forbidden", forbidden),
    path("test/suspicious", suspicious),
    path("test/public", public_sample),
]
