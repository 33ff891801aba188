"""Forms for looking after a resident: details, representatives, consents and self-reliance.

The forms check what they can, with Dutch messages next to the fields; the services in
``residents.services`` and ``contacts.services`` do the writing and check again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakelpunt.contacts.models import AssessmentDomain, AssessmentInstrument
from schakelpunt.core.forms import ServiceErrorsMixin
from schakelpunt.organisations.models import Organisation
from schakelpunt.residents.forms import NewResidentForm
from schakelpunt.residents.models import Consent, Representation, Resident
from schakelpunt.residents.validators import normalise_bsn, normalise_postcode, validate_bsn

RADIO = "utrecht-radio-button utrecht-radio-button--html-input utrecht-form-field__input"
CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input"
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
ADDRESS_FIELDS = ("postcode", "house_number", "house_number_addition", "street", "town")

# What the scores of the Zelfredzaamheid-Matrix mean (the same for each of its 13 domains).
ZRM_SCORE_LABELS = {
    1: _("Acute problematiek"),
    2: _("Niet zelfredzaam"),
    3: _("Beperkt zelfredzaam"),
    4: _("Voldoende zelfredzaam"),
    5: _("Volledig zelfredzaam"),
}


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("Dit is geen bestaande datum. Schrijf de datum als dd-mm-jjjj.")},
        **kwargs,
    )


class ResidentEditForm(NewResidentForm):
    """A resident's details. ``version`` is the version the employee opened: the service refuses
    the save when someone else saved since (optimistic locking).

    What a user may not see is not in the form at all, so it is neither shown nor changed:
    the BSN without ``residents.can_view_bsn``; the address (and the secrecy itself) of a
    resident under secrecy without ``residents.can_view_secret_address``.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    preferred_channel = forms.ChoiceField(
        label=_("Voorkeur voor contact"),
        choices=[("", _("Geen voorkeur")), *Resident.Channel.choices],
        required=False,
    )
    is_secret = forms.BooleanField(
        label=_("Geheimhouding"),
        required=False,
        help_text=Resident._meta.get_field("is_secret").help_text,
        widget=forms.CheckboxInput(attrs={"class": CHECKBOX}),
    )

    def __init__(self, *args: Any, user, resident: Resident, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.resident = resident
        may_see_secret = user.has_perm("residents.can_view_secret_address")
        self.address_hidden = resident.is_secret and not may_see_secret
        if not may_see_secret:
            # Only who may see a secret address decides about secrecy.
            del self.fields["is_secret"]
        if self.address_hidden:
            for name in ADDRESS_FIELDS:
                del self.fields[name]
        if not self.is_bound:
            # Only what the form shows is filled in: no BSN in a volunteer's form, not even hidden.
            self.initial = {
                name: resident.version if name == "version" else getattr(resident, name)
                for name in self.fields
            }

    def clean_bsn(self) -> str:
        return normalise_bsn(self.cleaned_data.get("bsn") or "")

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode") or ""
        return normalise_postcode(value) if value else ""

    @property
    def changes(self) -> dict[str, Any]:
        """The fields that differ from the resident as stored now, as ``resident_update`` takes them."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and value != getattr(self.resident, name)
        }


class RepresentationForm(ServiceErrorsMixin, forms.Form):
    """Someone acting for the resident: a named person, or another resident.

    Another resident is picked from the residents at the same address (postcode and house
    number) or, for who may see BSNs, by the exact BSN.
    """

    kind = forms.ChoiceField(
        label=_("Soort vertegenwoordiger"),
        choices=[("", _("Kies de soort")), *Representation.Kind.choices],
    )
    housemate = forms.ModelChoiceField(
        label=_("Is ook inwoner: woont op hetzelfde adres"),
        queryset=Resident.objects.none(),
        required=False,
        blank=True,
        empty_label=_("Geen van deze"),
        widget=forms.RadioSelect(attrs={"class": RADIO}),
    )
    representative_bsn = forms.CharField(
        label=_("Is ook inwoner: BSN van de vertegenwoordiger"),
        max_length=12,
        required=False,
        validators=[validate_bsn],
        help_text=_("Alleen als de vertegenwoordiger ook bij het loket bekend is."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Naam vertegenwoordiger"),
        max_length=200,
        required=False,
        help_text=_("Verplicht als u hierboven geen inwoner kiest."),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    valid_from = _date_field(_("Vanaf"), help_text=_("Als dd-mm-jjjj. Leeg: vanaf nu."))
    valid_until = _date_field(_("Tot en met"), help_text=_("Als dd-mm-jjjj. Leeg: zonder einddatum."))

    def __init__(self, *args: Any, user, resident: Resident, housemates, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.resident = resident
        self.searched_by_bsn = False
        if housemates.exists():
            self.fields["housemate"].queryset = housemates
            self.fields["housemate"].label_from_instance = self._housemate_label
        else:
            del self.fields["housemate"]
        if not user.has_perm("residents.can_view_bsn"):
            del self.fields["representative_bsn"]
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")

    @staticmethod
    def _housemate_label(resident: Resident) -> str:
        if resident.birth_date:
            return _("%(name)s, geboren %(date)s") % {
                "name": resident.full_name,
                "date": resident.birth_date.strftime("%d-%m-%Y"),
            }
        return resident.full_name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        housemate = data.get("housemate")
        bsn = normalise_bsn(data.get("representative_bsn") or "")
        representative = housemate
        if housemate and bsn:
            self.add_error(
                "representative_bsn",
                _("Kies een inwoner uit de lijst óf vul een BSN in, niet allebei."),
            )
        elif bsn:
            self.searched_by_bsn = True
            # Only one active resident has a BSN; moved or deceased ones may share it.
            found = sorted(
                Resident.objects.visible_to(self.user).filter(bsn=bsn)[:10],
                key=lambda resident: (resident.status != Resident.Status.ACTIVE, resident.pk),
            )
            representative = found[0] if found else None
            if representative is None:
                self.add_error(
                    "representative_bsn",
                    _(
                        "Geen inwoner gevonden met dit BSN. "
                        "Vul dan hieronder de naam in en laat het BSN leeg."
                    ),
                )
            elif representative.pk == self.resident.pk:
                self.add_error(
                    "representative_bsn", _("Een inwoner kan niet zijn eigen vertegenwoordiger zijn.")
                )
                representative = None
        if representative is None and not data.get("name") and not self.errors.get("representative_bsn"):
            self.add_error("name", _("Vul de naam van de vertegenwoordiger in, of kies een inwoner."))
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("De einddatum ligt vóór de begindatum."))
        data["representative"] = representative
        return data

    @property
    def data_for_service(self) -> dict[str, Any]:
        """The cleaned fields as ``representation_add`` takes them."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "representative": data["representative"],
            "name": data.get("name", ""),
            "phone": data.get("phone", ""),
            "email": data.get("email", ""),
            "valid_from": data.get("valid_from"),
            "valid_until": data.get("valid_until"),
        }


class ConsentForm(ServiceErrorsMixin, forms.Form):
    """What the resident agrees may be shared, with whom and for what."""

    purpose = forms.CharField(
        label=_("Doel"),
        max_length=Consent._meta.get_field("purpose").max_length,
        help_text=_("Waarvoor de gegevens gedeeld mogen worden, bijvoorbeeld: doorverwijzing naar de Wmo."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Het loket zelf"),
        help_text=_("Met welke organisatie de gegevens gedeeld mogen worden."),
    )
    scope = forms.MultipleChoiceField(
        label=_("Welke gegevens"),
        choices=Consent.Scope.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
        error_messages={"required": _("Kies ten minste één soort gegevens.")},
    )
    legal_basis = forms.CharField(
        label=_("Wettelijke grondslag"),
        max_length=Consent._meta.get_field("legal_basis").max_length,
        required=False,
        help_text=_("Verplicht als het BSN gedeeld mag worden: noem de wet en het artikel."),
    )
    given_by = forms.CharField(
        label=_("Gegeven door"),
        max_length=Consent._meta.get_field("given_by").max_length,
        required=False,
        help_text=_("Leeg: door de inwoner zelf. Anders de naam van de vertegenwoordiger."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if Consent.Scope.BSN in (data.get("scope") or []) and not data.get("legal_basis", "").strip():
            self.add_error(
                "legal_basis",
                _(
                    "Vul de wettelijke grondslag in: het BSN mag alleen worden gedeeld "
                    "als een wet dat toestaat."
                ),
            )
        return data


def score_label(instrument: AssessmentInstrument, score: int) -> str:
    if instrument.code == "zrm" and score in ZRM_SCORE_LABELS:
        return f"{score} – {ZRM_SCORE_LABELS[score]}"
    return str(score)


class AssessmentForm(forms.Form):
    """One measurement: per domain of the instrument a score, or "not measured"."""

    def __init__(
        self, *args: Any, instrument: AssessmentInstrument, domains: list[AssessmentDomain], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.domain_codes: dict[str, str] = {}
        choices = [("", _("Niet gemeten"))] + [
            (str(score), score_label(instrument, score))
            for score in range(instrument.min_score, instrument.max_score + 1)
        ]
        for domain in domains:
            name = f"score-{domain.code}"
            self.domain_codes[name] = domain.code
            self.fields[name] = forms.TypedChoiceField(
                label=domain.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial="",
                widget=forms.RadioSelect(attrs={"class": RADIO}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not self.scores:
            raise forms.ValidationError(_("Geef ten minste één domein een score."), code="empty")
        return data

    @property
    def scores(self) -> dict[str, int]:
        """Domain code → score, for the scored domains only (as ``assessment_record`` takes them)."""
        return {
            code: self.cleaned_data[name]
            for name, code in self.domain_codes.items()
            if self.cleaned_data.get(name) is not None
        }

    def add_service_errors(self, error) -> None:
        if hasattr(error, "error_dict"):
            by_code = {code: name for name, code in self.domain_codes.items()}
            for code, messages in error.message_dict.items():
                self.add_error(by_code.get(code), messages)
        else:
            self.add_error(None, error)
