"""The on-call rota (now and the next 14 days), adding and removing shifts, and drills.

Everyone who sees alerts sees the rota of their own desks (admins: every desk); a desk's lead
and the admins change it and start its drills. A desk or shift the user may not change is a 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts.access import staff_view
from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.alerts import queries, rota
from passage.alerts.forms import DrillForm, ShiftForm
from passage.audit import services as audit

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


@staff_view(Perm.ALERTS_VIEW)
@require_http_methods(["GET", "HEAD"])
@never_cache
def rota_page(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    context = {
        "rotas": queries.desk_rotas(user),
        "days": queries.ROTA_DAYS,
        "may_drill": bool(queries.managed_desks(user)),
    }
    return render(request, "alerts/rota.html", context)


@staff_view(Perm.ONCALL_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def shift_new(request: HttpRequest, desk_id: uuid.UUID) -> HttpResponse:
    user = _staff(request)
    desk = queries.managed_desk(user, desk_id)
    if desk is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = ShiftForm(request.POST, desk=desk)
        if form.is_valid():
            try:
                rota.shift_add(
                    desk=desk,
                    user=form.cleaned_data["user"],
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    actor=user,
                    request_id=audit.request_id_from(request),
                )
            except rota.RotaRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The shift is on the rota."))
                return redirect("alerts:rota")
        status = 400
    else:
        form = ShiftForm(desk=desk, initial=ShiftForm.initial_times())
    return render(request, "alerts/shift_new.html", {"form": form, "desk": desk}, status=status)


@staff_view(Perm.ONCALL_MANAGE)
@require_POST
@never_cache
def shift_remove(request: HttpRequest, shift_id: uuid.UUID) -> HttpResponse:
    user = _staff(request)
    shift = queries.managed_shift(user, shift_id)
    if shift is None:
        raise Http404
    rota.shift_remove(shift=shift, actor=user, request_id=audit.request_id_from(request))
    messages.success(request, _("The shift was taken off the rota."))
    return redirect("alerts:rota")


@staff_view(Perm.ONCALL_MANAGE)
@require_http_methods(["GET", "HEAD"])
@never_cache
def drill_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    desks = queries.managed_desks(user)
    page = Paginator(queries.drills_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": DrillForm(desks=desks), "desks": desks}
    return render(request, "alerts/drills.html", context)


@staff_view(Perm.ONCALL_MANAGE)
@require_POST
@never_cache
def drill_start(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    desks = queries.managed_desks(user)
    form = DrillForm(request.POST, desks=desks)
    if not form.is_valid():
        page = Paginator(queries.drills_for(user), PAGE_SIZE).get_page(1)
        context = {"page": page, "form": form, "desks": desks}
        return render(request, "alerts/drills.html", context, status=400)
    try:
        rota.drill_start(
            desk=form.cleaned_data["desk"],
            actor=user,
            request_id=audit.request_id_from(request),
            now=timezone.now(),
        )
    except rota.RotaRefused as refused:
        messages.error(request, str(refused))
        return redirect("alerts:drills")
    messages.success(
        request,
        _(
            "Drill started: whoever is on call is pushed now. The time until someone "
            "acknowledges it shows here."
        ),
    )
    return redirect("alerts:drills")
