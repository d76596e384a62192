"""Reads of admin-defined fields: definitions for the admin pages, and a case's values by
section (decrypted, keys preloaded in one query). Case visibility is the caller's: the views
reach a case only through ``cases.views.common.case_view``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from passage.accounts.models import Desk
from passage.casefields.models import FieldDefinition, FieldValue, Kind, Section
from passage.cases.models import Case
from passage.cases.queries import uuid_or_none
from passage.crypto import datakeys


def definitions_all() -> QuerySet[FieldDefinition]:
    """Every definition, active first, in section order (the admin list)."""
    return FieldDefinition.objects.select_related("desk").order_by(
        "section", "-active", "order", "created_at"
    )


def definition(definition_id: object) -> FieldDefinition | None:
    pk = uuid_or_none(definition_id)
    return FieldDefinition.objects.filter(pk=pk).select_related("desk").first() if pk else None


def desks_choosable(definition: FieldDefinition | None = None) -> QuerySet[Desk]:
    """Active desks, and the definition's own desk even if it was deactivated since."""
    condition = Q(is_active=True)
    if definition is not None and definition.desk_id is not None:
        condition |= Q(pk=definition.desk_id)
    return Desk.objects.filter(condition).order_by("name")


def definitions_for(case: Case, section: str | None = None) -> list[FieldDefinition]:
    """The definitions in use on ``case`` (active, for all desks or its own), in order."""
    rows = FieldDefinition.objects.filter(active=True).filter(
        Q(desk__isnull=True) | Q(desk_id=case.desk_id)
    )
    if section is not None:
        rows = rows.filter(section=section)
    return list(rows.order_by("section", "order", "created_at"))


def values_of(case: Case) -> dict[uuid.UUID, FieldValue]:
    """The case's values by definition id (decrypted on use; keys preloaded)."""
    rows = list(FieldValue.objects.filter(case=case).select_related("changed_by"))
    datakeys.preload(rows)
    return {row.definition_id: row for row in rows}


@dataclass
class Line:
    """One field of a section as the case page shows it."""

    definition: FieldDefinition
    value: object  # None: nothing recorded
    in_use: bool  # False: retired, or for another desk (shown, not editable)

    @property
    def choice_offered(self) -> bool:
        return self.definition.kind != Kind.CHOICE or self.value in self.definition.choices


@dataclass
class SectionBlock:
    code: str
    label: str
    fields: list[Line] = field(default_factory=list)
    checks: list[Line] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return any(line.in_use for line in self.fields + self.checks)


def details_of(case: Case) -> list[SectionBlock]:
    """Each section with its fields and checklist items: those in use, and retired ones that
    hold a value on this case. Sections with neither are left out."""
    values = values_of(case)
    in_use = {d.pk for d in definitions_for(case)}
    wanted = FieldDefinition.objects.filter(Q(pk__in=in_use) | Q(pk__in=list(values)))
    by_section: dict[str, SectionBlock] = {}
    for definition in wanted.order_by("section", "-active", "order", "created_at"):
        block = by_section.setdefault(
            definition.section,
            SectionBlock(definition.section, str(Section(definition.section).label)),
        )
        stored = values.get(definition.pk)
        line = Line(definition, stored.plain if stored else None, definition.pk in in_use)
        (block.checks if definition.is_check else block.fields).append(line)
    return [by_section[code] for code in Section.values if code in by_section]
