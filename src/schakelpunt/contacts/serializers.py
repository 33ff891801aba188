"""API shapes of contacts and questions: answers, the create request and the list filters.

Serializers shape and check input; the write itself is ``contacts.services.intake_register``.
Health notes are left out of an answer (the key is absent, not ``null``) for users without
``contacts.can_view_health_notes``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from schakelpunt.accounts.models import User
from schakelpunt.contacts.models import MAX_TEXT, Contact, LifeDomain, Question
from schakelpunt.organisations.models import Desk, Location
from schakelpunt.residents.models import Resident
from schakelpunt.residents.serializers import viewer_may

MAX_MINUTES = 24 * 60
MAX_QUESTIONS = 20  # one contact moment; more is a mistake or an import, not intake

HEALTH_NOTES_HELP = (
    "Alleen voor wie gezondheidsnotities mag zien (contacts.can_view_health_notes); voor "
    "anderen ontbreekt het veld. / Only for users with contacts.can_view_health_notes; absent "
    "for others."
)
DOES_NOT_EXIST = _("Bestaat niet, of u heeft er geen toegang toe.")


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text="Naam van de medewerker. / Staff member's name.")

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields

    def get_name(self, user: User) -> str:
        return user.get_full_name() or user.get_username()


class QuestionSerializer(serializers.ModelSerializer):
    """Een hulpvraag. / A question."""

    health_notes = serializers.CharField(required=False, help_text=HEALTH_NOTES_HELP)
    domains = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", help_text="Codes van de levensdomeinen. / Life domains."
    )
    assigned_to = UserSummarySerializer(read_only=True)
    # Declared so the schema says that an empty string is a possible value.
    outcome = serializers.ChoiceField(
        choices=Question.Outcome.choices,
        allow_blank=True,
        read_only=True,
        help_text="Leeg: nog geen uitkomst. / Empty: no outcome yet.",
    )
    unmet_reason = serializers.ChoiceField(
        choices=Question.UnmetReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="Alleen bij uitkomst 'no_supply'. / Only with outcome 'no_supply'.",
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "contact",
            "resident",
            "question_text",
            "clarification",
            "health_notes",
            "domains",
            "urgency",
            "status",
            "outcome",
            "unmet_reason",
            "answer",
            "minutes_spent",
            "assigned_to",
            "closed_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [field for field in fields if field != "health_notes"]

    def to_representation(self, instance: Question) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not viewer_may(self.context, "contacts.can_view_health_notes"):
            data.pop("health_notes", None)
        return data


class ContactSerializer(serializers.ModelSerializer):
    """Een contactmoment met zijn hulpvragen. / A contact moment with its questions."""

    handled_by = UserSummarySerializer(read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "desk",
            "location",
            "channel",
            "started_at",
            "duration_minutes",
            "handled_by",
            "asked_by",
            "asker_name",
            "resident",
            "questions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# --- input -------------------------------------------------------------------------------


class QuestionCreateSerializer(serializers.Serializer):
    question_text = serializers.CharField(
        max_length=MAX_TEXT, help_text="De vraag zoals gesteld. / The question as asked."
    )
    clarification = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        help_text="De vraag achter de vraag. / The need behind the question.",
    )
    health_notes = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        help_text=(
            "Alleen voor wie gezondheidsnotities mag vastleggen; anders 400. / Only for users "
            "with contacts.can_view_health_notes; 400 otherwise."
        ),
    )
    domains = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="code",
        queryset=LifeDomain.objects.filter(is_active=True),
        help_text="Codes van levensdomeinen, bijvoorbeeld 'wonen'. / Life-domain codes.",
    )
    urgency = serializers.ChoiceField(choices=Question.Urgency.choices, required=False)
    status = serializers.ChoiceField(choices=Question.Status.choices, required=False)
    outcome = serializers.ChoiceField(choices=Question.Outcome.choices, required=False, allow_blank=True)
    unmet_reason = serializers.ChoiceField(
        choices=Question.UnmetReason.choices,
        required=False,
        allow_blank=True,
        help_text="Verplicht bij uitkomst 'no_supply'. / Required with outcome 'no_supply'.",
    )
    answer = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    minutes_spent = serializers.IntegerField(min_value=0, max_value=MAX_MINUTES, required=False)


class VisibleResidentField(serializers.PrimaryKeyRelatedField):
    """A resident id, looked up among the residents the user may see."""

    default_error_messages = {"does_not_exist": DOES_NOT_EXIST}

    def get_queryset(self):
        return Resident.objects.visible_to(self.context["request"].user)


class OwnDeskField(serializers.PrimaryKeyRelatedField):
    """A desk id, among the desks the user works at."""

    default_error_messages = {"does_not_exist": _("U werkt niet bij dit loket.")}

    def get_queryset(self):
        return self.context["request"].user.desks.all()


class ContactCreateSerializer(serializers.Serializer):
    desk = OwnDeskField(queryset=Desk.objects.none(), help_text="Uw loket. / Your desk.")
    location = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(),
        required=False,
        allow_null=True,
        help_text="Een locatie van dat loket. / A location of that desk.",
    )
    channel = serializers.ChoiceField(choices=Contact.Channel.choices)
    started_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=0, max_value=MAX_MINUTES, required=False)
    asked_by = serializers.ChoiceField(choices=Contact.AskedBy.choices, required=False)
    asker_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    resident = VisibleResidentField(
        queryset=Resident.objects.none(),
        required=False,
        allow_null=True,
        help_text="Leeg of weggelaten bij een anonieme vraag. / Empty or absent for an anonymous question.",
    )
    questions = QuestionCreateSerializer(many=True, allow_empty=False, max_length=MAX_QUESTIONS)

    def validate_location(self, location: Location | None) -> Location | None:
        # Said here as well as in the service, so a foreign location id gives the same
        # answer as an unknown one.
        desks = self.context["request"].user.desks.all()
        if location is not None and not desks.filter(pk=location.desk_id).exists():
            raise serializers.ValidationError(DOES_NOT_EXIST)
        return location


# --- list filters (query parameters) ---------------------------------------------------


class ContactFilterSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Contact.Channel.choices, required=False)
    started_from = serializers.DateField(
        required=False, help_text="Begonnen op of na deze datum. / Started on or after this date."
    )
    started_until = serializers.DateField(
        required=False, help_text="Begonnen op of voor deze datum. / Started on or before this date."
    )
    resident = serializers.IntegerField(
        required=False, min_value=1, help_text="Alleen van deze inwoner (id). / Only of this resident."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start: datetime.date | None = attrs.get("started_from")
        end: datetime.date | None = attrs.get("started_until")
        if start and end and start > end:
            raise serializers.ValidationError({"started_until": _("De einddatum ligt voor de begindatum.")})
        return attrs


class QuestionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Question.Status.choices, required=False)
    outcome = serializers.ChoiceField(choices=Question.Outcome.choices, required=False)
    domain = serializers.SlugRelatedField(
        slug_field="code",
        queryset=LifeDomain.objects.all(),
        required=False,
        help_text="Code van een levensdomein. / Life-domain code.",
    )
    assigned_to_me = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: alleen de vragen die aan u zijn toegewezen. / Only questions assigned to you.",
    )
    open = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "true: alleen niet-afgesloten vragen; false: alleen afgesloten. / true: only questions "
            "not closed; false: only closed ones."
        ),
    )
    resident = serializers.IntegerField(
        required=False, min_value=1, help_text="Alleen van deze inwoner (id). / Only of this resident."
    )
