"""Test-only URLs for the surge tests: public and staff pages that answer, wait, or fail.

The surge middleware tells public from staff by path prefix, so these behave like the real ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.views.decorators.csrf import csrf_exempt

from passage.core import views as core_views
from passage.core.memstore import StoreUnavailable

# Not Passage's own URL tree: these tests need only the plumbing and the error pages.
handler400 = "passage.core.views.bad_request"
handler403 = "passage.core.views.permission_denied"
handler404 = "passage.core.views.page_not_found"
handler500 = "passage.core.views.server_error"

SECRET_MARKER = "Zz-surge-marker-Груша-17"

# The slow view holds its thread until the test sets ``release``; ``entered`` says it is inside.
entered = threading.Event()
release = threading.Event()


@csrf_exempt
def ok(request: HttpRequest, lang: str = "") -> HttpResponse:
    return HttpResponse("accepted")


def slow(request: HttpRequest) -> HttpResponse:
    entered.set()
    release.wait(timeout=10)
    return HttpResponse("slow done")


@csrf_exempt
def database_down(request: HttpRequest, lang: str = "") -> HttpResponse:
    raise OperationalError(f'connection to server failed: "{SECRET_MARKER}"')


@csrf_exempt
def store_down(request: HttpRequest) -> HttpResponse:
    raise StoreUnavailable(SECRET_MARKER)


class DatabaseDownMiddleware:
    """Fails like SessionMiddleware reading a session while the database is down."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.endswith("/middleware-db-down"):
            raise OperationalError(SECRET_MARKER)
        return self.get_response(request)


_LANG = r"(?:(?P<lang>[a-z]{2})/)?"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(rf"^{_LANG}submit$", ok),
    path("slow", slow),
    re_path(rf"^{_LANG}db-down$", database_down),
    path("store-down", store_down),
    path("staff/test/submit", ok),
    path("staff/test/slow", slow),
    path("staff/test/db-down", database_down),
    path("healthz", core_views.healthz),
]
