"""Staff sign-in (passphrase, then second factor), step-up, sign-out, sessions, password.

Thin: parse, call a service, render. Every view wears one access decorator (accounts.access).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts import queries, sessions
from passage.accounts.access import pre_auth_view, staff_view
from passage.accounts.forms import PasswordChangeForm, SecondFactorForm, SignInForm
from passage.accounts.lockdown import lockdown_active
from passage.accounts.models import User
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.accounts.services import passwords
from passage.accounts.services import second_factor as factors
from passage.accounts.services import sessions as session_services
from passage.accounts.services import sign_in as services
from passage.audit import services as audit

NEXT_FIELD = "next"

ENDED_MESSAGES = {
    "idle": gettext_lazy(
        "You were signed out after a while without activity. Sign in again to go on."
    ),
    "expired": gettext_lazy("Your session reached its time limit. Sign in again to go on."),
    "ended": gettext_lazy("Your session was ended. Sign in again to go on."),
    "lockdown": gettext_lazy(
        "Your session was ended by the emergency lockdown. Only admins may sign in until it "
        "is lifted."
    ),
}


def _safe_next(request: HttpRequest) -> str | None:
    """The page asked for before signing in, if it is a page of the staff console."""
    candidate = request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD) or ""
    staff_root = resolve_url(settings.LOGIN_URL)
    if (
        candidate
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        # Only our own console: never an absolute URL, never a public page or /static/.
        and candidate.startswith(staff_root)
        and not candidate.startswith("//")
    ):
        return candidate
    return None


def _staff(request: HttpRequest) -> User:
    """The signed-in user of a staff view (``staff_view`` let only them through)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _after_sign_in(request: HttpRequest) -> str:
    return _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(request: HttpRequest, name: str) -> str:
    url = reverse(name)
    target = _safe_next(request)
    return f"{url}?{urlencode({NEXT_FIELD: target})}" if target else url


def locked_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429: this account (if it exists) or this address must wait. Never says which."""
    minutes = max(1, (retry_after + 59) // 60)
    context = {
        "form": SignInForm(request),
        "next": _safe_next(request) or "",
        "locked": True,
        "minutes": minutes,
    }
    response = render(request, "accounts/auth/sign_in.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@never_cache
@pre_auth_view
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        if sessions.second_factor_done(request):
            return HttpResponseRedirect(_after_sign_in(request))
        return redirect(_with_next(request, "staff:second-factor"))
    if request.method == "POST":
        retry = services.address_retry_after(request=request)
        if retry is not None:
            return locked_response(request, retry)
        username = str(request.POST.get("username", "")).strip()[:64]
        locked_for = services.username_locked_for(username=username) if username else None
        if locked_for is not None:
            return locked_response(request, locked_for)
        form = SignInForm(request, data=request.POST)
        if form.is_valid() and form.user is not None:
            services.user_sign_in(request=request, user=form.user)
            return redirect(_with_next(request, "staff:second-factor"))
        if form.has_error("__all__", "invalid_login"):
            failure = services.sign_in_failed(
                request=request,
                username=username,
                user=queries.user_by_username(username),
            )
            if failure.locked_for is not None:
                return locked_response(request, failure.locked_for)
    else:
        form = SignInForm(request)
    ended = request.GET.get("ended", "")
    context = {
        "form": form,
        "next": _safe_next(request) or "",
        "notice": ENDED_MESSAGES.get(ended) if not form.is_bound else None,
        "lockdown": lockdown_active(),
    }
    # Invalid input is a 4xx with a clear message (DESIGN invariant 7), never a silent 200.
    status = 400 if form.is_bound else 200
    return render(request, "accounts/auth/sign_in.html", context, status=status)


def _code_check(
    request: HttpRequest, form: SecondFactorForm, user: User
) -> tuple[str | None, HttpResponse | None]:
    """Check the code of a bound form: (method, None) on success, (None, response) if locked."""
    retry = services.address_retry_after(request=request)
    if retry is not None:
        return None, locked_response(request, retry)
    if user.is_locked:
        services.user_sign_out(request=request)
        return None, locked_response(request, services.LOCK_SECONDS)
    if not form.is_valid():
        return None, None
    method = factors.second_factor_verify(user=user, code=form.cleaned_data["code"])
    if method is not None:
        return method, None
    form.add_error("code", form.invalid_message)
    failure = services.sign_in_failed(
        request=request, username=user.username, user=user, stage="second_factor"
    )
    if failure.locked_for is not None:
        services.user_sign_out(request=request)
        return None, locked_response(request, failure.locked_for)
    return None, None


@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@never_cache
@pre_auth_view
def second_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    user = request.user
    if not isinstance(user, User):
        return redirect("staff:sign-in")
    if sessions.second_factor_done(request):
        return HttpResponseRedirect(_after_sign_in(request))
    if not factors.has_second_factor(user):
        return redirect(_with_next(request, "staff:enrol"))
    return _code_page(request, user, step_up=False)


@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE)
def step_up(request: HttpRequest) -> HttpResponse:
    """Confirm the second factor again before a dangerous action, then go on to it."""
    user = _staff(request)
    return _code_page(request, user, step_up=True)


def _code_page(request: HttpRequest, user: User, *, step_up: bool) -> HttpResponse:
    """The code form of the second-factor step and of step-up: check, then go on to ``next``."""
    form = SecondFactorForm(data=request.POST if request.method == "POST" else None)
    if form.is_bound:
        method, refused = _code_check(request, form, user)
        if refused is not None:
            return refused
        if method is not None:
            passed = "stepped_up" if step_up else "passed"
            services.second_factor_passed(request=request, user=user, method=passed)
            return HttpResponseRedirect(_after_sign_in(request))
    context = {
        "form": form,
        "next": _safe_next(request) or "",
        "step_up": step_up,
        "has_keys": queries.has_security_key(user),
    }
    status = 400 if form.is_bound else 200
    return render(request, "accounts/auth/second_factor.html", context, status=status)


@require_POST
@csrf_protect
@never_cache
@pre_auth_view
def sign_out(request: HttpRequest) -> HttpResponse:
    services.user_sign_out(request=request)
    return redirect("staff:sign-in")


@require_http_methods(["GET", "HEAD"])
@never_cache
@staff_view(Perm.CONSOLE)
def home(request: HttpRequest) -> HttpResponse:
    if _staff(request).partner_id is not None:
        # A partner's work is their referrals (the portal's URL name; no import of cases).
        return redirect("partner:home")
    if _staff(request).may(Perm.INTERPRET):
        # Interpreters land on the cases given to them (the interpreting app's URL name).
        return redirect("interpret:list")
    return render(request, "accounts/auth/home.html")


@require_http_methods(["GET", "HEAD"])
@never_cache
@staff_view(Perm.CONSOLE)
def my_sessions(request: HttpRequest) -> HttpResponse:
    """The user's open sessions (coarse device, started, last seen) with a way to end each."""
    user = _staff(request)
    current = session_services.current_staff_session(request)
    rows = session_services.open_sessions_of(user)
    context = {"rows": rows, "current_id": current.pk if current else None}
    return render(request, "accounts/auth/sessions.html", context)


@require_POST
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE)
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Answers "Stay signed in": the request itself moved the idle clock (see the middleware)."""
    return HttpResponse(status=204)


@require_POST
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE)
def session_end(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    user = _staff(request)
    row = queries.own_open_session(user, session_id)
    if row is None:
        raise Http404
    current = session_services.current_staff_session(request)
    if current is not None and current.pk == row.pk:
        services.user_sign_out(request=request)
        return redirect("staff:sign-in")
    session_services.session_end(staff_session=row, actor=audit.actor_for("user", user.pk))
    messages.success(request, _("That session has ended."))
    return redirect("staff:sessions")


@sensitive_post_parameters("current_password", "new_password", "new_password_again")
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE, step_up=STEP_UP_SECONDS)
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own passphrase; every other session ends."""
    user = _staff(request)
    form = PasswordChangeForm(user, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        ended = passwords.password_change(
            request=request, user=user, password=form.cleaned_data["new_password"]
        )
        messages.success(
            request,
            _("Your passphrase is changed. Other sessions ended: %(count)d.") % {"count": ended},
        )
        return redirect("staff:sessions")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/auth/password_change.html", {"form": form}, status=status)
