"""Admins: where each staff member's pushes go (addresses on the edit page only, after a fresh
second factor), and the delivery log of every push with its status."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from passage.accounts.access import staff_view
from passage.accounts.models import User
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.alerts import queries, rota
from passage.alerts.forms import DestinationForm
from passage.alerts.models import PushDelivery
from passage.audit import services as audit

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


@staff_view(Perm.PUSH_MANAGE)
@require_http_methods(["GET", "HEAD"])
@never_cache
def destination_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.push_people(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "alerts/destinations.html", {"page": page})


@staff_view(Perm.PUSH_MANAGE, step_up=STEP_UP_SECONDS)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def destination_edit(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    person = queries.push_person(user_id)
    if person is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = DestinationForm(request.POST)
        if form.is_valid():
            try:
                rota.destination_set(
                    user=person,
                    webhook_url=form.cleaned_data["webhook_url"],
                    email=form.cleaned_data["email"],
                    actor=_staff(request),
                    request_id=audit.request_id_from(request),
                )
            except rota.RotaRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Where pushes go was saved."))
                return redirect("alerts:destinations")
        status = 400
    else:
        current = rota.destination_reveal(
            user=person, actor=_staff(request), request_id=audit.request_id_from(request)
        )
        initial = (
            {"webhook_url": current.webhook_url or "", "email": current.email or ""}
            if current
            else {}
        )
        form = DestinationForm(initial=initial)
    return render(
        request, "alerts/destination_edit.html", {"form": form, "person": person}, status=status
    )


@staff_view(Perm.PUSH_MANAGE)
@require_http_methods(["GET", "HEAD"])
@never_cache
def delivery_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = queries.deliveries()
    if status in PushDelivery.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": PushDelivery.Status.choices}
    return render(request, "alerts/deliveries.html", context)
