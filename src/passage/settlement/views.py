"""The Settlement tab of a case (the plan, its steps, needs and follow-ups) and the settlement
worker's list of follow-ups due.

Thin: parse, call a service, render. The tab decrypts, so each view of it is recorded
(``case.section_viewed.settlement``). Reading needs the case (desk, assignee or break-glass);
writing needs to work it (desk or assignee), and the services check that again. The list of
follow-ups due needs the settlement permission and shows chosen names only for cases the
viewer works (recorded reads, as on My work).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.cases.queries import CaseView
from passage.cases.views.common import (
    GET_POST,
    case_view,
    record_read,
    render_case,
    request_id,
    reveal_names,
    run,
    status_of,
    viewer,
)
from passage.settlement import queries
from passage.settlement.forms import FollowUpForm, NeedForm, PlanForm, StepForm
from passage.settlement.services import plans
from passage.settlement.services.plans import PLAN_STAGES

SECTION = "settlement"


def _tab(view: CaseView) -> str:
    return reverse("settlement:case", args=[view.case.pk])


def _save(
    request: HttpRequest,
    view: CaseView,
    form: forms.Form,
    action: Callable[[], object],
    success: str,
) -> HttpResponse | None:
    return run(request, form, action, success=success, then=_tab(view))


def _page(
    request: HttpRequest, view: CaseView, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    record_read(request, view, SECTION)
    return render_case(
        request, template, view, tab=SECTION, context=context, status=status, recorded=True
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def case_tab(request: HttpRequest, case_id: str) -> HttpResponse:
    """The plan (or, for an arrived case without one, the form to make it). A POST makes the
    plan: it needs to work the case (anyone else: 404); a case that has not arrived is refused
    with a message (400)."""
    writing = request.method == "POST"
    view = case_view(request, case_id, working=writing)
    form = PlanForm(
        request.POST if writing else None,
        initial={"arrival_date": timezone.localdate(view.case.stage_entered_at)},
    )
    done = _save(
        request,
        view,
        form,
        lambda: plans.plan_create(
            case=view.case,
            actor=viewer(request),
            arrival_date=form.cleaned_data["arrival_date"],
            city=form.cleaned_data["city"],
            request_id=request_id(request),
        ),
        _("Settlement plan made, with follow-ups at 1, 3, 6 and 12 months."),
    )
    if done:
        return done
    data = queries.plan_of(view)
    context = {
        "form": form,
        "data": data,
        "arrived": view.case.stage in PLAN_STAGES,
        "today": timezone.localdate(),
    }
    return _page(request, view, "settlement/case.html", context, status_of(form))


def _edit_page(
    request: HttpRequest, view: CaseView, form: forms.Form, title: str, action: str, **extra: object
) -> HttpResponse:
    context = {"form": form, "title": title, "action": action, **extra}
    return _page(request, view, "settlement/form.html", context, status_of(form))


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def plan_edit(request: HttpRequest, case_id: str) -> HttpResponse:
    """Correct the arrival date (moving the follow-ups still to do) and the city."""
    view = case_view(request, case_id, working=True)
    plan = queries.plan_row(view)
    if plan is None:
        raise Http404
    writing = request.method == "POST"
    form = PlanForm(request.POST if writing else None, initial=PlanForm.initial_of(plan))
    done = _save(
        request,
        view,
        form,
        lambda: plans.plan_change(
            plan=plan,
            actor=viewer(request),
            arrival_date=form.cleaned_data["arrival_date"],
            city=form.cleaned_data["city"],
            request_id=request_id(request),
        ),
        _("Settlement plan saved."),
    )
    if done:
        return done
    action = reverse("settlement:plan-edit", args=[view.case.pk])
    return _edit_page(request, view, form, _("Arrival and city"), action)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def step_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Add a legal step (a second hearing, an appeal, another permit)."""
    view = case_view(request, case_id, working=True)
    plan = queries.plan_row(view)
    if plan is None:
        raise Http404
    writing = request.method == "POST"
    form = StepForm(request.POST if writing else None)
    done = _save(
        request,
        view,
        form,
        lambda: plans.step_add(
            plan=plan,
            actor=viewer(request),
            details=form.details(),
            request_id=request_id(request),
        ),
        _("Legal step added."),
    )
    if done:
        return done
    action = reverse("settlement:step-add", args=[view.case.pk])
    return _edit_page(request, view, form, _("Add a legal step"), action)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def step_edit(request: HttpRequest, case_id: str, step_id: str) -> HttpResponse:
    """Change a legal step: where it stands, its date, notes."""
    view = case_view(request, case_id, working=True)
    step = queries.step_of(view, step_id)
    if step is None:
        raise Http404
    writing = request.method == "POST"
    form = StepForm(request.POST if writing else None, initial=StepForm.initial_of(step))
    done = _save(
        request,
        view,
        form,
        lambda: plans.step_change(
            step=step,
            actor=viewer(request),
            details=form.details(),
            request_id=request_id(request),
        ),
        _("Legal step saved."),
    )
    if done:
        return done
    action = reverse("settlement:step-edit", args=[view.case.pk, step.pk])
    title = _("Change: %(step)s") % {"step": step.get_kind_display()}
    return _edit_page(request, view, form, title, action)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def need_edit(request: HttpRequest, case_id: str, need_id: str) -> HttpResponse:
    """Change where a need stands and who helps."""
    view = case_view(request, case_id, working=True)
    need = queries.need_of(view, need_id)
    if need is None:
        raise Http404
    writing = request.method == "POST"
    form = NeedForm(
        request.POST if writing else None,
        initial=NeedForm.initial_of(need),
        helpers=queries.helpers_for(view.case),
    )
    done = _save(
        request,
        view,
        form,
        lambda: plans.need_change(
            need=need,
            actor=viewer(request),
            status=form.cleaned_data["status"],
            helper=form.helper_user(),
            helper_text=form.cleaned_data["helper_text"],
            notes=form.cleaned_data["notes"],
            request_id=request_id(request),
        ),
        _("Need saved."),
    )
    if done:
        return done
    action = reverse("settlement:need-edit", args=[view.case.pk, need.pk])
    title = _("Change: %(need)s") % {"need": need.get_area_display()}
    return _edit_page(request, view, form, title, action)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def follow_up_edit(request: HttpRequest, case_id: str, follow_up_id: str) -> HttpResponse:
    """Record a follow-up: done (with wellbeing notes) or skipped, or back to do."""
    view = case_view(request, case_id, working=True)
    follow_up = queries.follow_up_of(view, follow_up_id)
    if follow_up is None:
        raise Http404
    writing = request.method == "POST"
    form = FollowUpForm(
        request.POST if writing else None, initial=FollowUpForm.initial_of(follow_up)
    )
    done = _save(
        request,
        view,
        form,
        lambda: plans.follow_up_record(
            follow_up=follow_up,
            actor=viewer(request),
            status=form.cleaned_data["status"],
            wellbeing=form.cleaned_data["wellbeing"],
            done_on=form.cleaned_data["done_on"],
            request_id=request_id(request),
        ),
        _("Follow-up saved."),
    )
    if done:
        return done
    action = reverse("settlement:follow-up", args=[view.case.pk, follow_up.pk])
    title = _("The %(months)d-month follow-up") % {"months": follow_up.months}
    return _edit_page(request, view, form, title, action, follow_up=follow_up)


@staff_view(Perm.SETTLEMENT_WORK)
@require_safe
def due_list(request: HttpRequest) -> HttpResponse:
    """Follow-ups overdue or due in the next 14 days, on the cases the viewer works."""
    today = timezone.localdate()
    rows = queries.due_follow_ups(viewer(request), today=today)
    cases = list({row.case.pk: row.case for row in rows}.values())
    context = {"rows": rows, "names": reveal_names(request, cases), "today": today}
    return render(request, "settlement/due.html", context)
