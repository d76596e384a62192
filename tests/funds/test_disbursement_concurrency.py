"""Racing payments cannot overspend a line, and racing approvals cannot over-commit a fund:
real threads against a real, committed database (a scratch installation, as in
tests/audit/test_concurrency.py), the fund and line rows locked by the services."""

from __future__ import annotations

import json

from tests.conftest import ScratchInstall

THREADS = 10

RACE = """
import json, threading
from django.db import connections
from django.utils import timezone
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.funds import services
from passage.funds.exceptions import FundsRefused
from passage.funds.models import BudgetLine, Disbursement

desk = Desk.objects.create(name="North")
def staff(name, role):
    user = User.objects.create(username=name)
    RoleGrant.objects.create(user=user, role=role)
    Membership.objects.create(user=user, desk=desk)
    return user
worker = staff("worker", "caseworker")
payers = [staff("finance-%d" % n, "finance") for n in range({threads})]
case = opening.case_open(desk=desk, actor=worker, person=PersonDetails(chosen_name="P"))
fund = services.fund_create(name="F", programme="", currency="EUR", desk=None,
                            four_eyes_minor=10**9, actor=payers[0])
services.fund_deposit(fund=fund, amount=200_000, on=timezone.localdate(), actor=payers[0])
line = services.line_add(case=case, fund=fund, category="airfare", estimate=100_000,
                         actor=worker)
services.line_decide(line=line, approve=True, actor=payers[0])
# Lines of 60,000 waiting: the fund has 100,000 uncommitted, so only one can be approved.
waiting = [services.line_add(case=case, fund=fund, category="other", estimate=60_000,
                             actor=worker) for _ in range({threads})]

def race(target, jobs):
    start = threading.Barrier(len(jobs))
    refused, errors = [], []
    def work(job):
        try:
            start.wait()
            target(*job)
        except FundsRefused:
            refused.append(1)
        except Exception as exc:
            errors.append(type(exc).__name__ + ": " + str(exc))
        finally:
            connections.close_all()
    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(refused), errors

def pay(payer):
    services.disbursement_record(line=line, amount=30_000, paid_on=timezone.localdate(),
                                 method="cash", actor=payer)
paid_refused, paid_errors = race(pay, [(p,) for p in payers])
def approve(item, payer):
    services.line_decide(line=item, approve=True, actor=payer)
approve_refused, approve_errors = race(approve, list(zip(waiting, payers)))
print("RESULT " + json.dumps({{
    "errors": paid_errors + approve_errors,
    "paid": Disbursement.objects.filter(line=line).count(),
    "spent": services.spent_on(line),
    "paid_refused": paid_refused,
    "approved": BudgetLine.objects.filter(estimate=60_000, status="approved").count(),
    "approve_refused": approve_refused,
    "balance": services.balance_of(fund),
}}))
"""


def test_racing_payments_and_approvals_never_overspend(scratch_install: ScratchInstall) -> None:
    output = scratch_install.python(RACE.format(threads=THREADS), timeout=300).stdout
    result = json.loads(output.split("RESULT ", 1)[1])
    assert result == {
        "errors": [],
        "paid": 3,  # 3 x 30,000 fit in the 100,000 line; the fourth would overspend it
        "spent": 90_000,
        "paid_refused": THREADS - 3,
        "approved": 1,
        "approve_refused": THREADS - 1,
        "balance": 110_000,
    }
