"""One case: the summary (plain facts only), the person section (audited), editing people and
the story, triage, moves, assignment and the timeline."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.cases import queries
from passage.cases.exceptions import CaseError
from passage.cases.forms.case import (
    AssignForm,
    FactorsForm,
    HouseholdMemberForm,
    NarrativeForm,
    OverrideForm,
    PersonFields,
    TransitionForm,
    channel_formset,
    channels_from,
)
from passage.cases.models import Case
from passage.cases.priority import FACTORS, Level
from passage.cases.services import assignment, opening, people, triage
from passage.cases.services import workflow as workflow_services
from passage.cases.views.common import (
    GET_POST,
    case_view,
    confirm,
    record_read,
    refused,
    render_case,
    request_id,
    run,
    status_of,
    viewer,
)
from passage.cases.workflow import Stage


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def case_summary(request: HttpRequest, case_id: str) -> HttpResponse:
    """The case's header and operational facts; nothing decrypted, so nothing to record."""
    view = case_view(request, case_id)
    if view.case.merged_into_id is not None:
        merged_into = queries.case_for(viewer(request), view.case.merged_into_id)
        if merged_into is not None:
            messages.info(
                request,
                _("%(old)s was merged into %(new)s.")
                % {"old": view.case.reference, "new": merged_into.case.reference},
            )
            return redirect("cases:case", case_id=merged_into.case.pk)
    summary = queries.summary(viewer(request), view)
    context = {
        "summary": summary,
        "now": timezone.now(),
        "targets": workflow_services.allowed_targets(view.case) if view.works else [],
    }
    return render_case(request, "cases/case_summary.html", view, tab="summary", context=context)


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def case_person(request: HttpRequest, case_id: str) -> HttpResponse:
    """The people of the case, their channels and the story (a recorded view)."""
    view = case_view(request, case_id)
    record_read(request, view, "person")
    context = {"people": queries.people_of(view.case)}
    return render_case(
        request, "cases/case_person.html", view, tab="person", context=context, recorded=True
    )


def _person_page(
    request: HttpRequest,
    case_id: str,
    person_id: str | None,
) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    user = viewer(request)
    person = None
    if person_id is not None:
        person = queries.person_of(view.case, person_id)
        if person is None:
            raise Http404
    form_class = PersonFields if person is not None and person.is_principal else HouseholdMemberForm
    data = request.POST if request.method == "POST" else None
    initial = {}
    channel_rows: list[dict[str, str]] = []
    if person is not None:
        if data is None:
            record_read(request, view, "person")
        initial = PersonFields.initial_from(people.details_of(person))
        channel_rows = [
            {"kind": c.kind or "", "value": c.value or "", "note": c.note or ""}
            for c in queries.channels_of(person)
        ]
    form = form_class(data, initial=initial)
    channels = channel_formset(data, channel_rows)
    if data is not None and form.is_valid() and channels.is_valid():
        try:
            if person is None:
                opening.household_member_add(
                    case=view.case,
                    details=form.details(),
                    channels=channels_from(channels),
                    actor=user,
                    request_id=request_id(request),
                )
            else:
                people.person_change(
                    person=person,
                    details=form.details(),
                    channels=channels_from(channels),
                    actor=user,
                    request_id=request_id(request),
                )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:case-person", case_id=view.case.pk)
    context = {"form": form, "channels": channels, "person": person}
    return render_case(
        request,
        "cases/person_form.html",
        view,
        tab="person",
        context=context,
        status=status_of(form),
        recorded=person is not None,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def person_add(request: HttpRequest, case_id: str) -> HttpResponse:
    return _person_page(request, case_id, None)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def person_edit(request: HttpRequest, case_id: str, person_id: str) -> HttpResponse:
    return _person_page(request, case_id, person_id)


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def person_remove(request: HttpRequest, case_id: str, person_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    person = queries.person_of(view.case, person_id)
    if person is None or person.is_principal:
        raise Http404
    return confirm(
        request,
        view,
        action=lambda: people.person_remove(
            person=person, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Remove a household member"),
        body=[
            _(
                "Their details are deleted from this case; the timeline keeps "
                "a line saying that a household member was removed."
            )
        ],
        button=_("Remove"),
        back=reverse("cases:case-person", args=[view.case.pk]),
        tab="person",
        success=_("Household member removed."),
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def narrative_edit(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    data = request.POST if request.method == "POST" else None
    if data is None:
        record_read(request, view, "person")
    form = NarrativeForm(data, initial={"narrative": view.case.narrative or ""})
    done = run(
        request,
        form,
        lambda: opening.case_narrative_set(
            case=view.case,
            narrative=form.cleaned_data["narrative"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Saved."),
        then=reverse("cases:case-person", args=[view.case.pk]),
    )
    if done:
        return done
    return render_case(
        request,
        "cases/narrative_form.html",
        view,
        tab="person",
        context={"form": form},
        status=status_of(form),
        recorded=data is None,
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def case_triage(request: HttpRequest, case_id: str) -> HttpResponse:
    """The score's parts (a recorded view) and, for those who work the case, the factors."""
    view = case_view(request, case_id)
    data = request.POST if request.method == "POST" else None
    if data is not None and not (view.works and viewer(request).may(Perm.CASES_WORK)):
        raise Http404
    chosen = [code for code, on in (view.case.triage_factors or {}).items() if on]
    form = FactorsForm(data, initial={"factors": chosen})
    done = run(
        request,
        form,
        lambda: triage.triage_factors_set(
            case=view.case,
            factors=set(form.cleaned_data["factors"]),
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Triage saved; the score is updated."),
        then=reverse("cases:case-triage", args=[view.case.pk]),
    )
    if done:
        return done
    record_read(request, view, "triage")
    context = {
        "form": form,
        "breakdown": queries.priority_breakdown(view.case),
        "factors": FACTORS,
        "may_edit": view.works and viewer(request).may(Perm.CASES_WORK),
    }
    return render_case(
        request,
        "cases/case_triage.html",
        view,
        tab="triage",
        context=context,
        status=status_of(form) if data is not None else 200,
        recorded=True,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def triage_override(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    data = request.POST if request.method == "POST" else None
    initial = {"level": str(view.case.level_override or "")}
    form = OverrideForm(data, initial=initial)

    def save() -> None:
        level = form.cleaned_data["level"]
        triage.priority_level_override(
            case=view.case,
            level=Level(int(level)) if level else None,
            reason=form.cleaned_data["reason"],
            actor=viewer(request),
            request_id=request_id(request),
        )

    done = run(
        request,
        form,
        save,
        success=_("Priority level saved."),
        then=reverse("cases:case-triage", args=[view.case.pk]),
    )
    if done:
        return done
    return render_case(
        request,
        "cases/override_form.html",
        view,
        tab="triage",
        context={"form": form},
        status=status_of(form),
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def transition(request: HttpRequest, case_id: str) -> HttpResponse:
    """Move the case to another stage: what will happen, and the reason where one is needed."""
    view = case_view(request, case_id, working=True)
    targets = workflow_services.allowed_targets(view.case)
    data = request.POST if request.method == "POST" else None
    wanted = request.GET.get("to", "")
    form = TransitionForm(data, targets=targets, initial={"to_stage": wanted})
    if data is not None and form.is_bound and not form.is_valid() and "to_stage" in form.errors:
        # A stage that is not offered: say why, in the workflow's own words.
        refusal = workflow_services.refusal_for(view.case, data.get("to_stage", ""))
        if refusal:
            form.errors.pop("to_stage")
            form.add_error(None, refusal)
    done = run(
        request,
        form,
        lambda: workflow_services.case_transition(
            case=view.case,
            to_stage=form.cleaned_data["to_stage"],
            reason=form.cleaned_data["reason"],
            outcome=form.cleaned_data["outcome"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Stage changed."),
        then=reverse("cases:case", args=[view.case.pk]),
    )
    if done:
        return done
    context = {
        "form": form,
        "targets": targets,
        "approved_hint": Stage(view.case.stage) == Stage.ASSESSMENT,
        "stage_choices": Stage,
    }
    return render_case(
        request,
        "cases/transition_form.html",
        view,
        tab="summary",
        context=context,
        status=status_of(form),
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def assign(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    users = queries.assignable_users([view.case.desk_id])
    data = request.POST if request.method == "POST" else None
    form = AssignForm(data, users=users, initial={"assignee": view.case.assignee_id})
    done = run(
        request,
        form,
        lambda: assignment.case_assign(
            case=view.case,
            assignee=form.cleaned_data["assignee"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Assignment saved."),
        then=reverse("cases:case", args=[view.case.pk]),
    )
    if done:
        return done
    return render_case(
        request,
        "cases/assign_form.html",
        view,
        tab="summary",
        context={"form": form},
        status=status_of(form),
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def case_timeline(request: HttpRequest, case_id: str) -> HttpResponse:
    """Everything that happened on the case, newest first (a recorded view): stage changes,
    assignments, checks and decisions with their reasons, contacts and mailbox messages, notes
    and tasks. The merge lives in ``passage.casework``, which sits above cases: imported here,
    when the page is built, so cases never imports it at module level."""
    from passage.casework.queries import case_timeline

    view = case_view(request, case_id)
    record_read(request, view, "timeline")
    context = {"entries": case_timeline(view)}
    return render_case(
        request, "cases/case_timeline.html", view, tab="timeline", context=context, recorded=True
    )


__all__ = ["Case"]
