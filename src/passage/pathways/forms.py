"""Forms of the pathways pages: they parse and check shapes; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import PartnerOrganisation
from passage.pathways.models import Application, PartnerProfile, Programme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerChoice(forms.ModelChoiceField[PartnerOrganisation]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code}: {obj.name}"


class ProgrammeChoice(forms.ModelChoiceField[Programme]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Programme.Kind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_('E.g. "Canada emergency visas 2017". Stored encrypted.'),
        error_messages={"required": _("Give the programme a name.")},
    )
    partner = PartnerChoice(
        label=_("Partner"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("The government office, UNHCR office or sponsor group that runs it."),
    )
    quota = forms.IntegerField(
        label=_("Quota (places)"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("Leave empty if the programme has no fixed number of places."),
    )
    is_active = forms.BooleanField(
        label=_("Open: takes new applications"), required=False, initial=True
    )

    def __init__(self, *args: Any, partners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class ApplicationAddForm(forms.Form):
    programme = ProgrammeChoice(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the programme.")},
    )
    reference = forms.CharField(
        label=_("Reference number"),
        required=False,
        max_length=200,
        help_text=_("The programme's file number, if there is one yet. Stored encrypted."),
    )
    next_deadline = forms.DateField(label=_("Next deadline"), required=False, widget=DATE)

    def __init__(self, *args: Any, programmes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class ApplicationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Application.Status.choices)
    on = forms.DateField(
        label=_("Day of the change"),
        required=False,
        widget=DATE,
        help_text=_("The day it was submitted or decided; leave empty for today."),
    )
    reference = forms.CharField(
        label=_("Reference number"),
        required=False,
        max_length=200,
        help_text=_("Stored encrypted."),
    )
    next_deadline = forms.DateField(label=_("Next deadline"), required=False, widget=DATE)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. what was decided and what follows. Stored encrypted."),
    )


class PartnerProfileForm(forms.Form):
    trust_level = forms.ChoiceField(label=_("Trust level"), choices=PartnerProfile.Trust.choices)
    contacts = forms.CharField(
        label=_("Contact details"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "People, phone numbers, Signal, addresses. Stored encrypted; each view is recorded."
        ),
    )
