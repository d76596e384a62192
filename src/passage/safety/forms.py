"""Staff forms of the Safety tab."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.intake.checkins import MAX_WORD_CHARS
from passage.safety.models import CheckIn, CompromiseReview
from passage.safety.schedules import MAX_OVERRIDE_HOURS

STAFF_CHANNELS = [c for c in CheckIn.Channel.choices if c[0] != CheckIn.Channel.MAILBOX]
_WORD_ATTRS = {"autocomplete": "off", "spellcheck": "false"}


class ScheduleForm(forms.Form):
    active = forms.BooleanField(
        label=_("Check-ins are on for this case"),
        help_text=_("Turning them on starts the clock now."),
        required=False,
    )
    override_hours = forms.IntegerField(
        label=_("Hours between check-ins (this case only)"),
        help_text=_(
            "Leave empty for the stage's default: 24 hours in transit, 72 hours in a safe "
            "house, weekly otherwise."
        ),
        min_value=1,
        max_value=MAX_OVERRIDE_HOURS,
        required=False,
    )


class CheckinLogForm(forms.Form):
    channel = forms.ChoiceField(label=_("How you were in contact"), choices=STAFF_CHANNELS)
    note = forms.CharField(
        label=_("Note (optional)"),
        help_text=_("Kept encrypted. What matters for their safety; no more."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class DuressRecordForm(CheckinLogForm):
    note = forms.CharField(
        label=_("What made you think they were under duress"),
        help_text=_("Kept encrypted."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class WordsForm(forms.Form):
    checkin_word = forms.CharField(
        label=_("Check-in word"),
        help_text=_("Agreed with the person on a call. Not shown again after saving."),
        max_length=MAX_WORD_CHARS,
        widget=forms.TextInput(attrs=_WORD_ATTRS),
    )
    duress_word = forms.CharField(
        label=_("Duress word"),
        help_text=_("The word they type if made to check in against their will."),
        max_length=MAX_WORD_CHARS,
        widget=forms.TextInput(attrs=_WORD_ATTRS),
    )


class DuressDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirm", _("Confirm: they are under duress (the case stays frozen)")),
            ("dismiss", _("Dismiss as a false alarm (unfreezes the case)")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("How you know"),
        help_text=_("A call, another sign. Kept encrypted. At least 10 characters."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def confirm(self) -> bool:
        data: dict[str, Any] = self.cleaned_data
        return bool(data["decision"] == "confirm")


class ReviewCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What the review found"),
        choices=[
            (CompromiseReview.Outcome.COMPROMISED, _("Exposed: marked compromised on its page")),
            (CompromiseReview.Outcome.CLEARED, _("Checked: not exposed")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What was checked"),
        help_text=_("Kept encrypted. At least 10 characters."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
