"""Values of admin-defined fields on a case: checked by kind, stored encrypted, audited.

``field_values_set`` is the one write. The audit entries carry the case and the definition
ids (``case.fields_changed`` on the case; ``case.field_set`` / ``case.field_cleared`` per
definition), never a value. An empty value removes the row, so "not recorded" and "cleared"
look the same.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.casefields.models import FieldDefinition, FieldValue, Kind
from passage.cases import access
from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case
from passage.cases.services import common

MAX_TEXT = 2000
MAX_NUMBER = Decimal(10) ** 12
MIN_YEAR, MAX_YEAR = 1900, 2100
PAD_TO = 64  # stored JSON is padded to a multiple of this many bytes


def _text(definition: FieldDefinition, raw: object) -> str | None:
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("“%(label)s” is at most 2000 characters long.") % {"label": definition.label}
        )
    return text or None


def _number(definition: FieldDefinition, raw: object) -> int | float | None:
    if isinstance(raw, bool):
        raise InvalidInput(_("“%(label)s” takes a number.") % {"label": definition.label})
    if isinstance(raw, str) and not raw.strip():
        return None
    try:
        number = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(_("“%(label)s” takes a number.") % {"label": definition.label}) from None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise InvalidInput(_("“%(label)s” takes a number.") % {"label": definition.label})
    if number == number.to_integral_value():
        return int(number)
    result = float(number)
    return result if math.isfinite(result) else None


def _date(definition: FieldDefinition, raw: object) -> str | None:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, str):
        if not raw.strip():
            return None
        try:
            raw = dt.date.fromisoformat(raw.strip())
        except ValueError:
            raw = None
    if not isinstance(raw, dt.date) or not MIN_YEAR <= raw.year <= MAX_YEAR:
        raise InvalidInput(
            _("“%(label)s” takes a date (between 1900 and 2100).") % {"label": definition.label}
        )
    return raw.isoformat()


def _yes_no(definition: FieldDefinition, raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    answers = {"yes": True, "no": False, "": None}
    text = str(raw).strip().lower()
    if text not in answers:
        raise InvalidInput(_("Answer “%(label)s” with yes or no.") % {"label": definition.label})
    return answers[text]


def _choice(definition: FieldDefinition, raw: object) -> str | None:
    text = str(raw).strip()
    if not text:
        return None
    if text not in definition.choices:
        raise InvalidInput(
            _("Choose one of the offered answers for “%(label)s”.") % {"label": definition.label}
        )
    return text


def _check(definition: FieldDefinition, raw: object) -> dict[str, Any] | None:
    if isinstance(raw, bool):
        raw = {"done": raw}
    if not isinstance(raw, Mapping):
        raise InvalidInput(_("“%(label)s” is ticked or not.") % {"label": definition.label})
    done = raw.get("done") is True
    note = _text(definition, raw.get("note") or "") or ""
    if not done and not note:
        return None
    return {"done": done, "note": note}


CLEANERS = {
    Kind.TEXT: _text,
    Kind.NUMBER: _number,
    Kind.DATE: _date,
    Kind.YES_NO: _yes_no,
    Kind.CHOICE: _choice,
    Kind.CHECK: _check,
}


def clean_value(definition: FieldDefinition, raw: object) -> Any:
    """The value to store for ``definition`` (None: nothing recorded), or ``InvalidInput``."""
    value = None if raw is None else CLEANERS[Kind(definition.kind)](definition, raw)
    if value is None and definition.required:
        raise InvalidInput(_("“%(label)s” is required.") % {"label": definition.label})
    return value


def padded(value: Any) -> dict[str, Any]:
    """``{"v": value, "p": "..."}`` whose JSON (as the encrypted field writes it) is a
    multiple of ``PAD_TO`` bytes long."""

    def size(stored: dict[str, Any]) -> int:
        text = json.dumps(stored, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return len(text.encode())

    stored: dict[str, Any] = {"v": value, "p": ""}
    stored["p"] = "." * (-size(stored) % PAD_TO)
    return stored


def field_values_set(
    *,
    case: Case,
    actor: User,
    values: Mapping[uuid.UUID, object] | Mapping[str, object],
    request_id: str | None = None,
) -> list[uuid.UUID]:
    """Record the values of the given definitions on ``case`` (None or "" clears one).

    Every definition must be in use for this case (active, and for its desk); required ones
    cannot be cleared. Unchanged values are not written. Returns the ids of the definitions
    whose value changed.
    """
    access.require_working(actor, case)
    try:
        ids = {uuid.UUID(str(key)): raw for key, raw in values.items()}
    except ValueError:
        raise InvalidInput(_("Unknown field.")) from None
    definitions = {d.pk: d for d in FieldDefinition.objects.filter(pk__in=list(ids))}
    if len(definitions) != len(ids):
        raise InvalidInput(_("Unknown field."))
    with audit.atomic():
        locked = common.lock(case)
        current = {
            row.definition_id: row
            for row in FieldValue.objects.filter(case=locked, definition_id__in=list(ids))
        }
        changed: list[uuid.UUID] = []
        for pk, raw in ids.items():
            definition = definitions[pk]
            row = current.get(pk)
            before = row.plain if row is not None else None
            if raw == before or (raw in ("", None) and before is None):
                continue  # unchanged (also a choice no longer offered, kept as it was)
            if not definition.applies_to(locked):
                raise InvalidInput(
                    _("“%(label)s” is no longer in use on this case.") % {"label": definition.label}
                )
            value = clean_value(definition, raw)
            if value == before:
                continue
            if value is None:
                if row is not None:
                    row.delete()
            elif row is None:
                FieldValue.objects.create(
                    case=locked, definition=definition, value=padded(value), changed_by=actor
                )
            else:
                row.value = padded(value)
                row.changed_by = actor
                row.changed_at = timezone.now()
                row.save()
            changed.append(pk)
            audit.record(
                actor=common.actor_of(actor),
                action="case.field_cleared" if value is None else "case.field_set",
                object_type="field_definition",
                object_id=str(pk),
                request_id=request_id,
            )
        if changed:
            common.record(actor, "case.fields_changed", locked, request_id=request_id)
    return changed
