"""Forms of the rota, push-destination and drill pages (validation of shape; the services
decide what is allowed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, User

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ShiftForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Who is on call"),
        help_text=_("Staff members of this desk."),
    )
    starts_at = forms.DateTimeField(
        label=_("From (UTC)"), input_formats=DATETIME_FORMATS, widget=_DateTimeInput()
    )
    ends_at = forms.DateTimeField(
        label=_("Until (UTC)"),
        input_formats=DATETIME_FORMATS,
        widget=_DateTimeInput(),
        help_text=_("At most 14 days after the start."),
    )

    def __init__(self, *args: Any, desk: Desk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(
            memberships__desk=desk, is_active=True, partner__isnull=True
        ).order_by("username")
        field = self.fields["user"]
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError("user must be a choice of users")
        field.queryset = members.distinct()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if isinstance(starts, dt.datetime) and isinstance(ends, dt.datetime) and ends <= starts:
            self.add_error("ends_at", _("The shift must end after it starts."))
        return data

    @staticmethod
    def initial_times(now: dt.datetime | None = None) -> dict[str, dt.datetime]:
        moment = (now or timezone.now()).replace(second=0, microsecond=0)
        return {"starts_at": moment, "ends_at": moment + dt.timedelta(hours=12)}


class DestinationForm(forms.Form):
    webhook_url = forms.CharField(
        label=_("Webhook address"),
        required=False,
        max_length=500,
        help_text=_(
            "Optional. A push service you run yourselves (for example ntfy or Gotify): "
            "Passage POSTs the text “1 new critical alert” to it, nothing else."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Optional. A staff address; the message says only “1 new critical alert”."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class DrillForm(forms.Form):
    desk = forms.ModelChoiceField(queryset=Desk.objects.none(), label=_("Desk"))

    def __init__(self, *args: Any, desks: list[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["desk"]
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError("desk must be a choice of desks")
        field.queryset = Desk.objects.filter(pk__in=[d.pk for d in desks]).order_by("name")
