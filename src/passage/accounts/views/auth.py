"""Staff sign-in, sign-out and the "My work" page. Thin: parse, call a service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts.forms import SignInForm
from passage.accounts.services import sign_in as services

NEXT_FIELD = "next"


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


def _after_sign_in(request: HttpRequest) -> str:
    return _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(_after_sign_in(request))
    if request.method == "POST":
        form = SignInForm(request, data=request.POST)
        if form.is_valid() and form.user is not None:
            services.user_sign_in(request=request, user=form.user)
            return HttpResponseRedirect(_after_sign_in(request))
    else:
        form = SignInForm(request)
    context = {"form": form, "next": _safe_next(request) or ""}
    # Invalid input is a 4xx with a clear message (DESIGN invariant 7), never a silent 200.
    status = 400 if form.is_bound else 200
    return render(request, "accounts/sign_in.html", context, status=status)


@require_POST
@csrf_protect
@never_cache
def sign_out(request: HttpRequest) -> HttpResponse:
    services.user_sign_out(request=request)
    return redirect("staff:sign-in")


@require_http_methods(["GET", "HEAD"])
@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")
