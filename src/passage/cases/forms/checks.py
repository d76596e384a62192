"""Forms for verification, approvals, consent and shares, duplicates and break-glass."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import PartnerOrganisation, User
from passage.cases.forms.case import AssigneeChoice
from passage.cases.forms.widgets import CheckboxGroup
from passage.cases.models import SHAREABLE_SECTIONS, Approval, Case, VerificationItem
from passage.cases.services import verification as checks

REASON_WIDGET = forms.Textarea(attrs={"rows": 3})


class PartnerChoice(forms.ModelChoiceField[PartnerOrganisation]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} ({obj.get_kind_display()})"


def _partners(queryset: Any) -> PartnerChoice:
    return PartnerChoice(label=_("Organisation"), queryset=queryset, empty_label=None)


class VouchForm(forms.Form):
    kind = VerificationItem.Kind.VOUCH
    vouching_partner = PartnerChoice(
        label=_("Organisation that vouches"), queryset=PartnerOrganisation.objects.none()
    )
    contact_person = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        help_text=_("Who at the organisation knows the person. Stored encrypted."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=REASON_WIDGET)

    def __init__(self, *args: Any, partners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vouching_partner"].queryset = partners  # type: ignore[attr-defined]

    def details(self) -> dict[str, Any]:
        return {"contact_person": self.cleaned_data["contact_person"]}


class InterviewForm(forms.Form):
    kind = VerificationItem.Kind.INTERVIEW
    held_on = forms.DateField(
        label=_("Date of the interview"), widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=_("How it was held"), choices=list(checks.INTERVIEW_CHANNELS.items())
    )
    interviewer = AssigneeChoice(label=_("Interviewer"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("What was learned"),
        required=False,
        widget=REASON_WIDGET,
        help_text=_("Stored encrypted."),
    )

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in users or []]
        self.fields["interviewer"].queryset = User.objects.filter(pk__in=ids).order_by("username")  # type: ignore[attr-defined]

    def clean_held_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["held_on"]
        if value > dt.date.today():  # noqa: DTZ011 -- a calendar date
            raise forms.ValidationError(_("The interview cannot be in the future."))
        return value

    def details(self) -> dict[str, Any]:
        return {"held_on": self.cleaned_data["held_on"], "channel": self.cleaned_data["channel"]}


class DocumentSeenForm(forms.Form):
    kind = VerificationItem.Kind.DOCUMENT
    document_type = forms.ChoiceField(
        label=_("Document"), choices=list(checks.DOCUMENT_TYPES.items())
    )
    checked = forms.CharField(
        label=_("What was checked"),
        max_length=1000,
        widget=REASON_WIDGET,
        help_text=_("E.g. photo matches, stamps consistent with the story. Stored encrypted."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=REASON_WIDGET)

    def details(self) -> dict[str, Any]:
        return {
            "document_type": self.cleaned_data["document_type"],
            "checked": self.cleaned_data["checked"],
        }


class ConsistencyForm(forms.Form):
    kind = VerificationItem.Kind.CONSISTENCY
    result = forms.ChoiceField(label=_("Result"), choices=list(checks.CONSISTENCY_RESULTS.items()))
    note = forms.CharField(
        label=_("What was compared"),
        required=False,
        widget=REASON_WIDGET,
        help_text=_("Dates, places and names against what partners and earlier contacts said."),
    )

    def details(self) -> dict[str, Any]:
        return {"result": self.cleaned_data["result"]}


class RedFlagForm(forms.Form):
    kind = VerificationItem.Kind.RED_FLAG
    flags = forms.MultipleChoiceField(
        label=_("Warning signs"),
        choices=list(checks.RED_FLAGS.items()),
        widget=CheckboxGroup,
        error_messages={"required": _("Tick at least one warning sign.")},
    )
    note = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=REASON_WIDGET,
        help_text=_("Needed for “other warning sign”. Stored encrypted."),
    )

    def details(self) -> dict[str, Any]:
        return {"flags": list(self.cleaned_data["flags"])}


VERIFICATION_FORMS: dict[str, type[forms.Form]] = {
    "vouch": VouchForm,
    "interview": InterviewForm,
    "document": DocumentSeenForm,
    "consistency": ConsistencyForm,
    "red_flag": RedFlagForm,
}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Case.Verification.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "“Suspected hostile” freezes the case at once: partners lose sight of it, "
            "break-glass stops and the desk lead is alerted."
        ),
    )
    note = forms.CharField(
        label=_("Why"),
        max_length=4000,
        widget=REASON_WIDGET,
        help_text=_("At least 10 characters. Stored encrypted."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=REASON_WIDGET,
        help_text=_("Recorded (encrypted) and shown in the timeline."),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=REASON_WIDGET,
        help_text=_("Kept with the approval. Stored encrypted."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=REASON_WIDGET,
        help_text=_("Needed when rejecting; kept in any case. Stored encrypted."),
    )


class EmergencyForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount"), min_value=1)
    purpose = forms.ChoiceField(label=_("For what"), choices=Approval.Purpose.choices)
    comment = forms.CharField(
        label=_("Why it cannot wait"),
        max_length=4000,
        widget=REASON_WIDGET,
        help_text=_("Do not write any place, address or route here."),
    )

    def __init__(self, *args: Any, cap: int = 0, currency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"] = forms.IntegerField(
            label=_("Amount"),
            min_value=1,
            max_value=cap,
            help_text=_("In %(currency)s, at most %(cap)d.") % {"currency": currency, "cap": cap},
        )


def _section_choices() -> list[tuple[str, Any]]:
    return list(SHAREABLE_SECTIONS.items())


class ConsentForm(forms.Form):
    recipient_kind = forms.ChoiceField(
        label=_("Who may receive it"),
        choices=PartnerOrganisation.Kind.choices,
        help_text=_("A kind of organisation; name one below to limit it to that one."),
    )
    partner = PartnerChoice(
        label=_("Only this organisation"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("Any of that kind"),
    )
    sections = forms.MultipleChoiceField(
        label=_("Which parts"),
        choices=_section_choices,
        widget=CheckboxGroup,
        error_messages={"required": _("Choose at least one part of the case.")},
    )
    given_on = forms.DateField(
        label=_("Date consent was given"), widget=forms.DateInput(attrs={"type": "date"})
    )
    how_given = forms.CharField(
        label=_("How it was given"),
        max_length=2000,
        widget=REASON_WIDGET,
        help_text=_("E.g. on a Signal call with the caseworker, after the options were read out."),
    )

    def __init__(self, *args: Any, partners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class ShareForm(forms.Form):
    partner = PartnerChoice(
        label=_("Organisation"),
        queryset=PartnerOrganisation.objects.none(),
        empty_label=None,
        help_text=_("Organisations that work with this case's desk."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Which parts"),
        choices=_section_choices,
        widget=CheckboxGroup,
        error_messages={"required": _("Choose at least one part of the case.")},
    )

    def __init__(self, *args: Any, partners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(
        label=_("Which case stays"),
        widget=forms.RadioSelect,
        choices=(),
        help_text=_(
            "Everything of the other case moves into the one that stays, re-encrypted; the "
            "other case's key is destroyed and its reference leads to the one that stays."
        ),
    )

    def __init__(self, *args: Any, cases: tuple[Case, Case] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [(str(c.pk), c.reference) for c in cases or ()]  # type: ignore[attr-defined]


class BreakGlassForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("E.g. PSG-2026-000123."),
    )
    reason = forms.CharField(
        label=_("Why you need it now"),
        max_length=2000,
        widget=REASON_WIDGET,
        help_text=_(
            "At least 15 characters. Admins are alerted at once and every view is recorded."
        ),
    )


class RelocationRequestForm(forms.Form):
    comment = forms.CharField(
        label=_("Why the case is ready"),
        max_length=4000,
        widget=REASON_WIDGET,
        help_text=_("The second person reads this before deciding. Stored encrypted."),
    )
