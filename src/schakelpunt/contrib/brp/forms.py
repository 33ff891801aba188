"""The register lookup on the intake screen: by BSN, by surname and birth date, or by address."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from schakelpunt.contrib.brp.services import LOOKUP_ADDRESS, LOOKUP_BSN, LOOKUP_NAME
from schakelpunt.residents.validators import normalise_bsn, normalise_postcode, validate_bsn

DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]


class RegisterLookupForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Zoeken op"),
        choices=[
            (LOOKUP_BSN, _("BSN")),
            (LOOKUP_NAME, _("Achternaam en geboortedatum")),
            (LOOKUP_ADDRESS, _("Postcode en huisnummer")),
        ],
        initial=LOOKUP_BSN,
    )
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    geslachtsnaam = forms.CharField(label=_("Achternaam"), max_length=200, required=False)
    voorvoegsel = forms.CharField(label=_("Voorvoegsel"), max_length=10, required=False)
    geboortedatum = forms.DateField(
        label=_("Geboortedatum"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Als dd-mm-jjjj."),
        error_messages={"invalid": _("Dit is geen bestaande datum. Schrijf de datum als dd-mm-jjjj.")},
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    huisnummer = forms.IntegerField(label=_("Huisnummer"), required=False, min_value=1, max_value=99999)
    toevoeging = forms.CharField(label=_("Huisletter of toevoeging"), max_length=5, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("soort")
        required = {
            LOOKUP_BSN: ["bsn"],
            LOOKUP_NAME: ["geslachtsnaam", "geboortedatum"],
            LOOKUP_ADDRESS: ["postcode", "huisnummer"],
        }.get(kind, [])
        for name in required:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Vul dit in om op deze manier te zoeken."))
        if kind == LOOKUP_BSN and data.get("bsn"):
            try:
                validate_bsn(normalise_bsn(data["bsn"]))
                data["bsn"] = normalise_bsn(data["bsn"])
            except ValidationError as error:
                self.add_error("bsn", error)
        if kind == LOOKUP_ADDRESS and data.get("postcode"):
            try:
                data["postcode"] = normalise_postcode(data["postcode"])
            except ValidationError as error:
                self.add_error("postcode", error)
        return data


class AdoptForm(forms.Form):
    """The person picked from the results: the BSN travels in the POST body, never in a URL."""

    bsn = forms.CharField(max_length=9, validators=[validate_bsn])
