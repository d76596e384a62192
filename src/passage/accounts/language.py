"""The staff console's language, chosen by each staff member (issue 9.9).

The choice is kept in the server-side session (``SESSION_KEY``), so it lasts for the sign-in
and leaves nothing on the device: no cookie of its own, nothing in the URL. Without a choice
the console follows ``LocaleMiddleware`` (the browser's Accept-Language), as before. Only
``/staff/`` pages follow the choice: the public pages keep the language of their URL.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SESSION_KEY = "passage.staff_language"
STAFF_PREFIX = "/staff/"
# The console's languages (the public pages have Persian too; its staff catalogue is not
# translated yet, so it is not offered).
STAFF_LANGUAGES = ("en", "ru", "fr", "es", "ar")


def language_names() -> list[tuple[str, str]]:
    """(code, native name) of each console language, in ``STAFF_LANGUAGES`` order."""
    names = dict(settings.LANGUAGES)
    return [(code, str(names.get(code, code))) for code in STAFF_LANGUAGES]


def chosen_language(request: HttpRequest) -> str | None:
    """The console language this sign-in chose, or None (none chosen, or not a known one)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    value = session.get(SESSION_KEY)
    return value if isinstance(value, str) and value in STAFF_LANGUAGES else None


def choose_language(request: HttpRequest, code: str) -> None:
    """Keep ``code`` (one of ``STAFF_LANGUAGES``) as this sign-in's console language."""
    if code not in STAFF_LANGUAGES:
        raise ValueError("not a console language")
    request.session[SESSION_KEY] = code
    translation.activate(code)
    request.LANGUAGE_CODE = code


class StaffLanguageMiddleware:
    """After ``LocaleMiddleware``: on staff pages, the language the staff member chose."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(STAFF_PREFIX):
            code = chosen_language(request)
            if code is not None:
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)
