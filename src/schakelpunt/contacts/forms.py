"""Forms of the intake screen: for whom, the contact moment, and its questions.

The choices (desks, locations, life domains) are loaded once by the view and handed in, so
that rendering and cleaning any number of question blocks costs no extra queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.contacts.models import Contact, LifeDomain, Question
from schakelpunt.contacts.services import QUESTION_FIELDS, question_check_outcome
from schakelpunt.organisations.models import Desk, Location
from schakelpunt.residents.forms import NewResidentForm
from schakelpunt.residents.models import Resident

MAX_QUESTIONS = 10
QUESTIONS_PREFIX = "vragen"
# utrecht-form-field__input lines the input up with the labels of the other fields.
RADIO = "utrecht-radio-button utrecht-radio-button--html-input utrecht-form-field__input"
CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input"
# Free-text fields of a question; browsers send their line breaks as CRLF.
TEXT_FIELDS = ("question_text", "clarification", "health_notes", "answer")


def _field(model, name: str, **kwargs: Any) -> forms.Field:
    """The form field Django derives from the model: length, choices, validators, help text."""
    return model._meta.get_field(name).formfield(**kwargs)


class IntakeContactForm(forms.Form):
    """For whom the contact is, and the contact moment itself."""

    KNOWN, ANONYMOUS, NEW = "known", "anonymous", "new"

    who = forms.ChoiceField(
        label=_("Voor wie is dit contact?"), widget=forms.RadioSelect(attrs={"class": RADIO})
    )
    desk = forms.ChoiceField(label=_("Loket"))
    channel = _field(Contact, "channel", label=_("Kanaal"), initial=Contact.Channel.PHONE)
    location = forms.ChoiceField(label=_("Locatie"), required=False)
    duration_minutes = _field(Contact, "duration_minutes", label=_("Duur (minuten)"), required=False)
    # "Anoniem" is chosen above, under "Voor wie"; here only who is asking.
    asked_by = forms.ChoiceField(
        label=_("Wie vroeg"),
        choices=[
            (value, label) for value, label in Contact.AskedBy.choices if value != Contact.AskedBy.ANONYMOUS
        ],
        initial=Contact.AskedBy.RESIDENT,
    )
    asker_name = _field(Contact, "asker_name", label=_("Naam vragensteller"))  # help text from the model

    def __init__(
        self,
        *args: Any,
        desks: Sequence[Desk],
        resident: Resident | None = None,
        can_create_resident: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.resident = resident
        who = []
        if resident is not None:
            who.append((self.KNOWN, resident.full_name))
        who.append((self.ANONYMOUS, _("Anoniem (zonder inwoner)")))
        if can_create_resident:
            who.append((self.NEW, _("Nieuwe inwoner")))
        self.fields["who"].choices = who
        self.fields["who"].initial = self.KNOWN if resident is not None else self.ANONYMOUS

        self._desks = {str(desk.pk): desk for desk in desks}
        desk_field = self.fields["desk"]
        if len(desks) == 1:
            desk_field.choices = [(str(desks[0].pk), desks[0].name)]
            desk_field.initial = str(desks[0].pk)
            desk_field.widget = forms.HiddenInput()
        else:
            desk_field.choices = [("", _("Kies een loket")), *((str(d.pk), d.name) for d in desks)]

        self._locations = {str(loc.pk): loc for desk in desks for loc in desk.active_locations}
        if len(desks) == 1:
            location_choices = [(str(loc.pk), str(loc)) for loc in desks[0].active_locations]
        else:
            location_choices = [
                (desk.name, [(str(loc.pk), str(loc)) for loc in desk.active_locations])
                for desk in desks
                if desk.active_locations
            ]
        self.fields["location"].choices = [("", _("Geen locatie")), *location_choices]
        self.fields["duration_minutes"].widget.attrs.update({"min": 0, "max": 24 * 60})

    @property
    def single_desk(self) -> Desk | None:
        return next(iter(self._desks.values())) if len(self._desks) == 1 else None

    def clean_desk(self) -> Desk:
        return self._desks[self.cleaned_data["desk"]]

    def clean_location(self) -> Location | None:
        value = self.cleaned_data.get("location")
        return self._locations[value] if value else None

    def clean_duration_minutes(self) -> int:
        return self.cleaned_data.get("duration_minutes") or 0

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("who") == self.ANONYMOUS and data.get("asked_by") == Contact.AskedBy.RESIDENT:
            # An anonymous caller asking for themselves is an anonymous contact.
            data["asked_by"] = Contact.AskedBy.ANONYMOUS
        return data

    @property
    def contact_data(self) -> dict[str, Any]:
        """The contact as ``intake_register`` takes it; the contact starts now."""
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "location": data["location"],
            "started_at": timezone.now(),
            "duration_minutes": data["duration_minutes"],
            "asked_by": data["asked_by"],
            "asker_name": data["asker_name"],
        }


class QuestionForm(forms.Form):
    """One question of the contact, with its outcome and an optional call-back date."""

    question_text = _field(
        Question,
        "question_text",
        label=_("Vraag"),
        help_text=_("Zoals de inwoner de vraag stelt."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    clarification = _field(
        Question, "clarification", label=_("Vraag achter de vraag"), widget=forms.Textarea(attrs={"rows": 2})
    )
    health_notes = _field(
        Question, "health_notes", label=_("Gezondheidsnotities"), widget=forms.Textarea(attrs={"rows": 2})
    )
    domains = forms.MultipleChoiceField(
        label=_("Levensdomeinen"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
    )
    urgency = _field(Question, "urgency", label=_("Urgentie"))
    status = _field(Question, "status", label=_("Status"))
    outcome = _field(
        Question, "outcome", label=_("Uitkomst"), help_text=_("Verplicht als u de vraag afsluit.")
    )
    unmet_reason = _field(
        Question,
        "unmet_reason",
        label=_("Reden geen passend aanbod"),
        help_text=_("Alleen bij de uitkomst ‘Geen passend aanbod’."),
    )
    answer = _field(
        Question, "answer", label=_("Antwoord of advies"), widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes_spent = _field(Question, "minutes_spent", label=_("Bestede tijd (minuten)"), required=False)
    follow_up_date = forms.DateField(
        label=_("Terugbellen op"),
        required=False,
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d-%m-%Y"),
        help_text=_("Als dd-mm-jjjj. Leeg als er niet teruggebeld hoeft te worden."),
        error_messages={"invalid": _("Dit is geen bestaande datum. Schrijf de datum als dd-mm-jjjj.")},
    )

    def __init__(self, *args: Any, user, domains: Sequence[LifeDomain], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.has_perm("contacts.can_view_health_notes"):
            # Not shown, not sent, not saved: volunteers neither read nor write health notes.
            del self.fields["health_notes"]
        self._domains = {str(domain.pk): domain for domain in domains}
        self.fields["domains"].choices = [(str(domain.pk), domain.name) for domain in domains]
        self.fields["outcome"].choices = [("", _("Nog geen uitkomst")), *Question.Outcome.choices]
        self.fields["unmet_reason"].choices = [("", _("Niet van toepassing")), *Question.UnmetReason.choices]
        self.fields["minutes_spent"].widget.attrs.update({"min": 0, "max": 24 * 60})

    def clean_domains(self) -> list[LifeDomain]:
        return [self._domains[pk] for pk in self.cleaned_data["domains"]]

    def clean_minutes_spent(self) -> int:
        return self.cleaned_data.get("minutes_spent") or 0

    def clean_follow_up_date(self) -> datetime.date | None:
        due = self.cleaned_data.get("follow_up_date")
        if due is not None and due < timezone.localdate():
            raise ValidationError(_("Kies vandaag of een datum in de toekomst."), code="past")
        return due

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in TEXT_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = data[name].replace("\r\n", "\n")
        if "status" in data and "outcome" in data and "unmet_reason" in data:
            # The service's own rule (closed needs an outcome; "no suitable supply" needs a
            # reason), checked here too so that the message lands on this question's field.
            probe = Question(
                status=data["status"], outcome=data["outcome"], unmet_reason=data["unmet_reason"]
            )
            try:
                question_check_outcome(probe)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
            else:
                data["unmet_reason"] = probe.unmet_reason
        return data

    @property
    def question_data(self) -> dict[str, Any]:
        """The question as ``intake_register`` takes it."""
        data = {name: value for name, value in self.cleaned_data.items() if name in QUESTION_FIELDS}
        data["domains"] = self.cleaned_data["domains"]
        if self.cleaned_data.get("follow_up_date"):
            data["follow_up"] = {"due_date": self.cleaned_data["follow_up_date"]}
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    """One question, and up to MAX_QUESTIONS with "Nog een vraag"."""

    default_error_messages = {
        "too_few_forms": _("Vul ten minste één vraag in."),
        "too_many_forms": _("U kunt ten hoogste %(num)d vragen tegelijk vastleggen."),
    }

    @property
    def filled_forms(self) -> list[QuestionForm]:
        """The first question always; an added question only when something was filled in."""
        return [form for index, form in enumerate(self.forms) if index == 0 or form.has_changed()]


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_QUESTIONS,
    validate_max=True,
    absolute_max=MAX_QUESTIONS,
)


class IntakeForms:
    """The forms of one intake screen, validated and reported on together."""

    def __init__(
        self,
        *,
        user,
        desks: Sequence[Desk],
        domains: Sequence[LifeDomain],
        resident: Resident | None,
        data=None,
        extra_question: bool = False,
    ) -> None:
        self.resident = resident
        self.contact = IntakeContactForm(
            data,
            desks=desks,
            resident=resident,
            can_create_resident=user.has_perm("residents.add_resident"),
        )
        self.new_resident = NewResidentForm(data, user=user, prefix="nieuw")
        self.at_max_questions = False
        if data is not None and extra_question:
            data = data.copy()
            total = f"{QUESTIONS_PREFIX}-TOTAL_FORMS"
            try:
                count = max(int(data.get(total, 1)), 1)
            except ValueError:
                count = 1
            self.at_max_questions = count >= MAX_QUESTIONS
            data[total] = str(min(count + 1, MAX_QUESTIONS))
        self.questions = QuestionFormSet(
            data, prefix=QUESTIONS_PREFIX, form_kwargs={"user": user, "domains": domains}
        )
        # The question block that "Nog een vraag" added, to put the cursor in.
        if extra_question and not self.at_max_questions:
            added = self.questions.forms[-1]
            added.fields["question_text"].widget.attrs["autofocus"] = True

    def is_valid(self) -> bool:
        valid = self.contact.is_valid()
        valid = self.questions.is_valid() and valid
        who = self.contact.cleaned_data.get("who")
        if who == IntakeContactForm.NEW:
            valid = self.new_resident.is_valid() and valid
        elif self.new_resident.has_changed():
            self.contact.add_error(
                "who",
                _(
                    "U heeft gegevens van een nieuwe inwoner ingevuld. Kies ‘Nieuwe inwoner’, "
                    "of maak die velden leeg."
                ),
            )
            valid = False
        return valid

    def quiet(self) -> None:
        """Show what was typed without complaining about what is not typed yet.

        After "Nog een vraag" without JavaScript the page comes back with an extra question
        block; the blocks not yet filled in must not show "Dit veld is verplicht".
        """
        self.questions.full_clean()
        for form in [self.contact, self.new_resident, *self.questions.forms]:
            form.full_clean()
            form._errors = ErrorDict()
        self.questions._errors = [ErrorDict() for _form in self.questions.forms]
        self.questions._non_form_errors = self.questions.error_class()
        if self.at_max_questions:
            self.questions._non_form_errors.append(
                BaseQuestionFormSet.default_error_messages["too_many_forms"] % {"num": MAX_QUESTIONS}
            )

    @property
    def questions_data(self) -> list[dict[str, Any]]:
        return [form.question_data for form in self.questions.filled_forms]

    def add_service_errors(self, error: ValidationError) -> None:
        """Put ``intake_register``'s ValidationError next to the fields it names.

        It names contact, question or follow-up fields, or none ("you do not work at this
        desk"). The question forms check the service's rules themselves, so a question error
        here is rare: it goes with the only question, or above the questions when there are
        several.
        """
        if not hasattr(error, "error_dict"):
            self.contact.add_error(None, error)
            return
        questions = self.questions.filled_forms
        for field, messages in error.message_dict.items():
            if field in self.contact.fields:
                self.contact.add_error(field, messages)
            elif field == "due_date":
                self._question_error(questions, "follow_up_date", messages)
            elif field in QUESTION_FIELDS:
                self._question_error(questions, field, messages)
            else:
                self.contact.add_error(None, messages)

    def _question_error(self, questions: list[QuestionForm], field: str, messages: list[str]) -> None:
        if len(questions) == 1 and field in questions[0].fields:
            questions[0].add_error(field, messages)
        else:
            self.questions._non_form_errors.extend(messages)
