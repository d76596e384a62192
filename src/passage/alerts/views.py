"""The alerts page and its acknowledge / resolve actions. Thin: parse, query, call, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from passage.accounts.access import staff_view
from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.alerts import queries, services
from passage.alerts.models import Alert
from passage.audit import services as audit

PAGE_SIZE = 50


@staff_view(Perm.ALERTS_VIEW)
@require_http_methods(["GET", "HEAD"])
@never_cache
def alert_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Alert.Status.NEW)
    if status not in Alert.Status.values:
        status = Alert.Status.NEW
    visible = queries.alerts_for(_staff(request))
    page = Paginator(visible.filter(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [
        {
            "status": value,
            "label": label,
            "count": visible.filter(status=value).count(),
            "current": value == status,
        }
        for value, label in Alert.Status.choices
    ]
    context = {
        "page": page,
        "rows": queries.alert_rows(page.object_list),
        "tabs": tabs,
        "status": status,
    }
    return render(request, "alerts/list.html", context)


def _staff(request: HttpRequest) -> User:
    """The signed-in user (``staff_view`` let only them through)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _visible_alert(request: HttpRequest, alert_id: uuid.UUID) -> Alert:
    alert = queries.alerts_for(_staff(request)).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert


def _back(request: HttpRequest) -> HttpResponse:
    status = request.POST.get("status", "")
    url = reverse("alerts:list")
    if status in Alert.Status.values:
        url += f"?status={status}"
    return redirect(url)


@staff_view(Perm.ALERTS_VIEW)
@require_POST
@never_cache
def alert_acknowledge(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    alert = _visible_alert(request, alert_id)
    if services.alert_acknowledge(
        alert=alert, actor=_staff(request), request_id=audit.request_id_from(request)
    ):
        messages.success(request, _("Alert acknowledged."))
    else:
        messages.info(request, _("This alert was already acknowledged or resolved."))
    return _back(request)


@staff_view(Perm.ALERTS_VIEW)
@require_POST
@never_cache
def alert_resolve(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    alert = _visible_alert(request, alert_id)
    if services.alert_resolve(
        alert=alert, actor=_staff(request), request_id=audit.request_id_from(request)
    ):
        messages.success(request, _("Alert resolved."))
    else:
        messages.info(request, _("This alert was already resolved."))
    return _back(request)
