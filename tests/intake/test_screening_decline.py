"""services.screening.decline_text and request_decline: declining needs a reason (kept for staff,
encrypted) and sends the person, in their language, a reply listing the chosen organisations."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from passage.accounts.models import Desk, User
from passage.crypto import codename as codenames
from passage.intake.exceptions import ActionRefused, InvalidInput
from passage.intake.models import HelpRequest, Mailbox, ReferralOrganisation, StaffReply
from passage.intake.services import directory, screening
from tests.intake.support import audit_entries, fresh, make_screener, raw_value, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

REASON = "Outside our mandate: internal relocation is possible."
OPENING = (
    "Thank you for writing to us. We are sorry: we cannot help you ourselves. "
    "These organisations may be able to help:"
)


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


@pytest.fixture
def organisations(screener: User) -> list[ReferralOrganisation]:
    return [
        directory.referral_save(
            actor=screener,
            country="RU",
            kinds=["legal"],
            name="Российская ЛГБТ-сеть",
            contact="https://example.org/help",
        ),
        directory.referral_save(
            actor=screener, country="RU", kinds=["hotline"], name="Hotline", contact="+7 800 000"
        ),
    ]


def test_decline_text_lists_the_organisations_in_the_persons_language(
    organisations: list[ReferralOrganisation],
) -> None:
    with translation.override("en"):
        text = screening.decline_text(language="ru", organisations=organisations)
        assert translation.get_language() == "en"
    with translation.override("ru"):
        opening = gettext(OPENING)
    assert text.splitlines()[0] == opening
    assert "- Российская ЛГБТ-сеть: https://example.org/help" in text.splitlines()
    assert "- Hotline: +7 800 000" in text.splitlines()


def test_decline_text_without_organisations_still_says_we_cannot_help() -> None:
    text = screening.decline_text(language="en", organisations=[])
    assert text.startswith(OPENING)
    assert "- " not in text


def test_declining_sends_the_referrals_and_keeps_the_reason_for_staff(
    screener: User, organisations: list[ReferralOrganisation]
) -> None:
    receipt = submit(language="ru")
    screening.request_decline(
        request=receipt.request, actor=screener, reason=REASON, organisations=organisations
    )
    request = fresh(receipt.request)
    assert (request.state, request.status) == ("declined", "cannot_help")
    assert request.staff_note == REASON
    assert REASON.encode() not in raw_value("intake_helprequest", "staff_note", request.pk)
    assert request.decided_by == screener and request.decided_at is not None

    [reply] = StaffReply.objects.filter(request=request)
    assert reply.template == "decline"
    expected = screening.decline_text(language="ru", organisations=organisations)
    assert reply.body == expected
    private = codenames.derive_private_key(receipt.codename)
    assert codenames.open_with(private, bytes(reply.for_person or b"")).decode() == expected
    assert audit_entries("request.decline", request.pk)
    assert audit_entries("request.reply", request.pk)


def test_a_written_reply_replaces_the_generated_one(
    screener: User, organisations: list[ReferralOrganisation]
) -> None:
    receipt = submit()
    screening.request_decline(
        request=receipt.request,
        actor=screener,
        reason=REASON,
        organisations=organisations,
        reply="  We cannot help; try the hotline.  ",
    )
    assert StaffReply.objects.get().body == "We cannot help; try the hotline."


def test_without_a_mailbox_the_request_is_declined_without_a_reply(screener: User) -> None:
    receipt = submit()
    Mailbox.objects.filter(pk=receipt.session.mailbox_id).delete()
    screening.request_decline(
        request=fresh(receipt.request), actor=screener, reason=REASON, organisations=[]
    )
    assert fresh(receipt.request).state == HelpRequest.State.DECLINED
    assert not StaffReply.objects.exists()


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_reason_is_needed(screener: User, reason: str) -> None:
    receipt = submit()
    with pytest.raises(InvalidInput, match="reason"):
        screening.request_decline(
            request=receipt.request, actor=screener, reason=reason, organisations=[]
        )
    assert fresh(receipt.request).state == HelpRequest.State.NEW
    assert not StaffReply.objects.exists()


def test_a_request_already_dealt_with_is_not_declined(screener: User, desk_north: Desk) -> None:
    receipt = submit()
    screening.request_open_case(request=receipt.request, actor=screener, desk=desk_north)
    with pytest.raises(ActionRefused, match="already dealt with"):
        screening.request_decline(
            request=receipt.request, actor=screener, reason=REASON, organisations=[]
        )
    assert not StaffReply.objects.exists()
    assert fresh(receipt.request).state == HelpRequest.State.CASE_OPENED


def test_only_screeners_may_decline(caseworker: User) -> None:
    receipt = submit()
    with pytest.raises(ActionRefused, match="Only screeners"):
        screening.request_decline(
            request=receipt.request, actor=caseworker, reason=REASON, organisations=[]
        )
    assert fresh(receipt.request).state == HelpRequest.State.NEW
