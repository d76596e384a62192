"""Verification, approvals and the emergency track, consent and shares, duplicates and merges.

Sensitive steps (deciding an approval, sharing with an organisation, merging) sit behind
step-up: the second factor is confirmed before the form, so nothing typed is lost to it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.cases import queries
from passage.cases.exceptions import CaseError
from passage.cases.forms.checks import (
    VERIFICATION_FORMS,
    CommentForm,
    ConsentForm,
    DecisionForm,
    EmergencyForm,
    InterviewForm,
    MergeForm,
    OutcomeForm,
    ReasonForm,
    RelocationRequestForm,
    ShareForm,
    VouchForm,
)
from passage.cases.models import SHAREABLE_SECTIONS, Approval, VerificationItem
from passage.cases.queries import CaseView
from passage.cases.services import approvals, consent, duplicates, verification
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

STEP_UP = STEP_UP_SECONDS


def _form_page(
    request: HttpRequest,
    view: CaseView,
    form: forms.Form,
    *,
    title: str,
    intro: str,
    button: str,
    tab: str,
    danger: bool = False,
    autosave: str | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "intro": intro,
        "button": button,
        "danger": danger,
        "autosave": autosave,  # a form id: the form keeps drafts (drafts app)
    }
    return render_case(
        request, "cases/action_form.html", view, tab=tab, context=context, status=status_of(form)
    )


# --- Verification ----------------------------------------------------------------------------


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def case_verification(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id)
    record_read(request, view, "verification")
    user = viewer(request)
    context = {
        "items": queries.verification_items(view.case),
        "kinds": VerificationItem.Kind,
        "may_verify": view.works and user.may(Perm.VERIFICATION_RUN),
        "may_unfreeze": view.works
        and user.may(Perm.DESK_OVERSEE)
        and user.memberships.filter(desk_id=view.case.desk_id, is_lead=True).exists(),
        "labels": {
            "channel": verification.INTERVIEW_CHANNELS,
            "document": verification.DOCUMENT_TYPES,
            "flag": verification.RED_FLAGS,
            "result": verification.CONSISTENCY_RESULTS,
        },
    }
    return render_case(
        request,
        "cases/case_verification.html",
        view,
        tab="verification",
        context=context,
        recorded=True,
    )


@staff_view(Perm.VERIFICATION_RUN)
@require_http_methods(GET_POST)
def verification_add(request: HttpRequest, case_id: str, kind: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form_class = VERIFICATION_FORMS.get(kind)
    if form_class is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    extra: dict[str, Any] = {}
    if form_class is VouchForm:
        extra["partners"] = queries.partners_active()
    if form_class is InterviewForm:
        extra["users"] = queries.assignable_users([view.case.desk_id])
    form = form_class(data, **extra)

    def save() -> None:
        cleaned = form.cleaned_data
        verification.verification_item_add(
            case=view.case,
            kind=kind,
            details=form.details(),  # type: ignore[attr-defined]
            note=cleaned.get("note", ""),
            vouching_partner=cleaned.get("vouching_partner"),
            interviewer=cleaned.get("interviewer"),
            actor=viewer(request),
            request_id=request_id(request),
        )

    done = run(
        request,
        form,
        save,
        success=_("Check recorded."),
        then=reverse("cases:case-verification", args=[view.case.pk]),
    )
    if done:
        return done
    return _form_page(
        request,
        view,
        form,
        title=str(VerificationItem.Kind(kind).label),
        intro=_("What you record here is encrypted and shown only to staff who work the case."),
        button=_("Record"),
        tab="verification",
        autosave="verification",
    )


@staff_view(Perm.VERIFICATION_RUN)
@require_http_methods(GET_POST)
def verification_outcome(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    done = run(
        request,
        form,
        lambda: verification.verification_outcome_record(
            case=view.case,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Verification outcome recorded."),
        then=reverse("cases:case-verification", args=[view.case.pk]),
    )
    if done:
        return done
    return _form_page(
        request,
        view,
        form,
        title=_("Verification outcome"),
        intro=_("A case can be approved for relocation only once verification says “Verified”."),
        button=_("Record the outcome"),
        tab="verification",
    )


@staff_view(Perm.DESK_OVERSEE)
@require_http_methods(GET_POST)
def unfreeze(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    done = run(
        request,
        form,
        lambda: verification.case_unfreeze(
            case=view.case,
            reason=form.cleaned_data["reason"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("The case is no longer frozen."),
        then=reverse("cases:case", args=[view.case.pk]),
    )
    if done:
        return done
    return _form_page(
        request,
        view,
        form,
        title=_("Unfreeze the case"),
        intro=_("Partners and break-glass readers can see it again; it can move on."),
        button=_("Unfreeze"),
        tab="verification",
        danger=True,
    )


# --- Approvals and the emergency track ---------------------------------------------------------


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def case_approvals(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id)
    record_read(request, view, "approvals")
    user = viewer(request)
    rows = queries.approvals_of(view.case)
    context = {
        "rows": [(a, approvals.decision_refusal(a, user)) for a in rows],
        "cap": approvals.emergency_cap(),
        "may_work": view.works and user.may(Perm.CASES_WORK),
    }
    return render_case(
        request,
        "cases/case_approvals.html",
        view,
        tab="approvals",
        context=context,
        recorded=True,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def relocation_request(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form = RelocationRequestForm(request.POST if request.method == "POST" else None)
    done = run(
        request,
        form,
        lambda: approvals.relocation_request(
            case=view.case,
            comment=form.cleaned_data["comment"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_(
            "Relocation approval requested: a different person with the verifier role decides."
        ),
        then=reverse("cases:case-approvals", args=[view.case.pk]),
    )
    if done:
        return done
    return _form_page(
        request,
        view,
        form,
        title=_("Request relocation approval"),
        intro=_(
            "Four eyes: a different person with the verifier (or admin) role approves, with a "
            "fresh second factor. Approval moves the case to “Approved”."
        ),
        button=_("Request approval"),
        tab="approvals",
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def emergency_request(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    cap, currency = approvals.emergency_cap()
    form = EmergencyForm(
        request.POST if request.method == "POST" else None, cap=cap, currency=currency
    )
    done = run(
        request,
        form,
        lambda: approvals.emergency_request(
            case=view.case,
            amount=form.cleaned_data["amount"],
            purpose=form.cleaned_data["purpose"],
            comment=form.cleaned_data["comment"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Emergency help requested: it needs a second approval."),
        then=reverse("cases:case-approvals", args=[view.case.pk]),
    )
    if done:
        return done
    return _form_page(
        request,
        view,
        form,
        title=_("Emergency help"),
        intro=_(
            "Immediate, capped help before verification is complete. Two people approve, one "
            "of them the desk lead; it must be reviewed within 72 hours. No place is recorded."
        ),
        button=_("Request emergency help"),
        tab="approvals",
    )


def _approval(view: CaseView, approval_id: str) -> Approval:
    approval = queries.approval_of(view.case, approval_id)
    if approval is None:
        raise Http404
    return approval


@staff_view(Perm.CASES_VIEW_DESK, step_up=STEP_UP)
@require_http_methods(GET_POST)
def approval_decide(request: HttpRequest, case_id: str, approval_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    approval = _approval(view, approval_id)
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data)
    refusal = approvals.decision_refusal(approval, viewer(request))
    done = run(
        request,
        form,
        lambda: approvals.approval_decide(
            approval=approval,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Decision recorded."),
        then=reverse("cases:case-approvals", args=[view.case.pk]),
    )
    if done:
        return done
    # The page shows the request's comment (decrypted), also again after a refused POST.
    record_read(request, view, "approvals")
    context = {"form": form, "approval": approval, "refusal": refusal}
    return render_case(
        request,
        "cases/approval_decide.html",
        view,
        tab="approvals",
        context=context,
        status=status_of(form),
        recorded=True,
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def approval_withdraw(request: HttpRequest, case_id: str, approval_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    approval = _approval(view, approval_id)
    return confirm(
        request,
        view,
        action=lambda: approvals.approval_withdraw(
            approval=approval, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Withdraw the request"),
        body=[_("The request stops waiting for a decision. It stays in the case's history.")],
        button=_("Withdraw"),
        back=reverse("cases:case-approvals", args=[view.case.pk]),
        tab="approvals",
        success=_("Request withdrawn."),
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def emergency_review(request: HttpRequest, case_id: str, approval_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    approval = _approval(view, approval_id)
    form = CommentForm(request.POST if request.method == "POST" else None)
    done = run(
        request,
        form,
        lambda: approvals.emergency_review_record(
            approval=approval,
            note=form.cleaned_data["comment"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Review recorded."),
        then=reverse("cases:case-approvals", args=[view.case.pk]),
    )
    if done:
        return done
    return _form_page(
        request,
        view,
        form,
        title=_("Review emergency help"),
        intro=_("What was done with the help, and whether the case can wait for verification."),
        button=_("Record the review"),
        tab="approvals",
    )


# --- Consent and shares ----------------------------------------------------------------------


@staff_view(Perm.CASES_VIEW_DESK)
@require_safe
def case_consent(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id)
    record_read(request, view, "consent")
    user = viewer(request)
    context = {
        "consents": queries.consents_of(view.case),
        "shares": queries.shares_of(view.case),
        "sections": SHAREABLE_SECTIONS,
        "may_work": view.works and user.may(Perm.CASES_WORK),
        "may_share": view.works and user.may(Perm.CASES_SHARE) and not view.case.is_frozen,
    }
    return render_case(
        request, "cases/case_consent.html", view, tab="consent", context=context, recorded=True
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def consent_add(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form = ConsentForm(
        request.POST if request.method == "POST" else None, partners=queries.partners_active()
    )
    done = run(
        request,
        form,
        lambda: consent.consent_record(
            case=view.case,
            recipient_kind=form.cleaned_data["recipient_kind"],
            partner=form.cleaned_data["partner"],
            sections=form.cleaned_data["sections"],
            given_on=form.cleaned_data["given_on"],
            how_given=form.cleaned_data["how_given"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Consent recorded."),
        then=reverse("cases:case-consent", args=[view.case.pk]),
    )
    if done:
        return done
    return _form_page(
        request,
        view,
        form,
        title=_("Record consent"),
        intro=_(
            "What the person agreed may be shared, and with whom. Nothing leaves the "
            "organisation without a consent that covers it."
        ),
        button=_("Record consent"),
        tab="consent",
    )


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def consent_withdraw(request: HttpRequest, case_id: str, consent_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    found = queries.consent_of(view.case, consent_id)
    if found is None:
        raise Http404
    return confirm(
        request,
        view,
        action=lambda: consent.consent_withdraw(
            consent=found, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Withdraw consent"),
        body=[_("Every share made under this consent is revoked at once.")],
        button=_("Withdraw consent"),
        back=reverse("cases:case-consent", args=[view.case.pk]),
        tab="consent",
        success=lambda revoked: (
            _("Consent withdrawn; %(count)d share(s) revoked.") % {"count": revoked}
        ),
    )


@staff_view(Perm.CASES_SHARE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def share_add(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        partners=queries.partners_for_sharing(view.case),
    )
    done = run(
        request,
        form,
        lambda: consent.case_share(
            case=view.case,
            partner=form.cleaned_data["partner"],
            sections=form.cleaned_data["sections"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Shared. The organisation's people now see these parts of the case."),
        then=reverse("cases:case-consent", args=[view.case.pk]),
    )
    if done:
        return done
    return _form_page(
        request,
        view,
        form,
        title=_("Share with a partner organisation"),
        intro=_(
            "Only what the person's consent covers can be shared; the organisation's people "
            "see the chosen parts in their portal, and every view is recorded."
        ),
        button=_("Share"),
        tab="consent",
        danger=True,
    )


@staff_view(Perm.CASES_SHARE)
@require_http_methods(GET_POST)
def share_revoke(request: HttpRequest, case_id: str, share_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    share = queries.share_of(view.case, share_id)
    if share is None:
        raise Http404
    return confirm(
        request,
        view,
        action=lambda: consent.case_share_revoke(
            share=share, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Revoke the share"),
        body=[_("The organisation's people no longer see these parts of the case.")],
        button=_("Revoke"),
        back=reverse("cases:case-consent", args=[view.case.pk]),
        tab="consent",
        success=_("Share revoked."),
    )


# --- Duplicates --------------------------------------------------------------------------------


def _flag(request: HttpRequest, view: CaseView, flag_id: str) -> queries.DuplicateRow:
    row = queries.flag_of(viewer(request), view.case, flag_id)
    if row is None or not row.visible:
        raise Http404
    return row


@staff_view(Perm.CASES_WORK)
@require_http_methods(GET_POST)
def duplicate_distinct(request: HttpRequest, case_id: str, flag_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    row = _flag(request, view, flag_id)
    return confirm(
        request,
        view,
        action=lambda: duplicates.duplicate_mark_distinct(
            flag=row.flag, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Not the same person"),
        body=[
            _("%(this)s and %(other)s stay separate and are not flagged as a pair again.")
            % {"this": view.case.reference, "other": row.other.reference}
        ],
        button=_("Mark as different people"),
        back=reverse("cases:case", args=[view.case.pk]),
        tab="summary",
        success=_("Marked as different people."),
    )


@staff_view(Perm.CASES_MERGE, step_up=STEP_UP)
@require_http_methods(GET_POST)
def duplicate_merge(request: HttpRequest, case_id: str, flag_id: str) -> HttpResponse:
    """Compare both cases' people side by side (recorded for both), choose which stays, merge."""
    view = case_view(request, case_id, working=True)
    row = _flag(request, view, flag_id)
    other_view = queries.case_for(viewer(request), row.other.pk)
    if other_view is None or not other_view.works:
        raise Http404
    data = request.POST if request.method == "POST" else None
    pair = (view.case, other_view.case)
    form = MergeForm(data, cases=pair, initial={"survivor": str(view.case.pk)})
    if data is not None and form.is_valid():
        keep_id = form.cleaned_data["survivor"]
        keep, gone = pair if keep_id == str(view.case.pk) else (pair[1], pair[0])
        try:
            survivor = duplicates.cases_merge(
                survivor=keep, merged=gone, actor=viewer(request), request_id=request_id(request)
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(
                request,
                _("%(gone)s was merged into %(keep)s; both references lead here.")
                % {"gone": gone.reference, "keep": survivor.reference},
            )
            return redirect("cases:case", case_id=survivor.pk)
    # Both sides' people are shown (decrypted), also again after a refused POST.
    record_read(request, view, "person")
    record_read(request, other_view, "person")
    context = {
        "form": form,
        "row": row,
        "sides": [(v, queries.people_of(v.case)) for v in (view, other_view)],
    }
    return render_case(
        request,
        "cases/merge.html",
        view,
        tab="summary",
        context=context,
        status=status_of(form),
        recorded=True,
    )
