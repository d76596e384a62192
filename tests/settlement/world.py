"""What the access matrix's world needs of settlement: a second North case brought to
"Arrived" through the real services (a verifier of the North desk verifies and approves) and
its plan, made by the caseworker; by id (``tests/test_access_matrix.py``)."""

from __future__ import annotations

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.settlement.models import FollowUp, LegalStep, Need
from passage.settlement.services.plans import plan_create
from tests.cases.helpers import to_stage
from tests.personas import make_staff


def settlement_world(case: Case, caseworker: User) -> dict[str, str]:
    verifier = make_staff("settlement-verifier", Role.VERIFIER, desks=(case.desk,))
    settled = opening.case_open(
        desk=case.desk, actor=caseworker, person=PersonDetails(chosen_name="Arrived Person")
    )
    settled = to_stage(settled, caseworker, verifier, "arrived")
    plan = plan_create(case=settled, actor=caseworker, arrival_date=settled.opened_at.date())
    return {
        "settled_case": str(settled.pk),
        "settlement_step": str(LegalStep.objects.filter(plan=plan).first().pk),  # type: ignore[union-attr]
        "settlement_need": str(Need.objects.filter(plan=plan).first().pk),  # type: ignore[union-attr]
        "settlement_follow_up": str(FollowUp.objects.filter(plan=plan).first().pk),  # type: ignore[union-attr]
    }
