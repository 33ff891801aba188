"""Forms for making a referral and for moving it through its states."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.forms import ServiceErrorsMixin
from schakelpunt.directory.models import Service
from schakelpunt.organisations.models import Organisation
from schakelpunt.referrals import workflow
from schakelpunt.referrals.models import Referral
from schakelpunt.residents.models import Consent

CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, consent: Consent) -> str:
        scope = ", ".join(str(Consent.Scope(value).label).lower() for value in consent.scope)
        given = f"{consent.given_at:%d-%m-%Y}"
        return f"{consent.organisation or _('het loket')}: {consent.purpose} ({scope}; {given})"


class ReferralForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Naar organisatie"),
        queryset=Organisation.objects.filter(is_active=True).exclude(type=Organisation.Type.MUNICIPALITY),
        empty_label=_("Kies een organisatie"),
    )
    service = forms.ModelChoiceField(
        label=_("Dienst (uit de sociale kaart)"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Geen specifieke dienst"),
        help_text=_("Alleen diensten van deelnemende organisaties."),
    )
    reason = forms.CharField(
        label=_("Reden van verwijzing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat moet de organisatie weten om de inwoner te helpen?"),
    )
    resident_wishes = forms.CharField(
        label=_("Wat de inwoner wil"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgentie"), choices=Referral.Urgency.choices, initial=Referral.Urgency.NORMAL
    )
    consent = ConsentChoiceField(
        label=_("Toestemming van de inwoner"),
        queryset=Consent.objects.none(),
        required=False,
        empty_label=_("Geen toestemming vastgelegd"),
    )
    warm_handover = forms.BooleanField(
        label=_("Warme overdracht: de inwoner is erbij en draagt zelf over"),
        required=False,
    )
    shared_data = forms.MultipleChoiceField(
        label=_("Welke gegevens de organisatie mag zien"),
        choices=Consent.Scope.choices,
        widget=CHECKBOXES,
        initial=[Consent.Scope.CONTACT_DETAILS, Consent.Scope.QUESTION],
        required=False,
        help_text=_("Binnen wat de toestemming dekt; een BSN alleen met een wettelijke grondslag."),
    )

    def __init__(self, *args, question, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (
            Service.objects.exclude(status=Service.Status.DEFUNCT)
            .filter(organization__participant__isnull=False, organization__participant__is_active=True)
            .select_related("organization")
            .order_by("organization__name", "name")
        )
        self.fields["service"].label_from_instance = lambda s: f"{s.organization.name}: {s.name}"
        if question.resident_id:
            self.fields["consent"].queryset = (
                Consent.objects.filter(resident_id=question.resident_id, withdrawn_at__isnull=True)
                .select_related("organisation")
                .order_by("-given_at")
            )
        else:
            del self.fields["consent"]
        if not user.has_perm("residents.can_view_bsn"):
            self.fields["shared_data"].choices = [
                choice for choice in Consent.Scope.choices if choice[0] != Consent.Scope.BSN
            ]


class TransitionForm(ServiceErrorsMixin, forms.Form):
    """One form for every move; which moves are offered depends on the side and the state."""

    to_status = forms.ChoiceField(label=_("Wat wilt u doen?"), widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.ChoiceField(
        label=_("Reden"),
        choices=[("", _("Kies een reden")), *Referral.Reason.choices],
        required=False,
        error_messages={"required": _("Kies een reden.")},
    )
    outcome = forms.CharField(
        label=_("Resultaat: wat is er voor de inwoner gedaan?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        error_messages={"required": _("Beschrijf het resultaat: wat is er voor de inwoner gedaan?")},
    )
    note = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(move, workflow.TRANSITION_LABELS[move]) for move in moves]
        if len(moves) == 1:
            # The form of one move: mark what that move needs as required (the service checks it).
            self.fields["reason"].required = moves[0] in workflow.NEEDS_REASON
            self.fields["outcome"].required = moves[0] in workflow.NEEDS_OUTCOME
