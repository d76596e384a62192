"""While exports are disabled every export endpoint refuses with a clear message and a 409:
"Export this case", the bookkeeper's CSV and the PDF letters. (During a lockdown only admins
are signed in; the investigator here is an admin who also works cases and holds funds, the one
kind of person who could still reach them.)"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.lockdown import EXPORTS_DISABLED_MESSAGE, exports_disabled
from passage.accounts.models import Desk, Lockdown, User
from passage.accounts.roles import Role
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from tests.cases.conftest import open_case  # noqa: F401 -- a fixture
from tests.personas import make_staff, sign_in_as

pytestmark = pytest.mark.django_db

MESSAGE = str(EXPORTS_DISABLED_MESSAGE)


@pytest.fixture
def investigator(desk_north: Desk) -> User:
    return make_staff(
        "investigator", Role.ADMIN, Role.CASEWORKER, Role.FINANCE, desks=(desk_north,)
    )


@pytest.fixture
def case(open_case: Callable[..., Case]) -> Case:  # noqa: F811
    return open_case("Export Person")


def post(client: Client, path: str) -> object:
    html = client.get("/staff/sessions/").content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found
    return client.post(path, {"csrfmiddlewaretoken": found.group(1)})


def test_exports_work_before_the_lockdown(investigator: User, case: Case) -> None:
    client = sign_in_as(investigator)
    response = post(client, reverse("casefields:case-export", args=[case.pk]))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]  # type: ignore[index]


def test_every_export_refuses_while_exports_are_disabled(
    in_force: Lockdown, investigator: User, case: Case
) -> None:
    assert exports_disabled()
    client = sign_in_as(investigator)
    exported_before = AuditEntry.objects.filter(action="case.exported").count()
    for path in (
        reverse("casefields:case-export", args=[case.pk]),
        reverse("funds:accounts"),
        reverse("dossiers:letter-make", args=[case.pk, uuid.uuid4()]),
    ):
        response = post(client, path)
        assert response.status_code == 409, path  # type: ignore[attr-defined]
        assert not response.has_header("Content-Disposition"), path  # type: ignore[attr-defined]
        assert MESSAGE in response.content.decode(), path  # type: ignore[attr-defined]
    # The pages that offer an export say so as well, without the button.
    for path in (reverse("casefields:case-export", args=[case.pk]), reverse("funds:accounts")):
        response = client.get(path)
        assert response.status_code == 409
        assert MESSAGE in response.content.decode()
    assert AuditEntry.objects.filter(action="case.exported").count() == exported_before
