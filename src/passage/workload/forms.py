"""Forms of the workload pages: a leaver's handover and handing a case over to another desk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.workload.services import MAX_NOTE


class StaffChoices(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.username)


class DeskChoice(forms.ModelChoiceField[Desk]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class WorkerForm(forms.Form):
    """Whose cases to hand over (a GET: the page then lists them)."""

    worker = forms.ModelChoiceField(
        label=_("Whose cases"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("The person leaving, or going on leave."),
    )

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in users]).order_by("username")  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: str(u.username)  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    cases = forms.MultipleChoiceField(
        label=_("Cases to hand over"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one case.")},
    )
    receivers = StaffChoices(
        label=_("Give them to"),
        queryset=User.objects.none(),
        help_text=_(
            "Choose several people to share the cases out: the most urgent are dealt in turn."
        ),
        error_messages={"required": _("Choose who receives the cases.")},
    )
    note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_NOTE,
        required=False,
        help_text=_(
            "What the next person needs to know. It is kept on each case's timeline, encrypted."
        ),
    )

    def __init__(self, *args: Any, cases: list[Case], receivers: list[User], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"cases": [str(c.pk) for c in cases]})
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(str(c.pk), c.reference) for c in cases]  # type: ignore[attr-defined]
        self.fields["receivers"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in receivers]
        ).order_by("username")


class TransferRequestForm(forms.Form):
    to_desk = DeskChoice(
        label=_("Hand over to desk"),
        queryset=Desk.objects.none(),
        help_text=_("Its lead is asked to accept the case; until then it stays on this desk."),
    )
    note = forms.CharField(
        label=_("Why the case moves"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_NOTE,
        required=False,
        help_text=_("Shown to the receiving desk's lead and kept on the case, encrypted."),
    )

    def __init__(self, *args: Any, desks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_desk"].queryset = desks  # type: ignore[attr-defined]
