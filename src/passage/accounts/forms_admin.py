"""Forms of the admin pages: users, roles and desks, desks, partner organisations.

The forms only parse and check shapes; the rules (partner users, last admin, own role) live in
``services.admin`` and come back as form errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, PartnerOrganisation
from passage.accounts.queries import STATES
from passage.accounts.roles import Role
from passage.accounts.services.admin import grantable_roles

USERNAME_HELP = _(
    "Letters, digits, dots, hyphens and underscores. Use a handle, not the person's legal name: "
    "usernames are stored without encryption."
)


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(role.label)) for role in grantable_roles()]


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes whose group has an id (on its legend), so the error summary can link to it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


class DeskChoice(forms.ModelMultipleChoiceField[Desk]):
    widget = CheckboxGroup

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name) if obj.is_active else f"{obj.name} ({_('deactivated')})"


class AccessFields(forms.Form):
    """Roles, desks and desk leads: shared by the invitation and the edit form."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=_role_choices,
        widget=CheckboxGroup,
        help_text=_("What the person may do. A partner user holds only the partner role."),
        error_messages={"required": _("Choose at least one role.")},
    )
    desks = DeskChoice(
        label=_("Desks"),
        queryset=Desk.objects.none(),
        required=False,
        help_text=_("The compartments whose cases the person works on."),
    )
    lead_of = DeskChoice(
        label=_("Desk lead of"),
        queryset=Desk.objects.none(),
        required=False,
        help_text=_("A desk lead watches the desk's workload and approvals; also tick the desk."),
    )

    def __init__(self, *args: Any, desks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = desks if desks is not None else Desk.objects.filter(is_active=True)
        self.fields["desks"].queryset = queryset  # type: ignore[attr-defined]
        self.fields["lead_of"].queryset = queryset  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        desks = set(cleaned.get("desks") or [])
        lead_of = set(cleaned.get("lead_of") or [])
        if lead_of - desks:
            self.add_error("lead_of", _("A desk lead must also be a member: tick the desk too."))
        return cleaned

    def chosen_roles(self) -> list[Role]:
        return [Role(value) for value in self.cleaned_data["roles"]]


class UserInviteForm(AccessFields):
    username = forms.CharField(
        label=_("Username"),
        max_length=64,
        help_text=USERNAME_HELP,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9._-]+$",
                _("Use only letters, digits, dots, hyphens and underscores."),
            )
        ],
        error_messages={"required": _("Enter a username.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("None: a member of staff"),
        help_text=_("Only for people of a partner organisation: they see only its cases."),
    )
    field_order = ["username", "roles", "desks", "lead_of", "partner"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = PartnerOrganisation.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("code")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        partner = cleaned.get("partner")
        roles = set(cleaned.get("roles") or [])
        if partner is not None and roles and roles != {Role.PARTNER.value}:
            self.add_error("roles", _("A partner user holds only the partner role."))
        if partner is None and Role.PARTNER.value in roles:
            self.add_error("partner", _("Choose the partner organisation of a partner user."))
        if partner is not None and cleaned.get("desks"):
            self.add_error("desks", _("A partner user is not a member of any desk."))
        return cleaned


class UserFilterForm(forms.Form):
    """The filters of the users list (GET). Unknown values are ignored, not errors."""

    search = forms.CharField(label=_("Username contains"), required=False, max_length=64)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any"))] + [(s, s) for s in STATES],
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=lambda: [("", _("Any"))] + [(r.value, str(r.label)) for r in Role],
    )
    desk = forms.ModelChoiceField(
        label=_("Desk"), required=False, queryset=Desk.objects.all(), empty_label=_("Any")
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        required=False,
        queryset=PartnerOrganisation.objects.order_by("code"),
        empty_label=_("Any"),
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        desk = self.cleaned_data.get("desk")
        partner = self.cleaned_data.get("partner")
        return {
            "partner": str(partner.pk) if partner else "",
            "search": self.cleaned_data.get("search") or "",
            "state": self.cleaned_data.get("state") or "",
            "role": self.cleaned_data.get("role") or "",
            "desk": str(desk.pk) if desk else "",
        }


class DeskForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Usually a region, e.g. North Caucasus."),
        error_messages={"required": _("Enter the desk's name.")},
    )


class PartnerForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("A short reference used on screens instead of the name, e.g. P-014."),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9._-]+$", _("Use only letters, digits, dots, hyphens and underscores.")
            )
        ],
        error_messages={"required": _("Enter a code.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Stored encrypted; shown only to admins and the organisation's own people."),
        error_messages={"required": _("Enter the organisation's name.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerOrganisation.Kind.choices)
    desks = DeskChoice(
        label=_("Desks"),
        queryset=Desk.objects.none(),
        required=False,
        help_text=_("The desks this organisation works with."),
    )

    def __init__(self, *args: Any, editing: bool = False, desks: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        queryset = desks if desks is not None else Desk.objects.filter(is_active=True)
        self.fields["desks"].queryset = queryset  # type: ignore[attr-defined]
        if editing:
            # The code is a reference other records and people use: it does not change.
            del self.fields["code"]
