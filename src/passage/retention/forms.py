"""Forms of the retention pages: a policy's window, a legal hold's reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.retention.holds import MAX_REASON
from passage.retention.models import MAX_DAYS, MIN_DAYS, Outcome


class PolicyForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Keep for (days)"), min_value=MIN_DAYS, max_value=MAX_DAYS)


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )
