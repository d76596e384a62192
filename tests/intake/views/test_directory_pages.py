"""The referral directory pages under /staff/referrals/: the list flags entries unchecked for six
months, entries are added and changed through the form, "checked today" re-dates one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.intake.models import ReferralOrganisation
from passage.intake.services import directory
from tests.cases.views.support import token_in
from tests.intake.support import audit_entries, make_screener
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db

LIST = "/staff/referrals/"
STALE_TAG = '<span class="tag tag--amber">'


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


@pytest.fixture
def console(screener: User) -> Client:
    return sign_in_as(screener)


def add(actor: User, name: str, days_ago: int) -> ReferralOrganisation:
    return directory.referral_save(
        actor=actor,
        country="TR",
        kinds=["shelter"],
        name=name,
        contact="+90 000",
        last_checked=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def test_the_list_flags_entries_unchecked_for_six_months(console: Client, screener: User) -> None:
    add(screener, "Fresh Shelter", 10)
    add(screener, "Stale Shelter", 200)
    content = console.get(LIST).content.decode()
    assert "Fresh Shelter" in content and "Stale Shelter" in content
    assert content.count(STALE_TAG) == 1
    stale_row = content[content.index("Stale Shelter") :]
    assert stale_row.index(STALE_TAG) < stale_row.index("</tr>")


def test_an_entry_is_added_through_the_form(console: Client) -> None:
    new = reverse("screening:directory-new")
    token = token_in(console.get(new).content.decode())
    response = console.post(
        new,
        {
            "csrfmiddlewaretoken": token,
            "country": "AM",
            "kinds": ["legal", "hotline"],
            "name": "Yerevan Legal Line",
            "contact": "https://example.am",
            "notes": "",
            "last_checked": timezone.localdate().isoformat(),
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    stored = ReferralOrganisation.objects.get()
    assert (stored.country, stored.kinds, stored.name) == (
        "AM",
        ["hotline", "legal"],
        "Yerevan Legal Line",
    )


def test_a_date_in_the_future_answers_400(console: Client) -> None:
    new = reverse("screening:directory-new")
    token = token_in(console.get(new).content.decode())
    response = console.post(
        new,
        {
            "csrfmiddlewaretoken": token,
            "country": "AM",
            "kinds": ["legal"],
            "name": "Somewhere",
            "contact": "x",
            "last_checked": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not ReferralOrganisation.objects.exists()


def test_an_entry_is_changed_through_the_form(console: Client, screener: User) -> None:
    row = add(screener, "Old Name", 5)
    edit = reverse("screening:directory-edit", kwargs={"organisation_id": row.pk})
    page = console.get(edit).content.decode()
    assert 'value="Old Name"' in page
    response = console.post(
        edit,
        {
            "csrfmiddlewaretoken": token_in(page),
            "country": "TR",
            "kinds": ["shelter"],
            "name": "New Name",
            "contact": "+90 000",
            "last_checked": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    stored = ReferralOrganisation.objects.get(pk=row.pk)
    assert (stored.name, stored.is_active) == ("New Name", False)
    assert audit_entries("referral.change", row.pk)


def test_checked_today_re_dates_the_entry(console: Client, screener: User) -> None:
    row = add(screener, "Stale Shelter", 200)
    token = token_in(console.get(LIST).content.decode())
    url = reverse("screening:directory-checked", kwargs={"organisation_id": row.pk})
    response = console.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ReferralOrganisation.objects.get(pk=row.pk).last_checked == timezone.localdate()
    assert STALE_TAG not in console.get(LIST).content.decode()


@pytest.mark.parametrize("persona", ["caseworker", "auditor", "partner_user"])
def test_others_get_404(request: pytest.FixtureRequest, persona: str, screener: User) -> None:
    row = add(screener, "Somewhere", 1)
    client = sign_in_as(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 404
    assert client.get(reverse("screening:directory-new")).status_code == 404
    assert (
        client.get(
            reverse("screening:directory-edit", kwargs={"organisation_id": row.pk})
        ).status_code
        == 404
    )
