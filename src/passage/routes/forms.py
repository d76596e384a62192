"""Forms of routes, route legs, travel plans and travel legs: short, no JS needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.documents.models import PersonDocument
from passage.routes.models import Mode, Route, RouteLeg, TravelLeg
from passage.routes.services import routes
from passage.routes.services.travel import TravelLegDetails

NOTE_WIDGET = forms.Textarea(attrs={"rows": 3})
ENCRYPTED = _("Stored encrypted.")


class RouteForm(forms.Form):
    desk = forms.ModelChoiceField(label=_("Desk"), queryset=Desk.objects.none(), empty_label=None)
    code = forms.CharField(
        label=_("Code name"),
        max_length=40,
        help_text=_("A word staff use for the route; never a place name. Caseworkers see it."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=NOTE_WIDGET, help_text=ENCRYPTED
    )

    def __init__(self, *args: Any, desks: QuerySet[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks  # type: ignore[attr-defined]


class CountryField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_length=2,
            min_length=2,
            help_text=_("Two-letter country code, e.g. RU, GE, CA."),
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        return str(super().clean(value)).upper()


class RouteLegForm(forms.Form):
    origin_country = CountryField(label=_("From country"))
    origin = forms.CharField(
        label=_("From (town or area)"), required=False, max_length=200, help_text=ENCRYPTED
    )
    transit = forms.CharField(
        label=_("Transit points"), required=False, max_length=500, help_text=ENCRYPTED
    )
    destination_country = CountryField(label=_("To country"))
    destination = forms.CharField(
        label=_("To (town or area)"), required=False, max_length=200, help_text=ENCRYPTED
    )
    mode = forms.ChoiceField(label=_("Transport"), choices=Mode.choices)
    border_crossing = forms.BooleanField(label=_("Crosses a border"), required=False)
    required_documents = forms.MultipleChoiceField(
        label=_("Documents needed"),
        choices=PersonDocument.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    risk = forms.ChoiceField(
        label=_("Risk"), choices=RouteLeg.Risk.choices, initial=RouteLeg.Risk.MEDIUM
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=NOTE_WIDGET, help_text=ENCRYPTED
    )

    def details(self) -> routes.LegDetails:
        data = self.cleaned_data
        return routes.LegDetails(
            origin_country=data["origin_country"],
            destination_country=data["destination_country"],
            mode=data["mode"],
            origin=data["origin"],
            transit=data["transit"],
            destination=data["destination"],
            border_crossing=data["border_crossing"],
            required_documents=tuple(data["required_documents"]),
            risk=data["risk"],
            notes=data["notes"],
        )


class RouteStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Route.Status.ACTIVE, Route.Status.ACTIVE.label),
            (Route.Status.UNDER_REVIEW, Route.Status.UNDER_REVIEW.label),
        ],
    )


class CompromisedForm(forms.Form):
    reason = forms.CharField(
        label=_("What happened"),
        min_length=routes.MIN_REASON,
        max_length=routes.MAX_TEXT,
        widget=NOTE_WIDGET,
        help_text=_("Kept in the route's encrypted notes. At least 10 characters."),
    )


class RouteChoiceField(forms.ModelChoiceField[Route]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} ({obj.get_status_display()})"


class TravelPlanForm(forms.Form):
    route = RouteChoiceField(
        label=_("Route"),
        queryset=Route.objects.none(),
        required=False,
        empty_label=_("No planned route"),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=NOTE_WIDGET,
        help_text=_("What to do if something goes wrong, whom to call. Stored encrypted."),
    )

    def __init__(self, *args: Any, routes: QuerySet[Route], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = routes  # type: ignore[attr-defined]


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TravelLegForm(forms.Form):
    departs_on = forms.DateField(label=_("Departs"), widget=DATE_WIDGET)
    arrives_on = forms.DateField(label=_("Arrives"), widget=DATE_WIDGET)
    mode = forms.ChoiceField(label=_("Transport"), choices=Mode.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=TravelLeg.Status.choices, initial=TravelLeg.Status.PLANNED
    )
    carrier = forms.CharField(
        label=_("Carrier"), required=False, max_length=200, help_text=ENCRYPTED
    )
    booking_reference = forms.CharField(
        label=_("Booking reference"), required=False, max_length=200, help_text=ENCRYPTED
    )
    escort = forms.CharField(label=_("Escort"), required=False, max_length=200, help_text=ENCRYPTED)
    meeting_point = forms.CharField(
        label=_("Meeting point"), required=False, max_length=500, help_text=ENCRYPTED
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        departs, arrives = data.get("departs_on"), data.get("arrives_on")
        if isinstance(departs, dt.date) and isinstance(arrives, dt.date) and arrives < departs:
            self.add_error("arrives_on", _("A leg cannot arrive before it departs."))
        return data

    @classmethod
    def initial_of(cls, leg: TravelLeg) -> dict[str, Any]:
        return {
            "departs_on": leg.departs_on,
            "arrives_on": leg.arrives_on,
            "mode": leg.mode,
            "status": leg.status,
            "carrier": leg.carrier or "",
            "booking_reference": leg.booking_reference or "",
            "escort": leg.escort or "",
            "meeting_point": leg.meeting_point or "",
        }

    def details(self) -> TravelLegDetails:
        data = self.cleaned_data
        return TravelLegDetails(
            departs_on=data["departs_on"],
            arrives_on=data["arrives_on"],
            mode=data["mode"],
            status=data["status"],
            carrier=data["carrier"],
            booking_reference=data["booking_reference"],
            escort=data["escort"],
            meeting_point=data["meeting_point"],
        )
