"""Two placements cannot both take the last beds: 6 one-person cases race for a 3-bed house
on the same nights (real threads against a real, committed database: a scratch installation,
as in tests/pathways/test_quota_concurrency.py). Exactly 3 are placed, 3 refused."""

from __future__ import annotations

import json

from tests.conftest import ScratchInstall

BEDS = 3
THREADS = 6

RACE = """
import datetime as dt, json, threading
from django.db import connections
from django.utils import timezone
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases.exceptions import NotAllowed
from passage.cases.models import Case
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.safehouses import services
from passage.safehouses.models import Stay

desk = Desk.objects.create(name="North")
user = User.objects.create(username="logistics")
RoleGrant.objects.create(user=user, role="logistics")
Membership.objects.create(user=user, desk=desk)
house = services.safehouse_create(
    actor=user, desk=desk, code_name="Birch", region="Kazan", beds={beds}, address="a"
)
cases = [
    opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name="P"))
    for _ in range({threads})
]
Case.objects.filter(pk__in=[c.pk for c in cases]).update(verification_outcome="verified")
cases = list(Case.objects.filter(pk__in=[c.pk for c in cases]))
today = timezone.localdate()
start = threading.Barrier({threads})
full, errors = [], []

def work(case):
    try:
        start.wait()
        services.stay_place(case=case, house=house, actor=user, planned_from=today,
                            planned_to=today + dt.timedelta(days=3))
    except NotAllowed:
        full.append(1)
    except Exception as exc:
        errors.append(type(exc).__name__ + ": " + str(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work, args=(case,)) for case in cases]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
held = Stay.objects.filter(house=house).count()
print("RESULT " + json.dumps({{"errors": errors, "full": len(full), "held": held}}))
"""


def test_concurrent_placements_never_overfill_a_house(scratch_install: ScratchInstall) -> None:
    code = RACE.format(beds=BEDS, threads=THREADS)
    output = scratch_install.python(code, timeout=300).stdout
    result = json.loads(output.split("RESULT ", 1)[1])
    assert result == {"errors": [], "full": THREADS - BEDS, "held": BEDS}
