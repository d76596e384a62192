"""The retention job: it shreds exactly what the dry run listed, statistics from the plaintext
columns agree before and after, sealed boxes are emptied, and a second run does nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.cases.models import Case
from passage.cases.workflow import Stage
from passage.crypto import storage
from passage.crypto.models import DataKey, ShredRecord
from passage.intake.models import HelpRequest, RequestItem
from passage.intake.services import public, screening
from passage.retention import plan, services, tasks
from passage.retention.models import RetentionRun
from tests.cases.helpers import move
from tests.intake.support import story, submit
from tests.personas import sign_in_as
from tests.retention.support import MARKER, entries, statistics

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

LATER = dt.timedelta(days=8 * 366)


def _request(screener: User, state: str) -> HelpRequest:
    receipt = submit()
    public.story_submit(session=receipt.session, story=story(happened=MARKER), files=[])
    request = receipt.request
    if state == "declined":
        screening.request_read(request=request, actor=screener)
        screening.request_decline(
            request=request, actor=screener, reason=f"{MARKER} outside mandate", organisations=[]
        )
    elif state in {"spam", "hostile"}:
        screening.requests_mark_spam(requests=[request], actor=screener, hostile=state == "hostile")
    return HelpRequest.objects.get(pk=request.pk)


@pytest.fixture
def world(screener: User, caseworker: User, make_case: Callable[..., Case]) -> dict[str, Any]:
    declined = _request(screener, "declined")
    spam = _request(screener, "spam")
    hostile = _request(screener, "hostile")
    closed = move(make_case(MARKER + " closed"), caseworker, Stage.CLOSED)
    open_ = make_case(MARKER + " open")
    return {
        "declined": declined,
        "spam": spam,
        "hostile": hostile,
        "closed": closed,
        "open": open_,
    }


def test_the_job_shreds_exactly_what_the_dry_run_listed(world: dict[str, Any]) -> None:
    now = timezone.now() + LATER
    before = statistics()
    assert before["CaseTotal"] and before["StageRollup"]  # the report rollups count these cases
    listed = plan.plan(now)
    expected = {
        world["declined"].pk,
        world["spam"].pk,
        world["hostile"].pk,
        world["closed"].pk,
    }
    assert {d.object_id for d in listed.all_due()} == expected
    assert all(MARKER not in line for line in listed.lines())

    result = services.run(now=now, planned=plan.plan(now))

    assert [d.object_id for d in result.shredded] == [d.object_id for d in listed.all_due()]
    assert set(ShredRecord.objects.values_list("owner_id", flat=True)) >= expected
    assert statistics() == before
    # Nothing readable is left of them.
    for key in ("declined", "spam", "hostile"):
        tomb = HelpRequest.objects.get(pk=world[key].pk)
        assert bytes(tomb.sealed) == b""
        assert tomb.staff_note is None
        assert all(bytes(i.sealed) == b"" for i in RequestItem.objects.filter(request=tomb))
        assert not DataKey.objects.filter(owner_id=tomb.pk).exists()
    closed = Case.objects.get(pk=world["closed"].pk)
    assert closed.narrative is None and closed.stage == Stage.CLOSED
    assert not DataKey.objects.filter(owner_id=closed.pk).exists()
    person = closed.people.first()
    assert person is not None and person.chosen_name is None
    # The open case is untouched.
    assert Case.objects.get(pk=world["open"].pk).people.get().chosen_name == MARKER + " open"
    # Audited: one entry per record and a run entry with the counts.
    assert len(entries("retention.request_shredded")) == 3
    assert [e.object_id for e in entries("retention.case_shredded")] == [str(closed.pk)]
    run_entry = entries("retention.run")[-1]
    assert run_entry.object_id.startswith("requests:3.cases:1.unopened:0.keys_destroyed:0")
    assert RetentionRun.objects.get(pk=result.run_id).cases_shredded == 1

    # A second run at the same time finds nothing to shred.
    again = services.run(now=now)
    assert again.shredded == ()
    assert plan.plan(now).all_due() == []


def test_nothing_is_due_before_its_window(world: dict[str, Any]) -> None:
    soon = timezone.now() + dt.timedelta(days=89)
    assert plan.plan(soon).all_due() == []
    later = timezone.now() + dt.timedelta(days=91)
    due = {d.object_id for d in plan.plan(later).all_due()}
    assert due == {world["declined"].pk, world["spam"].pk, world["hostile"].pk}


def test_the_periodic_job_counts_and_is_idempotent(world: dict[str, Any]) -> None:
    now = timezone.now() + LATER
    # 4 records and a new intake key pair (the first one is older than a month by then).
    assert tasks.retention_run(now=now) == 5
    # The next run destroys the old pair's private key: nothing still needed is sealed to it.
    assert tasks.retention_run(now=now) == 1
    assert tasks.retention_run(now=now) == 0
    assert Case.objects.get(pk=world["closed"].pk).people.get().chosen_name is None


def test_dry_run_command_lists_ids_and_changes_nothing(world: dict[str, Any]) -> None:
    now = (timezone.now() + LATER).isoformat()
    out = io.StringIO()
    call_command("retention", "--dry-run", "--now", now, stdout=out)
    text = out.getvalue()
    assert MARKER not in text
    assert str(world["closed"].pk) in text and world["closed"].reference in text
    assert "4 record(s) would be shredded." in text
    assert not ShredRecord.objects.exists()

    out = io.StringIO()
    call_command("retention", "--now", now, stdout=out)
    assert "4 record(s) shredded" in out.getvalue()
    assert MARKER not in out.getvalue()


def test_bad_now_is_a_clear_error(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("retention", "--dry-run", "--now", "yesterday")


def test_sqlite_runs_with_secure_delete(db: None) -> None:
    """SQLite overwrites freed pages; PostgreSQL has no such setting (its disk is encrypted,
    docs/deploy.md), and the check says so instead of pretending."""
    from django.db import connection

    expected = {"sqlite": True, "postgresql": None}[connection.vendor]
    assert storage.secure_delete_on() is expected


def test_replaying_a_newer_ledger_empties_a_requests_sealed_boxes(screener: User) -> None:
    """After a restore of an older backup: the ledger names a request the database still holds
    readable; the replay destroys its key and the hook empties its sealed boxes."""
    from passage.crypto import shred

    request = _request(screener, "declined")
    assert DataKey.objects.filter(owner_id=request.pk).exists()
    entry = shred.LedgerEntry("intake.helprequest", request.pk, timezone.now())
    assert shred.merge_ledger([entry]) == 1
    assert shred.merge_ledger([entry]) == 0
    assert shred.replay_ledger() == 1
    tomb = HelpRequest.objects.get(pk=request.pk)
    assert bytes(tomb.sealed) == b"" and tomb.staff_note is None
    assert all(bytes(i.sealed) == b"" for i in RequestItem.objects.filter(request=tomb))
    assert not DataKey.objects.filter(owner_id=request.pk).exists()
    assert shred.replay_ledger() == 0


def test_every_shred_is_appended_to_the_ledger_file(
    screener: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from passage.crypto import shred

    request = _request(screener, "spam")
    with django_capture_on_commit_callbacks(execute=True):
        shred.shred(request)
    [entry] = shred.read_ledger_file(settings.PASSAGE_SHRED_LEDGER)
    assert entry.owner_id == request.pk and entry.owner_type == "intake.helprequest"


def test_a_shredded_request_leaves_the_screening_inbox_and_its_page_is_a_404(
    world: dict[str, Any], screener: User
) -> None:
    client = sign_in_as(screener)
    spam = world["spam"]
    assert client.get(reverse("screening:request", args=[spam.pk])).status_code == 200
    now = timezone.now() + LATER
    services.run(now=now, planned=plan.plan(now))
    assert client.get(reverse("screening:request", args=[spam.pk])).status_code == 404
    inbox = client.get(reverse("screening:inbox") + "?state=spam")
    assert inbox.status_code == 200
    assert str(spam.pk) not in inbox.content.decode()
