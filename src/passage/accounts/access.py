"""Who may use which view: one decorator that every staff view wears, and a registry of it.

``@staff_view(Perm.X)`` requires a signed-in user with a completed second factor and the
permission; ``step_up=STEP_UP_SECONDS`` also requires a second-factor check that recent. A user
without the permission gets a 404 (existence is not confirmed), an anonymous visitor a redirect
to sign-in. ``@public_view`` marks pages anyone may open, ``@pre_auth_view`` the sign-in and
enrolment steps. The access-matrix test (``tests/test_access_matrix.py``) walks every URL and
fails on a view that wears none of these. The declarations themselves live in
``passage.core.access`` so views below this app can wear them too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from passage.accounts import sessions
from passage.accounts.roles import Perm
from passage.core.access import Access, access_of, declare, pre_auth_view, public_view

__all__ = ["Access", "access_of", "pre_auth_view", "public_view", "staff_view"]

View = TypeVar("View", bound=Callable[..., HttpResponse])


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

        declare(wrapper, Access("staff", perm.value, step_up))
        return wrapper  # type: ignore[return-value]

    return decorate
