"""The case's "Safety" tab: the check-in schedule, logging a check-in or contact under duress
after a call, setting the words, deciding duress signals and closing compromise reviews."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from passage.accounts.access import staff_view
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.cases.queries import CaseView
from passage.cases.views.common import (
    GET_POST,
    case_view,
    record_read,
    render_case,
    request_id,
    run,
    status_of,
    viewer,
)
from passage.safety import queries
from passage.safety.forms import (
    CheckinLogForm,
    DuressDecideForm,
    DuressRecordForm,
    ReviewCloseForm,
    ScheduleForm,
    WordsForm,
)
from passage.safety.services import checkins, duress

TAB = "safety"


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(["GET", "HEAD"])
def overview(request: HttpRequest) -> HttpResponse:
    """The Safety area: the user's cases with check-ins, lost contact or a duress signal."""
    rows = queries.overview_for(viewer(request))
    return render(request, "safety/overview.html", {"rows": rows})


def _back(view: CaseView) -> str:
    return reverse("safety:case", args=[view.case.pk])


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(["GET", "HEAD"])
def case(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id)
    safety = queries.safety_of(view.case)
    user = viewer(request)
    has_notes = bool(safety.checkins or safety.incidents or safety.duress_events or safety.reviews)
    if has_notes:
        record_read(request, view, "safety")
    context = {
        "safety": safety,
        "may_review": view.works and duress.may_review(user, view.case),
    }
    return render_case(
        request, "safety/case.html", view, tab=TAB, context=context, recorded=has_notes
    )


def _form_page(
    request: HttpRequest,
    view: CaseView,
    form: forms.Form,
    *,
    title: str,
    intro: str,
    button: str,
    danger: bool = False,
) -> HttpResponse:
    context = {"form": form, "title": title, "intro": intro, "button": button, "danger": danger}
    return render_case(
        request, "cases/action_form.html", view, tab=TAB, context=context, status=status_of(form)
    )


def _working(request: HttpRequest, case_id: str) -> CaseView:
    return case_view(request, case_id, working=True)


def _handle(
    request: HttpRequest,
    view: CaseView,
    form: forms.Form,
    action: Callable[[], Any],
    *,
    success: str,
    **page: Any,
) -> HttpResponse:
    done = run(request, form, action, success=success, then=_back(view))
    return done or _form_page(request, view, form, **page)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def schedule(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _working(request, case_id)
    current = queries.safety_of(view.case).schedule
    initial = {
        "active": current.active if current else True,
        "override_hours": current.override_hours if current else None,
    }
    form = ScheduleForm(request.POST or None, initial=initial)
    return _handle(
        request,
        view,
        form,
        lambda: checkins.schedule_set(
            case=view.case,
            active=form.cleaned_data["active"],
            override_hours=form.cleaned_data["override_hours"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Check-in schedule saved."),
        title=_("Check-in schedule"),
        intro=_(
            "A missed check-in alerts the caseworker, then the desk lead, and after a limit "
            "moves the case to “Lost contact”."
        ),
        button=_("Save"),
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def checkin_log(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _working(request, case_id)
    form = CheckinLogForm(request.POST or None)
    return _handle(
        request,
        view,
        form,
        lambda: checkins.checkin_log(
            case=view.case,
            channel=form.cleaned_data["channel"],
            note=form.cleaned_data["note"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Check-in logged."),
        title=_("Log a check-in"),
        intro=_(
            "You spoke with the person and they are all right. The next check-in is due "
            "from now; a lost-contact incident is closed."
        ),
        button=_("Log the check-in"),
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def duress_record(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _working(request, case_id)
    form = DuressRecordForm(request.POST or None)
    return _handle(
        request,
        view,
        form,
        lambda: checkins.checkin_log(
            case=view.case,
            channel=form.cleaned_data["channel"],
            note=form.cleaned_data["note"],
            actor=viewer(request),
            under_duress=True,
            request_id=request_id(request),
        ),
        success=_("Contact under duress recorded: the case is frozen and the desk is alerted."),
        title=_("Record contact under duress"),
        intro=_(
            "Freezes the case (partners and break-glass lose sight of it), raises a critical "
            "alert and starts a review of the safe house and route in use."
        ),
        button=_("Record duress"),
        danger=True,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def words(request: HttpRequest, case_id: str) -> HttpResponse:
    view = _working(request, case_id)
    form = WordsForm(request.POST or None)
    return _handle(
        request,
        view,
        form,
        lambda: checkins.words_set(
            case=view.case,
            checkin_word=form.cleaned_data["checkin_word"],
            duress_word=form.cleaned_data["duress_word"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Words saved. They are kept encrypted and never shown."),
        title=_("Set the check-in words"),
        intro=_(
            "Agree both words with the person on a call. They replace any words chosen "
            "before, also those chosen in the mailbox."
        ),
        button=_("Save the words"),
    )


@staff_view(Perm.CASES_WORK, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def duress_decide(request: HttpRequest, case_id: str, duress_id: str) -> HttpResponse:
    view = _working(request, case_id)
    event = queries.duress_event_of(view.case, duress_id)
    if event is None:
        raise Http404
    form = DuressDecideForm(request.POST or None)
    return _handle(
        request,
        view,
        form,
        lambda: duress.duress_decide(
            event=event,
            confirm=form.confirm(),
            reason=form.cleaned_data["reason"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Decision recorded."),
        title=_("Confirm or dismiss the duress signal"),
        intro=_(
            "Confirm only after a call or another sign. Dismissing as a false alarm "
            "unfreezes the case and closes its compromise review."
        ),
        button=_("Record the decision"),
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def review_close(request: HttpRequest, case_id: str, review_id: str) -> HttpResponse:
    view = _working(request, case_id)
    review = queries.review_of(view.case, review_id)
    if review is None or not duress.may_review(viewer(request), view.case):
        raise Http404
    form = ReviewCloseForm(request.POST or None)
    return _handle(
        request,
        view,
        form,
        lambda: duress.review_close(
            review=review,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Compromise review closed."),
        title=_("Close the compromise review"),
        intro=_(
            "Mark the safe house or route compromised on its own page first if it was "
            "exposed; that alerts every case that uses it."
        ),
        button=_("Close the review"),
    )
