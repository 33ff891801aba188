"""Forms for editing the social map: a service, its opening hours, its capacity; the manage list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.forms import ServiceErrorsMixin
from schakelpunt.directory.models import Organization, Service, Taxonomy, TaxonomyTerm
from schakelpunt.directory.services import organizations_editable_by
from schakelpunt.organisations.models import Municipality

CHECKBOXES = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}
DAYS = [
    ("MO", _("maandag")),
    ("TU", _("dinsdag")),
    ("WE", _("woensdag")),
    ("TH", _("donderdag")),
    ("FR", _("vrijdag")),
    ("SA", _("zaterdag")),
    ("SU", _("zondag")),
]


def _model_field(name: str, **kwargs: Any) -> forms.Field:
    """The form field Django derives from the model: label, length, choices and help text."""
    return Service._meta.get_field(name).formfield(**kwargs)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ServiceForm(ServiceErrorsMixin, forms.Form):
    """A service's details, terms, areas and capacity. ``version`` is the version the form was
    opened at: the service refuses the save when someone else saved since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    organization = forms.ModelChoiceField(
        label=_("Aanbieder"), queryset=Organization.objects.none(), empty_label=None
    )
    name = _model_field("name")
    alternate_name = _model_field("alternate_name")
    description = _model_field(
        "description",
        widget=_textarea(4),
        help_text=_("Wat de dienst inhoudt, in gewone taal: inwoners lezen dit in de wegwijzer."),
    )
    status = _model_field("status")
    alert = _model_field(
        "alert",
        widget=_textarea(2),
        help_text=_("Een tijdelijke mededeling, bijvoorbeeld ‘Gesloten in de zomervakantie’."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Soort aanbod"),
        queryset=TaxonomyTerm.objects.filter(taxonomy_detail__facet=Taxonomy.Facet.CATEGORY),
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOXES),
        required=False,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Doelgroepen"),
        queryset=TaxonomyTerm.objects.filter(taxonomy_detail__facet=Taxonomy.Facet.TARGET_GROUP),
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOXES),
        required=False,
    )
    eligibility_description = _model_field(
        "eligibility_description",
        widget=_textarea(3),
        help_text=_("Voorwaarden, zoals een indicatie, een verwijzing of een inkomensgrens."),
    )
    minimum_age = _model_field("minimum_age", required=False)
    maximum_age = _model_field("maximum_age", required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Werkgebied"),
        queryset=Municipality.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOXES),
        required=False,
        help_text=_("De gemeenten waar de dienst voor inwoners beschikbaar is."),
    )
    application_process = _model_field(
        "application_process",
        widget=_textarea(3),
        help_text=_("Hoe meldt iemand zich aan: bellen, een formulier, via de huisarts of het loket?"),
    )
    is_free = _model_field("is_free", required=False)
    fees_description = _model_field("fees_description", widget=_textarea(2))
    url = _model_field("url")
    email = _model_field("email")
    capacity = _model_field("capacity")
    capacity_wait_band = _model_field("capacity_wait_band", help_text=_("Alleen bij een wachtlijst."))
    confirm = forms.BooleanField(
        label=_("Alle gegevens van deze dienst kloppen (bevestigen met de datum van vandaag)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, user, service: Service | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["capacity_wait_band"].choices = [
            ("", _("Geen of onbekend")),
            *Service.WaitBand.choices[1:],
        ]
        self.fields["minimum_age"].widget.attrs.update({"min": 0, "max": 120})
        self.fields["maximum_age"].widget.attrs.update({"min": 0, "max": 120})
        if service is None:
            self.fields["organization"].queryset = organizations_editable_by(user).order_by("name")
            del self.fields["version"]
        else:
            # Which organisation a service belongs to is not changed here: the admin site does.
            del self.fields["organization"]
            self.fields["version"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("De maximumleeftijd is lager dan de minimumleeftijd."))
        if data.get("capacity") != Service.Capacity.WAITING_LIST:
            data["capacity_wait_band"] = ""
        return data

    def changes(self, *, kept_terms=()) -> dict[str, Any]:
        """The data as ``service_create``/``service_update`` take it. ``kept_terms``: terms of
        the service the form does not offer (other taxonomies), which stay."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("version", "organization", "categories", "target_groups")
        }
        data["terms"] = [*self.cleaned_data["categories"], *self.cleaned_data["target_groups"], *kept_terms]
        data["municipalities"] = list(self.cleaned_data["municipalities"])
        return data


TIME = {"type": "time", "class": "utrecht-textbox utrecht-textbox--html-input sp-time"}


class ScheduleForm(forms.Form):
    """One weekly opening time: days, from, to, a note. The formset's empty extra rows are
    skipped (Django does not validate an extra form nobody filled in), so the fields are
    required only for a row in use."""

    id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    byday = forms.MultipleChoiceField(
        label=_("Dagen"),
        choices=DAYS,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOXES),
        error_messages={"required": _("Kies minstens één dag.")},
    )
    opens_at = forms.TimeField(
        label=_("Open vanaf"),
        widget=forms.TimeInput(attrs=TIME, format="%H:%M"),
        error_messages={"required": _("Vul in hoe laat het begint.")},
    )
    closes_at = forms.TimeField(
        label=_("Open tot"),
        widget=forms.TimeInput(attrs=TIME, format="%H:%M"),
        error_messages={"required": _("Vul in hoe laat het eindigt.")},
    )
    description = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld ‘alleen op afspraak’ of ‘telefonisch spreekuur’."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("De eindtijd moet na de begintijd liggen."))
        return data


class BaseScheduleFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """The rows as ``service_update`` takes them under ``schedules``."""
        rows = []
        for form in self.forms:
            if not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            data = form.cleaned_data
            if data.get("DELETE"):
                if data.get("id"):
                    rows.append({"id": data["id"], "delete": True})
                continue
            rows.append(
                {
                    "id": data.get("id"),
                    "byday": ",".join(data["byday"]),
                    "opens_at": data["opens_at"],
                    "closes_at": data["closes_at"],
                    "description": data.get("description", ""),
                }
            )
        return rows


ScheduleFormSet = forms.formset_factory(
    ScheduleForm, formset=BaseScheduleFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)


def schedule_initial(schedules) -> list[dict[str, Any]]:
    return [
        {
            "id": schedule.pk,
            "byday": [code for code in schedule.byday.upper().split(",") if code],
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "description": schedule.description,
        }
        for schedule in schedules
    ]


class CapacityForm(forms.Form):
    capacity = forms.ChoiceField(
        label=_("Capaciteit"),
        choices=[choice for choice in Service.Capacity.choices if choice[0] != Service.Capacity.UNKNOWN],
    )
    wait_band = forms.ChoiceField(
        label=_("Verwachte wachttijd"),
        choices=[("", _("Geen of onbekend")), *Service.WaitBand.choices[1:]],
        required=False,
        help_text=_("Alleen bij een wachtlijst."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("capacity") != Service.Capacity.WAITING_LIST:
            data["wait_band"] = ""
        return data


class ManageFilterForm(forms.Form):
    """GET filters of the manage list; the names are what shows in the address bar."""

    q = forms.CharField(label=_("Naam bevat"), required=False, max_length=100)
    aanbieder = forms.ModelChoiceField(
        label=_("Aanbieder"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Alle aanbieders"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle statussen")), *Service.Status.choices], required=False
    )
    capaciteit = forms.ChoiceField(
        label=_("Capaciteit"),
        choices=[("", _("Alle")), *Service.Capacity.choices],
        required=False,
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = organizations_editable_by(user)
        if user.has_perm("directory.change_any_service"):
            self.fields["aanbieder"].queryset = organizations.order_by("name")
        else:
            # A partner has one organisation: nothing to choose.
            del self.fields["aanbieder"]

    @property
    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
