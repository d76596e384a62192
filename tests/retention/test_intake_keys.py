"""Sealed requests never opened are shredded by destroying old intake private keys: monthly
pairs, a private key destroyed once no unopened request sealed to it is younger than the window;
what is still needed under it is moved to the newest key first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from passage.accounts.models import User
from passage.crypto.keyring import keyring
from passage.intake.models import HelpRequest, RequestItem
from passage.intake.services import public, screening
from passage.retention import plan, services
from tests.intake.support import story, submit
from tests.retention.support import MARKER, entries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


def test_rotation_then_destruction(isolated_keys: Path, screener: User) -> None:
    first_key = keyring.intake_pairs()[-1].key_id
    unopened = submit()
    public.story_submit(session=unopened.session, story=story(happened=MARKER), files=[])
    opened = submit()
    public.story_submit(session=opened.session, story=story(happened=MARKER), files=[])
    screening.request_read(request=opened.request, actor=screener)

    # A month on: a new pair; the old key is kept (its unopened request is young).
    month = timezone.now() + dt.timedelta(days=31)
    todo = plan.plan(month)
    assert todo.rotate_intake_key and todo.key_destructions == []
    result = services.run(now=month)
    assert result.key_created is not None and result.keys_destroyed == ()
    assert keyring.intake_pairs()[-1].key_id == result.key_created
    assert not plan.plan(month).rotate_intake_key

    # Past the window: the unopened request goes with the old key; the opened one moves.
    later = timezone.now() + dt.timedelta(days=95)
    todo = plan.plan(later)
    [destruction] = todo.key_destructions
    assert destruction.key_id == first_key
    assert [d.object_id for d in destruction.unopened] == [unopened.request.pk]
    assert destruction.reseal == 2  # the opened request's first step and its story
    assert all(MARKER not in line for line in todo.lines())
    result = services.run(now=later, planned=todo)
    assert result.keys_destroyed == (first_key,)
    assert result.resealed == 2
    assert not (isolated_keys / "intake" / f"{first_key}.secret").exists()
    assert (isolated_keys / "intake" / f"{first_key}.public").exists()

    gone = HelpRequest.objects.get(pk=unopened.request.pk)
    assert bytes(gone.sealed) == b""
    assert all(bytes(i.sealed) == b"" for i in RequestItem.objects.filter(request=gone))
    kept = HelpRequest.objects.get(pk=opened.request.pk)
    assert kept.intake_key_id != first_key
    read = screening.request_read(request=kept, actor=screener)
    assert read.first["country"] == "RU"
    assert any(MARKER in str(item.content) for item in read.items)
    assert [e.object_id for e in entries("retention.intake_key_destroyed")] == [first_key]
    counts = entries("retention.run")[-1].object_id
    assert counts.endswith("unopened:1.keys_destroyed:1.keys_created:1")


def test_a_young_unopened_request_keeps_its_key(isolated_keys: Path) -> None:
    submit()
    services.run(now=timezone.now() + dt.timedelta(days=31))
    # An item sent later under the old key's request still counts as young.
    assert plan.plan(timezone.now() + dt.timedelta(days=60)).key_destructions == []
