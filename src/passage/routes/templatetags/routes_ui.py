"""What the case summary shows of routes (cases cannot import this app): a banner when a route
the case uses or planned to use was marked compromised. Route code and time only."""

from __future__ import annotations

from typing import Any

from django import template

from passage.cases.models import Case
from passage.routes import queries

register = template.Library()


@register.inclusion_tag("routes/summary_flags.html")
def route_flags(case: Case) -> dict[str, Any]:
    return {"case": case, "flags": queries.flags_of(case)}
