"""Workload pages: a desk lead's desk workload, a leaver's handover, desk hand-overs, and each
staff member's "My work". Thin: parse, call ``queries`` or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.models import Desk
from passage.accounts.roles import Perm
from passage.cases import queries as case_queries
from passage.cases.exceptions import CaseError
from passage.cases.views.common import (
    GET_POST,
    case_view,
    record_reads,
    refused,
    render_case,
    request_id,
    reveal_names,
    status_of,
    viewer,
)
from passage.workload import queries, services
from passage.workload.forms import HandoverForm, TransferRequestForm, WorkerForm


@staff_view(Perm.DESK_OVERSEE)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The desks the viewer leads; with one, straight to it."""
    desks = list(queries.led_desks(viewer(request)))
    if len(desks) == 1:
        return redirect("workload:desk", desk_id=desks[0].pk)
    return render(request, "workload/index.html", {"desks": desks})


def _desk(request: HttpRequest, desk_id: object) -> Desk:
    desk = queries.led_desk(viewer(request), desk_id)
    if desk is None:
        raise Http404
    return desk


@staff_view(Perm.DESK_OVERSEE)
@require_safe
def desk(request: HttpRequest, desk_id: str) -> HttpResponse:
    """Caseload per worker, untouched cases, approvals, overdue contacts and tasks, hand-overs."""
    found = _desk(request, desk_id)
    now = timezone.now()
    workload = queries.desk_workload(found, now=now)
    services.transfer_notes_viewed(
        transfers=workload.incoming, actor=viewer(request), request_id=request_id(request)
    )
    context = {
        "workload": workload,
        "desk": found,
        "now": now,
        "untouched_days": queries.UNTOUCHED_DAYS,
        "names": reveal_names(request, workload.untouched + workload.contacts_overdue),
    }
    return render(request, "workload/desk.html", context)


@staff_view(Perm.DESK_OVERSEE)
@require_http_methods(GET_POST)
def handover(request: HttpRequest, desk_id: str) -> HttpResponse:
    """A leaver's handover: their open cases (all ticked), who receives them, a note; one
    submit reassigns them all."""
    found = _desk(request, desk_id)
    user = viewer(request)
    picker = WorkerForm(request.GET or None, users=queries.case_holders(found))
    worker = None
    if request.method == "POST":
        worker = queries.worker_on(found, request.POST.get("worker"))
    elif picker.is_bound and picker.is_valid():
        worker = picker.cleaned_data["worker"]
    if worker is None:
        if request.method == "POST":
            messages.error(request, _("Choose whose cases to hand over."))
            return redirect("workload:handover", desk_id=found.pk)
        context = {"desk": found, "picker": picker, "form": None}
        return render(request, "workload/handover.html", context, status=status_of(picker))
    cases = queries.leaver_cases(found, worker)
    receivers = [
        u for u in case_queries.assignable_users([found.pk]) if u.pk != worker.pk and u.is_active
    ]
    data = request.POST if request.method == "POST" else None
    form = HandoverForm(data, cases=cases, receivers=receivers)
    if data is not None and form.is_valid():
        try:
            moved = services.handover(
                desk=found,
                leaver=worker,
                case_ids=form.cleaned_data["cases"],
                receivers=list(form.cleaned_data["receivers"]),
                note=form.cleaned_data["note"],
                actor=user,
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(
                request,
                _("%(count)d case(s) of %(worker)s handed over.")
                % {"count": moved, "worker": worker.username},
            )
            return redirect("workload:desk", desk_id=found.pk)
    context = {
        "desk": found,
        "picker": picker,
        "worker": worker,
        "form": form,
        "cases": cases,
        "selected": set(data.getlist("cases")) if data is not None else {str(c.pk) for c in cases},
        "names": reveal_names(request, cases),
    }
    return render(request, "workload/handover.html", context, status=status_of(form))


def _decision(request: HttpRequest, transfer_id: str, accept: bool) -> HttpResponse:
    transfer = queries.transfer_to_decide(viewer(request), transfer_id)
    if transfer is None:
        raise Http404
    action = services.transfer_accept if accept else services.transfer_decline
    try:
        action(transfer=transfer, actor=viewer(request), request_id=request_id(request))
    except CaseError as exc:
        refused(None, exc)
        messages.error(request, str(exc))
    else:
        text = (
            _("%(reference)s is now on this desk.")
            if accept
            else _("You declined %(reference)s; it stays on its desk.")
        )
        messages.success(request, text % {"reference": transfer.case.reference})
    return redirect("workload:desk", desk_id=transfer.to_desk_id)


@staff_view(Perm.DESK_OVERSEE)
@require_POST
def transfer_accept(request: HttpRequest, transfer_id: str) -> HttpResponse:
    return _decision(request, transfer_id, accept=True)


@staff_view(Perm.DESK_OVERSEE)
@require_POST
def transfer_decline(request: HttpRequest, transfer_id: str) -> HttpResponse:
    return _decision(request, transfer_id, accept=False)


@staff_view(Perm.CASES_WORK)
@require_POST
def transfer_withdraw(request: HttpRequest, transfer_id: str) -> HttpResponse:
    transfer = queries.transfer_to_withdraw(viewer(request), transfer_id)
    if transfer is None:
        raise Http404
    try:
        services.transfer_withdraw(
            transfer=transfer, actor=viewer(request), request_id=request_id(request)
        )
    except CaseError as exc:
        refused(None, exc)
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The hand-over request was withdrawn."))
    return redirect("workload:transfer-request", case_id=transfer.case_id)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def transfer_request(request: HttpRequest, case_id: str) -> HttpResponse:
    """Hand a case over to another desk: its lead is asked to accept."""
    view = case_view(request, case_id, working=True)
    waiting = queries.open_transfer_of(view.case)
    data = request.POST if request.method == "POST" and waiting is None else None
    form = TransferRequestForm(data, desks=queries.other_desks(view.case))
    if data is not None and form.is_valid():
        try:
            services.transfer_request(
                case=view.case,
                to_desk=form.cleaned_data["to_desk"],
                note=form.cleaned_data["note"],
                actor=viewer(request),
                request_id=request_id(request),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("The receiving desk's lead was asked to accept the case."))
            return redirect("cases:case", case_id=view.case.pk)
    context = {
        "form": form,
        "waiting": waiting,
        "may_withdraw": waiting is not None and services.may_withdraw(viewer(request), waiting),
    }
    return render_case(
        request,
        "workload/transfer_request.html",
        view,
        tab="summary",
        context=context,
        status=status_of(form),
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def my_work(request: HttpRequest) -> HttpResponse:
    """One page per staff member: my cases by next action, tasks, contacts due, approvals
    waiting for me, my new alerts."""
    user = viewer(request)
    now = timezone.now()
    work = queries.my_work(user, now=now)
    # Task titles are protected (casework's "tasks" section): shown for cases I work, recorded.
    record_reads(request, work.task_cases, "tasks")
    context = {
        "task_case_ids": {c.pk for c in work.task_cases},
        "work": work,
        "now": now,
        "names": reveal_names(request, work.cases + work.contacts_due),
        "far": queries.FAR_FUTURE,
    }
    return render(request, "workload/my_work.html", context)
