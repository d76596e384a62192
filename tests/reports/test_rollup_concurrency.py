"""Racing writers keep the rollups exact: real threads against a real, committed database (a
scratch installation, as in tests/funds/test_disbursement_concurrency.py). Cases moving at
once add to the same rollup rows (upserts); payments racing on one case count it once for
the fund (the case row is locked)."""

from __future__ import annotations

import json

from tests.conftest import ScratchInstall

THREADS = 8

RACE = """
import json, threading
from django.db import connections
from django.utils import timezone
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases import rollups
from passage.cases.models import CaseRollup, Measure
from passage.cases.services import opening, workflow
from passage.cases.services.people import PersonDetails
from passage.funds import services

desk = Desk.objects.create(name="North")
def staff(name, role):
    user = User.objects.create(username=name)
    RoleGrant.objects.create(user=user, role=role)
    Membership.objects.create(user=user, desk=desk)
    return user
workers = [staff("worker-%d" % n, "caseworker") for n in range({threads})]
payers = [staff("finance-%d" % n, "finance") for n in range({threads})]
person = PersonDetails(chosen_name="P", gender_category="trans_woman")
cases = [opening.case_open(desk=desk, actor=workers[0], person=person, country="RU")
         for _ in range({threads})]
fund = services.fund_create(name="F", programme="", currency="EUR", desk=None,
                            four_eyes_minor=10**9, actor=payers[0])
services.fund_deposit(fund=fund, amount=10_000_000, on=timezone.localdate(), actor=payers[0])
line = services.line_add(case=cases[0], fund=fund, category="airfare", estimate=1_000_000,
                         actor=workers[0])
services.line_decide(line=line, approve=True, actor=payers[0])

def race(target, jobs):
    start = threading.Barrier(len(jobs))
    errors = []
    def work(job):
        try:
            start.wait()
            target(*job)
        except Exception as exc:
            errors.append(type(exc).__name__ + ": " + str(exc))
        finally:
            connections.close_all()
    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors

def screen(case, worker):
    workflow.case_transition(case=case, to_stage="screening", actor=worker)
def pay(payer):
    services.disbursement_record(line=line, amount=1_000, paid_on=timezone.localdate(),
                                 method="cash", actor=payer)
errors = race(screen, list(zip(cases, workers))) + race(pay, [(p,) for p in payers])
print("RESULT " + json.dumps({{
    "errors": errors,
    "agrees": rollups.agrees(rollups.from_scratch()),
    "opened": sum(CaseRollup.objects.filter(measure=Measure.OPENED, fund="")
                  .values_list("count", flat=True)),
    "funded": sum(CaseRollup.objects.filter(measure=Measure.OPENED, fund=str(fund.pk))
                  .values_list("count", flat=True)),
}}))
"""


def test_racing_moves_and_payments_keep_the_rollups_exact(scratch_install: ScratchInstall) -> None:
    output = scratch_install.python(RACE.format(threads=THREADS), timeout=300).stdout
    result = json.loads(output.split("RESULT ", 1)[1])
    assert result == {"errors": [], "agrees": True, "opened": THREADS, "funded": 1}
