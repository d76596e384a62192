"""The top bar's count of new alerts, and the pinned critical alerts atop every staff page,
for signed-in users who may see alerts.

Both are lazy (callables the template calls), so pages that do not show them cost nothing.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from passage.accounts import sessions
from passage.accounts.roles import Perm
from passage.alerts.queries import new_alert_count, pinned_for


def alert_count(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not hasattr(request, "session")
        or not sessions.second_factor_done(request)
        or not user.may(Perm.ALERTS_VIEW)
    ):
        return {"alert_count": None}  # and no pinned alerts: the template finds none
    try:
        url = reverse("alerts:list")
    except NoReverseMatch:  # an installation (or test) without the alerts pages
        return {"alert_count": None}
    return {
        "alert_count": lambda: new_alert_count(user),
        "alerts_url": url,
        "pinned_alerts": lambda: pinned_for(user),
    }
