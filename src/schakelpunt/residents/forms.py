"""Forms about residents: the as-you-type search, a new resident at intake, the timeline filter."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from schakelpunt.contacts.models import LifeDomain, Question
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


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes as Django's ``django/forms/widgets/attrs.html`` writes them."""
    html = [
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    ]
    return mark_safe("".join(html))  # noqa: S308 - each part is escaped by format_html


class Select(forms.Select):
    """A select list that writes its options itself, exactly as Django's select templates do.

    Django renders each option through two template includes; the timeline filter is on every
    resident page, and its two lists cost more than the rest of the form together. No option
    groups (the filter has none).
    """

    def _render(self, template_name: str, context: dict[str, Any], renderer=None) -> SafeString:
        widget = context["widget"]
        options = []
        for group_name, group, _index in widget["optgroups"]:
            if group_name:  # not used here; let Django's templates handle it
                return super()._render(template_name, context, renderer)
            options.extend(group)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join(
                "", '\n  <option value="{}"{}>{}</option>\n',
                ((str(option["value"]), _attrs(option["attrs"]), option["label"]) for option in options),
            ),
        )  # fmt: skip


class TimelineFilterForm(forms.Form):
    """GET filters of the resident's timeline; the names are what shows in the address bar.

    The life domains are read once per form, and only when the list is shown or a domain is
    asked for (the htmx fragment without a domain filter reads none).
    """

    domein = forms.ChoiceField(
        label=_("Levensdomein"),
        required=False,
        widget=Select,
        error_messages={"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]},
    )
    status = forms.ChoiceField(
        label=_("Status van de vraag"),
        choices=[("", _("Alle statussen")), *Question.Status.choices],
        required=False,
        widget=Select,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domein"].choices = self._domain_choices

    @cached_property
    def _domains(self) -> dict[str, LifeDomain]:
        domains = LifeDomain.objects.filter(is_active=True).order_by("position", "name").only("code", "name")
        return {domain.code: domain for domain in domains}

    def _domain_choices(self) -> list[tuple[str, str]]:
        return [
            ("", _("Alle levensdomeinen")),
            *((code, str(domain)) for code, domain in self._domains.items()),
        ]

    @property
    def domain(self) -> LifeDomain | None:
        """The valid domain filter, if any."""
        if not self.is_valid() or not self.cleaned_data.get("domein"):
            return None
        return self._domains[self.cleaned_data["domein"]]

    @property
    def filters(self) -> dict[str, str]:
        """The valid filters as the selector takes them; invalid input filters nothing."""
        if not self.is_valid():
            return {"domain": "", "status": ""}
        return {
            "domain": self.cleaned_data.get("domein") or "",
            "status": self.cleaned_data.get("status") or "",
        }
