"""The Reports area: dashboards, requests, fund use, funder reports, goals, public statistics.

Every page shows counts only, read from the rollup tables (``reports.queries``); charts are
inline SVG drawn here (``reports.charts``) with the numbers in a table beside each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from passage.accounts.access import staff_view
from passage.accounts.lockdown import EXPORTS_DISABLED_MESSAGE, exports_disabled
from passage.accounts.models import User
from passage.accounts.roles import STEP_UP_SECONDS, Perm
from passage.audit import services as audit
from passage.reports import charts, queries, services, statistics
from passage.reports.forms import FunderForm, GoalForm, YearForm
from passage.reports.models import StatisticsRelease, YearlyGoal
from passage.reports.queries import Period

GET_POST = ["GET", "POST"]
MAX_WEEKS = 104


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - staff_view let only staff in
        raise Http404
    return user


def render(
    request: HttpRequest, template: str, context: Mapping[str, object], status: int = 200
) -> HttpResponse:
    """``django.shortcuts.render`` with what the area's sub-navigation needs."""
    user = _user(request)
    context = {
        **context,
        "may_goals": user.may(Perm.REPORTS_GOALS),
        "may_statistics": user.may(Perm.STATISTICS_EXPORT),
    }
    return django_render(request, template, context, status=status)


@staff_view(Perm.REPORTS_VIEW)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The pipeline of a year, time to arrival, the year's goal and safety now."""
    year = YearForm(request.GET).year_or_default()
    period = Period.year(year)
    funnel = queries.funnel(period)
    times = queries.arrival_times(period)
    goal = queries.goal_progress(year)
    context = {
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        "funnel": funnel,
        "funnel_chart": charts.bars(
            funnel, title=_("Pipeline of %(year)s") % {"year": year}, table_id="funnel-table"
        ),
        "times": times,
        "times_chart": charts.bars(
            times.bars, title=_("Days from first request to arrival"), table_id="times-table"
        ),
        "goal": goal,
        "goal_chart": (
            charts.progress(
                goal.people, goal.target, title=_("Progress to the goal"), table_id="goal-table"
            )
            if goal.target
            else None
        ),
        "safety": queries.safety_now(),
    }
    return render(request, "reports/dashboard.html", context)


@staff_view(Perm.REPORTS_VIEW)
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """Help requests per week, and cases opened by country of origin, over recent weeks."""
    try:
        weeks = max(4, min(MAX_WEEKS, int(request.GET.get("weeks", "26"))))
    except ValueError:
        weeks = 26
    today = timezone.localdate()
    first = today - dt.timedelta(weeks=weeks - 1)
    per_week = queries.requests_per_week(first, weeks)
    months = Period(first.replace(day=1), today.replace(day=1))
    by_country = queries.opened_by_country(months)
    context = {
        "weeks": weeks,
        "per_week": per_week,
        "per_week_chart": charts.columns(
            per_week,
            title=_("Help requests per week"),
            table_id="weeks-table",
            every=max(1, weeks // 6),
        ),
        "months": months,
        "by_country": by_country,
        "by_country_chart": charts.bars(
            by_country, title=_("Cases opened by country of origin"), table_id="country-table"
        ),
        "total": sum(b.value for b in per_week),
    }
    return render(request, "reports/requests.html", context)


@staff_view(Perm.REPORTS_VIEW)
@require_GET
def funds(request: HttpRequest) -> HttpResponse:
    """Each fund's money in and out, and the cases it paid for."""
    year = YearForm(request.GET).year_or_default()
    uses = queries.fund_use(Period.year(year))
    spent = [queries.Bar(str(u.fund.pk), u.fund.name, u.spent_in_period) for u in uses]
    context = {
        "year": year,
        "uses": uses,
        "chart": charts.bars(
            [queries.Bar(str(u.fund.pk), u.fund.name, u.cases_paid) for u in uses],
            title=_("Cases each fund paid for"),
            table_id="funds-table",
        ),
        "spent": spent,
    }
    return render(request, "reports/funds.html", context)


@staff_view(Perm.REPORTS_VIEW)
@require_GET
def funder(request: HttpRequest) -> HttpResponse:
    """A funder's table: cases (and people) of a period and fund, by one category."""
    form = FunderForm(request.GET or None)
    table = None
    chart = None
    if request.GET and form.is_valid():
        table = queries.funder_table(**form.query())
        chart = charts.bars(table.rows, title=_("Funder report"), table_id="funder-table")
    status = 400 if request.GET and not form.is_valid() else 200
    return render(
        request,
        "reports/funder.html",
        {"form": form, "table": table, "chart": chart},
        status=status,
    )


@staff_view(Perm.REPORTS_GOALS)
@require_http_methods(GET_POST)
def goals(request: HttpRequest) -> HttpResponse:
    """Admins set how many people the organisation aims to bring to safety each year."""
    form = GoalForm(request.POST or None, initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.goal_set(
                    actor=_user(request),
                    year=form.cleaned_data["year"],
                    people=form.cleaned_data["people"],
                    request_id=audit.request_id_from(request),
                )
            except services.ReportsRefused as refused:
                form.add_error(None, str(refused))
            else:
                return redirect("reports:goals")
        status = 400
    context = {"form": form, "goals": YearlyGoal.objects.all()[:20]}
    return render(request, "reports/goals.html", context, status=status)


@staff_view(Perm.STATISTICS_EXPORT)
@require_GET
def statistics_index(request: HttpRequest) -> HttpResponse:
    """The periods a public-statistics release can be downloaded for."""
    periods = statistics.offered_periods()
    published = dict(
        StatisticsRelease.objects.filter(period__in=periods).values_list("period", "published_at")
    )
    rows = [(p, published.get(p)) for p in periods]
    context = {
        "rows": rows,
        "granularity": statistics.granularity(),
        "disabled": exports_disabled(),
        "disabled_message": EXPORTS_DISABLED_MESSAGE,
    }
    return render(request, "reports/statistics.html", context)


@staff_view(Perm.STATISTICS_EXPORT, step_up=STEP_UP_SECONDS)
@require_http_methods(GET_POST)
def statistics_download(request: HttpRequest) -> HttpResponse:
    """GET: what the release of ``?period=`` holds. POST: the file (``fmt`` CSV or JSON),
    audited. (The period is a parameter, not a path: no URL names one release.)"""
    given = request.POST if request.method == "POST" else request.GET
    period, fmt = str(given.get("period", "")), str(given.get("fmt", "csv"))
    if not period and request.method != "POST":
        return redirect("reports:statistics")
    release = statistics.parse_period(period)
    if release is None or fmt not in {"csv", "json"}:
        raise Http404
    if exports_disabled():
        refused = {"period": period, "fmt": fmt, "error": EXPORTS_DISABLED_MESSAGE}
        return render(request, "reports/statistics_download.html", refused, status=409)
    if request.method != "POST":
        shown = {
            "period": period,
            "fmt": fmt,
            "kept": StatisticsRelease.objects.filter(period=period).first(),
            "tables": statistics.TABLES,
        }
        return render(request, "reports/statistics_download.html", shown)
    try:
        kept = services.statistics_release(
            actor=_user(request), release=release, request_id=audit.request_id_from(request)
        )
    except services.ReportsRefused:  # pragma: no cover - the view's permission is the same
        raise Http404 from None
    if fmt == "json":
        data, kind = statistics.as_json(kept.tables, kept.published_at), "application/json"
    else:
        data, kind = statistics.as_csv(kept.tables), "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="statistics-{period}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
