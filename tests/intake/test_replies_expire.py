"""services.public.replies_expire: the person's sealed copy of replies older than 30 days is
dropped (staff keep theirs); one system audit entry per run that dropped something."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import Desk
from passage.intake.models import StaffReply
from passage.intake.services import public, screening
from tests.intake.support import audit_entries, make_screener, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


def test_old_sealed_copies_are_dropped_and_recent_ones_kept(desk_north: Desk) -> None:
    screener = make_screener(desk_north)
    receipt = submit()
    old = screening.request_reply(request=receipt.request, actor=screener, body="old")
    recent = screening.request_reply(request=receipt.request, actor=screener, body="recent")
    now = timezone.now()
    StaffReply.objects.filter(pk=old.pk).update(sent_at=now - dt.timedelta(days=31))
    StaffReply.objects.filter(pk=recent.pk).update(sent_at=now - dt.timedelta(days=29))

    assert public.replies_expire(now=now) == 1

    dropped, kept = StaffReply.objects.get(pk=old.pk), StaffReply.objects.get(pk=recent.pk)
    assert dropped.for_person is None
    assert dropped.body == "old"
    assert kept.for_person is not None
    [entry] = audit_entries("mailbox.replies_expire")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        "system",
        "job",
        "intake.replies_expire",
    )


def test_nothing_to_drop_writes_no_audit_entry(desk_north: Desk) -> None:
    screener = make_screener(desk_north)
    receipt = submit()
    screening.request_reply(request=receipt.request, actor=screener, body="recent")
    assert public.replies_expire() == 0
    assert not audit_entries("mailbox.replies_expire")


def test_a_later_run_drops_what_has_aged_since(desk_north: Desk) -> None:
    screener = make_screener(desk_north)
    receipt = submit()
    reply = screening.request_reply(request=receipt.request, actor=screener, body="ages")
    assert public.replies_expire() == 0
    assert public.replies_expire(now=timezone.now() + dt.timedelta(days=31)) == 1
    assert StaffReply.objects.get(pk=reply.pk).for_person is None
    # Already dropped copies are not counted again.
    assert public.replies_expire(now=timezone.now() + dt.timedelta(days=32)) == 0
