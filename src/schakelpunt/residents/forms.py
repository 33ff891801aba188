"""Forms about residents: the as-you-type search and a new resident at intake."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakelpunt.residents.models import Resident
from schakelpunt.residents.validators import validate_birth_date, validate_bsn, validate_postcode

SEARCH_MAX_LENGTH = 200


class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek inwoner"),
        help_text=_("Naam, geboortedatum (dd-mm-jjjj), postcode en huisnummer, of BSN"),
        max_length=SEARCH_MAX_LENGTH,
        # Required for the label (no "niet verplicht"); an empty search simply finds nothing.
        required=True,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "spellcheck": "false",
                "aria-controls": "search-results",
            }
        ),
    )


def _resident_field(name: str, **kwargs: Any) -> forms.Field:
    """The form field Django derives from the model: label, length, help text.

    Django does not copy a model field's own validators to the form field; the fields below
    name them (BSN eleven-test, postcode, birth date), so that the form gives the same Dutch
    messages as ``resident_create`` would, all at once.
    """
    return Resident._meta.get_field(name).formfield(**kwargs)


class NewResidentForm(forms.Form):
    """A resident registered at intake; ``resident_create`` does the writing (and checks again).

    Users without ``residents.can_view_bsn`` get no BSN field at all.
    """

    bsn = forms.CharField(
        label=_("BSN"),
        # Room for "9999 93 653" or "9999.93.653": the service keeps only the digits.
        max_length=12,
        required=False,
        validators=[validate_bsn],
        help_text=Resident._meta.get_field("bsn").help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    given_names = _resident_field("given_names")
    surname_prefix = _resident_field("surname_prefix")
    surname = _resident_field("surname")
    birth_date = _resident_field(
        "birth_date",
        validators=[validate_birth_date],
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"autocomplete": "off"}),
        help_text=_("Als dd-mm-jjjj, bijvoorbeeld 12-03-1948."),
        error_messages={"invalid": _("Dit is geen bestaande datum. Schrijf de datum als dd-mm-jjjj.")},
    )
    postcode = _resident_field(
        "postcode", validators=[validate_postcode], help_text=_("Bijvoorbeeld 7511 AB.")
    )
    house_number = _resident_field("house_number", widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    house_number_addition = _resident_field("house_number_addition")
    street = _resident_field("street")
    town = _resident_field("town")
    phone = _resident_field("phone", widget=forms.TextInput(attrs={"type": "tel"}))
    email = _resident_field("email")

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.has_perm("residents.can_view_bsn"):
            del self.fields["bsn"]
        for field in self.fields.values():
            # The data of a resident, not of the employee: the browser must not fill it in.
            field.widget.attrs.setdefault("autocomplete", "off")

    @property
    def data_for_service(self) -> dict[str, Any]:
        """The cleaned fields as ``resident_create`` takes them."""
        return dict(self.cleaned_data)

    def add_service_errors(self, error) -> None:
        """Put ``resident_create``'s errors next to the fields they name.

        The only model-wide rule of a resident is the unique BSN among active residents, so a
        message without a field goes with the BSN when there is one.
        """
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            if field in self.fields:
                self.add_error(field, messages)
            elif "bsn" in self.fields and self.cleaned_data.get("bsn"):
                self.add_error("bsn", messages)
            else:
                self.add_error(None, messages)
