"""The drafts endpoints under /staff/drafts/: autosave (from drafts/autosave.js) and discard.

Thin: parse, call a service, answer. A user only ever saves and discards their own drafts.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts.access import staff_view
from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.drafts import keys, queries, services
from passage.drafts.exceptions import DraftRefused
from passage.drafts.forms import FormKeyForm


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (staff_view let only staff through)
    return user


@require_POST
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE)
def save(request: HttpRequest) -> HttpResponse:
    """Keep the posted fields of a form marked ``data-autosave``: 204, or 400 with the reason."""
    form = FormKeyForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("This form does not keep drafts."), content_type="text/plain"
        )
    try:
        services.draft_save(
            actor=_user(request),
            form_key=form.cleaned_data["passage_draft"],
            values=services.values_from(request.POST),
            request_id=audit.request_id_from(request),
        )
    except DraftRefused as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    return HttpResponse(status=204)


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@never_cache
@staff_view(Perm.CONSOLE)
def discard(request: HttpRequest) -> HttpResponse:
    """Ask, then destroy the user's draft of one form and go back to the (now empty) form."""
    user = _user(request)
    data = request.POST if request.method == "POST" else request.GET
    form = FormKeyForm(data)
    if not form.is_valid():
        raise Http404  # names no form that keeps drafts
    key = form.cleaned_data["passage_draft"]
    back = keys.page_of(key) or ""
    if request.method == "POST":
        services.draft_discard(actor=user, form_key=key, request_id=audit.request_id_from(request))
        messages.success(request, _("Your unsaved text was discarded."))
        return redirect(back)
    context = {"form": form, "key": key, "back": back, "exists": queries.has_draft(user, key)}
    return render(request, "drafts/discard.html", context)
