"""services.public.mailbox_sign_in: the codename (however it is typed) opens its mailbox; wrong
codenames count against one global limit, after which even the right one waits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from pytest_django import Settings

from passage.core import memstore
from passage.crypto import codename as codenames
from passage.intake import sessions
from passage.intake.exceptions import SignInRefused, TooManyAttempts
from passage.intake.models import Mailbox
from passage.intake.services import public
from tests.intake.support import audit_entries, sign_in, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

WRONG = "these words open nothing at all"


def test_the_codename_opens_its_mailbox_and_starts_a_session() -> None:
    receipt = submit(language="en")
    session = sign_in(receipt.codename)
    assert session.mailbox_id == receipt.request.mailbox_id
    assert session.private_key == codenames.derive_private_key(receipt.codename)
    assert session.token != receipt.session.token
    assert memstore.call("exists", sessions._store_key(session.token)) == 1
    [entry] = audit_entries("mailbox.sign_in", receipt.request.mailbox_id)
    assert (entry.actor, entry.object_type) == ("public", "mailbox")
    assert entry.occurred_at.minute == entry.occurred_at.second == 0


def test_case_and_spacing_do_not_matter() -> None:
    receipt = submit(language="ru")
    typed = "  " + "   ".join(word.upper() for word in receipt.codename.split(" ")) + "\n"
    assert sign_in(typed).mailbox_id == receipt.request.mailbox_id


@pytest.mark.parametrize("codename", [WRONG, "", "   ", "word " * 100])
def test_a_wrong_or_empty_codename_is_refused_without_an_audit_entry(codename: str) -> None:
    submit()
    with pytest.raises(SignInRefused, match="do not open a mailbox"):
        sign_in(codename)
    assert not audit_entries("mailbox.sign_in")


def test_a_mailbox_whose_key_does_not_match_is_refused() -> None:
    receipt = submit()
    Mailbox.objects.filter(pk=receipt.session.mailbox_id).update(public_key=bytes(32))
    with pytest.raises(SignInRefused):
        sign_in(receipt.codename)


def test_too_many_wrong_codenames_pause_every_sign_in(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PASSAGE_MAILBOX_FAILURES_PER_MINUTE = 3
    # The window is the clock's minute: hold the clock still, so the test cannot straddle two.
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    receipt = submit()
    for _ in range(3):
        with pytest.raises(SignInRefused):
            sign_in(WRONG)
    with pytest.raises(TooManyAttempts):
        sign_in(WRONG)
    # Global, not per guesser: the right codename waits too.
    with pytest.raises(TooManyAttempts):
        sign_in(receipt.codename)
    key = public._failures_key()
    assert 0 < memstore.call("ttl", key) <= 120  # type: ignore[operator]

    clock[0] += dt.timedelta(seconds=61)
    assert sign_in(receipt.codename).mailbox_id == receipt.request.mailbox_id


def test_right_codenames_do_not_count_as_failures(settings: Settings) -> None:
    settings.PASSAGE_MAILBOX_FAILURES_PER_MINUTE = 2
    receipt = submit()
    for _ in range(5):
        sign_in(receipt.codename)
    with pytest.raises(SignInRefused):
        sign_in(WRONG)
    assert sign_in(receipt.codename).mailbox_id == receipt.request.mailbox_id
