"""Forms of the import pages: the upload, and the mapping of columns to fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, User
from passage.imports import queries
from passage.imports.models import ImportMapping


class UploadForm(forms.Form):
    desk = forms.ModelChoiceField(
        label=_("Into which desk"), queryset=Desk.objects.none(), empty_label=None
    )
    spreadsheet = forms.FileField(
        label=_("The spreadsheet (CSV or XLSX)"),
        help_text=_(
            "One row per case; notes, contacts and files as further rows with a record-type "
            "column and the case key of their case, or on sheets named notes, contacts, files."
        ),
    )
    archive = forms.FileField(
        label=_("The files (a ZIP archive)"),
        required=False,
        help_text=_("Optional. A file column names a file in this archive."),
    )
    saved = forms.ModelChoiceField(
        label=_("Use a saved mapping"),
        queryset=ImportMapping.objects.none(),
        required=False,
        empty_label=_("No: choose the columns"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = queries.desks_led(user)  # type: ignore[attr-defined]
        self.fields["saved"].queryset = queries.mappings_for(user)  # type: ignore[attr-defined]
        self.fields["saved"].label_from_instance = (  # type: ignore[attr-defined]
            lambda m: f"{m.name} ({m.desk.name})"
        )


class MappingForm(forms.Form):
    """One choice per column of the file (``col_<n>``), and a name to save the mapping."""

    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=80,
        help_text=_("Optional: a name, to use the same mapping for the next file."),
    )

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        options: list[tuple[str, str]],
        initial_map: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        fields: dict[str, forms.Field] = {}
        for index, header in enumerate(headers):
            fields[f"col_{index}"] = forms.ChoiceField(
                label=header, choices=options, required=False, initial=initial_map.get(header, "")
            )
        fields["save_as"] = self.fields.pop("save_as")
        self.fields = fields

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used = [data.get(f"col_{i}") for i in range(len(self.headers))]
        chosen = [u for u in used if u]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Two columns are mapped to the same field."))
        if not chosen:
            raise forms.ValidationError(_("Map at least one column."))
        return data

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data.get(f"col_{i}") or "" for i, h in enumerate(self.headers)}
