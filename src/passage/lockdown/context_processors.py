"""The lockdown banner on every staff page (``core/staff_base.html`` shows ``lockdown_banner``).

Lazy, like the alert count: the query runs only when the staff page renders the banner, and
only for signed-in users (never on the public pages, nor on the intake tier).
"""

from __future__ import annotations

from django.http import HttpRequest

from passage.accounts import sessions
from passage.lockdown.queries import Banner, banner_for


def lockdown_banner(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not hasattr(request, "session")
        or not sessions.second_factor_done(request)
    ):
        return {"lockdown_banner": None}

    def banner() -> Banner | None:
        return banner_for(user)

    return {"lockdown_banner": banner}
