"""Retention pages: the policies (admins, step-up) and a case's legal hold (admins and the
desk's lead, step-up). Thin: each POST calls one service; refusals come back as a 400 with the
reason. The hold page shows the case's reference and the hold's dates only."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from passage.accounts.access import staff_view
from passage.accounts.models import User
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.cases.models import Case
from passage.crypto.models import ShredRecord
from passage.retention import holds, policies
from passage.retention.exceptions import RetentionError
from passage.retention.forms import HoldForm, PolicyForm
from passage.retention.models import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS, LegalHold, Outcome


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


@staff_view(Perm.RETENTION_MANAGE, step_up=STEP_UP_SECONDS)
def policy_list(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                policies.policy_set(
                    actor=_user(request),
                    outcome=form.cleaned_data["outcome"],
                    days=form.cleaned_data["days"],
                )
                return redirect("retention:policies")
            except RetentionError as exc:
                error = str(exc)
        else:
            error = _("Keep records between %(min)d and %(max)d days.") % {
                "min": MIN_DAYS,
                "max": MAX_DAYS,
            }
    elif request.method not in {"GET", "HEAD"}:
        return HttpResponse(status=405)
    days = policies.all_days()
    rows = [
        {"outcome": o.value, "label": o.label, "days": days[o.value], "default": DEFAULT_DAYS[o]}
        for o in Outcome
    ]
    context = {"rows": rows, "error": error, "shortest": min(days.values())}
    return render(request, "retention/policies.html", context, status=400 if error else 200)


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    case = Case.objects.filter(pk=case_id).only("pk", "reference", "desk_id").first()
    if case is None or not holds.may_hold(_user(request), case):
        raise Http404
    return case


@staff_view(Perm.LEGAL_HOLD, step_up=STEP_UP_SECONDS)
def case_hold(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    error = ""
    form = HoldForm()
    if request.method == "POST":
        form = HoldForm(request.POST)
        if form.is_valid():
            try:
                if holds.active_hold(case.pk) is None:
                    holds.legal_hold_set(
                        actor=_user(request), case=case, reason=form.cleaned_data["reason"]
                    )
                else:
                    holds.legal_hold_lift(
                        actor=_user(request), case=case, reason=form.cleaned_data["reason"]
                    )
                return redirect("retention:case-hold", case_id=case.pk)
            except RetentionError as exc:
                error = str(exc)
        else:
            error = _("Give a reason.")
    elif request.method not in {"GET", "HEAD"}:
        return HttpResponse(status=405)
    context = {
        "case": case,
        "active": holds.active_hold(case.pk),
        "history": list(
            LegalHold.objects.filter(case=case).only("pk", "set_at", "lifted_at", "case_id")
        ),
        "shredded": ShredRecord.objects.filter(owner_id=case.pk).exists(),
        "form": form,
        "error": error,
    }
    return render(request, "retention/case_hold.html", context, status=400 if error else 200)
