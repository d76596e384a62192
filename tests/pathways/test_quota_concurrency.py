"""A quota of 40 places cannot be allocated 41 times, also when 41 submissions race each other
(real threads against a real, committed database: a scratch installation, as for the audit
chain's concurrent writers in tests/audit/test_concurrency.py)."""

from __future__ import annotations

import json

from tests.conftest import ScratchInstall

QUOTA = 40
THREADS = 41

RACE = """
import json, threading
from django.db import connections
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.pathways.exceptions import QuotaFull
from passage.pathways.models import Application
from passage.pathways.services.applications import application_add, application_change
from passage.pathways.services.programmes import programme_create

desk = Desk.objects.create(name="North")
user = User.objects.create(username="worker")
RoleGrant.objects.create(user=user, role="logistics")
Membership.objects.create(user=user, desk=desk)
programme = programme_create(actor=user, kind="emergency_visa", name="Visas", quota={quota})
apps = [
    application_add(
        case=opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name="P")),
        actor=user, programme=programme)
    for _ in range({threads})
]
start = threading.Barrier({threads})
full, errors = [], []

def work(app):
    try:
        start.wait()
        application_change(application=app, actor=user, status="submitted", reference="",
                           next_deadline=None)
    except QuotaFull:
        full.append(1)
    except Exception as exc:
        errors.append(type(exc).__name__ + ": " + str(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work, args=(app,)) for app in apps]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
held = Application.objects.filter(programme=programme, status="submitted").count()
print("RESULT " + json.dumps({{"errors": errors, "full": len(full), "held": held}}))
"""


def test_41_concurrent_submissions_on_40_places_give_exactly_40(
    scratch_install: ScratchInstall,
) -> None:
    code = RACE.format(quota=QUOTA, threads=THREADS)
    output = scratch_install.python(code, timeout=300).stdout
    result = json.loads(output.split("RESULT ", 1)[1])
    assert result == {"errors": [], "full": THREADS - QUOTA, "held": QUOTA}
