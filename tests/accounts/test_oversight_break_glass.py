"""Break-glass: accounts' service (grant, audit) and the alerts orchestrator (alert for admins)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from passage.accounts.models import AccessGrant, Desk, User
from passage.accounts.roles import Role
from passage.accounts.services.break_glass import BreakGlassRefused, break_glass_open
from passage.accounts.visibility import Access, case_access
from passage.alerts import kinds
from passage.alerts import services as alerts
from passage.alerts.models import Alert
from passage.alerts.queries import alerts_for
from passage.audit.models import AuditEntry
from tests.personas import make_staff

pytestmark = pytest.mark.django_db

CASE = uuid.UUID("0d5e7c52-3f0a-4a8e-9b59-2b7c4a2f1e01")
REASON = "Duplicate referral check requested by the South desk lead"


def test_break_glass_grants_one_hour_and_is_audited(colleague: User, desk_north: Desk) -> None:
    before = timezone.now()
    grant = break_glass_open(
        user=colleague, case_id=CASE, desk_id=desk_north.id, reason=REASON, request_id="req-1"
    )
    assert grant.user == colleague and grant.object_id == CASE and grant.desk == desk_north
    assert dt.timedelta(minutes=59) < grant.expires_at - before <= dt.timedelta(hours=1, seconds=5)
    entry = AuditEntry.objects.get(action="access.break_glass_opened")
    assert (entry.actor, entry.object_type, entry.object_id, entry.request_id) == (
        f"user:{colleague.pk}",
        "case",
        str(CASE),
        "req-1",
    )
    assert case_access(colleague, case_id=CASE, desk_id=desk_north.id) is Access.BREAK_GLASS


def test_the_reason_is_encrypted_at_rest(colleague: User, desk_north: Desk) -> None:
    grant = break_glass_open(user=colleague, case_id=CASE, desk_id=desk_north.id, reason=REASON)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM accounts_accessgrant WHERE id = %s", [grant.pk.hex])
        row = cursor.fetchone()
        if row is None:  # PostgreSQL stores UUIDs natively
            cursor.execute("SELECT reason FROM accounts_accessgrant WHERE id = %s", [grant.pk])
            row = cursor.fetchone()
    assert row is not None
    assert "Duplicate" not in str(row[0])
    assert AccessGrant.objects.get(pk=grant.pk).reason == REASON


def test_the_grant_expires_after_the_hour(colleague: User, desk_north: Desk) -> None:
    grant = break_glass_open(user=colleague, case_id=CASE, desk_id=desk_north.id, reason=REASON)
    AccessGrant.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert case_access(colleague, case_id=CASE, desk_id=desk_north.id) is Access.NONE


@override_settings(PASSAGE_BREAK_GLASS_SECONDS=600)
def test_the_duration_is_configurable(colleague: User, desk_north: Desk) -> None:
    grant = break_glass_open(user=colleague, case_id=CASE, desk_id=desk_north.id, reason=REASON)
    assert grant.expires_at - grant.granted_at == dt.timedelta(seconds=600)


@pytest.mark.parametrize("reason", ["", "   ", "just looking", " short reason  "])
def test_a_reason_of_15_characters_is_required(
    colleague: User, desk_north: Desk, reason: str
) -> None:
    with pytest.raises(BreakGlassRefused, match="at least 15 characters"):
        break_glass_open(user=colleague, case_id=CASE, desk_id=desk_north.id, reason=reason)
    assert not AccessGrant.objects.exists()
    assert not AuditEntry.objects.filter(action="access.break_glass_opened").exists()


def test_members_of_the_desk_need_no_break_glass(caseworker: User, desk_north: Desk) -> None:
    with pytest.raises(BreakGlassRefused, match="on your desk"):
        break_glass_open(user=caseworker, case_id=CASE, desk_id=desk_north.id, reason=REASON)


def test_roles_without_the_permission_are_refused(
    admin: User, auditor: User, partner_user: User, desk_north: Desk
) -> None:
    screener = make_staff("screener", Role.SCREENER)
    for user in (admin, auditor, partner_user, screener):
        with pytest.raises(BreakGlassRefused, match="may not"):
            break_glass_open(user=user, case_id=CASE, desk_id=desk_north.id, reason=REASON)
    assert not AccessGrant.objects.exists()


def test_the_orchestrator_raises_a_warning_for_admins(
    colleague: User, admin: User, caseworker: User, desk_north: Desk
) -> None:
    alerts.break_glass_open(
        user=colleague,
        case_id=CASE,
        desk_id=desk_north.id,
        reason=REASON,
        case_reference="PSG-2026-000123",
    )
    alert = Alert.objects.get()
    assert (alert.code, alert.severity, alert.target_role) == (
        kinds.BREAK_GLASS,
        Alert.Severity.WARNING,
        Role.ADMIN,
    )
    assert (alert.object_type, alert.object_id) == ("case", str(CASE))
    assert list(alerts_for(admin)) == [alert]
    assert list(alerts_for(caseworker)) == []
    assert "PSG-2026-000123" in alert.message
    assert REASON not in alert.message
    raised = AuditEntry.objects.get(action="alert.raised")
    opened = AuditEntry.objects.get(action="access.break_glass_opened")
    assert raised.sequence == opened.sequence + 1  # one transaction


def test_a_refused_break_glass_raises_no_alert(caseworker: User, desk_north: Desk) -> None:
    with pytest.raises(BreakGlassRefused):
        alerts.break_glass_open(user=caseworker, case_id=CASE, desk_id=desk_north.id, reason=REASON)
    assert not Alert.objects.exists()
