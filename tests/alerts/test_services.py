"""Raising, acknowledging and resolving alerts: each audited, no free text possible."""

from __future__ import annotations

import pytest

from passage.accounts.models import Desk, User
from passage.accounts.roles import Role
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.alerts.services import AlertError, alert_acknowledge, alert_raise, alert_resolve
from passage.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def raise_for_admins(actor: User | str = "system") -> Alert:
    return alert_raise(
        code=kinds.BREAK_GLASS,
        severity=Alert.Severity.WARNING,
        target_role=Role.ADMIN,
        case_reference="PSG-2026-000123",
        object_type="case",
        object_id="4b0c0f5e-7a53-4f6e-9f0e-4a86d3a1c001",
        actor=actor,
    )


def test_raising_is_audited_and_renders_the_message_from_the_code(caseworker: User) -> None:
    alert = raise_for_admins(caseworker)

    assert alert.status == Alert.Status.NEW
    assert "PSG-2026-000123" in alert.message
    assert "Break-glass" in alert.message
    entry = AuditEntry.objects.get(action="alert.raised")
    assert entry.object_id == str(alert.pk)
    assert entry.actor == f"user:{caseworker.pk}"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"code": "free text about Ivan"}, "unknown alert code"),
        ({"severity": "panic"}, "unknown severity"),
        ({"case_reference": "Ivan Petrov"}, "never a name"),
        ({"target_role": None}, "needs a target"),
        ({"target_role": "emperor"}, "unknown role"),
        ({"details": ("ivan",)}, "not registered"),
    ],
)
def test_an_alert_cannot_carry_free_text_or_lack_a_target(
    changes: dict[str, object], problem: str
) -> None:
    arguments: dict[str, object] = {
        "code": kinds.UNUSUAL_READING,
        "severity": Alert.Severity.WARNING,
        "target_role": Role.ADMIN,
        "actor": "system",
    }
    arguments.update(changes)
    with pytest.raises(AlertError, match=problem):
        alert_raise(**arguments)  # type: ignore[arg-type]
    assert not Alert.objects.exists()
    assert not AuditEntry.objects.filter(action="alert.raised").exists()


def test_acknowledge_then_resolve_records_who_and_when(admin: User) -> None:
    alert = raise_for_admins()

    assert alert_acknowledge(alert=alert, actor=admin) is True
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert alert.acknowledged_by == admin and alert.acknowledged_at is not None
    assert alert_acknowledge(alert=alert, actor=admin) is False  # not new any more

    assert alert_resolve(alert=alert, actor=admin) is True
    assert alert.status == Alert.Status.RESOLVED
    assert alert.resolved_by == admin and alert.resolved_at is not None
    assert alert_resolve(alert=alert, actor=admin) is False

    actions = list(
        AuditEntry.objects.filter(object_id=str(alert.pk))
        .order_by("sequence")
        .values_list("action", "actor")
    )
    assert actions == [
        ("alert.raised", "system"),
        ("alert.acknowledged", f"user:{admin.pk}"),
        ("alert.resolved", f"user:{admin.pk}"),
    ]


def test_resolving_a_new_alert_acknowledges_it_too(admin: User, desk_north: Desk) -> None:
    alert = alert_raise(
        code=kinds.BREAK_GLASS,
        severity=Alert.Severity.CRITICAL,
        target_desk=desk_north,
        actor="system",
    )
    assert alert_resolve(alert=alert, actor=admin) is True
    assert alert.acknowledged_by == admin
    assert alert.status == Alert.Status.RESOLVED
