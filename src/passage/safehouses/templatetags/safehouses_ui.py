"""``{% safehouse_flags case %}``: the compromised-house banner on a case's summary."""

from __future__ import annotations

from typing import Any

from django import template

from passage.cases.models import Case
from passage.safehouses import queries

register = template.Library()


@register.inclusion_tag("safehouses/includes/flags.html")
def safehouse_flags(case: Case) -> dict[str, Any]:
    return {"case": case, "safehouse_flags": queries.flags_of_case(case)}
