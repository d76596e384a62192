"""Who may use which view: one decorator that every staff view wears, and a registry of it.

``@staff_view(Perm.X)`` requires a signed-in user with a completed second factor and the
permission; ``step_up=STEP_UP_SECONDS`` also requires a second-factor check that recent. A user
without the permission gets a 404 (existence is not confirmed), an anonymous visitor a redirect
to sign-in. ``@public_view`` marks pages anyone may open, ``@pre_auth_view`` the sign-in and
enrolment steps. The access-matrix test (``tests/test_access_matrix.py``) walks every URL and
fails on a view that wears none of these.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from passage.accounts import sessions
from passage.accounts.roles import Perm

View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Access:
    kind: str  # "public", "pre_auth" or "staff"
    perm: Perm | None = None
    step_up: int | None = None


def access_of(view: Callable[..., Any]) -> Access | None:
    """The access a view declared, or None if it declared none (the matrix test fails then)."""
    declared: Access | None = getattr(view, "passage_access", None)
    return declared


def _declare(view: Callable[..., Any], access: Access) -> None:
    view.passage_access = access  # type: ignore[attr-defined]


def public_view(view: View) -> View:
    """Anyone may open this page (public help pages, health check, static files)."""
    _declare(view, Access("public"))
    return view


def pre_auth_view(view: View) -> View:
    """Part of signing in or enrolling: reachable before the second factor is done."""
    _declare(view, Access("pre_auth"))
    return view


def staff_view(perm: Perm, *, step_up: int | None = None) -> Callable[[View], View]:
    """Require a fully signed-in user holding ``perm`` (and a recent second factor if step_up)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not sessions.second_factor_done(request):
                return redirect("staff:second-factor")
            if not user.may(perm):
                raise Http404
            if step_up is not None and not sessions.second_factor_fresh(request, step_up):
                return redirect_to_login(
                    request.get_full_path(), "staff:step-up", redirect_field_name="next"
                )
            return view(request, *args, **kwargs)

        _declare(wrapper, Access("staff", perm, step_up))
        return wrapper  # type: ignore[return-value]

    return decorate
