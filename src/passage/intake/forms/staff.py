"""Screening and referral-directory forms (staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.cases.choices import countries
from passage.cases.models import Case
from passage.intake import replies
from passage.intake.models import HelpRequest, ReferralOrganisation


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        choices=[("open", _("Waiting")), ("decided", _("Dealt with")), *HelpRequest.State.choices],
        required=False,
    )
    language = forms.ChoiceField(label=_("Reply language"), required=False)
    urgency = forms.ChoiceField(
        label=_("Urgency they gave"),
        choices=[("", _("Any")), *Case.Urgency.choices],
        required=False,
    )

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any")), *languages]  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"),
        help_text=_(
            "Before verification, nothing operational belongs here: no names, places, routes or "
            "dates. The person reads this in their mailbox."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
    )
    status = forms.ChoiceField(
        label=_("Status the person sees"),
        choices=[("", _("Leave as it is")), *HelpRequest.Status.choices],
        required=False,
    )
    template = forms.CharField(widget=forms.HiddenInput, required=False)


class TemplateChoiceForm(forms.Form):
    template = forms.ChoiceField(label=_("Start from a template"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("None")), *replies.choices()]  # type: ignore[attr-defined]


class TriageForm(forms.Form):
    level = forms.ChoiceField(label=_("Your level"), choices=HelpRequest.Level.choices)


class OpenCaseForm(forms.Form):
    desk = forms.ModelChoiceField(label=_("Desk"), queryset=Desk.objects.none())

    def __init__(self, *args: Any, desks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks  # type: ignore[attr-defined]


class AttachForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"), help_text=_("For example PSG-2026-000123."), max_length=20
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (for staff only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    organisations = forms.MultipleChoiceField(
        label=_("Organisations to refer to"),
        help_text=_("The reply lists them in the person's language."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self, *args: Any, organisations: list[ReferralOrganisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [  # type: ignore[attr-defined]
            (str(org.pk), f"{org.name} ({org.country})") for org in organisations
        ]


class ReferralForm(forms.Form):
    country = forms.ChoiceField(label=_("Country it serves"))
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of help"),
        choices=ReferralOrganisation.Help.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(
        label=_("How to reach it"),
        help_text=_("As it should appear in a reply: a website, a hotline, a messenger account."),
        max_length=500,
    )
    notes = forms.CharField(
        label=_("Notes for staff"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    last_checked = forms.DateField(
        label=_("Last checked"),
        help_text=_("When someone last confirmed it still helps."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *countries()]  # type: ignore[attr-defined]
