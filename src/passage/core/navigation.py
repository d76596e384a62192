"""The staff console's navigation by area (UI.md), in one place.

Each area names the URL of its start page. An area whose URL does not exist yet is shown as "not
yet built" instead of a link that would lead nowhere; when an app adds the URL the link appears.
URL names and permission codes are strings, so core imports nothing from the apps above it;
an area with a permission is shown only to users who hold it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    label: str | Promise
    url_name: str
    admin_only: bool = False
    perm: str | None = None  # a permission code (accounts.roles.Perm value)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str | None  # None: not built yet
    current: bool


@dataclass(frozen=True)
class Navigation:
    items: list[NavItem]

    @property
    def has_unbuilt(self) -> bool:
        return any(item.url is None for item in self.items)


CASEWORK = "cases.view_desk"

AREAS: tuple[Area, ...] = (
    Area(_("Referrals"), "partner:home", perm="partner.portal"),
    Area(_("Help requests"), "screening:inbox", perm="requests.screen"),
    Area(_("My work"), "workload:my-work", perm=CASEWORK),
    Area(_("Inbox"), "cases:inbox", perm=CASEWORK),
    Area(_("Queue"), "cases:queue", perm=CASEWORK),
    Area(_("Cases"), "cases:list", perm=CASEWORK),
    Area(_("Workload"), "workload:index", perm="desk.oversee"),
    Area(_("Interpreting"), "interpret:list", perm="interpret"),
    Area(_("Logistics"), "routes:board", perm="logistics.reveal"),
    Area(_("Safe houses"), "safehouses:list", perm=CASEWORK),
    Area(_("Pathways"), "pathways:programmes", perm="pathways.manage"),
    Area(_("Money"), "funds:index", perm="funds.approve"),
    Area(_("Settlement"), "settlement:due", perm="settlement.work"),
    Area(_("Safety"), "safety:overview", perm=CASEWORK),
    Area(_("Evidence"), "evidence:index", perm="evidence.work"),
    Area(_("Reports"), "reports:dashboard", perm="reports.view"),
    Area(_("Exports"), "exports:index", perm="cases.export_bulk"),
    Area(_("Imports"), "imports:index", perm="cases.import"),
    Area(_("Admin"), "staff:admin", admin_only=True),
    Area(_("Lockdown"), "lockdown:index", perm="lockdown.manage"),
    Area(_("Retention"), "retention:policies", perm="retention.manage"),
)


def staff_navigation(request: HttpRequest) -> Navigation:
    """The areas this user sees, each with its URL (or None) and whether it is the current one."""
    user = getattr(request, "user", None)
    is_admin = bool(getattr(user, "is_admin", False))
    held = {str(p) for p in getattr(user, "permissions", ())}
    items = []
    for area in AREAS:
        if area.admin_only and not is_admin:
            continue
        if area.perm is not None and area.perm not in held:
            continue
        try:
            url: str | None = reverse(area.url_name)
        except NoReverseMatch:
            url = None
        current = url is not None and request.path.startswith(url)
        items.append(NavItem(label=area.label, url=url, current=current))
    return Navigation(items=items)
