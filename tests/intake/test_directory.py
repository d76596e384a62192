"""services.directory: the referral directory (vetted organisations per country and kind of help,
names and contacts encrypted), and its read in queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from passage.accounts.models import Desk, User
from passage.intake import queries
from passage.intake.exceptions import ActionRefused, InvalidInput
from passage.intake.models import ReferralOrganisation
from passage.intake.services import directory
from tests.intake.support import audit_entries, make_screener, raw_value

pytestmark = pytest.mark.django_db

NAME = "Safe Harbour Legal Aid"
CONTACT = "signal: +33 6 00 00 00 00"


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


def save(actor: User, **kwargs: object) -> ReferralOrganisation:
    values: dict[str, object] = {
        "country": "fr",
        "kinds": ["legal", "asylum", "legal"],
        "name": f"  {NAME} ",
        "contact": CONTACT,
        "notes": " ask for Marie ",
    }
    values.update(kwargs)
    return directory.referral_save(actor=actor, **values)  # type: ignore[arg-type]


def test_an_organisation_is_added_encrypted_and_audited(screener: User) -> None:
    row = save(screener)
    stored = ReferralOrganisation.objects.get(pk=row.pk)
    assert (stored.country, stored.kinds, stored.name, stored.contact) == (
        "FR",
        ["asylum", "legal"],
        NAME,
        CONTACT,
    )
    assert stored.details == {"notes": "ask for Marie"}
    assert stored.last_checked == timezone.localdate()
    assert stored.is_active
    for column, secret in (("name", NAME), ("contact", CONTACT), ("details", "Marie")):
        raw = raw_value("intake_referralorganisation", column, row.pk)
        assert isinstance(raw, bytes) and secret.encode() not in raw
    [entry] = audit_entries("referral.add", row.pk)
    assert entry.actor == f"user:{screener.pk}"


def test_an_organisation_is_changed(screener: User) -> None:
    row = save(screener)
    directory.referral_save(
        actor=screener,
        organisation=row,
        country="ES",
        kinds=["shelter"],
        name="New name",
        contact="new contact",
        is_active=False,
        last_checked=dt.date(2024, 1, 2),
    )
    stored = ReferralOrganisation.objects.get(pk=row.pk)
    assert (stored.country, stored.kinds, stored.name, stored.is_active) == (
        "ES",
        ["shelter"],
        "New name",
        False,
    )
    assert stored.last_checked == dt.date(2024, 1, 2)
    assert ReferralOrganisation.objects.count() == 1
    assert audit_entries("referral.change", row.pk)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"country": "XX"}, "country"),
        ({"country": ""}, "country"),
        ({"kinds": []}, "kind of help"),
        ({"kinds": ["legal", "money"]}, "kind of help"),
        ({"name": "  "}, "name"),
        ({"contact": ""}, "reach it"),
        ({"last_checked": timezone.localdate() + dt.timedelta(days=1)}, "future"),
    ],
)
def test_bad_entries_are_refused(screener: User, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        save(screener, **kwargs)
    assert not ReferralOrganisation.objects.exists()


@pytest.mark.parametrize("persona", ["caseworker", "auditor", "partner_user"])
def test_only_screeners_and_admins_keep_the_directory(
    request: pytest.FixtureRequest, persona: str
) -> None:
    with pytest.raises(ActionRefused):
        save(request.getfixturevalue(persona))
    assert not ReferralOrganisation.objects.exists()


def test_admins_keep_it_too(admin: User) -> None:
    assert save(admin).pk


def test_marking_checked_dates_it_today_and_unflags_it(screener: User) -> None:
    row = save(screener, last_checked=timezone.localdate() - dt.timedelta(days=200))
    assert ReferralOrganisation.objects.get(pk=row.pk).is_stale()
    directory.referral_mark_checked(actor=screener, organisation=row)
    stored = ReferralOrganisation.objects.get(pk=row.pk)
    assert stored.last_checked == timezone.localdate()
    assert not stored.is_stale()
    assert audit_entries("referral.checked", row.pk)


def test_marking_checked_needs_the_permission(screener: User, caseworker: User) -> None:
    old = timezone.localdate() - dt.timedelta(days=10)
    row = save(screener, last_checked=old)
    with pytest.raises(ActionRefused):
        directory.referral_mark_checked(actor=caseworker, organisation=row)
    assert ReferralOrganisation.objects.get(pk=row.pk).last_checked == old


def test_entries_unchecked_for_six_months_are_stale(screener: User) -> None:
    today = timezone.localdate()
    row = save(screener, last_checked=today - dt.timedelta(days=183))
    assert not row.is_stale(today)
    assert row.is_stale(today + dt.timedelta(days=1))


def test_the_directory_read_filters_by_country_kind_and_use(screener: User) -> None:
    legal_fr = save(screener, country="FR", kinds=["legal"])
    shelter_fr = save(screener, country="FR", kinds=["shelter"])
    retired = save(screener, country="FR", kinds=["legal"], is_active=False)
    legal_es = save(screener, country="ES", kinds=["legal"])
    assert {r.pk for r in queries.referral_directory(country="fr")} == {legal_fr.pk, shelter_fr.pk}
    assert {r.pk for r in queries.referral_directory(kind="legal")} == {legal_fr.pk, legal_es.pk}
    everything = queries.referral_directory(active_only=False)
    assert retired.pk in {r.pk for r in everything}
    assert {r.pk for r in queries.referrals_by_ids([str(retired.pk), str(legal_es.pk), "x"])} == {
        legal_es.pk
    }
    assert queries.referral_for("not-a-uuid") is None
    assert queries.referral_for(str(legal_fr.pk)) == legal_fr
