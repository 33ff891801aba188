"""Forms for the work on questions: editing a question, finishing a follow-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakelpunt.contacts.models import FollowUp, LifeDomain, Question
from schakelpunt.core.forms import ServiceErrorsMixin

# Free-text fields of a question; browsers send their line breaks as CRLF.
TEXT_FIELDS = ("question_text", "clarification", "health_notes", "answer")


def _model_field(name: str, **kwargs: Any) -> forms.Field:
    """The form field Django derives from the model: label, length, choices and help text."""
    return Question._meta.get_field(name).formfield(**kwargs)


class QuestionEditForm(ServiceErrorsMixin, forms.Form):
    """Edit a question. ``version`` is the version the employee opened: the service refuses the
    save when someone else saved since (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    question_text = _model_field("question_text", widget=forms.Textarea(attrs={"rows": 3}))
    clarification = _model_field("clarification", widget=forms.Textarea(attrs={"rows": 4}))
    health_notes = _model_field("health_notes", widget=forms.Textarea(attrs={"rows": 3}))
    domains = forms.ModelMultipleChoiceField(
        label=_("Levensdomeinen"),
        queryset=LifeDomain.objects.filter(is_active=True).order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
        required=False,
    )
    urgency = _model_field("urgency")
    status = _model_field("status")
    outcome = _model_field("outcome")
    unmet_reason = _model_field("unmet_reason")
    answer = _model_field("answer", widget=forms.Textarea(attrs={"rows": 4}))
    minutes_spent = _model_field("minutes_spent", required=False)

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.has_perm("contacts.can_view_health_notes"):
            # Not shown, not sent, not changed: volunteers neither read nor write health notes.
            del self.fields["health_notes"]
        outcome, unmet_reason = self.fields["outcome"], self.fields["unmet_reason"]
        outcome.choices = [("", _("Nog geen uitkomst")), *Question.Outcome.choices]
        outcome.help_text = _("Verplicht als u de vraag afsluit.")
        unmet_reason.choices = [("", _("Niet van toepassing")), *Question.UnmetReason.choices]
        unmet_reason.help_text = _("Alleen bij de uitkomst ‘Geen passend aanbod’.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in TEXT_FIELDS:
            if isinstance(data.get(name), str):
                # Compare like with like: stored text has \n line breaks.
                data[name] = data[name].replace("\r\n", "\n")
        return data

    @property
    def changes(self) -> dict[str, Any]:
        """The fields as ``question_update`` takes them (everything but the version)."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        data["domains"] = list(data.get("domains") or [])
        if data.get("minutes_spent") is None:
            data["minutes_spent"] = 0
        return data


class FollowUpDoneForm(forms.Form):
    result = forms.CharField(
        label=_("Resultaat"),
        max_length=FollowUp._meta.get_field("result").max_length,
        required=False,
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
