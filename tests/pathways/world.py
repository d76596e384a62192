"""What the access matrix's world needs of pathways: a programme and an application of the
North case to it, by id (``tests/test_access_matrix.py``)."""

from __future__ import annotations

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.pathways.services.applications import application_add
from passage.pathways.services.programmes import programme_create
from tests.personas import make_staff


def pathways_world(case: Case, caseworker: User) -> dict[str, str]:
    keeper = make_staff("matrix-logistics", Role.LOGISTICS, desks=(case.desk,))
    programme = programme_create(actor=keeper, kind="emergency_visa", name="Visas", quota=40)
    application = application_add(case=case, actor=caseworker, programme=programme)
    return {"programme": str(programme.pk), "pathway_application": str(application.pk)}
