"""Forms of the Wmo pages: making a report, and one small form per step of its handling.

The forms check what a form can check (a field is filled in, a date is a date); the rules of
the Wmo (which move is allowed, what a move needs, the deadlines) are the services' and come
back as a ValidationError that :class:`ServiceErrorsMixin` puts next to the fields it names.
Every handling form carries the version of the report it was opened at (optimistic locking).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.forms import ServiceErrorsMixin
from schakelpunt.wmo.models import WmoReport, WmoSupportRequest, WmoSuspension

RADIO = "utrecht-radio-button utrecht-radio-button--html-input utrecht-form-field__input"
CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input"
# Fields rendered one by one in a table or a row get their classes here (the form renderer only
# adds them to fields rendered as a field group).
TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
YES, NO = "yes", "no"
YES_NO = [(YES, _("Ja")), (NO, _("Nee"))]
SupportType = WmoSupportRequest.SupportType


def date_field(label, *, required: bool = True, help_text=None, today: bool = False) -> forms.DateField:
    """A date typed as dd-mm-jjjj, as everywhere in Schakelpunt; ``today`` fills in today."""
    return forms.DateField(
        label=label,
        required=required,
        initial=timezone.localdate if today else None,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%d-%m-%Y",
            attrs={"autocomplete": "off", "class": "utrecht-textbox utrecht-textbox--html-input sp-date"},
        ),
        help_text=help_text or _("Als dd-mm-jjjj."),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Dit is geen bestaande datum. Schrijf de datum als dd-mm-jjjj."),
        },
    )


def _yes_no(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


def consultants_for(desk_ids) -> QuerySet:
    """Who can handle reports of these desks: active users with the permission to work them."""
    perm = Q(groups__permissions__codename="work_wmoreport") | Q(user_permissions__codename="work_wmoreport")
    return (
        get_user_model()
        .objects.filter(perm, is_active=True, desks__in=desk_ids)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


# --- making a report --------------------------------------------------------------------------


class WmoReportForm(ServiceErrorsMixin, forms.Form):
    """The report: when, who reported, what support is asked for, and the client-support offer."""

    desk = forms.ModelChoiceField(label=_("Loket"), queryset=None, empty_label=None)
    reported_on = date_field(_("Datum van de melding"), today=True)
    reporter = forms.ChoiceField(
        label=_("Wie meldt?"), choices=WmoReport.Reporter.choices, initial=WmoReport.Reporter.RESIDENT
    )
    reporter_name = forms.CharField(
        label=_("Naam van de melder"),
        max_length=200,
        required=False,
    )
    support_types = forms.MultipleChoiceField(
        label=_("Voor welke ondersteuning meldt de inwoner zich?"),
        choices=SupportType.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
        error_messages={"required": _("Kies ten minste één soort ondersteuning.")},
    )
    summary = forms.CharField(
        label=_("Waar heeft de inwoner ondersteuning bij nodig?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In de woorden van de inwoner: wat lukt niet meer, en wat wil de inwoner bereiken?"),
        error_messages={"required": _("Beschrijf waar de inwoner ondersteuning bij nodig heeft.")},
    )
    # Wmo 2015 art. 2.3.2 lid 3: must be answered; there is deliberately no default.
    client_support_offered = forms.ChoiceField(
        label=_("Is gratis onafhankelijke cliëntondersteuning aangeboden?"),
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"class": RADIO}),
        error_messages={
            "required": _(
                "Geef aan of gratis onafhankelijke cliëntondersteuning is aangeboden: "
                "zonder dit antwoord kan de melding niet worden opgeslagen."
            )
        },
    )
    client_support_accepted = forms.ChoiceField(
        label=_("Wil de inwoner cliëntondersteuning?"),
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"class": RADIO}),
        required=False,
    )

    def __init__(self, *args: Any, desks: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks
        if len(desks) == 1:
            self.fields["desk"].initial = desks[0].pk
            self.fields["desk"].widget = forms.HiddenInput()
        for value, _label in SupportType.choices:
            self.fields[f"description_{value}"] = forms.CharField(
                label=_("Toelichting"),
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"class": TEXTBOX}),
            )

    def support_rows(self) -> list[dict]:
        """Each kind of support with its checkbox and its description field, for the template."""
        options = list(self["support_types"])
        return [
            {"option": option, "description": self[f"description_{value}"], "value": value}
            for option, (value, _label) in zip(options, SupportType.choices, strict=True)
        ]

    def clean(self) -> dict:
        data = super().clean()
        offered = _yes_no(data.get("client_support_offered", ""))
        accepted = _yes_no(data.get("client_support_accepted", ""))
        if offered and accepted is None:
            self.add_error(
                "client_support_accepted",
                _("Geef aan of de inwoner cliëntondersteuning wil (de ondersteuning is aangeboden)."),
            )
        if (
            data.get("reporter")
            and data["reporter"] != WmoReport.Reporter.RESIDENT
            and not data.get("reporter_name")
        ):
            self.add_error("reporter_name", _("Vul de naam in van wie de melding deed."))
        return data

    def service_arguments(self) -> dict:
        """The keyword arguments of ``wmo_report_create`` (without who and for whom)."""
        data = self.cleaned_data
        offered = _yes_no(data["client_support_offered"])
        return {
            "desk": data["desk"],
            "reported_on": data["reported_on"],
            "reporter": data["reporter"],
            "reporter_name": data["reporter_name"],
            "summary": data["summary"],
            "support_types": [
                (value, data.get(f"description_{value}", "")) for value in data["support_types"]
            ],
            "client_support_offered": offered,
            "client_support_accepted": _yes_no(data.get("client_support_accepted", "")) if offered else None,
        }


# --- handling a report -------------------------------------------------------------------------


class VersionForm(ServiceErrorsMixin, forms.Form):
    """The base of every handling form: the version of the report it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, report: WmoReport, user=None, **kwargs: Any) -> None:
        self.report = report
        self.user = user
        super().__init__(*args, **kwargs)


def _note(label=None, *, required: bool = False, rows: int = 2, message=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Toelichting"),
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        error_messages={"required": message or _("Vul een toelichting in.")},
    )


class PickUpForm(VersionForm):
    """Pick the report up (start the investigation) or give it to another consultant."""

    consultant = ConsultantChoiceField(
        label=_("Consulent"),
        queryset=None,
        empty_label=_("Kies een consulent"),
        error_messages={"required": _("Kies de consulent die het onderzoek doet.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants_for([self.report.desk_id])
        if self.user is not None and "consultant" not in self.initial:
            self.initial["consultant"] = self.user.pk


class InvestigationForm(VersionForm):
    conversation_on = date_field(_("Datum van het gesprek"), required=False)
    conversation_report = forms.CharField(
        label=_("Verslag van het gesprek"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "De inwoner krijgt het verslag op papier (Wmo 2015 art. 2.3.2 lid 8): schrijf het zo dat de "
            "inwoner het kan lezen en ondertekenen."
        ),
    )
    personal_plan_received_on = date_field(
        _("Persoonlijk plan ontvangen op"),
        required=False,
        help_text=_(
            "Alleen als de inwoner een persoonlijk plan inleverde (Wmo 2015 art. 2.3.2 lid 2). "
            "Als dd-mm-jjjj."
        ),
    )

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not any(
            data.get(name) for name in ("conversation_on", "conversation_report", "personal_plan_received_on")
        ):
            raise forms.ValidationError(
                _("Vul ten minste de datum van het gesprek, het verslag of het persoonlijk plan in.")
            )
        return data


class ApplicationForm(VersionForm):
    application_received_on = date_field(_("Aanvraag ontvangen op"), today=True)
    note = _note()


class DecisionForm(VersionForm):
    """The decision (beschikking): per kind of support asked for, what was decided."""

    decided_on = date_field(_("Besloten op"), today=True)
    decision_note = forms.CharField(
        label=_("Wat is besloten"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kort, zoals het in de beschikking staat."),
        error_messages={"required": _("Beschrijf wat er is besloten.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for request in self.report.support_requests.all():
            self.fields[f"decision_{request.support_type}"] = forms.ChoiceField(
                label=_("Besluit"),
                choices=[("", _("Kies")), *WmoReport.Decision.choices],
                widget=forms.Select(attrs={"class": SELECT}),
                error_messages={"required": _("Kies wat er over deze ondersteuning is besloten.")},
            )
            self.fields[f"what_{request.support_type}"] = forms.CharField(
                label=_("Wat is toegekend"),
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"class": TEXTBOX}),
            )

    def support_rows(self) -> list[dict]:
        return [
            {
                "request": request,
                "decision": self[f"decision_{request.support_type}"],
                "what": self[f"what_{request.support_type}"],
            }
            for request in self.report.support_requests.all()
        ]

    def decisions(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            request.support_type: (
                data[f"decision_{request.support_type}"],
                data.get(f"what_{request.support_type}", ""),
            )
            for request in self.report.support_requests.all()
        }


class CizReferralForm(VersionForm):
    ciz_referred_on = date_field(_("Doorverwezen naar het CIZ op"), today=True)
    note = _note()


class CizOutcomeForm(VersionForm):
    ciz_outcome = forms.ChoiceField(
        label=_("Uitkomst van het CIZ"),
        choices=[("", _("Kies een uitkomst")), *WmoReport.CizOutcome.choices],
        error_messages={"required": _("Kies de uitkomst van het CIZ.")},
    )
    ciz_outcome_on = date_field(_("Uitkomst ontvangen op"), today=True)
    ciz_note = _note()


class CloseForm(VersionForm):
    close_reason = forms.ChoiceField(
        label=_("Reden van afsluiten"),
        choices=[("", _("Kies een reden")), *WmoReport.CloseReason.choices],
        error_messages={"required": _("Kies waarom de melding wordt afgesloten.")},
    )
    note = _note()


class WithdrawForm(VersionForm):
    note = _note(
        _("Wie trekt de melding in, en waarom?"),
        required=True,
        message=_("Schrijf op wie de melding introk en waarom."),
    )


class SuspendForm(VersionForm):
    reason = forms.ChoiceField(
        label=_("Reden van opschorten"),
        choices=[("", _("Kies een reden")), *WmoSuspension.Reason.choices],
        error_messages={"required": _("Kies waarom de termijn wordt opgeschort.")},
    )
    started_on = date_field(_("Opgeschort vanaf"), today=True)
    note = _note()


class ResumeForm(VersionForm):
    ended_on = date_field(_("Hervat op"), today=True)


# --- lists ------------------------------------------------------------------------------------


class OverviewFilterForm(forms.Form):
    """GET filters of the coordinator's overview; the names are what shows in the address bar."""

    fase = forms.ChoiceField(label=_("Fase"), required=False)
    consulent = forms.ChoiceField(label=_("Consulent"), required=False)

    UNASSIGNED = "geen"

    def __init__(self, *args: Any, consultants, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fase"].choices = [
            ("", _("Alle open fasen")),
            *(
                (status.value, status.label)
                for status in WmoReport.Status
                if status in WmoReport.OPEN_STATUSES
            ),
        ]
        self.fields["consulent"].choices = [
            ("", _("Alle consulenten")),
            (self.UNASSIGNED, _("Nog niet opgepakt")),
            *((str(user.pk), user.get_full_name() or user.get_username()) for user in consultants),
        ]

    @property
    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"phase": "", "consultant": ""}
        return {"phase": self.cleaned_data["fase"], "consultant": self.cleaned_data["consulent"]}
