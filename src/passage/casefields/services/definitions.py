"""Admins define fields and checklist items: add, change, move up or down, retire, reinstate.

A definition is configuration, so its label and choices are plain; each change writes an
audit entry (``casefield.<what>``, object ``field_definition``). A definition is never
deleted: retiring it hides it from forms, while the values recorded under it stay readable
(on the case and in its export). Section and kind are fixed once created, since values
already recorded were written for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.casefields.models import FieldDefinition, Kind, Section
from passage.cases.exceptions import InvalidInput, NotAllowed

MAX_LABEL = 120
MAX_HELP = 300
MAX_CHOICE = 80
MAX_CHOICES = 50


def _require(actor: User) -> None:
    if not actor.may(Perm.FIELDS_MANAGE):
        raise NotAllowed(_("Your role does not allow defining fields."))


def _record(actor: User, action: str, definition: FieldDefinition, request_id: str | None) -> None:
    audit.record(
        actor=audit.actor_for("user", actor.pk),
        action=f"casefield.{action}",
        object_type="field_definition",
        object_id=str(definition.pk),
        request_id=request_id,
    )


def _clean_choices(kind: str, choices: Sequence[str]) -> list[str]:
    if kind != Kind.CHOICE:
        return []
    seen: list[str] = []
    for choice in choices:
        text = " ".join(str(choice).split())
        if not text or text.casefold() in {c.casefold() for c in seen}:
            continue
        if len(text) > MAX_CHOICE:
            raise InvalidInput(_("A choice is at most 80 characters long."))
        seen.append(text)
    if len(seen) < 2:
        raise InvalidInput(_("A choice list needs at least two different choices."))
    if len(seen) > MAX_CHOICES:
        raise InvalidInput(_("A choice list has at most 50 choices."))
    return seen


def _clean_text(label: str, help_text: str) -> tuple[str, str]:
    label = " ".join(label.split())
    help_text = " ".join(help_text.split())
    if not label:
        raise InvalidInput(_("Give the field a label."))
    if len(label) > MAX_LABEL:
        raise InvalidInput(_("A label is at most 120 characters long."))
    if len(help_text) > MAX_HELP:
        raise InvalidInput(_("The help text is at most 300 characters long."))
    return label, help_text


def definition_create(
    *,
    actor: User,
    section: str,
    kind: str,
    label: str,
    help_text: str = "",
    choices: Sequence[str] = (),
    required: bool = False,
    desk: Desk | None = None,
    request_id: str | None = None,
) -> FieldDefinition:
    """Add a field (or a checklist item, ``Kind.CHECK``) at the end of its section."""
    _require(actor)
    if section not in Section.values:
        raise InvalidInput(_("Choose a section."))
    if kind not in Kind.values:
        raise InvalidInput(_("Choose a kind of field."))
    label, help_text = _clean_text(label, help_text)
    clean_choices = _clean_choices(kind, choices)
    with audit.atomic():
        last = FieldDefinition.objects.filter(section=section).aggregate(m=Max("order"))["m"]
        definition = FieldDefinition.objects.create(
            section=section,
            kind=kind,
            label=label,
            help_text=help_text,
            choices=clean_choices,
            # A checklist item is ticked or not; "required" would mean nothing for it.
            required=required and kind != Kind.CHECK,
            desk=desk,
            order=(last or 0) + 1,
        )
        _record(actor, "created", definition, request_id)
    return definition


def definition_change(
    *,
    definition: FieldDefinition,
    actor: User,
    label: str,
    help_text: str = "",
    choices: Sequence[str] = (),
    required: bool = False,
    desk: Desk | None = None,
    request_id: str | None = None,
) -> bool:
    """Change label, help, choices, required and desk (not section or kind); False if nothing
    changed. Values recorded under a choice that is no longer offered stay as they are."""
    _require(actor)
    label, help_text = _clean_text(label, help_text)
    clean_choices = _clean_choices(definition.kind, choices)
    required = required and definition.kind != Kind.CHECK
    with audit.atomic():
        locked = FieldDefinition.objects.select_for_update().get(pk=definition.pk)
        new = {
            "label": label,
            "help_text": help_text,
            "choices": clean_choices,
            "required": required,
            "desk_id": desk.pk if desk else None,
        }
        if all(getattr(locked, name) == value for name, value in new.items()):
            return False
        for name, value in new.items():
            setattr(locked, name, value)
        locked.changed_at = timezone.now()
        locked.save()
        _record(actor, "changed", locked, request_id)
    return True


def definition_move(
    *,
    definition: FieldDefinition,
    direction: str,
    actor: User,
    request_id: str | None = None,
) -> bool:
    """Swap the definition with its neighbour among the active ones of its section ("up" or
    "down"); False when it is first or last already."""
    _require(actor)
    if direction not in {"up", "down"}:
        raise InvalidInput(_("Move a field up or down."))
    with audit.atomic():
        rows = list(
            FieldDefinition.objects.select_for_update()
            .filter(section=definition.section, active=True)
            .order_by("order", "created_at")
        )
        ids = [row.pk for row in rows]
        if definition.pk not in ids:
            raise InvalidInput(_("Only fields in use can be moved."))
        at = ids.index(definition.pk)
        other = at - 1 if direction == "up" else at + 1
        if not 0 <= other < len(rows):
            return False
        rows[at], rows[other] = rows[other], rows[at]
        # Renumber the section's active fields 1..n: orders stay distinct whatever came before.
        for position, row in enumerate(rows, start=1):
            if row.order != position:
                row.order = position
                row.save(update_fields=["order"])
        _record(actor, "moved", definition, request_id)
    return True


def _set_active(
    definition: FieldDefinition, actor: User, active: bool, request_id: str | None
) -> bool:
    _require(actor)
    with audit.atomic():
        locked = FieldDefinition.objects.select_for_update().get(pk=definition.pk)
        if locked.active == active:
            return False
        locked.active = active
        locked.changed_at = timezone.now()
        fields = ["active", "changed_at"]
        if active:
            # Back at the end of its section.
            last = FieldDefinition.objects.filter(section=locked.section, active=True).aggregate(
                m=Max("order")
            )["m"]
            locked.order = (last or 0) + 1
            fields.append("order")
        locked.save(update_fields=fields)
        _record(actor, "reinstated" if active else "retired", locked, request_id)
    return True


def definition_retire(
    *, definition: FieldDefinition, actor: User, request_id: str | None = None
) -> bool:
    """Stop asking for this field; the values recorded under it stay readable."""
    return _set_active(definition, actor, False, request_id)


def definition_reinstate(
    *, definition: FieldDefinition, actor: User, request_id: str | None = None
) -> bool:
    """Use a retired field again (at the end of its section)."""
    return _set_active(definition, actor, True, request_id)
