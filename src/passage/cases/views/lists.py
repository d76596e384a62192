"""The triage queue, the screening inbox, the case list, search, opening a case and
break-glass. Thin: parse, call ``queries`` or a service, render."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passage.accounts.access import staff_view
from passage.accounts.models import User
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.accounts.services.break_glass import BreakGlassRefused
from passage.alerts import services as alert_services
from passage.audit import services as audit
from passage.cases import queries
from passage.cases.exceptions import CaseError
from passage.cases.forms.case import CaseOpenForm, channel_formset, channels_from
from passage.cases.forms.checks import BreakGlassForm
from passage.cases.forms.lists import BulkAssignForm, QueueFilterForm, SearchForm
from passage.cases.models import Case
from passage.cases.services import assignment, opening
from passage.cases.views.common import (
    GET_POST,
    case_view,
    refused,
    request_id,
    reveal_names,
    status_of,
    viewer,
)


def _filters(
    request: HttpRequest, *, open_only: bool, users: list[User] | None = None
) -> QueueFilterForm:
    user = viewer(request)
    desks = queries.desks_of(user)
    return QueueFilterForm(
        request.GET or None,
        desks=desks,
        campaigns=queries.campaigns(),
        users=users if users is not None else queries.assignable_users(desks.values("pk")),
        open_only=open_only,
    )


def _query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page"])


def _overdue_tasks(rows: list[Case]) -> dict[uuid.UUID, int]:
    """Overdue tasks per case of the page. Tasks live in ``passage.casework``, which sits above
    cases: imported when the page is built, so cases never imports it at module level."""
    from passage.casework.queries import overdue_task_counts

    return overdue_task_counts([case.pk for case in rows])


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Open cases by priority then waiting time, filterable, sortable, with bulk assignment."""
    user = viewer(request)
    assignable = queries.assignable_users(queries.desks_of(user).values("pk"))
    filters = _filters(request, open_only=True, users=assignable)
    page = queries.queue_page(user, filters.filters(), request.GET.get("page"))
    rows = list(page.object_list)
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "names": reveal_names(request, rows),
        "overdue_tasks": _overdue_tasks(rows),
        "query": _query_without_page(request),
        "filtered": bool(request.GET),
        "now": timezone.now(),
        "may_assign": user.may(Perm.CASES_WORK),
        "assignable": assignable,
        "may_campaigns": user.may(Perm.CAMPAIGNS_MANAGE),
    }
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "cases/queue.html", context, status=status)


@staff_view(Perm.CASES_WORK)
@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    """Bulk assignment from the queue: all ticked cases or none."""
    user = viewer(request)
    users = queries.assignable_users(queries.desks_of(user).values("pk"))
    form = BulkAssignForm(request.POST, case_ids=request.POST.getlist("cases"), users=users)
    back = request.POST.get("back", "")
    # Only a query string comes back (never a URL), so this cannot redirect elsewhere.
    target = reverse("cases:queue") + (f"?{back}" if back and "/" not in back else "")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(target)
    try:
        changed = assignment.cases_assign_bulk(
            case_ids=form.cleaned_data["cases"],
            assignee=form.cleaned_data["assignee"],
            actor=user,
            request_id=request_id(request),
        )
    except CaseError as exc:
        refused(None, exc)
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(
        request,
        _("%(count)d case(s) assigned.") % {"count": changed}
        if changed
        else _("Nothing changed: the cases were assigned like that already."),
    )
    return redirect(target)


@staff_view(Perm.CASES_WORK)
@require_POST
def assign_me(request: HttpRequest, case_id: str) -> HttpResponse:
    """ "Assign to me" (a button per queue row, the queue's ``a`` key, the case page)."""
    view = case_view(request, case_id, working=True)
    back = request.POST.get("back", "")
    target = reverse("cases:queue") + (f"?{back}" if back and "/" not in back else "")
    if request.POST.get("from") == "case":
        target = reverse("cases:case", args=[view.case.pk])
    try:
        assignment.case_assign_to_me(
            case=view.case, actor=viewer(request), request_id=request_id(request)
        )
    except CaseError as exc:
        refused(None, exc)
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(
        request, _("%(reference)s is assigned to you.") % {"reference": view.case.reference}
    )
    return redirect(target)


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """New cases (partner referrals, staff entries) waiting to be screened."""
    user = viewer(request)
    rows = list(queries.inbox(user)[:200])
    context = {
        "rows": rows,
        "may_screen": user.may(Perm.REQUESTS_SCREEN) or user.may(Perm.CASES_WORK),
    }
    return render(request, "cases/inbox.html", context)


@staff_view(Perm.CASES_WORK)
@require_POST
def screen_open(request: HttpRequest, case_id: str) -> HttpResponse:
    """Take a new case into screening (and on, if nobody has it yet)."""
    view = case_view(request, case_id, working=True)
    try:
        case = opening.case_screen_open(
            case=view.case, actor=viewer(request), request_id=request_id(request)
        )
    except CaseError as exc:
        refused(None, exc)
        messages.error(request, str(exc))  # e.g. a stale inbox: someone took it on already
        return redirect("cases:case", case_id=view.case.pk)
    messages.success(request, _("%(reference)s is in screening.") % {"reference": case.reference})
    return redirect("cases:case", case_id=case.pk)


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case the viewer works, open and closed, newest first."""
    user = viewer(request)
    filters = _filters(request, open_only=False)
    page = queries.case_list_page(user, filters.filters(), request.GET.get("page"))
    rows = list(page.object_list)
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "names": reveal_names(request, rows),
        "query": _query_without_page(request),
        "filtered": bool(request.GET),
        "search": SearchForm(),
        "may_open": user.may(Perm.CASES_WORK),
        "now": timezone.now(),
    }
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "cases/list.html", context, status=status)


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def search(request: HttpRequest) -> HttpResponse:
    """By reference, exact identifier or name tokens (blind index); audited without the term.

    A POST: what is searched (a name, a phone number) must not travel in the URL, where it
    would stay in the browser's history and in proxies' logs."""
    user = viewer(request)
    form = SearchForm(request.POST if request.method == "POST" else None)
    results: list[queries.SearchResult] = []
    if form.is_bound and form.is_valid():
        with audit.atomic():
            audit.record(
                actor=audit.actor_for("user", user.pk),
                action="case.searched",
                object_type="search",
                object_id="cases",
                request_id=request_id(request),
            )
        text = form.cleaned_data["q"]
        results = queries.search(user, text)
        if len(results) == 1 and "reference" in results[0].matched:
            case = results[0].case
            return redirect("cases:case", case_id=(case.merged_into_id or case.pk))
    context = {"form": form, "results": results, "searched": form.is_bound}
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "cases/search.html", context, status=status)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case entered by staff (e.g. after a call)."""
    user = viewer(request)
    data = request.POST if request.method == "POST" else None
    form = CaseOpenForm(data, desks=queries.desks_of(user))
    channels = channel_formset(data)
    if data is not None and form.is_valid() and channels.is_valid():
        try:
            case = opening.case_open(
                desk=form.cleaned_data["desk"],
                actor=user,
                person=form.details(),
                channels=channels_from(channels),
                request_id=request_id(request),
                **form.facts(),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(
                request, _("Case %(reference)s opened.") % {"reference": case.reference}
            )
            return redirect("cases:case", case_id=case.pk)
    context = {"form": form, "channels": channels}
    return render(request, "cases/case_new.html", context, status=status_of(form))


@staff_view(Perm.CASES_BREAK_GLASS, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def break_glass(request: HttpRequest) -> HttpResponse:
    """Open one case of another desk for an hour, with a reason: admins are alerted."""
    user = viewer(request)
    data = request.POST if request.method == "POST" else None
    form = BreakGlassForm(data, initial={"reference": request.GET.get("reference", "")})
    if data is not None and form.is_valid():
        case: Case | None = queries.case_by_reference_any(form.cleaned_data["reference"])
        if case is None or case.merged_into_id is not None:
            form.add_error("reference", _("No case has this reference."))
        elif case.is_frozen:
            form.add_error(None, _("Break-glass is not available for this case."))
        else:
            try:
                alert_services.break_glass_open(
                    user=user,
                    case_id=case.pk,
                    desk_id=case.desk_id,
                    reason=form.cleaned_data["reason"],
                    case_reference=case.reference,
                    request_id=request_id(request),
                )
            except BreakGlassRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.warning(
                    request,
                    _("Break-glass access to %(reference)s is open for an hour; admins were told.")
                    % {"reference": case.reference},
                )
                return redirect("cases:case", case_id=case.pk)
    return render(request, "cases/break_glass.html", {"form": form}, status=status_of(form))
