"""The settlement forms: short, no JS needed; the services check everything again."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.settlement.models import FollowUp, LegalStep, Need, SettlementPlan
from passage.settlement.services.plans import StepDetails

DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(forms.Form):
    arrival_date = forms.DateField(
        label=_("Arrival date"),
        widget=DATE,
        help_text=_("Follow-ups fall due 1, 3, 6 and 12 months after this day."),
    )
    city = forms.CharField(
        label=_("City"),
        required=False,
        max_length=200,
        help_text=_("Where the person lives now. Stored encrypted."),
    )

    @classmethod
    def initial_of(cls, plan: SettlementPlan) -> dict[str, Any]:
        return {"arrival_date": plan.arrival_date, "city": plan.city or ""}


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=LegalStep.Kind.choices)
    status = forms.ChoiceField(
        label=_("Where it stands"),
        choices=LegalStep.Status.choices,
        widget=forms.RadioSelect,
        initial=LegalStep.Status.NOT_STARTED,
    )
    on_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DATE,
        help_text=_("The day it was filed, the hearing's day, or the decision's."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted."),
    )

    def details(self) -> StepDetails:
        data = self.cleaned_data
        return StepDetails(
            kind=data["kind"], status=data["status"], on_date=data["on_date"], notes=data["notes"]
        )

    @classmethod
    def initial_of(cls, step: LegalStep) -> dict[str, Any]:
        return {
            "kind": step.kind,
            "status": step.status,
            "on_date": step.on_date,
            "notes": step.notes or "",
        }


class NeedForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Where it stands"), choices=Need.Status.choices, widget=forms.RadioSelect
    )
    helper = forms.ChoiceField(label=_("Staff member who helps"), required=False)
    helper_text = forms.CharField(
        label=_("Who else helps"),
        required=False,
        max_length=200,
        help_text=_("E.g. a sponsor group, a volunteer buddy, a clinic. Stored encrypted."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted."),
    )

    def __init__(self, *args: Any, helpers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helpers = {str(u.pk): u for u in helpers}
        field = cast(forms.ChoiceField, self.fields["helper"])
        field.choices = [
            ("", _("Nobody on staff")),
            *((k, u.username) for k, u in self.helpers.items()),
        ]

    def helper_user(self) -> User | None:
        return self.helpers.get(self.cleaned_data["helper"] or "")

    @classmethod
    def initial_of(cls, need: Need) -> dict[str, Any]:
        return {
            "status": need.status,
            "helper": str(need.helper_id) if need.helper_id else "",
            "helper_text": need.helper_text or "",
            "notes": need.notes or "",
        }


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Follow-up"), choices=FollowUp.Status.choices, widget=forms.RadioSelect
    )
    done_on = forms.DateField(
        label=_("Day of the follow-up"),
        required=False,
        widget=DATE,
        help_text=_("Today if left empty."),
    )
    wellbeing = forms.CharField(
        label=_("How the person is doing"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wellbeing, worries, what they need next. Stored encrypted."),
    )

    @classmethod
    def initial_of(cls, follow_up: FollowUp) -> dict[str, Any]:
        return {
            "status": (
                FollowUp.Status.DONE
                if follow_up.status == FollowUp.Status.PENDING
                else follow_up.status
            ),
            "done_on": follow_up.done_on,
            "wellbeing": follow_up.wellbeing or "",
        }
