from django import forms
from django.utils.translation import gettext_lazy as _

from schakelpunt.audit.models import AccessLog


class AccessLogFilterForm(forms.Form):
    username = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=150)
    object_type = forms.CharField(
        label=_("Soort gegeven"),
        required=False,
        max_length=100,
        help_text=_("Bijvoorbeeld residents.resident"),
    )
    object_id = forms.CharField(label=_("Kenmerk"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Handeling"), required=False, choices=[("", _("Alle")), *AccessLog.Action.choices]
    )
    result = forms.ChoiceField(
        label=_("Resultaat"), required=False, choices=[("", _("Alle")), *AccessLog.Result.choices]
    )
    date_from = forms.DateField(
        label=_("Vanaf datum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Tot en met datum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return data
