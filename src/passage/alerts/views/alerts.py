"""The alerts page and its acknowledge / resolve actions. Thin: parse, query, call, render.

Unacknowledged critical alerts come first in the list; acknowledging from the pinned banner
atop any staff page returns to that page (``next``, a /staff/ path of this site only)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
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
    page = Paginator(queries.critical_first(visible.filter(status=status)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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
        "perms_oncall": _staff(request).may(Perm.ONCALL_MANAGE),
        "perms_push": _staff(request).may(Perm.PUSH_MANAGE),
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
    back = request.POST.get("next", "")
    if (
        back.startswith("/staff/")
        and url_has_allowed_host_and_scheme(back, allowed_hosts=None)
        and "\\" not in back
    ):
        return redirect(back)  # the page whose pinned banner was acknowledged
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
