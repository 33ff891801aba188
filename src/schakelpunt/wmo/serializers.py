"""Serializers of the Wmo API.

One shape for a report at two levels. Everyone who may see a report's status gets its number,
phase, report date, deadlines and consultant; only users with ``wmo.view_wmoreport`` (who see the
whole report) get the rest: the resident, what was asked, the conversation, the decision. For the
front office those keys are absent, not ``null``, and ``detail_level`` says which level it is.
Never a BSN: the resident's record is ``/api/residents/{id}/``, with its own rules.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schakelpunt.contacts.serializers import UserSummarySerializer
from schakelpunt.wmo.models import WmoReport, WmoSupportRequest
from schakelpunt.wmo.selectors import deadline_state

S = WmoReport.Status
FULL = "full"
STATUS = "status"
STATUS_ONLY_FIELDS = ("id", "detail_level", "status", "reported_on", "deadlines", "consultant")
FULL_ONLY_HELP = (
    "Alleen voor wie de hele melding mag zien (wmo.view_wmoreport); voor de frontoffice ontbreekt "
    "het veld. / Only for users who see the whole report; absent for the front office."
)
DEADLINE_STATES = [
    ("overdue", "Termijn verstreken / overdue"),
    ("due_this_week", "Verloopt binnen zeven dagen / due within seven days"),
    ("ok", "Op tijd / in time"),
]


class WmoDeadlinesSerializer(serializers.Serializer):
    """De wettelijke termijnen. / The statutory deadlines."""

    personal_plan = serializers.DateField(
        source="due_personal_plan",
        read_only=True,
        help_text="Persoonlijk plan uiterlijk (Wmo 2015 art. 2.3.2 lid 2). / Personal plan at the latest.",
    )
    investigation = serializers.DateField(
        source="due_investigation",
        read_only=True,
        help_text="Onderzoek uiterlijk af (art. 2.3.2 lid 1), met opschortingen. / Investigation due.",
    )
    decision = serializers.DateField(
        source="due_decision",
        read_only=True,
        allow_null=True,
        help_text="Besluit uiterlijk (art. 2.3.5 lid 3); leeg tot de aanvraag er is. / Decision due.",
    )
    current = serializers.SerializerMethodField(
        help_text="De termijn die nu loopt; leeg als er geen loopt. / The deadline running now."
    )
    state = serializers.SerializerMethodField(
        help_text=(
            "overdue, due_this_week of ok; leeg als er geen termijn loopt of hij is opgeschort. / "
            "Empty when no deadline runs or it is suspended."
        )
    )
    suspended_since = serializers.DateField(
        read_only=True, allow_null=True, help_text="Opgeschort sinds. / Suspended since."
    )

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_current(self, report: WmoReport):
        return report.current_due_date()

    @extend_schema_field(serializers.ChoiceField(choices=DEADLINE_STATES, allow_null=True))
    def get_state(self, report: WmoReport) -> str | None:
        return deadline_state(report, self.context.get("today"))


class WmoResidentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="full_name", read_only=True)


class WmoSupportRequestSerializer(serializers.ModelSerializer):
    decision = serializers.ChoiceField(
        choices=WmoReport.Decision.choices,
        allow_blank=True,
        read_only=True,
        help_text="Leeg: nog geen besluit. / Empty: not decided yet.",
    )

    class Meta:
        model = WmoSupportRequest
        fields = ["support_type", "description", "decision", "decision_note"]
        read_only_fields = fields


def _optional(field_class: type[serializers.Field], **kwargs: Any) -> serializers.Field:
    """A field only the full level has: documented as optional (the key may be absent)."""
    help_text = kwargs.pop("help_text", "")
    return field_class(required=False, help_text=f"{help_text} {FULL_ONLY_HELP}".strip(), **kwargs)


class WmoReportSerializer(serializers.Serializer):
    """Een Wmo-melding. / A Wmo report."""

    id = serializers.IntegerField(read_only=True)
    detail_level = serializers.SerializerMethodField(
        help_text="full: de hele melding; status: alleen fase en termijnen. / Whole report or status only."
    )
    status = serializers.ChoiceField(choices=S.choices, read_only=True)
    reported_on = serializers.DateField(read_only=True)
    deadlines = WmoDeadlinesSerializer(source="*", read_only=True)
    consultant = UserSummarySerializer(read_only=True, allow_null=True)

    # The whole report.
    status_changed_at = _optional(serializers.DateTimeField)
    desk = _optional(serializers.CharField, source="desk.name")
    resident = _optional(WmoResidentSerializer)
    question = _optional(serializers.IntegerField, source="question_id", allow_null=True)
    reporter = _optional(serializers.ChoiceField, choices=WmoReport.Reporter.choices)
    reporter_name = _optional(serializers.CharField)
    summary = _optional(serializers.CharField)
    support_requests = _optional(WmoSupportRequestSerializer, many=True)
    client_support_offered = _optional(serializers.BooleanField)
    client_support_accepted = _optional(serializers.BooleanField, allow_null=True)
    personal_plan_received_on = _optional(serializers.DateField, allow_null=True)
    investigation_started_on = _optional(serializers.DateField, allow_null=True)
    conversation_on = _optional(serializers.DateField, allow_null=True)
    conversation_report = _optional(serializers.CharField)
    investigation_completed_on = _optional(serializers.DateField, allow_null=True)
    application_received_on = _optional(serializers.DateField, allow_null=True)
    decision = _optional(serializers.ChoiceField, choices=WmoReport.Decision.choices, allow_blank=True)
    decision_note = _optional(serializers.CharField)
    decided_on = _optional(serializers.DateField, allow_null=True)
    ciz_referred_on = _optional(serializers.DateField, allow_null=True)
    ciz_outcome = _optional(serializers.ChoiceField, choices=WmoReport.CizOutcome.choices, allow_blank=True)
    ciz_outcome_on = _optional(serializers.DateField, allow_null=True)
    ciz_note = _optional(serializers.CharField)
    closed_on = _optional(serializers.DateField, allow_null=True)
    close_reason = _optional(serializers.ChoiceField, choices=WmoReport.CloseReason.choices, allow_blank=True)
    version = _optional(
        serializers.IntegerField, help_text="Stuur mee bij een faseovergang; bij een andere versie: 409."
    )

    def get_detail_level(self, report: WmoReport) -> str:
        return STATUS if self.context.get("status_only") else FULL

    def to_representation(self, instance: WmoReport) -> dict[str, Any]:
        if not self.context.get("status_only"):
            return super().to_representation(instance)
        # Only the status fields, which are all that is loaded (selectors.STATUS_FIELDS).
        data: dict[str, Any] = {}
        for name in STATUS_ONLY_FIELDS:
            field = self.fields[name]
            value = field.get_attribute(instance)
            data[name] = None if value is None else field.to_representation(value)
        return data


class WmoReportFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=S.choices, required=False, help_text="Alleen in deze fase. / Phase."
    )
    consultant = serializers.ChoiceField(
        choices=[("me", "me")],
        required=False,
        help_text="me: alleen de meldingen die aan u zijn toegewezen. / Only reports assigned to you.",
    )
    reported_after = serializers.DateField(
        required=False, help_text="Gemeld na deze datum (de datum zelf niet). / Reported after this date."
    )
    open = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "true: alleen lopende meldingen; false: alleen afgesloten of ingetrokken. / Open or closed."
        ),
    )
    resident = serializers.IntegerField(
        required=False, min_value=1, help_text="Alleen van deze inwoner (id). / Only of this resident."
    )


class WmoDecisionSerializer(serializers.Serializer):
    support_type = serializers.ChoiceField(choices=WmoSupportRequest.SupportType.choices)
    decision = serializers.ChoiceField(choices=WmoReport.Decision.choices)
    what = serializers.CharField(max_length=300, help_text="Wat is besloten. / What was decided.")


class WmoTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=[choice for choice in S.choices if choice[0] != S.REPORTED])
    note = serializers.CharField(required=False, default="", allow_blank=True)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="De versie die u las; bij een andere versie: 409."
    )
    consultant = serializers.IntegerField(
        required=False, min_value=1, help_text="Id van de consulent (bij het oppakken). / Consultant's id."
    )
    application_received_on = serializers.DateField(required=False)
    decided_on = serializers.DateField(required=False)
    decision_note = serializers.CharField(required=False, default="", allow_blank=True)
    decisions = WmoDecisionSerializer(
        many=True,
        required=False,
        help_text="Het besluit per gevraagde soort ondersteuning. / Per support type.",
    )
    ciz_referred_on = serializers.DateField(required=False)
    close_reason = serializers.ChoiceField(choices=WmoReport.CloseReason.choices, required=False, default="")

    def validate_decisions(self, value: list[dict[str, str]]) -> list[dict[str, str]]:
        types = [item["support_type"] for item in value]
        if len(set(types)) != len(types):
            raise serializers.ValidationError(_("Geef per soort ondersteuning één besluit."))
        return value
