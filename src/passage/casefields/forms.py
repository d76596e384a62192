"""Forms: defining a field (admins), and one section's values on a case, built from the
definitions in use (one form field per definition, by kind; a checklist item is a tick and a
note)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.casefields.models import FieldDefinition, Kind, Section
from passage.casefields.queries import Line
from passage.casefields.services.values import MAX_TEXT

CHOICES_HELP = _("One choice per line (at least two). Only for a choice list.")


class DeskChoice(forms.ModelChoiceField[Desk]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class DefinitionForm(forms.Form):
    """Add a field (with section and kind) or change one (without: they are fixed)."""

    section = forms.ChoiceField(
        label=_("Section"),
        choices=Section.choices,
        help_text=_("Where on the case the field appears (the “More details” tab)."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("Cannot be changed later. A checklist item is ticked per case, with a note."),
    )
    label = forms.CharField(label=_("Label"), max_length=120)
    help_text = forms.CharField(
        label=_("Help text"),
        max_length=300,
        required=False,
        help_text=_("Why it is asked, or how to fill it in. Shown under the label."),
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=CHOICES_HELP,
    )
    required = forms.BooleanField(
        label=_("Required"),
        required=False,
        help_text=_("Staff cannot save the section without it. Not for checklist items."),
    )
    desk = DeskChoice(
        label=_("Only for the cases of one desk"),
        queryset=Desk.objects.none(),
        required=False,
        empty_label=_("All desks"),
        help_text=_("E.g. a grant or programme that only one region works with."),
    )

    def __init__(
        self,
        *args: Any,
        desks: Any = None,
        definition: FieldDefinition | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks if desks is not None else Desk.objects.none()  # type: ignore[attr-defined]
        if definition is not None:
            del self.fields["section"]
            del self.fields["kind"]
            if definition.kind != Kind.CHOICE:
                del self.fields["choices"]
            if definition.kind == Kind.CHECK:
                del self.fields["required"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind is not None and kind != Kind.CHOICE and (cleaned.get("choices") or "").strip():
            self.add_error("choices", _("Only a choice list has choices."))
        return cleaned

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("choices", "").splitlines()]


def field_name(definition: FieldDefinition) -> str:
    return f"f_{definition.pk.hex}"


def _form_field(definition: FieldDefinition, current: object) -> forms.Field:
    common: dict[str, Any] = {
        "label": definition.label,
        "help_text": definition.help_text,
        "required": definition.required,
    }
    kind = Kind(definition.kind)
    if kind == Kind.TEXT:
        return forms.CharField(
            max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}), **common
        )
    if kind == Kind.NUMBER:
        return forms.DecimalField(
            max_digits=18,
            decimal_places=6,
            widget=forms.NumberInput(attrs={"step": "any"}),
            **common,
        )
    if kind == Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == Kind.YES_NO:
        answers = [("yes", _("Yes")), ("no", _("No"))]
        if not definition.required:
            answers.append(("", _("Not known")))
        return forms.ChoiceField(choices=answers, widget=forms.RadioSelect, **common)
    if kind == Kind.CHOICE:
        options: list[tuple[str, Any]] = [("", "—")] + [(c, c) for c in definition.choices]
        if isinstance(current, str) and current and current not in definition.choices:
            # Recorded before the admin removed it: kept (and shown) until someone changes it.
            options.append((current, _("%(choice)s (no longer offered)") % {"choice": current}))
        return forms.ChoiceField(choices=options, **common)
    return forms.BooleanField(
        required=False,
        label=_("Done: %(label)s") % {"label": definition.label},
        help_text=definition.help_text,
    )


def _initial(definition: FieldDefinition, value: object) -> Any:
    if value is None:
        return None
    if definition.kind == Kind.YES_NO:
        return "yes" if value else "no"
    if definition.kind == Kind.CHECK and isinstance(value, dict):
        return bool(value.get("done"))
    return value


class SectionValuesForm(forms.Form):
    """The values of one section's fields and checklist items in use on a case."""

    def __init__(self, *args: Any, lines: list[Line], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.in_use]
        for line in self.lines:
            name = field_name(line.definition)
            self.fields[name] = _form_field(line.definition, line.value)
            self.initial.setdefault(name, _initial(line.definition, line.value))
            if line.definition.is_check:
                note = forms.CharField(
                    label=_("Note on “%(label)s”") % {"label": line.definition.label},
                    required=False,
                    max_length=MAX_TEXT,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("Stored encrypted."),
                )
                self.fields[f"{name}_note"] = note
                if isinstance(line.value, dict):
                    self.initial.setdefault(f"{name}_note", line.value.get("note", ""))

    def values(self) -> dict[uuid.UUID, object]:
        """What to hand to ``field_values_set``: raw values by definition id."""
        found: dict[uuid.UUID, object] = {}
        for line in self.lines:
            name = field_name(line.definition)
            raw = self.cleaned_data.get(name)
            if line.definition.is_check:
                found[line.definition.pk] = {
                    "done": bool(raw),
                    "note": self.cleaned_data.get(f"{name}_note", ""),
                }
            elif isinstance(raw, Decimal):
                found[line.definition.pk] = raw.normalize()
            elif isinstance(raw, dt.date):
                found[line.definition.pk] = raw.isoformat()
            else:
                found[line.definition.pk] = raw if raw is not None else ""
        return found
