"""The finance area (funds, deposits, lines waiting for approval, costs) and the Budget tab of a
case (its lines; asking for one; approving and paying, for finance)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from passage.accounts.access import staff_view
from passage.accounts.lockdown import EXPORTS_DISABLED_MESSAGE, exports_disabled
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.cases.queries import CaseView
from passage.cases.views.common import (
    GET_POST,
    case_view,
    confirm,
    record_read,
    render_case,
    request_id,
    run,
    status_of,
    viewer,
)
from passage.funds import queries, services, stipends
from passage.funds.forms import (
    DecideForm,
    DepositForm,
    DisburseForm,
    EmergencyPayForm,
    FundForm,
    LineForm,
    StipendForm,
)
from passage.funds.models import BudgetLine, Fund, Stipend

SECTION = "budget"


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _fund_or_404(fund_id: object) -> Fund:
    fund = queries.fund_or_none(fund_id)
    if fund is None:
        raise Http404
    return fund


def _line_or_404(view: CaseView, line_id: object) -> BudgetLine:
    line = queries.line_of(view, line_id)
    if line is None:
        raise Http404
    return line


def _budget_url(view: CaseView) -> str:
    return reverse("funds:budget", args=[view.case.pk])


def _case_form(
    request: HttpRequest,
    view: CaseView,
    form: forms.Form,
    action: Callable[[], Any],
    *,
    success: str,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run ``action`` for a valid posted form and go back to the Budget tab; else show the
    form (400 when it was posted) on the case page."""
    done = run(request, form, action, success=success, then=_budget_url(view))
    if done is not None:
        return done
    return render_case(
        request,
        template,
        view,
        tab=SECTION,
        context={"form": form, **(context or {})},
        status=status_of(form),
    )


def _confirm(
    request: HttpRequest,
    view: CaseView,
    action: Callable[[], Any],
    *,
    title: str,
    body: str,
    button: str,
    success: str,
) -> HttpResponse:
    return confirm(
        request,
        view,
        action=action,
        title=title,
        body=[body],
        button=button,
        back=_budget_url(view),
        tab=SECTION,
        success=success,
    )


@staff_view(Perm.FUNDS_APPROVE)
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "reports": queries.fund_reports(),
        "awaiting": queries.lines_awaiting(viewer(request)),
        "costs": queries.cost_per_person(),
    }
    return render(request, "funds/index.html", context)


@staff_view(Perm.FUNDS_APPROVE)
@require_http_methods(GET_POST)
def fund_new(request: HttpRequest) -> HttpResponse:
    form = FundForm(_posted(request))

    def create() -> Fund:
        data = form.cleaned_data
        return services.fund_create(
            name=data["name"],
            programme=data["programme"],
            currency=data["currency"],
            desk=data["desk"],
            four_eyes_minor=data.get("four_eyes_minor"),
            emergency=data["emergency"],
            actor=viewer(request),
            request_id=request_id(request),
        )

    done = run(request, form, create, success=_("Fund created."), then=reverse("funds:index"))
    if done is not None:
        return done
    return render(request, "funds/fund_new.html", {"form": form}, status=status_of(form))


@staff_view(Perm.FUNDS_APPROVE)
def fund(request: HttpRequest, fund_id: str) -> HttpResponse:
    found = _fund_or_404(fund_id)
    context = {
        "report": queries.report_of(found),
        "entries": queries.ledger_of(found),
    }
    return render(request, "funds/fund.html", context)


@staff_view(Perm.FUNDS_APPROVE)
@require_http_methods(GET_POST)
def deposit(request: HttpRequest, fund_id: str) -> HttpResponse:
    found = _fund_or_404(fund_id)
    form = DepositForm(_posted(request), fund=found)
    done = run(
        request,
        form,
        lambda: services.fund_deposit(
            fund=found,
            amount=form.cleaned_data["amount"],
            on=form.cleaned_data["on"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Deposit recorded."),
        then=reverse("funds:fund", args=[found.pk]),
    )
    if done is not None:
        return done
    return render(
        request, "funds/deposit.html", {"fund": found, "form": form}, status=status_of(form)
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def budget(request: HttpRequest, case_id: str) -> HttpResponse:
    """GET: the lines by number, category, amounts and status (nothing decrypted). POST: the
    same with notes and payment references, after recording the read."""
    view = case_view(request, case_id)
    revealed = request.method == "POST"
    if revealed:
        record_read(request, view, SECTION)
    user = viewer(request)
    context = {
        "rows": queries.budget_of(view, readable=revealed),
        "stipends": queries.stipends_of(view),
        "emergency": queries.emergency_unpaid(view),
        "revealed": revealed,
        "finance": user.may(Perm.FUNDS_APPROVE) and view.works,
        "may_ask": view.works and (user.may(Perm.CASES_WORK) or user.may(Perm.FUNDS_APPROVE)),
    }
    return render_case(
        request, "funds/budget.html", view, tab=SECTION, context=context, recorded=revealed
    )


@staff_view(Perm.CASES_VIEW_DESK)
@require_http_methods(GET_POST)
def line_add(request: HttpRequest, case_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    form = LineForm(_posted(request), funds=queries.funds_for(view.case))
    return _case_form(
        request,
        view,
        form,
        lambda: services.line_add(
            case=view.case,
            fund=form.cleaned_data["fund"],
            category=form.cleaned_data["category"],
            estimate=form.cleaned_data["estimate_minor"],
            note=form.cleaned_data["note"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Budget line added: finance is asked to approve it."),
        template="funds/line_add.html",
    )


@staff_view(Perm.FUNDS_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def line_decide(request: HttpRequest, case_id: str, line_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    line = _line_or_404(view, line_id)
    form = DecideForm(_posted(request))
    context = {
        "line": line,
        "needed": services.approvals_needed(line),
        "given": line.approvals.count(),
        "refusal": services.decision_refusal(line, viewer(request)),
    }
    return _case_form(
        request,
        view,
        form,
        lambda: services.line_decide(
            line=line,
            approve=form.cleaned_data["decision"] == "approve",
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Decision recorded."),
        template="funds/line_decide.html",
        context=context,
    )


@staff_view(Perm.FUNDS_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def disburse(request: HttpRequest, case_id: str, line_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    line = _line_or_404(view, line_id)
    form = DisburseForm(_posted(request), fund=line.fund)
    return _case_form(
        request,
        view,
        form,
        lambda: services.disbursement_record(
            line=line,
            amount=None,
            paid=form.cleaned_data["paid"],
            rate=form.cleaned_data.get("rate_decimal"),
            paid_on=form.cleaned_data["paid_on"],
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Disbursement recorded."),
        template="funds/disburse.html",
        context={"line": line, "left": int(line.estimate) - services.spent_on(line)},
    )


@staff_view(Perm.FUNDS_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def accounts(request: HttpRequest) -> HttpResponse:
    """GET: what the bookkeeper's CSV holds. POST: the CSV, after its audit entry."""
    if exports_disabled():
        # Emergency lockdown (docs/lockdown.md): nothing leaves the installation as a file.
        context = {"error": EXPORTS_DISABLED_MESSAGE}
        return render(request, "funds/accounts.html", context, status=409)
    if request.method != "POST":
        return render(request, "funds/accounts.html")
    data = services.accounting_export(actor=viewer(request), request_id=request_id(request))
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="passage-accounts.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _stipend_or_404(view: CaseView, stipend_id: object) -> Stipend:
    """A running stipend of the case (one with a payment still due), else 404."""
    found = queries.stipend_of(view, stipend_id)
    if found is None or found.next_due is None:
        raise Http404
    return found


@staff_view(Perm.FUNDS_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def stipend_add(request: HttpRequest, case_id: str, line_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    line = _line_or_404(view, line_id)
    form = StipendForm(_posted(request), fund=line.fund)
    return _case_form(
        request,
        view,
        form,
        lambda: stipends.stipend_schedule(
            line=line,
            amount=form.cleaned_data["amount"],
            first_due=form.cleaned_data["first_due"],
            ends_on=form.cleaned_data["ends_on"],
            method=form.cleaned_data["method"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Stipend scheduled."),
        template="funds/stipend_add.html",
        context={"line": line},
    )


@staff_view(Perm.FUNDS_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def stipend_pay(request: HttpRequest, case_id: str, stipend_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    stipend = _stipend_or_404(view, stipend_id)
    return _confirm(
        request,
        view,
        lambda: stipends.stipend_pay(
            stipend=stipend, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Record this month's stipend payment"),
        body=_("The payment due on %(due)s is recorded as paid today, on line %(number)s.")
        % {"due": str(stipend.next_due), "number": stipend.line.number},
        button=_("Record the payment"),
        success=_("Stipend payment recorded."),
    )


@staff_view(Perm.FUNDS_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def stipend_end(request: HttpRequest, case_id: str, stipend_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    stipend = _stipend_or_404(view, stipend_id)
    return _confirm(
        request,
        view,
        lambda: stipends.stipend_end(
            stipend=stipend, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("End this stipend"),
        body=_("No further payment is due. What was paid stays on the line."),
        button=_("End the stipend"),
        success=_("Stipend ended."),
    )


@staff_view(Perm.FUNDS_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def line_close(request: HttpRequest, case_id: str, line_id: str) -> HttpResponse:
    view = case_view(request, case_id, working=True)
    line = _line_or_404(view, line_id)
    if line.status != BudgetLine.Status.APPROVED:
        raise Http404
    return _confirm(
        request,
        view,
        lambda: services.line_close(
            line=line, actor=viewer(request), request_id=request_id(request)
        ),
        title=_("Close budget line %(number)s") % {"number": line.number},
        body=_("No more money is paid on it; what it did not spend is no longer committed."),
        button=_("Close the line"),
        success=_("Line closed."),
    )


@staff_view(Perm.FUNDS_APPROVE, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def emergency_pay(request: HttpRequest, case_id: str, approval_id: str) -> HttpResponse:
    """Pay approved emergency help from the emergency fund."""
    view = case_view(request, case_id, working=True)
    approval = queries.emergency_approval_of(view, approval_id)
    if approval is None:
        raise Http404
    form = EmergencyPayForm(_posted(request))
    return _case_form(
        request,
        view,
        form,
        lambda: services.emergency_draw(
            approval=approval,
            paid_on=form.cleaned_data["paid_on"],
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Emergency help paid from the emergency fund."),
        template="funds/emergency_pay.html",
        context={"approval": approval},
    )
