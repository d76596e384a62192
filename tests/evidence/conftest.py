"""Fixtures for the evidence tests: the cases fixtures (personas on desks, a North case, a
South case), a second North case, and testimony recorded through the real service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.evidence import models
from passage.evidence.services import testimony as services
from tests.cases.conftest import open_case, partner_org  # noqa: F401 -- fixtures
from tests.cases.views.conftest import north_case, south_case  # noqa: F401 -- fixtures

STATEMENT = (
    "On 12 March I was taken by men of the Kadyrov unit to the old bakery in Argun. "
    "Ruslan Gairbekov held me there for ten days. Ruslan beat me every night."
)

Record = Callable[..., models.Testimony]


@pytest.fixture
def second_case(open_case: Callable[..., Case]) -> Case:  # noqa: F811
    return open_case("Second Person")


@pytest.fixture
def record(caseworker: User) -> Record:
    """Record a testimony through the service (legal proceedings unless ``scopes`` say)."""

    def make(
        case: Case, *, scopes: tuple[str, ...] = ("legal",), **kwargs: Any
    ) -> models.Testimony:
        values: dict[str, Any] = {
            "text": STATEMENT,
            "consent_on": dt.date(2017, 5, 2),
            "legal_body": "European Court of Human Rights" if "legal" in scopes else "",
        }
        values.update(kwargs)
        actor = values.pop("actor", caseworker)
        return services.testimony_record(case=case, actor=actor, scopes=list(scopes), **values)

    return make
