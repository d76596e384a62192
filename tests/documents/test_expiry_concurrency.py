"""The expiry job is safe to run twice at once (two app servers each run a scheduler): real
threads against a real, committed database (a scratch installation, as for the audit chain's
concurrent writers in tests/audit/test_concurrency.py): one alert per document and threshold."""

from __future__ import annotations

import json

from tests.conftest import ScratchInstall

DOCUMENTS = 6
RUNS = 4

RACE = """
import datetime as dt, json, threading
from django.db import connections
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.alerts.models import Alert
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.documents.services.documents import DocumentDetails, document_add
from passage.documents.services.reminders import expiry_sweep

desk = Desk.objects.create(name="North")
user = User.objects.create(username="worker")
RoleGrant.objects.create(user=user, role="caseworker")
Membership.objects.create(user=user, desk=desk)
today = dt.date(2027, 1, 1)
for n in range({documents}):
    case = opening.case_open(desk=desk, actor=user, person=PersonDetails(chosen_name="P"))
    document_add(case=case, person=case.people.get(), actor=user, details=DocumentDetails(
        kind="visa", status="have", expires_on=today + dt.timedelta(days=5 + n)))
start = threading.Barrier({runs})
counts, errors = [], []

def work():
    try:
        start.wait()
        counts.append(expiry_sweep(today=today))
    except Exception as exc:
        errors.append(type(exc).__name__ + ": " + str(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work) for _ in range({runs})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
alerts = Alert.objects.filter(code="case.document_expiring").count()
print("RESULT " + json.dumps({{"errors": errors, "sent": sum(counts), "alerts": alerts}}))
"""


def test_concurrent_runs_send_each_reminder_once(scratch_install: ScratchInstall) -> None:
    code = RACE.format(documents=DOCUMENTS, runs=RUNS)
    output = scratch_install.python(code, timeout=300).stdout
    result = json.loads(output.split("RESULT ", 1)[1])
    assert result == {"errors": [], "sent": DOCUMENTS, "alerts": DOCUMENTS}
