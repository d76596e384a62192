"""Routes, the journey board and the Travel tab of a case. Thin: parse, call a service, render.

Route pages are for logistics of the route's desk (others: 404) and record each view of a
route's places and notes (``route.viewed``). The Travel tab decrypts bookings, escorts and
meeting points, so each view of it is recorded like any protected section
(``case.section_viewed.travel``); writing needs to work the case.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts.access import staff_view
from passage.accounts.models import Desk
from passage.accounts.roles import Perm
from passage.casefiles.forms import CaseFileUploadForm
from passage.casefiles.queries import files_attached
from passage.cases.exceptions import CaseError
from passage.cases.models import Case
from passage.cases.queries import CaseView
from passage.cases.views.common import (
    GET_POST,
    case_view,
    record_read,
    refused,
    render_case,
    request_id,
    reveal_names,
    run,
    status_of,
    viewer,
)
from passage.routes import queries
from passage.routes.forms import (
    CompromisedForm,
    RouteForm,
    RouteLegForm,
    RouteStatusForm,
    TravelLegForm,
    TravelPlanForm,
)
from passage.routes.models import TICKET_ATTACHMENT, Route, TravelLeg
from passage.routes.services import routes
from passage.routes.services import travel as trips


def _route_or_404(request: HttpRequest, route_id: object) -> Route:
    found = queries.route_for(viewer(request), route_id)
    if found is None:
        raise Http404
    return found


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(GET_POST)
def route_list(request: HttpRequest) -> HttpResponse:
    """The routes of the viewer's desks (code, desk, status, legs) and the form to add one."""
    user = viewer(request)
    desks = Desk.objects.filter(memberships__user=user).order_by("name")
    form = RouteForm(request.POST if request.method == "POST" else None, desks=desks)
    if form.is_bound and form.is_valid():
        try:
            made = routes.route_create(
                desk=form.cleaned_data["desk"],
                actor=user,
                code=form.cleaned_data["code"],
                notes=form.cleaned_data["notes"],
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Route added: add its legs now."))
            return redirect("routes:route", route_id=made.pk)
    context = {"form": form, "routes": queries.routes_for(user).prefetch_related("legs")}
    return render(request, "routes/list.html", context, status=status_of(form))


def _detail(
    request: HttpRequest, route: Route, *, leg_form: RouteLegForm | None = None
) -> HttpResponse:
    try:
        routes.route_reveal(route=route, actor=viewer(request), request_id=request_id(request))
    except CaseError as exc:
        refused(None, exc)
    form = leg_form or RouteLegForm()
    context = {
        "route": route,
        "legs": queries.legs_of(route),
        "leg_form": form,
        "status_form": RouteStatusForm(initial={"status": route.status}),
        "users_of": routes.cases_on(route),
    }
    return render(request, "routes/route.html", context, status=status_of(form))


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(GET_POST)
def route_detail(request: HttpRequest, route_id: str) -> HttpResponse:
    """A route's legs (places and notes decrypted, recorded) and the form to add a leg."""
    route = _route_or_404(request, route_id)
    form = RouteLegForm(request.POST if request.method == "POST" else None)
    done = run(
        request,
        form,
        lambda: routes.route_leg_add(
            route=route,
            actor=viewer(request),
            details=form.details(),
            request_id=request_id(request),
        ),
        success=_("Leg added."),
        then=reverse("routes:route", args=[route.pk]),
    )
    return done or _detail(request, route, leg_form=form)


@staff_view(Perm.LOGISTICS_REVEAL)
@require_POST
def route_status(request: HttpRequest, route_id: str) -> HttpResponse:
    route = _route_or_404(request, route_id)
    form = RouteStatusForm(request.POST)
    done = run(
        request,
        form,
        lambda: routes.route_status_set(
            route=route,
            actor=viewer(request),
            status=form.cleaned_data["status"],
            request_id=request_id(request),
        ),
        success=_("Status changed."),
        then=reverse("routes:route", args=[route.pk]),
    )
    if done:
        return done
    context = {"route": route, "form": form, "error_only": True}
    return render(request, "routes/compromise.html", context, status=400)


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(GET_POST)
def route_compromised(request: HttpRequest, route_id: str) -> HttpResponse:
    """Say what marking the route compromised does (and which cases it flags); do it on POST."""
    route = _route_or_404(request, route_id)
    form = CompromisedForm(request.POST if request.method == "POST" else None)
    flagged: list[int] = []
    done = run(
        request,
        form,
        lambda: flagged.append(
            len(
                routes.route_mark_compromised(
                    route=route,
                    actor=viewer(request),
                    reason=form.cleaned_data["reason"],
                    request_id=request_id(request),
                )
            )
        ),
        success=_("Route marked compromised; the cases on it are flagged and their staff alerted."),
        then=reverse("routes:route", args=[route.pk]),
    )
    if done:
        return done
    context = {"route": route, "form": form, "cases": routes.cases_on(route)}
    return render(request, "routes/compromise.html", context, status=status_of(form))


@staff_view(Perm.LOGISTICS_REVEAL)
@require_http_methods(["GET", "HEAD"])
def journey_board(request: HttpRequest) -> HttpResponse:
    """Who moves in the next 14 days in the cases the viewer works, where they should be now,
    which legs have no booking and which cases are on a compromised route."""
    today = timezone.localdate()
    rows = queries.journey_board(viewer(request), today)
    names = reveal_names(request, [row.case for row in rows])
    context = {"rows": rows, "names": names, "today": today, "days": queries.BOARD_DAYS}
    return render(request, "routes/board.html", context)


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def travel_tab(request: HttpRequest, case_id: str) -> HttpResponse:
    """The Travel tab: the case's plans and legs (decrypted, recorded); POST starts a plan."""
    view = case_view(request, case_id, working=request.method == "POST")
    user = viewer(request)
    choices = queries.route_choices(user, view.case)
    form = TravelPlanForm(request.POST if request.method == "POST" else None, routes=choices)
    done = run(
        request,
        form,
        lambda: trips.travel_plan_create(
            case=view.case,
            actor=user,
            route=form.cleaned_data["route"],
            notes=form.cleaned_data["notes"],
            request_id=request_id(request),
        ),
        success=_("Travel plan started: add its legs."),
        then=reverse("routes:travel", args=[view.case.pk]),
    )
    if done:
        return done
    record_read(request, view, "travel")
    plans = queries.plans_of(view.case)
    leg_ids = [leg.pk for plan in plans for leg in plan.legs.all()]
    context = {
        "form": form,
        "plans": plans,
        "tickets": files_attached(view, TICKET_ATTACHMENT, leg_ids),
        "flags": queries.flags_of(view.case),
        "may_plan": user.may(Perm.CASES_WORK) and view.works,
    }
    return render_case(
        request,
        "routes/travel.html",
        view,
        tab="travel",
        context=context,
        status=status_of(form),
        recorded=True,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def travel_leg_add(request: HttpRequest, case_id: str, plan_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    plan = queries.plan_of(view.case, plan_id)
    if plan is None:
        raise Http404
    form = TravelLegForm(request.POST if request.method == "POST" else None)
    done = run(
        request,
        form,
        lambda: trips.travel_leg_add(
            plan=plan, actor=viewer(request), details=form.details(), request_id=request_id(request)
        ),
        success=_("Leg added."),
        then=reverse("routes:travel", args=[view.case.pk]),
    )
    if done:
        return done
    context = {"form": form, "action": reverse("routes:leg-add", args=[view.case.pk, plan.pk])}
    return render_case(
        request, "routes/leg_form.html", view, tab="travel", context=context, status=status_of(form)
    )


def _leg_or_404(case: Case, leg_id: str) -> TravelLeg:
    leg = queries.leg_of(case, leg_id)
    if leg is None:
        raise Http404
    return leg


def _leg_page(
    request: HttpRequest,
    view: CaseView,
    leg: TravelLeg,
    *,
    form: TravelLegForm,
    ticket_form: CaseFileUploadForm,
    decrypted: bool,
) -> HttpResponse:
    """A leg's page: its form (with the stored, decrypted values when ``decrypted``: a
    recorded read) and the ticket upload; 400 when either form was refused."""
    if decrypted:
        record_read(request, view, "travel")
    context = {
        "form": form,
        "leg": leg,
        "ticket_form": ticket_form,
        "action": reverse("routes:leg-edit", args=[view.case.pk, leg.pk]),
    }
    status = 400 if form.is_bound or ticket_form.is_bound else 200
    return render_case(
        request,
        "routes/leg_form.html",
        view,
        tab="travel",
        context=context,
        status=status,
        recorded=decrypted,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def travel_leg_edit(request: HttpRequest, case_id: str, leg_id: str) -> HttpResponse:
    """Change a leg (dates, status, booking, escort, meeting point)."""
    view = case_view(request, case_id, working=True)
    leg = _leg_or_404(view.case, leg_id)
    data = request.POST if request.method == "POST" else None
    form = TravelLegForm(data, initial=TravelLegForm.initial_of(leg))
    done = run(
        request,
        form,
        lambda: trips.travel_leg_update(
            leg=leg, actor=viewer(request), details=form.details(), request_id=request_id(request)
        ),
        success=_("Leg saved."),
        then=reverse("routes:travel", args=[view.case.pk]),
    )
    if done:
        return done
    return _leg_page(
        request, view, leg, form=form, ticket_form=CaseFileUploadForm(), decrypted=data is None
    )


@staff_view(Perm.CASES_WORK)
@require_POST
def travel_ticket(request: HttpRequest, case_id: str, leg_id: str) -> HttpResponse:
    """Attach a ticket (an encrypted case file) to a leg."""
    view = case_view(request, case_id, working=True)
    leg = _leg_or_404(view.case, leg_id)
    ticket_form = CaseFileUploadForm.for_request(request)
    done = run(
        request,
        ticket_form,
        lambda: trips.travel_ticket_add(
            leg=leg,
            actor=viewer(request),
            upload=ticket_form.cleaned_data["file"],
            request_id=request_id(request),
        ),
        success=_("Ticket added."),
        then=reverse("routes:travel", args=[view.case.pk]),
    )
    if done:
        return done
    form = TravelLegForm(initial=TravelLegForm.initial_of(leg))
    return _leg_page(request, view, leg, form=form, ticket_form=ticket_form, decrypted=True)
