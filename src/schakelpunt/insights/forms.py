"""The dashboard's filters: a GET form, so every view of the figures is a shareable address.

Only months and the ids of desks and municipalities go into the address: no personal data.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.insights.periods import Period, parse_month
from schakelpunt.insights.selectors import Scope

MAX_MONTHS = 120  # ten years: more is not a dashboard any more


class MonthInput(forms.TextInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__({"class": "utrecht-textbox utrecht-textbox--html-input", **(attrs or {})})


class MonthField(forms.CharField):
    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(_("Vul een maand in als jjjj-mm, bijvoorbeeld 2025-03.")) from None


class DashboardFilterForm(forms.Form):
    van = MonthField(label=_("Van maand"), required=False, help_text=_("jjjj-mm"))
    tot = MonthField(label=_("Tot en met maand"), required=False, help_text=_("jjjj-mm"))
    loket = forms.TypedMultipleChoiceField(
        label=_("Loketten"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: alle loketten."),
    )
    gemeente = forms.TypedChoiceField(label=_("Gemeente"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, scope: Scope, default: Period | None = None):
        super().__init__(data)
        self.default = default or Period.last_12_months()
        self.fields["van"].widget.attrs["placeholder"] = f"{self.default.first:%Y-%m}"
        self.fields["tot"].widget.attrs["placeholder"] = f"{self.default.last:%Y-%m}"
        self.fields["loket"].choices = [(desk.pk, desk.name) for desk in scope.desks]
        self.fields["gemeente"].choices = [("", _("Alle gemeenten"))] + [
            (municipality.pk, municipality.name) for municipality in scope.municipalities
        ]
        # A choice of one is no choice.
        self.show_desks = len(scope.desks) > 1
        self.show_municipalities = len(scope.municipalities) > 1

    def clean(self):
        data = super().clean()
        first = data.get("van") or self.default.first
        last = data.get("tot") or self.default.last
        if data.get("van") and not data.get("tot") and first > self.default.last:
            last = first
        if last < first:
            self.add_error("tot", _("De laatste maand ligt vóór de eerste."))
        elif len(Period(first, last).months) > MAX_MONTHS:
            self.add_error("van", _("Kies een periode van hoogstens tien jaar."))
        else:
            data["period"] = Period(first, last)
        return data

    def filters(self) -> dict:
        """The period, desks and municipality to show; the defaults when the form is not valid."""
        if self.is_bound and self.is_valid():
            return {
                "period": self.cleaned_data["period"],
                "desks": self.cleaned_data.get("loket") or [],
                "municipality": self.cleaned_data.get("gemeente"),
            }
        return {"period": self.default, "desks": [], "municipality": None}


YEARS_OFFERED = 6  # the annual report: this year and the five before it


class AnnualReportForm(forms.Form):
    """Start the annual report (PDF) from the dashboard: a year, and the desk and municipality
    when the user has a choice. Posted; the report is made by a background job."""

    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int)
    loket = forms.TypedChoiceField(label=_("Loket"), required=False, coerce=int, empty_value=None)
    gemeente = forms.TypedChoiceField(label=_("Gemeente"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, scope: Scope, today=None, initial=None):
        super().__init__(data, initial=initial, prefix="jaarverslag")
        this_year = (today or timezone.localdate()).year
        self.fields["jaar"].choices = [
            (year, str(year)) for year in range(this_year, this_year - YEARS_OFFERED, -1)
        ]
        self.fields["jaar"].initial = this_year - 1  # the last complete year
        self.fields["loket"].choices = [("", _("Alle loketten"))] + [
            (desk.pk, desk.name) for desk in scope.desks
        ]
        self.fields["gemeente"].choices = [("", _("Alle gemeenten"))] + [
            (municipality.pk, municipality.name) for municipality in scope.municipalities
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        self.show_desks = len(scope.desks) > 1
        self.show_municipalities = len(scope.municipalities) > 1
