"""Pathway programmes: created and changed by logistics and desk leads (``PATHWAYS_MANAGE``).

A programme belongs to no case; its name is encrypted under its own data key. A quota can be
lowered, but never below the places already taken (counted under the programme's row lock).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases.exceptions import InvalidInput
from passage.pathways.models import Programme
from passage.pathways.services.common import lock_programme, places_used, require, text


def _checked(kind: str, name: str, quota: int | None) -> str:
    if kind not in Programme.Kind.values:
        raise InvalidInput(_("Choose the kind of programme."))
    if quota is not None and quota < 0:
        raise InvalidInput(_("A quota cannot be negative."))
    return text(name, required=_("Give the programme a name."), limit=200)


def _record(actor: User, action: str, programme: Programme, request_id: str | None) -> None:
    audit.record(
        actor=audit.actor_for("user", actor.pk),
        action=action,
        object_type="pathways.programme",
        object_id=str(programme.pk),
        request_id=request_id,
    )


def programme_create(
    *,
    actor: User,
    kind: str,
    name: str,
    partner: PartnerOrganisation | None = None,
    quota: int | None = None,
    request_id: str | None = None,
) -> Programme:
    require(actor, Perm.PATHWAYS_MANAGE)
    name = _checked(kind, name, quota)
    with audit.atomic():
        programme = Programme.objects.create(kind=kind, name=name, partner=partner, quota=quota)
        _record(actor, "pathways.programme_created", programme, request_id)
    return programme


def programme_change(
    *,
    programme: Programme,
    actor: User,
    kind: str,
    name: str,
    partner: PartnerOrganisation | None,
    quota: int | None,
    is_active: bool,
    request_id: str | None = None,
) -> Programme:
    require(actor, Perm.PATHWAYS_MANAGE)
    name = _checked(kind, name, quota)
    with audit.atomic():
        locked = lock_programme(programme)
        used = places_used(locked)
        if quota is not None and quota < used:
            raise InvalidInput(
                _("%(used)s places are already taken: the quota cannot be lower than that.")
                % {"used": used}
            )
        locked.kind = kind
        locked.name = name
        locked.partner = partner
        locked.quota = quota
        locked.is_active = is_active
        locked.save(update_fields=["kind", "name", "partner", "quota", "is_active"])
        _record(actor, "pathways.programme_changed", locked, request_id)
    return locked
