"""Helpers for the safe-house page tests: URLs and stays made through the real services."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.safehouses import services
from passage.safehouses.models import SafeHouse, Stay
from tests.safehouses.conftest import days, today


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"safehouses:{name}", kwargs={k: str(v) for k, v in kwargs.items()} or None)


def placed(case: Case, house: SafeHouse, actor: User, nights: int = 5) -> Stay:
    return services.stay_place(
        case=case, house=house, actor=actor, planned_from=today(), planned_to=days(nights)
    )
