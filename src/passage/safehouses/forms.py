"""Forms of the safe-house pages: a new house, its status, marking it compromised, placing a
case, and the dates of a stay."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.safehouses import services
from passage.safehouses.models import SafeHouse

DATE = forms.DateInput(attrs={"type": "date"})


class HouseForm(forms.Form):
    desk = forms.ModelChoiceField(label=_("Desk"), queryset=Desk.objects.none())
    code_name = forms.CharField(
        label=_("Code name"),
        max_length=40,
        help_text=_("A name that says nothing about where the house is. Shown in lists."),
    )
    region = forms.CharField(
        label=_("City or region"),
        max_length=80,
        help_text=_("Coarse only (never a street): it is shown in lists, unencrypted."),
    )
    beds = forms.IntegerField(label=_("Beds"), min_value=1, max_value=services.MAX_BEDS)
    address = forms.CharField(
        label=_("Address"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted; shown only to logistics staff, and every view is recorded."),
    )
    contact = forms.CharField(
        label=_("Contact"),
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who to call there and how. Stored encrypted, like the address."),
    )
    rules = forms.CharField(
        label=_("House rules"),
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted, like the address."),
    )

    def __init__(self, *args: Any, desks: QuerySet[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["desk"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- declared above
        field.queryset = desks


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in services.SETTABLE],
        widget=forms.RadioSelect,
    )


class CompromiseForm(forms.Form):
    reason = forms.CharField(
        label=_("What happened"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted under the house's key; only logistics staff read it."),
    )


class _HouseChoice(forms.Form):
    """A form whose ``house`` is chosen among ``houses`` (the open houses the user may use)."""

    house = forms.ModelChoiceField(label=_("Safe house"), queryset=SafeHouse.objects.none())

    def __init__(self, *args: Any, houses: QuerySet[SafeHouse], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["house"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- declared above
        field.queryset = houses


class PlaceForm(_HouseChoice):
    planned_from = forms.DateField(label=_("From (first night)"), widget=DATE)
    planned_to = forms.DateField(
        label=_("To (day of leaving)"),
        widget=DATE,
        help_text=_("The stay takes a bed for each person of the household, every night."),
    )


class MoveForm(_HouseChoice):
    planned_to = forms.DateField(label=_("Until (day of leaving)"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["house"].label = _("Move to")


class DayForm(forms.Form):
    on = forms.DateField(label=_("On"), widget=DATE)
