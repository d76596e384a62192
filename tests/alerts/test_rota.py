"""The on-call rota: shifts per desk kept by its lead and admins, the page listing now and the
next 14 days, and the rota lookup that decides who is pushed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.alerts import push, rota
from passage.alerts.models import OnCallShift
from passage.audit.models import AuditEntry
from tests.alerts.helpers import T0, page_token

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]
HOUR = dt.timedelta(hours=1)


def test_the_lead_and_admins_keep_the_rota_of_the_desk(
    caseworker: User, colleague: User, desk_lead: User, admin: User, desk_north: Desk
) -> None:
    shift = rota.shift_add(
        desk=desk_north,
        user=caseworker,
        starts_at=T0,
        ends_at=T0 + 8 * HOUR,
        actor=desk_lead,
        now=T0,
    )
    rota.shift_add(
        desk=desk_north, user=desk_lead, starts_at=T0, ends_at=T0 + HOUR, actor=admin, now=T0
    )
    assert AuditEntry.objects.filter(action="oncall.shift_added", object_id=str(shift.pk))
    refusals = [
        (caseworker, T0, T0 + HOUR, caseworker),  # not the lead
        (colleague, T0, T0 + HOUR, desk_lead),  # not of the desk
        (caseworker, T0, T0 - HOUR, desk_lead),  # ends before it starts
        (caseworker, T0, T0 + 15 * 24 * HOUR, desk_lead),  # longer than 14 days
        (caseworker, T0 - 3 * HOUR, T0 - HOUR, desk_lead),  # over already
    ]
    for user, starts, ends, actor in refusals:
        with pytest.raises(rota.RotaRefused):
            rota.shift_add(
                desk=desk_north, user=user, starts_at=starts, ends_at=ends, actor=actor, now=T0
            )
    assert OnCallShift.objects.count() == 2
    with pytest.raises(rota.RotaRefused):
        rota.shift_remove(shift=shift, actor=colleague)
    rota.shift_remove(shift=shift, actor=desk_lead)
    assert OnCallShift.objects.count() == 1


def test_who_is_on_call_follows_the_shift_times(caseworker: User, desk_north: Desk) -> None:
    OnCallShift.objects.create(
        desk=desk_north, user=caseworker, starts_at=T0, ends_at=T0 + 8 * HOUR
    )
    assert push.on_call(desk_north.pk, T0 - dt.timedelta(seconds=1)) == []
    assert push.on_call(desk_north.pk, T0) == [caseworker]
    assert push.on_call(desk_north.pk, T0 + 8 * HOUR - dt.timedelta(seconds=1)) == [caseworker]
    assert push.on_call(desk_north.pk, T0 + 8 * HOUR) == []  # the end is exclusive
    caseworker.is_active = False
    caseworker.save()
    assert push.on_call(desk_north.pk, T0 + HOUR) == []  # suspended: not told


def test_the_page_shows_now_and_the_next_14_days(
    signed_in: SignedIn, caseworker: User, desk_lead: User, desk_north: Desk, desk_south: Desk
) -> None:
    now = timezone.now()
    OnCallShift.objects.create(
        desk=desk_north, user=caseworker, starts_at=now - HOUR, ends_at=now + HOUR
    )
    OnCallShift.objects.create(
        desk=desk_north, user=desk_lead, starts_at=now + 3 * 24 * HOUR, ends_at=now + 4 * 24 * HOUR
    )
    OnCallShift.objects.create(
        desk=desk_north,
        user=desk_lead,
        starts_at=now + 20 * 24 * HOUR,
        ends_at=now + 21 * 24 * HOUR,
    )
    html = signed_in(caseworker).get("/staff/alerts/on-call/").content.decode()
    assert "On call now" in html and "<strong>caseworker</strong>" in html
    assert html.count("<td>lead</td>") == 1  # in 3 days: shown; in 20 days: not
    assert desk_south.name not in html  # not their desk
    assert "Add a shift" not in html and "Remove" not in html  # a caseworker only reads it
    lead_page = signed_in(desk_lead).get("/staff/alerts/on-call/").content.decode()
    assert "Add a shift to North Caucasus" in lead_page and "Remove" in lead_page


def test_nobody_on_call_says_so(signed_in: SignedIn, caseworker: User, desk_north: Desk) -> None:
    html = signed_in(caseworker).get("/staff/alerts/on-call/").content.decode()
    assert "Nobody is on call." in html


def test_adding_a_shift_through_the_page(
    signed_in: SignedIn, caseworker: User, desk_lead: User, desk_north: Desk, desk_south: Desk
) -> None:
    client = signed_in(desk_lead)
    url = f"/staff/alerts/on-call/{desk_north.pk}/shifts/new/"
    token = page_token(client, url)
    start = (timezone.now() + HOUR).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.now() + 9 * HOUR).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        url,
        {"csrfmiddlewaretoken": token, "user": caseworker.pk, "starts_at": end, "ends_at": start},
    )
    assert bad.status_code == 400
    assert "The shift must end after it starts." in bad.content.decode()
    garbage = client.post(
        url, {"csrfmiddlewaretoken": token, "user": "nobody", "starts_at": "x", "ends_at": ""}
    )
    assert garbage.status_code == 400
    good = client.post(
        url,
        {"csrfmiddlewaretoken": token, "user": caseworker.pk, "starts_at": start, "ends_at": end},
    )
    assert good.status_code == 302
    shift = OnCallShift.objects.get()
    assert (shift.desk, shift.user, shift.created_by) == (desk_north, caseworker, desk_lead)

    # Another desk's rota: 404, to the page and to its POST.
    south = f"/staff/alerts/on-call/{desk_south.pk}/shifts/new/"
    assert client.get(south).status_code == 404
    assert client.post(south, {"csrfmiddlewaretoken": token}).status_code == 404

    removed = client.post(
        f"/staff/alerts/on-call/shifts/{shift.pk}/remove/", {"csrfmiddlewaretoken": token}
    )
    assert removed.status_code == 302
    assert not OnCallShift.objects.exists()


def test_a_caseworker_cannot_remove_a_shift(
    signed_in: SignedIn, caseworker: User, desk_north: Desk
) -> None:
    shift = OnCallShift.objects.create(
        desk=desk_north, user=caseworker, starts_at=T0, ends_at=T0 + HOUR
    )
    client = signed_in(caseworker)
    token = page_token(client, "/staff/alerts/on-call/")
    url = f"/staff/alerts/on-call/shifts/{shift.pk}/remove/"
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 404
    assert OnCallShift.objects.exists()
