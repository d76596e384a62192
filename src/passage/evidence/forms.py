"""Forms of the evidence pages. Services validate again; forms give the messages per field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, User
from passage.cases.exceptions import InvalidInput
from passage.evidence.models import (
    PURPOSES,
    Incident,
    Perpetrator,
    Place,
    RedactionCategory,
    Scope,
    Violation,
)
from passage.evidence.services import records, testimony


class CodeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Places and perpetrators by their codes (never the encrypted label or name)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.code)


class CodesChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.code)


class IncidentsChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        label = f"{_('Incident')} {obj.number}: {obj.get_violation_display()}"
        return label + (f" · {obj.place.code}" if obj.place else "")


class TestimonyForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=testimony.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("In the person's words as far as possible. Stored encrypted."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("The person agreed it may be used for"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ask the person and record exactly what they chose. “Internal use only” means it "
            "never leaves the organisation."
        ),
    )
    legal_body = forms.CharField(
        label=_("Court or body (legal proceedings)"),
        required=False,
        max_length=testimony.MAX_BODY,
        help_text=_("Only for legal proceedings: which court or body. Stored encrypted."),
    )
    consent_on = forms.DateField(
        label=_("Consent given on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the person gave this consent."),
    )

    def clean_consent_on(self) -> Any:
        value = self.cleaned_data["consent_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The day consent was given cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "scopes" in data:
            try:
                testimony.clean_scopes(data["scopes"], data.get("legal_body", ""))
            except InvalidInput as exc:
                self.add_error("scopes", str(exc))
        return data


class RedactionForm(forms.Form):
    phrase = forms.CharField(
        label=_("Wording to remove"),
        max_length=testimony.MAX_PHRASE,
        help_text=_("Every place it occurs in the statement is marked (capitals do not matter)."),
    )
    category = forms.ChoiceField(label=_("What it is"), choices=RedactionCategory.choices)


class IncidentForm(forms.Form):
    violation = forms.ChoiceField(label=_("Type of violation"), choices=Violation.choices)
    place = CodeChoice(
        label=_("Place"),
        queryset=Place.objects.all(),
        required=False,
        help_text=_("A coded place; add it under Evidence, Places, if it is not listed."),
    )
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a period; leave empty for one day."),
    )
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=records.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Short, factual. Stored encrypted."),
    )


class LinksForm(forms.Form):
    places = CodesChoice(
        label=_("Places it names"),
        queryset=Place.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    perpetrators = CodesChoice(
        label=_("Alleged perpetrators it names"),
        queryset=Perpetrator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    incidents = IncidentsChoice(
        label=_("Incidents of this case it describes"),
        queryset=Incident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, incidents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["incidents"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        if incidents is not None:
            field.queryset = incidents


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of place"), choices=Place.Kind.choices)
    label = forms.CharField(
        label=_("What colleagues call it"),
        max_length=records.MAX_LABEL,
        help_text=_(
            "The real name or where it is. Stored encrypted; lists show only the code, e.g. "
            "“Unofficial detention site 3”."
        ),
    )


class PerpetratorForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=records.MAX_LABEL)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=records.MAX_LABEL)
    role = forms.CharField(label=_("Role or rank"), required=False, max_length=records.MAX_LABEL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("name", "unit", "role")):
            raise forms.ValidationError(_("Give a name, a unit or a role."))
        return data


class BundleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Printed on the PDF, e.g. the case at the court. Stored encrypted."),
    )
    purpose = forms.ChoiceField(
        label=_("For"),
        choices=[(p.value, p.label) for p in PURPOSES],
        help_text=_("Only testimony whose consent covers this purpose can go in."),
    )
    desk = forms.ModelChoiceField(label=_("Desk"), queryset=Desk.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["desk"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Desk.objects.filter(memberships__user=user).distinct()


class CustodyForm(forms.Form):
    recipient = forms.CharField(
        label=_("Given to"),
        max_length=300,
        help_text=_("Who received it (a person and their organisation). Stored encrypted."),
    )
    given_on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("How"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The channel, and anything the recipient signed. Stored encrypted."),
    )
