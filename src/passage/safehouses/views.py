"""Safe-house pages: the list and capacity of the desk's houses (code names), a house with its
stays and calendar, the audited "Show address" (POST, logistics after step-up), keeping houses,
marking one compromised, and the case's "Safe house" tab with placing and ending stays.

Addresses are never rendered to a GET: only the POST of ``house_address`` decrypts them, after
writing its audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts.access import staff_view
from passage.accounts.models import Desk
from passage.accounts.roles import ROUTINE_REVEAL_SECONDS, STEP_UP_SECONDS, Perm
from passage.cases.exceptions import CaseError, CaseNotFound
from passage.cases.queries import CaseView
from passage.cases.views.common import (
    GET_POST,
    case_view,
    refused,
    render_case,
    request_id,
    status_of,
    viewer,
)
from passage.safehouses import queries, services
from passage.safehouses.forms import (
    CompromiseForm,
    DayForm,
    HouseForm,
    MoveForm,
    PlaceForm,
    StatusForm,
)
from passage.safehouses.models import SafeHouse, Stay


def _house_or_404(request: HttpRequest, house_id: object) -> SafeHouse:
    house = queries.house_for(viewer(request), house_id)
    if house is None:
        raise Http404
    return house


def _logistics_house(request: HttpRequest, house_id: object) -> SafeHouse:
    house = _house_or_404(request, house_id)
    if not queries.may_reveal(viewer(request), house):
        raise Http404
    return house


def _uncompromised(request: HttpRequest, house_id: object) -> SafeHouse:
    """The house for its logistics staff while it is not compromised (nothing to change then)."""
    house = _logistics_house(request, house_id)
    if house.is_compromised:
        raise Http404
    return house


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(["GET", "HEAD"])
def house_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    context = {
        "lines": queries.house_lines(user),
        "lengths": queries.lengths_overall(user),
        "may_add": user.may(Perm.LOGISTICS_REVEAL),
    }
    return render(request, "safehouses/list.html", context)


@staff_view(Perm.LOGISTICS_REVEAL, step_up=ROUTINE_REVEAL_SECONDS)
@require_http_methods(GET_POST)
def house_new(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    desks = Desk.objects.filter(memberships__user=user, is_active=True).order_by("name")
    form = HouseForm(request.POST if request.method == "POST" else None, desks=desks)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            house = services.safehouse_create(
                actor=user,
                desk=data["desk"],
                code_name=data["code_name"],
                region=data["region"],
                beds=data["beds"],
                address=data["address"],
                contact=data["contact"],
                rules=data["rules"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Safe house %(name)s added.") % {"name": house.code_name})
            return redirect("safehouses:house", house_id=house.pk)
    return render(request, "safehouses/house_new.html", {"form": form}, status=status_of(form))


def _house_page(
    request: HttpRequest,
    house: SafeHouse,
    *,
    revealed: services.Revealed | None = None,
) -> HttpResponse:
    stays = queries.stays_of_house(house)
    context = {
        "house": house,
        "stays": stays,
        "lengths": queries.stay_lengths(stays),
        "flags": queries.flags_of_house(house),
        "may_reveal": queries.may_reveal(viewer(request), house),
        "revealed": revealed,
    }
    return render(request, "safehouses/house.html", context)


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(["GET", "HEAD"])
def house_detail(request: HttpRequest, house_id: str) -> HttpResponse:
    return _house_page(request, _house_or_404(request, house_id))


@staff_view(Perm.LOGISTICS_REVEAL, step_up=ROUTINE_REVEAL_SECONDS)
@require_POST
def house_address(request: HttpRequest, house_id: str) -> HttpResponse:
    """The house page with its address, contact and rules, after recording the view."""
    house = _logistics_house(request, house_id)
    try:
        revealed = services.safehouse_reveal(
            house=house, actor=viewer(request), request_id=request_id(request)
        )
    except CaseError as exc:
        refused(None, exc)
        raise Http404 from None
    return _house_page(request, house, revealed=revealed)  # staff pages are never cached


def _start(request: HttpRequest) -> dt.date:
    form = DayForm(request.GET or None)
    if form.is_bound and form.is_valid():
        on: dt.date = form.cleaned_data["on"]
        return on
    return timezone.localdate()


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(["GET", "HEAD"])
def house_calendar(request: HttpRequest, house_id: str) -> HttpResponse:
    house = _house_or_404(request, house_id)
    first = _start(request)
    context = {
        "house": house,
        "rows": queries.calendar(house, first),
        "first": first,
        "earlier": first - dt.timedelta(days=queries.CALENDAR_NIGHTS),
        "later": first + dt.timedelta(days=queries.CALENDAR_NIGHTS),
    }
    return render(request, "safehouses/calendar.html", context)


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(["GET", "HEAD"])
def capacity(request: HttpRequest) -> HttpResponse:
    days, rows = queries.capacity(viewer(request), timezone.localdate())
    return render(request, "safehouses/capacity.html", {"days": days, "rows": rows})


def _form_page(
    request: HttpRequest,
    template: str,
    form: Any,
    context: dict[str, Any],
) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=status_of(form))


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(GET_POST)
def house_status(request: HttpRequest, house_id: str) -> HttpResponse:
    house = _uncompromised(request, house_id)
    form = StatusForm(request.POST or None, initial={"status": house.status})
    if form.is_bound and form.is_valid():
        try:
            services.safehouse_set_status(
                house=house,
                actor=viewer(request),
                status=form.cleaned_data["status"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Status changed."))
            return redirect("safehouses:house", house_id=house.pk)
    return _form_page(request, "safehouses/house_status.html", form, {"house": house})


@staff_view(Perm.LOGISTICS_REVEAL, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def house_compromised(request: HttpRequest, house_id: str) -> HttpResponse:
    house = _uncompromised(request, house_id)
    form = CompromiseForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            flags = services.safehouse_mark_compromised(
                house=house,
                actor=viewer(request),
                reason=form.cleaned_data["reason"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is marked compromised; %(count)s cases flagged and alerted.")
                % {"name": house.code_name, "count": len(flags)},
            )
            return redirect("safehouses:house", house_id=house.pk)
    return _form_page(request, "safehouses/house_compromised.html", form, {"house": house})


# --- the case's "Safe house" tab -------------------------------------------------------------


def _may_place(request: HttpRequest, view: CaseView) -> bool:
    return view.works and viewer(request).may(Perm.LOGISTICS_REVEAL)


def _placeable(request: HttpRequest) -> Any:
    return queries.visible_houses(viewer(request)).filter(status=SafeHouse.Status.OPEN)


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(["GET", "HEAD"])
def case_stays(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id)
    stays = queries.stays_of_case(view.case)
    context = {
        "stays": stays,
        "flags": queries.flags_of_case(view.case),
        "may_place": _may_place(request, view),
        "verified": view.case.verification_outcome == view.case.Verification.VERIFIED,
    }
    return render_case(
        request, "safehouses/case_stays.html", view, tab="safehouse", context=context
    )


def _case_form(
    request: HttpRequest, view: CaseView, template: str, form: Any, **extra: Any
) -> HttpResponse:
    return render_case(
        request,
        template,
        view,
        tab="safehouse",
        context={"form": form, **extra},
        status=status_of(form),
    )


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(GET_POST)
def stay_place(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form = PlaceForm(request.POST or None, houses=_placeable(request))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.stay_place(
                case=view.case,
                house=data["house"],
                actor=viewer(request),
                planned_from=data["planned_from"],
                planned_to=data["planned_to"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Stay planned."))
            return redirect("safehouses:case", case_id=view.case.pk)
    return _case_form(request, view, "safehouses/stay_place.html", form)


def _stay_or_404(view: CaseView, stay_id: str) -> Stay:
    stay = Stay.objects.filter(pk=stay_id, case=view.case).select_related("house", "case").first()
    if stay is None or stay.cancelled_at is not None or stay.is_ended:
        raise Http404
    return stay


STAY_ACTIONS = {
    "arrive": (services.stay_arrive, _("Arrival recorded.")),
    "end": (services.stay_end, _("Stay ended.")),
}


def _stay_day(request: HttpRequest, case_id: str, stay_id: str, action: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    stay = _stay_or_404(view, stay_id)
    if not queries.may_reveal(viewer(request), stay.house):
        raise Http404
    form = DayForm(request.POST or None, initial={"on": timezone.localdate()})
    service, success = STAY_ACTIONS[action]
    if form.is_bound and form.is_valid():
        try:
            service(
                stay=stay,
                actor=viewer(request),
                on=form.cleaned_data["on"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, str(success))
            return redirect("safehouses:case", case_id=view.case.pk)
    return _case_form(request, view, "safehouses/stay_day.html", form, stay=stay, action=action)


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(GET_POST)
def stay_arrive(request: HttpRequest, case_id: str, stay_id: str) -> HttpResponse:
    return _stay_day(request, case_id, stay_id, "arrive")


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(GET_POST)
def stay_end(request: HttpRequest, case_id: str, stay_id: str) -> HttpResponse:
    return _stay_day(request, case_id, stay_id, "end")


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(GET_POST)
def stay_move(request: HttpRequest, case_id: str, stay_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    stay = _stay_or_404(view, stay_id)
    if not queries.may_reveal(viewer(request), stay.house):
        raise Http404
    form = MoveForm(request.POST or None, houses=_placeable(request).exclude(pk=stay.house_id))
    if form.is_bound and form.is_valid():
        try:
            services.stay_move(
                stay=stay,
                house=form.cleaned_data["house"],
                actor=viewer(request),
                planned_to=form.cleaned_data["planned_to"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            if isinstance(exc, CaseNotFound):
                raise Http404 from None
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Moved."))
            return redirect("safehouses:case", case_id=view.case.pk)
    return _case_form(request, view, "safehouses/stay_move.html", form, stay=stay)
