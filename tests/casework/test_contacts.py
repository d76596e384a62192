"""contact_log: a contact with its summary encrypted, the case's last and next contact dates,
refusals, the merged contact log with the mailbox, and the default channel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.casework import queries
from passage.casework.models import Contact
from passage.casework.services.contacts import contact_log
from passage.intake import payloads
from passage.intake.models import HelpRequest, RequestItem
from passage.intake.services import public as intake
from passage.intake.services import screening
from tests.cases.helpers import audit_entries, case_key_ids, fresh, raw_key_id, raw_value
from tests.casework.conftest import view_of

pytestmark = pytest.mark.django_db

SUMMARY = "Called from a friend's phone; the police came to their flat again."


def log(case: Case, actor: User, **extra: object) -> Contact:
    values: dict[str, object] = {
        "channel": "signal",
        "direction": "incoming",
        "summary": SUMMARY,
        "with_whom": "the person",
    }
    values.update(extra)
    return contact_log(case=case, actor=actor, **values)  # type: ignore[arg-type]


def test_a_contact_is_logged_encrypted_and_moves_the_case_dates(
    north_case: Case, caseworker: User
) -> None:
    due = timezone.now() + dt.timedelta(days=3)
    contact = log(north_case, caseworker, next_contact_due=due)
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.summary, stored.with_whom) == (SUMMARY, "the person")
    assert (stored.channel, stored.direction, stored.staff) == ("signal", "incoming", caseworker)
    raw = raw_value("casework_contact", "summary", contact.pk)
    assert SUMMARY.encode() not in raw
    assert raw_key_id("casework_contact", "summary", contact.pk) in case_key_ids(north_case)
    case = fresh(north_case)
    assert case.last_contact_at == stored.happened_at
    assert case.next_contact_due == due
    [entry] = audit_entries("case.contact_logged", north_case.pk)
    assert entry.actor == f"user:{caseworker.pk}"


def test_the_newest_contact_sets_the_next_date_and_an_older_one_leaves_it(
    north_case: Case, caseworker: User
) -> None:
    now = timezone.now()
    log(north_case, caseworker, next_contact_due=now + dt.timedelta(days=7))
    log(north_case, caseworker, next_contact_due=now + dt.timedelta(days=1))
    assert fresh(north_case).next_contact_due == now + dt.timedelta(days=1)
    # Logged after the fact: kept in the log, the case's dates stay.
    earlier = now - dt.timedelta(days=2)
    log(north_case, caseworker, happened_at=earlier, next_contact_due=earlier + dt.timedelta(1))
    case = fresh(north_case)
    assert case.next_contact_due == now + dt.timedelta(days=1)
    assert case.last_contact_at is not None and case.last_contact_at > earlier
    # A newest contact without a next date: none planned any more.
    log(north_case, caseworker)
    assert fresh(north_case).next_contact_due is None
    assert Contact.objects.filter(case=north_case).count() == 4


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"channel": "pigeon"}, "Choose the channel."),
        ({"direction": "sideways"}, "Choose who contacted whom."),
        ({"summary": "   "}, "Write what was said"),
        ({"summary": "x" * 50_001}, "too long"),
        ({"happened_at": timezone.now() + dt.timedelta(hours=2)}, "cannot be in the future"),
        ({"next_contact_due": timezone.now() - dt.timedelta(hours=1)}, "must come after"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    north_case: Case, caseworker: User, extra: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        log(north_case, caseworker, **extra)
    assert not Contact.objects.exists()
    assert fresh(north_case).last_contact_at is None


def test_only_those_who_work_the_case_log_contacts(
    north_case: Case, colleague: User, break_glass: User, partner_user: User
) -> None:
    with pytest.raises(NotAllowed):
        log(north_case, break_glass)
    with pytest.raises(CaseNotFound):
        log(north_case, partner_user)
    assert not Contact.objects.exists()


def test_the_form_defaults_to_the_last_channel_used(north_case: Case, caseworker: User) -> None:
    view = view_of(caseworker, north_case)
    assert queries.last_channel(view) == "signal"
    log(north_case, caseworker, channel="whatsapp")
    assert queries.last_channel(view) == "whatsapp"


def test_mailbox_messages_are_merged_into_the_log_newest_first(
    north_case: Case, caseworker: User, screener: User, memstore: None
) -> None:
    receipt = intake.request_submit(country="RU", urgency="immediate", language="ru")
    intake.message_send(session=receipt.session, text="Они снова приходили ночью", files=[])
    help_request = receipt.request
    screening.request_attach(request=help_request, case=north_case, actor=screener)
    screening.request_reply(
        request=HelpRequest.objects.get(pk=help_request.pk),
        actor=screener,
        body="We read your message and will write again tomorrow.",
    )
    log(north_case, caseworker, channel="phone")
    rows = queries.contacts_of(view_of(caseworker, north_case))
    assert [r.channel for r in rows] == ["phone", "mailbox", "mailbox"]
    reply, message = rows[1], rows[2]
    assert (message.direction, message.summary) == ("incoming", "Они снова приходили ночью")
    assert message.from_mailbox and message.staff is None
    assert (reply.direction, reply.staff) == ("outgoing", screener)
    assert reply.summary.startswith("We read your message")
    # Read in place, never copied into the contact log.
    assert Contact.objects.filter(case=north_case).count() == 1
    assert RequestItem.objects.filter(kind=RequestItem.Kind.MESSAGE).count() == 1


def test_a_mailbox_message_that_cannot_be_opened_does_not_break_the_log(
    north_case: Case, caseworker: User, screener: User, memstore: None
) -> None:
    receipt = intake.request_submit(country="RU", urgency="immediate", language="ru")
    intake.message_send(session=receipt.session, text="hello", files=[])
    screening.request_attach(request=receipt.request, case=north_case, actor=screener)
    # Altered (or sealed to a key that is gone): the seal does not open.
    RequestItem.objects.filter(kind=RequestItem.Kind.MESSAGE).update(
        sealed=payloads.seal_document(payloads.Message(text="x"))[0][:-8] + b"\x00" * 8
    )
    [row] = queries.contacts_of(view_of(caseworker, north_case))
    assert row.from_mailbox and not row.readable and row.summary == ""
