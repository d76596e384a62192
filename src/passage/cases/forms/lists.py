"""Forms of the lists (queue filters, bulk assignment, search), campaigns and partner referrals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, User
from passage.cases import choices
from passage.cases.forms.case import AssigneeChoice, CaseFacts, PersonFields
from passage.cases.models import Campaign, ContactChannel
from passage.cases.queries import QueueFilters
from passage.cases.workflow import OPEN_STAGES, Stage


class DeskChoice(forms.ModelChoiceField[Desk]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CampaignChoice(forms.ModelChoiceField[Campaign]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class QueueFilterForm(forms.Form):
    desk = DeskChoice(
        label=_("Desk"), queryset=Desk.objects.none(), required=False, empty_label=_("All")
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=())
    campaign = CampaignChoice(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, choices=())
    overdue = forms.BooleanField(label=_("Only overdue deadlines or contacts"), required=False)
    waiting = forms.IntegerField(
        label=_("Waiting longer than (days)"), required=False, min_value=0, max_value=3650
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("priority", _("Priority, then waiting time")),
            ("waiting", _("Longest waiting")),
            ("deadline", _("Next deadline")),
            ("stage", _("Stage")),
            ("reference", _("Reference")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        desks: Any = None,
        campaigns: Any = None,
        users: list[User] | None = None,
        open_only: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        stages = [s for s in Stage if not open_only or s.value in OPEN_STAGES]
        self.fields["stage"].choices = [("", _("Any")), *[(s.value, s.label) for s in stages]]  # type: ignore[attr-defined]
        self._users = {str(u.pk): u for u in users or []}
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            ("none", _("Nobody yet")),
            *[(pk, u.username) for pk, u in self._users.items()],
        ]

    def filters(self) -> QueueFilters:
        if not self.is_bound or not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        assignee = data.get("assignee") or ""
        return QueueFilters(
            desk=data.get("desk"),
            stage=data.get("stage") or "",
            campaign=data.get("campaign"),
            assignee=self._users.get(assignee),
            unassigned=assignee == "none",
            overdue=bool(data.get("overdue")),
            waiting_over_days=data.get("waiting"),
            sort=data.get("sort") or "priority",
        )


class BulkAssignForm(forms.Form):
    cases = forms.MultipleChoiceField(
        label=_("Cases"), choices=(), error_messages={"required": _("Tick at least one case.")}
    )
    assignee = AssigneeChoice(
        label=_("Assign the ticked cases to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(
        self,
        *args: Any,
        case_ids: list[str] | None = None,
        users: list[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(c, c) for c in case_ids or []]  # type: ignore[attr-defined]
        ids = [u.pk for u in users or []]
        self.fields["assignee"].queryset = User.objects.filter(pk__in=ids).order_by("username")  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Reference, phone number, handle or name"),
        max_length=200,
        help_text=_(
            "Exact matches only: a reference, a whole phone number or handle, or name parts "
            "(any spelling, Cyrillic or Latin). Nothing else is searchable."
        ),
        error_messages={"required": _("Type what to look for.")},
    )


def _country_choices() -> list[tuple[str, str]]:
    return choices.countries()


class CampaignForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("E.g. North Caucasus 2017.")
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=_country_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Cases in these countries join the campaign."),
    )
    regions = forms.CharField(
        label=_("Regions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line (e.g. Chechnya); with countries, both must match."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    priority_boost = forms.IntegerField(
        label=_("Priority boost"),
        min_value=0,
        max_value=30,
        initial=10,
        help_text=_("Points added to the score of its cases while it runs (0-30)."),
    )
    is_active = forms.BooleanField(label=_("Running"), required=False, initial=True)

    def region_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["regions"].splitlines() if line.strip()]


class DeskPriorityForm(forms.Form):
    boost = forms.IntegerField(
        label=_("Desk priority boost"),
        min_value=0,
        max_value=10,
        help_text=_("Points added to the score of every open case of the desk (0-10)."),
    )


class ReferralForm(PersonFields, CaseFacts):
    """A partner refers a person: short, like the public request form."""

    desk = DeskChoice(
        label=_("Desk"),
        queryset=Desk.objects.none(),
        empty_label=None,
        help_text=_("The desk your organisation works with for this region."),
    )
    contact_kind = forms.ChoiceField(
        label=_("How to reach them"),
        required=False,
        choices=[("", _("Only through your organisation")), *ContactChannel.Kind.choices],
    )
    contact_value = forms.CharField(
        label=_("Number or handle"),
        max_length=200,
        required=False,
        help_text=_("Only if they agreed that we contact them directly."),
    )
    field_order = ["desk", *CaseFacts.base_fields]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A partner tells us the minimum: no legal name, identity, orientation or location.
        for name in ("legal_name", "gender_identity", "sexual_orientation", "current_location"):
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("contact_value") and not cleaned.get("contact_kind"):
            self.add_error("contact_kind", _("Choose the channel of this number or handle."))
        return cleaned
