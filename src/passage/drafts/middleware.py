"""Drafts around the session rules: a form posted after the timeout is kept, not lost; a form
posted successfully no longer needs its draft.

Runs right after ``AuthenticationMiddleware`` and before ``StaffSessionMiddleware`` (which ends
a timed-out session and sends its requests to sign-in without carrying them out):

- A POST of a form that keeps drafts (it carries ``passage_draft``, see the ``autosave_form``
  tag) arriving after the idle or absolute timeout: its fields are kept as an encrypted draft of
  the session's user (only after the CSRF check passes: another site cannot plant drafts), then
  the session ends as always, and the sign-in page is told to come back to the form, where the
  draft is restored.
- A POST of such a form answered with a redirect (the post-redirect-get of a form that worked):
  the draft is destroyed (``draft.cleared``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse

from passage.accounts import sessions
from passage.accounts.models import User
from passage.audit import services as audit
from passage.core.csrf import PassageCsrfViewMiddleware
from passage.drafts import keys, services
from passage.drafts.exceptions import DraftRefused

_FORM_TYPE = "application/x-www-form-urlencoded"


def _not_a_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    return HttpResponse(status=204)


class DraftMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._csrf = PassageCsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._form_key(request)
        user = request.user if key else None
        if not isinstance(user, User) or key is None:
            return self.get_response(request)
        if sessions.timed_out(request.session):
            kept = self._keep(request, user, key)
            response = self.get_response(request)
            return self._back_to_form(response, key) if kept else response
        response = self.get_response(request)
        if self._succeeded(response) and isinstance(request.user, User):
            services.draft_clear_for(request, key)
        return response

    @staticmethod
    def _form_key(request: HttpRequest) -> str | None:
        # Only url-encoded posts: reading a multipart body here would parse uploads before the
        # view chooses its upload handlers (memory-only on some pages).
        if (
            request.method != "POST"
            or request.content_type != _FORM_TYPE
            or SESSION_KEY not in request.session
        ):
            return None
        key = request.POST.get(keys.FIELD, "")
        return key if keys.parse(key) else None

    def _keep(self, request: HttpRequest, user: User, key: str) -> bool:
        if self._csrf.process_view(request, _not_a_view, (), {}) is not None:
            return False  # not our own form: nothing is kept
        try:
            services.draft_save(
                actor=user,
                form_key=key,
                values=services.values_from(request.POST),
                request_id=audit.request_id_from(request),
            )
        except DraftRefused:
            return False
        return True

    @staticmethod
    def _back_to_form(response: HttpResponse, key: str) -> HttpResponse:
        """Add ``next=<the form's page>`` to the redirect to sign-in."""
        sign_in = resolve_url(settings.LOGIN_URL)
        location = response.get("Location", "")
        page = keys.page_of(key)
        if response.status_code != 302 or not page or urlsplit(location).path != sign_in:
            return response
        target = f"{location}{'&' if '?' in location else '?'}{urlencode({'next': page})}"
        response["Location"] = target
        if response.has_header("HX-Redirect"):
            response["HX-Redirect"] = target
        return response

    @staticmethod
    def _succeeded(response: HttpResponse) -> bool:
        if response.status_code not in {302, 303}:
            return False
        path = urlsplit(response.get("Location", "")).path
        refusals = {
            resolve_url(settings.LOGIN_URL),
            reverse("staff:second-factor"),
            reverse("staff:step-up"),
        }
        return path not in refusals
