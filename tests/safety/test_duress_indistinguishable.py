"""A duress check-in is indistinguishable from a normal one on the person's side: the same
status, headers, cookies, HTML (apart from the CSRF token), the same next page, the same rows in
the mailbox's tables. After the console job, the duress case is frozen with a critical alert and
a compromise review; partners and break-glass lose sight of it, its desk keeps it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.visibility import Access
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import break_glass_open
from passage.audit.models import AuditEntry
from passage.cases import access
from passage.cases.models import Case
from passage.intake.models import Mailbox, MailboxCheckin
from passage.intake.services.public import mailbox_read
from passage.safety.models import CheckIn, CompromiseReview, DuressEvent
from passage.safety.services import checkins
from tests.cases.views.support import token_in
from tests.intake.views.support import browser
from tests.personas import sign_in_as
from tests.safety.conftest import CHECKIN_WORD, DURESS_WORD, Person, hour, started

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def signed_in(person: Person) -> Client:
    client = browser()
    token = token_in(client.get("/en/mailbox/").content.decode())
    response = client.post(
        "/en/mailbox/", {"csrfmiddlewaretoken": token, "codename": person.codename}
    )
    assert response.status_code == 302
    return client


def check_in(client: Client, word: str, capture: Callable[..., Any]) -> TestResponse:
    page = client.get("/en/mailbox/").content.decode()
    assert "Please check in again before" in page
    with capture(execute=True):
        return client.post(
            "/en/mailbox/check-in/", {"csrfmiddlewaretoken": token_in(page), "word": word}
        )


def scrub(html: str, person: Person) -> str:
    """The page without its CSRF token and the person's own contact phrase (both differ
    between any two visitors)."""
    return TOKEN.sub('name="csrfmiddlewaretoken" value="-"', html).replace(phrase_of(person), "-")


def phrase_of(person: Person) -> str:
    return mailbox_read(session=person.session).contact_phrase


def headers(response: TestResponse, person: Person | None = None) -> dict[str, str]:
    """Every header; the random request id (different for every request) by its length; with
    ``person``, the length of the page as if their contact phrase were "-" (as ``scrub``)."""
    found = dict(response.headers.items())
    assert "X-Request-Id" in found
    found["X-Request-Id"] = str(len(found["X-Request-Id"]))
    if person is not None:
        phrase = phrase_of(person)
        shown = response.content.decode().count(phrase)
        found["Content-Length"] = str(
            int(found["Content-Length"]) - shown * (len(phrase.encode()) - 1)
        )
    return found


def cookies(response: TestResponse) -> dict[str, dict[str, str]]:
    """Each cookie's attributes; its value only by length (a random token)."""
    return {
        name: {**{k: str(v) for k, v in morsel.items()}, "value": str(len(morsel.value))}
        for name, morsel in response.cookies.items()
    }


def row_shape(row: MailboxCheckin) -> dict[str, object]:
    """What a reader of the mailbox's check-in table can tell: column kinds and lengths."""
    return {
        "sealed": len(bytes(row.sealed)),
        "intake_key_id": row.intake_key_id,
        "received_at": row.received_at,
        "id": len(str(row.id)),
    }


@pytest.fixture
def frozen_at(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """One fixed moment for the whole test, so both check-ins fall in the same hour."""
    moment = hour() + dt.timedelta(minutes=17)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_a_duress_checkin_looks_like_a_normal_one(
    make_person: Callable[[], Person],
    caseworker: User,
    desk_lead: User,
    colleague: User,
    partner_user: User,
    partner_org: PartnerOrganisation,
    frozen_at: dt.datetime,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    normal, duress = make_person(), make_person()
    t0 = frozen_at - dt.timedelta(days=2)
    for person in (normal, duress):
        started(person, caseworker, t0)
    # Before: a partner who referred the duress case sees it, and a colleague with break-glass.
    Case.objects.filter(pk=duress.case.pk).update(referred_by=partner_org)
    break_glass_open(
        user=colleague,
        case_id=duress.case.pk,
        desk_id=duress.case.desk_id,
        reason="checking a duplicate phone number",
        case_reference=duress.case.reference,
    )
    assert access.access_to(partner_user, duress.fresh()) is Access.PARTNER
    assert access.access_to(colleague, duress.fresh()) is Access.BREAK_GLASS
    due_before = Mailbox.objects.get(request__case=normal.case).checkin_due_at

    normal_client, duress_client = signed_in(normal), signed_in(duress)
    tasks_before = DBTaskResult.objects.count()
    audit_before = AuditEntry.objects.count()
    one = check_in(normal_client, CHECKIN_WORD, django_capture_on_commit_callbacks)
    audit_after_one = AuditEntry.objects.count()
    tasks_after_one = DBTaskResult.objects.count()
    two = check_in(duress_client, DURESS_WORD, django_capture_on_commit_callbacks)

    # The response: status, headers, cookies, HTML.
    assert one.status_code == two.status_code == 200
    assert headers(one) == headers(two)
    assert cookies(one) == cookies(two) and set(cookies(one)) == {"passage_mailbox"}
    assert scrub(one.content.decode(), normal) == scrub(two.content.decode(), duress)
    assert "Thank you, your check-in was received." in one.content.decode()

    # The writes: one sealed row each, of the same shape; one audit entry and one queued job.
    rows = {r.mailbox_id: r for r in MailboxCheckin.objects.all()}
    first = rows[Mailbox.objects.get(request__case=normal.case).pk]
    second = rows[Mailbox.objects.get(request__case=duress.case).pk]
    assert row_shape(first) == row_shape(second)
    assert audit_after_one - audit_before == AuditEntry.objects.count() - audit_after_one == 1
    assert [e.action for e in AuditEntry.objects.order_by("-sequence")[:2]] == [
        "mailbox.checkin"
    ] * 2
    assert tasks_after_one - tasks_before == DBTaskResult.objects.count() - tasks_after_one == 1

    # The console side opens them (what the queued job does).
    assert checkins.checkins_open() == 2

    # The mailbox's rows the person's side can read: the same shapes, the same due date.
    normal_box = Mailbox.objects.get(request__case=normal.case)
    duress_box = Mailbox.objects.get(request__case=duress.case)
    assert normal_box.checkin_due_at == duress_box.checkin_due_at != due_before
    assert not MailboxCheckin.objects.exists()
    # Every column of the mailbox that a check-in could touch (the contact phrase is sealed
    # per person, whatever happens), and nothing left in the check-in tables for either.
    for column in ("language", "created_at", "checkin_due_at", "lookup"):
        first_value, second_value = getattr(normal_box, column), getattr(duress_box, column)
        if column == "lookup":
            assert len(bytes(first_value)) == len(bytes(second_value))
        else:
            assert first_value == second_value
    assert not normal_box.words.exists() and not duress_box.words.exists()
    for field in ("status", "state", "story_received"):
        assert getattr(normal_box.request, field) == getattr(duress_box.request, field)

    # The next page is the same.
    next_one = normal_client.get("/en/mailbox/")
    next_two = duress_client.get("/en/mailbox/")
    assert next_one.status_code == next_two.status_code == 200
    assert headers(next_one, normal) == headers(next_two, duress)
    assert cookies(next_one) == cookies(next_two)
    assert scrub(next_one.content.decode(), normal) == scrub(next_two.content.decode(), duress)

    # On the console side, the duress case is frozen, with its critical alert and review.
    case = duress.fresh()
    assert case.is_frozen and case.frozen_reason == Case.Freeze.DURESS
    assert not normal.fresh().is_frozen
    assert CheckIn.objects.get(case=case).outcome == CheckIn.Outcome.DURESS
    assert CheckIn.objects.get(case=normal.case).outcome == CheckIn.Outcome.OK
    critical = Alert.objects.filter(code=kinds.DURESS, case_reference=case.reference)
    assert {a.severity for a in critical} == {Alert.Severity.CRITICAL}
    assert {(a.target_role, a.target_user_id) for a in critical} == {
        ("", caseworker.pk),
        ("desk_lead", None),
    }
    assert DuressEvent.objects.get(case=case).state == DuressEvent.State.OPEN
    assert CompromiseReview.objects.filter(case=case, state="open").count() == 1
    assert Alert.objects.filter(code=kinds.COMPROMISE_REVIEW, target_role="logistics").exists()
    assert not Alert.objects.filter(
        case_reference=normal.case.reference, code=kinds.DURESS
    ).exists()

    # Partners and break-glass lose sight of it; the caseworker and the desk lead keep it.
    assert access.access_to(partner_user, case) is Access.NONE
    assert access.access_to(colleague, case) is Access.NONE
    assert access.access_to(caseworker, case) in access.WORKING
    assert access.access_to(desk_lead, case) in access.WORKING
    assert sign_in_as(partner_user).get(f"/staff/partner/cases/{case.pk}/").status_code == 404
    assert sign_in_as(colleague).get(f"/staff/cases/{case.pk}/").status_code == 404
    assert sign_in_as(caseworker).get(f"/staff/cases/{case.pk}/safety/").status_code == 200
