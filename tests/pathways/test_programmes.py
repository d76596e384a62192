"""services.programmes: who keeps programmes, and a quota never below the places taken."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.pathways.models import Application, Programme
from passage.pathways.services.applications import application_add, application_change
from passage.pathways.services.programmes import programme_change, programme_create
from tests.pathways.conftest import PROGRAMME_NAME

pytestmark = pytest.mark.django_db


def test_logistics_creates_a_programme_with_an_encrypted_name(logistics: User) -> None:
    made = programme_create(actor=logistics, kind="unhcr_resettlement", name="UNHCR Ankara")
    assert Programme.objects.get(pk=made.pk).name == "UNHCR Ankara"
    assert AuditEntry.objects.filter(
        action="pathways.programme_created", object_id=str(made.pk)
    ).exists()


def test_a_caseworker_may_not_create_one(caseworker: User) -> None:
    with pytest.raises(NotAllowed):
        programme_create(actor=caseworker, kind="emergency_visa", name="x")
    assert not Programme.objects.exists()


def test_the_quota_cannot_go_below_the_places_taken(
    logistics: User, caseworker: User, north_case: Case, programme: Programme
) -> None:
    app = application_add(case=north_case, actor=caseworker, programme=programme)
    application_change(
        application=app,
        actor=caseworker,
        status=Application.Status.SUBMITTED,
        reference="",
        next_deadline=None,
    )

    def change(quota: int | None) -> Programme:
        return programme_change(
            programme=programme,
            actor=logistics,
            kind=programme.kind,
            name=PROGRAMME_NAME,
            partner=None,
            quota=quota,
            is_active=True,
        )

    with pytest.raises(InvalidInput, match="1 places are already taken"):
        change(0)
    assert change(1).quota == 1
    assert change(None).quota is None


def test_bad_kind_and_empty_name_are_refused(logistics: User) -> None:
    with pytest.raises(InvalidInput):
        programme_create(actor=logistics, kind="nonsense", name="x")
    with pytest.raises(InvalidInput):
        programme_create(actor=logistics, kind="emergency_visa", name="  ")
