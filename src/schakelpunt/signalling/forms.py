"""Forms for raising and changing a signal, linking evidence, answering, and the list's filters."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schakelpunt.contacts.models import LifeDomain, Question
from schakelpunt.core.forms import ServiceErrorsMixin
from schakelpunt.organisations.models import Desk, District, Municipality, Organisation
from schakelpunt.organisations.selectors import municipalities_of
from schakelpunt.referrals.models import UnmetNeed
from schakelpunt.signalling import workflow
from schakelpunt.signalling.models import Signal
from schakelpunt.signalling.selectors import ADDRESSEE_MUNICIPALITY, SignalFilters

CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, district: District) -> str:
        return f"{district.name} ({district.municipality.name})"


class SignalForm(ServiceErrorsMixin, forms.Form):
    """Raise a signal, or change a proposal. Evidence is linked on its own page."""

    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        help_text=_("Kort en concreet, bijvoorbeeld: Geen personenalarmering voor inwoners zonder netwerk."),
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Wat ontbreekt of wat houdt inwoners tegen, en sinds wanneer? "
            "Geen namen of andere gegevens van inwoners."
        ),
    )
    kind = forms.ChoiceField(label=_("Soort signaal"), choices=Signal.Kind.choices, initial=Signal.Kind.GAP)
    life_domain = forms.ModelChoiceField(
        label=_("Levensdomein"),
        queryset=LifeDomain.objects.filter(is_active=True),
        required=False,
        empty_label=_("Geen of meerdere"),
    )
    unmet_reason = forms.ChoiceField(
        label=_("Reden geen passend aanbod"),
        choices=[("", _("Niet van toepassing")), *Question.UnmetReason.choices],
        required=False,
    )
    desk = forms.ModelChoiceField(label=_("Loket"), queryset=Desk.objects.none(), empty_label=None)
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Municipality.objects.none(), empty_label=None
    )
    district = DistrictChoiceField(
        label=_("Wijk"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("De hele gemeente"),
    )
    addressed_to = forms.ModelChoiceField(
        label=_("Gericht aan"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("De gemeente"),
        help_text=_("De gemeente, of een organisatie die deelneemt aan uw loket."),
    )
    period_start = forms.DateField(
        label=_("Bewijs vanaf"),
        required=False,
        widget=DATE,
        help_text=_("Leeg: de datum van de oudste gekoppelde hulpvraag."),
    )
    period_end = forms.DateField(
        label=_("Bewijs tot en met"),
        required=False,
        widget=DATE,
        help_text=_("Leeg: de datum van de nieuwste gekoppelde hulpvraag."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, user, editing: Signal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        desks = user.desks.filter(is_active=True).order_by("name")
        self.fields["desk"].queryset = desks
        municipalities = Municipality.objects.filter(desks__in=desks).distinct().order_by("name")
        self.fields["municipality"].queryset = municipalities
        self.fields["district"].queryset = (
            District.objects.filter(municipality__in=municipalities)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )
        self.fields["addressed_to"].queryset = (
            Organisation.objects.filter(is_active=True, participations__desk__in=desks)
            .exclude(type=Organisation.Type.MUNICIPALITY)
            .distinct()
            .order_by("name")
        )
        if editing is not None:
            # A proposal stays at the desk where it was raised.
            del self.fields["desk"]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Het einde van de periode ligt vóór het begin."))
        return data


class EvidenceForm(ServiceErrorsMixin, forms.Form):
    """Pick questions and unmet needs of the user's desks to link, or give a question's number.

    The choices are every candidate; the page shows the newest of them as checkboxes (see
    ``signalling/evidence.html``), so a long list does not load whole.
    """

    questions = forms.ModelMultipleChoiceField(
        label=_("Hulpvragen zonder passend aanbod"),
        queryset=Question.objects.none(),
        required=False,
        widget=CHECKBOXES,
    )
    unmet_needs = forms.ModelMultipleChoiceField(
        label=_("Afgewezen verwijzingen (onvervulde behoeften)"),
        queryset=UnmetNeed.objects.none(),
        required=False,
        widget=CHECKBOXES,
    )
    question_number = forms.IntegerField(
        label=_("Of een hulpvraag op nummer"),
        required=False,
        min_value=1,
        help_text=_("Elke hulpvraag van uw loket, ook als die wel een uitkomst had."),
    )

    def __init__(self, *args, question_choices, unmet_need_choices, visible_questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = question_choices
        self.fields["unmet_needs"].queryset = unmet_need_choices
        self.visible_questions = visible_questions

    def clean_question_number(self):
        number = self.cleaned_data.get("question_number")
        if number is None:
            return None
        question = self.visible_questions.filter(pk=number).select_related("contact").first()
        if question is None:
            raise forms.ValidationError(_("Er is geen hulpvraag met dit nummer bij uw loket."))
        return question

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("questions") or data.get("unmet_needs") or data.get("question_number")
        ):
            raise forms.ValidationError(_("Kies ten minste één hulpvraag of onvervulde behoefte."))
        return data


class TransitionForm(ServiceErrorsMixin, forms.Form):
    to_status = forms.ChoiceField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("Geen namen of andere gegevens van inwoners."),
    )

    def __init__(self, *args, move: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(move, workflow.TRANSITION_LABELS[move])]
        if move in workflow.NEEDS_NOTE:
            self.fields["note"].label = workflow.NEEDS_NOTE[move]
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = _("Vul dit in.")


class SignalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle")), *Signal.Status.choices]
    )
    life_domain = forms.ModelChoiceField(
        label=_("Levensdomein"), queryset=LifeDomain.objects.all(), required=False, empty_label=_("Alle")
    )
    district = DistrictChoiceField(
        label=_("Wijk"), queryset=District.objects.none(), required=False, empty_label=_("Alle")
    )
    addressee = forms.ChoiceField(label=_("Gericht aan"), required=False)

    def __init__(self, *args, user, visible, **kwargs):
        super().__init__(*args, **kwargs)
        scope = municipalities_of(user)
        # The districts of the user's municipalities, and those of the signals they see.
        self.fields["district"].queryset = (
            District.objects.filter(
                Q(municipality__in=scope) | Q(pk__in=visible.order_by().values("district"))
            )
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )
        organisations = Organisation.objects.filter(
            pk__in=visible.order_by().values("addressed_to")
        ).order_by("name")
        self.fields["addressee"].choices = [
            ("", _("Alle")),
            (ADDRESSEE_MUNICIPALITY, _("De gemeente")),
            *((str(organisation.pk), organisation.name) for organisation in organisations),
        ]

    def filters(self) -> SignalFilters:
        if not self.is_valid():
            return SignalFilters()
        data = self.cleaned_data
        return SignalFilters(
            status=data["status"],
            life_domain=data["life_domain"].pk if data["life_domain"] else None,
            district=data["district"].pk if data["district"] else None,
            addressee=data["addressee"],
        )
