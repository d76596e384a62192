"""What the access matrix's world needs of safe houses: a North house (made by a logistics
coordinator of the North desk, ``LOGISTICS``, who is not one of the matrix's personas: their own
column is ``tests/safehouses/test_access_matrix.py``) and a planned stay of the North case in it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.safehouses import services
from passage.safehouses.models import Stay
from tests.personas import make_staff

LOGISTICS = "matrix-safehouses-logistics"


def safehouses_world(case: Case) -> dict[str, str]:
    logistics = make_staff(LOGISTICS, Role.LOGISTICS, desks=(case.desk,))
    house = services.safehouse_create(
        actor=logistics,
        desk=case.desk,
        code_name="Matrix",
        region="Kazan",
        beds=4,
        address="an address",
    )
    # The world's case is not verified (placing needs it): the stay is made directly.
    today = timezone.localdate()
    stay = Stay.objects.create(
        case=case, house=house, people=1, planned_from=today, planned_to=today + dt.timedelta(3)
    )
    return {"safehouse": str(house.pk), "stay": str(stay.pk)}
