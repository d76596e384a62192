"""The Lockdown page (admins): start, confirm, withdraw and lift the emergency lockdown, and
destroy this server's keys; every step needs a recent second factor (step-up) and two admins.

Thin: each POST calls one service and comes back to the page with what happened (refusals as a
400 with the reason). Confirming a lockdown ends every session, the confirming admin's too: that
browser goes to sign-in, where admins may sign in again.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.exceptions import AccountError
from passage.accounts.models import Lockdown, User
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.accounts.services import lockdown as lockdown_services
from passage.accounts.services import sign_in as sign_in_services
from passage.lockdown import queries, services
from passage.lockdown.models import KeyDestruction


class DestroyForm(forms.Form):
    understood = forms.BooleanField(
        label=gettext_lazy(
            "I understand that every encrypted field, file and sealed request becomes "
            "unreadable on this server until the keys are recovered from the trustees' shares."
        ),
        error_messages={"required": gettext_lazy("Tick the box to say you understand.")},
    )


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _lockdown(lockdown_id: uuid.UUID) -> Lockdown:
    found = Lockdown.objects.filter(pk=lockdown_id).first()
    if found is None:
        raise Http404
    return found


def _post_or_back(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A step is a POST; a GET (e.g. coming back from step-up, which returns as a GET) goes to
    the Lockdown page instead of a 405, after checking that the object named exists (404)."""

    @functools.wraps(view)
    @require_http_methods(["GET", "HEAD", "POST"])
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            return view(request, **kwargs)
        if "lockdown_id" in kwargs:
            _lockdown(kwargs["lockdown_id"])
        if "proposal_id" in kwargs:
            _proposal(kwargs["proposal_id"])
        return redirect("lockdown:index")

    return wrapper


def _page(
    request: HttpRequest, *, error: str = "", form: DestroyForm | None = None
) -> HttpResponse:
    context = {
        "state": queries.state(),
        "me": _admin(request),
        "error": error,
        "form": form or DestroyForm(),
    }
    return render(request, "lockdown/index.html", context, status=400 if error else 200)


@staff_view(Perm.LOCKDOWN_MANAGE, step_up=STEP_UP_SECONDS)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_view(Perm.LOCKDOWN_MANAGE, step_up=STEP_UP_SECONDS)
@_post_or_back
def propose(request: HttpRequest) -> HttpResponse:
    try:
        services.lockdown_propose(actor=_admin(request))
    except AccountError as exc:
        return _page(request, error=str(exc))
    messages.warning(
        request,
        _("Lockdown proposed. A second admin must confirm it within ten minutes on this page."),
    )
    return redirect("lockdown:index")


@staff_view(Perm.LOCKDOWN_MANAGE, step_up=STEP_UP_SECONDS)
@_post_or_back
def confirm(request: HttpRequest, lockdown_id: uuid.UUID) -> HttpResponse:
    try:
        lockdown_services.lockdown_confirm(lockdown=_lockdown(lockdown_id), actor=_admin(request))
    except AccountError as exc:
        return _page(request, error=str(exc))
    # Every session ended, this one too: forget it in this browser, and say why at sign-in.
    sign_in_services.user_sign_out(request=request)
    query = urlencode({"ended": "lockdown", "next": reverse("lockdown:index")})
    return redirect(f"{reverse('staff:sign-in')}?{query}")


@staff_view(Perm.LOCKDOWN_MANAGE, step_up=STEP_UP_SECONDS)
@_post_or_back
def withdraw(request: HttpRequest, lockdown_id: uuid.UUID) -> HttpResponse:
    try:
        lockdown_services.lockdown_withdraw(lockdown=_lockdown(lockdown_id), actor=_admin(request))
    except AccountError as exc:
        return _page(request, error=str(exc))
    messages.success(request, _("The proposal is withdrawn."))
    return redirect("lockdown:index")


@staff_view(Perm.LOCKDOWN_MANAGE, step_up=STEP_UP_SECONDS)
@_post_or_back
def lift_propose(request: HttpRequest, lockdown_id: uuid.UUID) -> HttpResponse:
    try:
        lockdown_services.lockdown_lift_propose(
            lockdown=_lockdown(lockdown_id), actor=_admin(request)
        )
    except AccountError as exc:
        return _page(request, error=str(exc))
    messages.warning(
        request,
        _("Lifting proposed. A second admin must confirm it within ten minutes on this page."),
    )
    return redirect("lockdown:index")


@staff_view(Perm.LOCKDOWN_MANAGE, step_up=STEP_UP_SECONDS)
@_post_or_back
def lift_confirm(request: HttpRequest, lockdown_id: uuid.UUID) -> HttpResponse:
    try:
        restored = lockdown_services.lockdown_lift_confirm(
            lockdown=_lockdown(lockdown_id), actor=_admin(request)
        )
    except AccountError as exc:
        return _page(request, error=str(exc))
    messages.success(
        request,
        _("The lockdown is lifted. Partner accounts restored: %(count)d.") % {"count": restored},
    )
    return redirect("lockdown:index")


# --- key destruction ---------------------------------------------------------------------------


def _proposal(proposal_id: uuid.UUID) -> KeyDestruction:
    found = KeyDestruction.objects.filter(pk=proposal_id).first()
    if found is None:
        raise Http404
    return found


@staff_view(Perm.KEYS_DESTROY, step_up=STEP_UP_SECONDS)
@_post_or_back
def keys_propose(request: HttpRequest) -> HttpResponse:
    form = DestroyForm(request.POST)
    if not form.is_valid():
        return _page(request, error=_("Tick the box to say you understand."), form=form)
    try:
        services.destruction_propose(actor=_admin(request))
    except AccountError as exc:
        return _page(request, error=str(exc))
    messages.warning(
        request,
        _(
            "Destroying the keys is proposed. A second admin must confirm it within ten "
            "minutes on this page."
        ),
    )
    return redirect(reverse("lockdown:index") + "#keys")


@staff_view(Perm.KEYS_DESTROY, step_up=STEP_UP_SECONDS)
@_post_or_back
def keys_confirm(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    proposal = _proposal(proposal_id)
    form = DestroyForm(request.POST)
    if not form.is_valid():
        return _page(request, error=_("Tick the box to say you understand."), form=form)
    try:
        services.destruction_confirm(proposal=proposal, actor=_admin(request))
    except AccountError as exc:
        return _page(request, error=str(exc))
    # Rendered, not redirected: after this response nothing on this server can be decrypted,
    # and `passage serve` stops every process within a second.
    return render(request, "lockdown/destroyed.html")


@staff_view(Perm.KEYS_DESTROY, step_up=STEP_UP_SECONDS)
@_post_or_back
def keys_withdraw(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    try:
        services.destruction_withdraw(proposal=_proposal(proposal_id), actor=_admin(request))
    except AccountError as exc:
        return _page(request, error=str(exc))
    messages.success(request, _("The proposal is withdrawn."))
    return redirect(reverse("lockdown:index") + "#keys")
