"""Forms of the reports pages: the period of a dashboard, a funder report, a yearly goal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.choices import countries
from passage.cases.models import Measure
from passage.reports import queries
from passage.reports.queries import Period

MEASURES = [
    (Measure.OPENED, _("Cases opened")),
    (Measure.VERIFIED, _("Verified")),
    (Measure.APPROVED, _("Approved")),
    (Measure.IN_TRANSIT, _("Went in transit")),
    (Measure.ARRIVED, _("Arrived (relocated to safety)")),
    (Measure.SETTLED, _("Settled")),
]
ROWS = [
    ("country", _("Country of origin")),
    ("gender", _("Gender identity")),
    ("orientation", _("Sexual orientation")),
    ("age_band", _("Age band")),
    ("pathway", _("Pathway")),
    ("month", _("Month")),
]
ANY = "any"
NONE = "none"  # "not recorded" in the form ("" there means "not given": any)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def year_or_default(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return timezone.localdate().year


class MonthField(forms.CharField):
    """A month as YYYY-MM."""

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM (e.g. 2026-07).")) from None


def _with_any(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(ANY, str(_("Any"))), *[(code or NONE, label) for code, label in choices]]


class FunderForm(forms.Form):
    """Which cases to count: the period, what they reached, the fund and categories."""

    start = MonthField(
        label=_("From (month)"), help_text=_("YYYY-MM, e.g. 2025-07"), required=False
    )
    end = MonthField(
        label=_("To (month, included)"), help_text=_("YYYY-MM, e.g. 2026-06"), required=False
    )
    measure = forms.ChoiceField(
        label=_("Cases that"), choices=MEASURES, initial=Measure.ARRIVED, required=False
    )
    fund = forms.ChoiceField(label=_("Paid by fund"), required=False)
    gender = forms.ChoiceField(label=_("Gender identity"), required=False)
    orientation = forms.ChoiceField(label=_("Sexual orientation"), required=False)
    age_band = forms.ChoiceField(label=_("Age band"), required=False)
    pathway = forms.ChoiceField(label=_("Pathway"), required=False)
    country = forms.ChoiceField(label=_("Country of origin"), required=False)
    rows = forms.ChoiceField(
        label=_("One row per"), choices=ROWS, initial="country", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dims = queries.dimension_choices()
        fields: dict[str, Any] = self.fields
        fields["fund"].choices = [
            ("", str(_("All cases, any fund"))),
            *queries.funds_for_choice(),
        ]
        for name in ("gender", "orientation", "age_band", "pathway"):
            fields[name].choices = _with_any(dims[name][1])
        fields["country"].choices = _with_any(list(countries()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        end = data.get("end") or today.replace(day=1)
        start = data.get("start") or dt.date(end.year - 1, end.month, 1)
        if start > end:
            raise forms.ValidationError(_("The period starts after it ends."))
        if (end.year - start.year) * 12 + end.month - start.month >= 120:
            raise forms.ValidationError(_("A report covers at most ten years."))
        data["start"], data["end"] = start, end
        return data

    def query(self) -> dict[str, Any]:
        data = self.cleaned_data
        # A filter left at "any" (or not given) is no filter; "not recorded" is a value.
        filters = {
            name: "" if data[name] == NONE else data[name]
            for name in ("gender", "orientation", "age_band", "pathway", "country")
            if data.get(name) not in (None, "", ANY)
        }
        return {
            "period": Period(data["start"], data["end"]),
            "measure": data.get("measure") or Measure.ARRIVED,
            "fund": data.get("fund") or "",
            "filters": filters,
            "rows": data.get("rows") or "country",
        }


class GoalForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    people = forms.IntegerField(
        label=_("People to bring to safety"),
        min_value=1,
        max_value=1_000_000,
        help_text=_("Counted when they arrive: everyone in the household."),
    )
