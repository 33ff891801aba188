"""API of referrals for partners' own systems: list, one, and change the status.

Same rules as the pages: a partner (or the organisation's API key) sees only referrals to
their organisation and only the resident data the consent covers; every read is in the
access log; status changes go through ``referral_transition``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from schakelpunt.api.errors import drf_error
from schakelpunt.api.permissions import FollowsAccessRule
from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.core.access import permission_rule
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.referrals import workflow
from schakelpunt.referrals.models import Referral
from schakelpunt.referrals.selectors import referral_get
from schakelpunt.referrals.services import referral_transition

TAG = "doorverwijzingen"
REFUSED = OpenApiResponse(description="Niet ingelogd of geen recht. / Not logged in, or no permission.")
NOT_FOUND = OpenApiResponse(
    description="Bestaat niet, of is niet aan uw organisatie: het antwoord is hetzelfde. / "
    "Does not exist, or is not addressed to your organisation: the answer is the same."
)


class SharedResidentSerializer(serializers.Serializer):
    """Only what the consent covers; fields not covered are absent."""

    name = serializers.CharField(required=False)
    street = serializers.CharField(required=False)
    house_number = serializers.CharField(required=False)
    postcode = serializers.CharField(required=False)
    town = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    bsn = serializers.CharField(required=False)
    question = serializers.CharField(required=False)
    clarification = serializers.CharField(required=False)


def shared_resident(referral: Referral) -> dict[str, Any]:
    scope = referral.visible_scope()
    resident = referral.resident
    data: dict[str, Any] = {}
    if resident is None:
        return data
    if "contact_details" in scope:
        data["name"] = resident.full_name
        if not resident.is_secret:
            number = f"{resident.house_number or ''}{resident.house_number_addition}"
            data.update(
                street=resident.street, house_number=number, postcode=resident.postcode, town=resident.town
            )
        data.update(phone=resident.phone, email=resident.email)
    if "bsn" in scope and resident.bsn:
        data["bsn"] = resident.bsn
    if "question" in scope:
        data["question"] = referral.question.question_text
    if "clarification" in scope:
        data["clarification"] = referral.question.clarification
    return data


class ReferralSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    referring_desk = serializers.CharField(source="referring_desk.name")
    service = serializers.UUIDField(source="service_id", allow_null=True)
    resident = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "status",
            "urgency",
            "created_at",
            "status_changed_at",
            "organisation",
            "referring_desk",
            "service",
            "reason",
            "resident_wishes",
            "warm_handover",
            "due_accept",
            "due_first_contact",
            "due_complete",
            "close_reason",
            "outcome",
            "version",
            "resident",
        ]

    @extend_schema_field(SharedResidentSerializer)
    def get_resident(self, referral: Referral) -> dict[str, Any]:
        return shared_resident(referral)


class ReferralFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Referral.Status.choices, required=False)
    created_after = serializers.DateTimeField(required=False)


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(
        choices=[*sorted(workflow.PARTNER_MOVES | workflow.DESK_MOVES), workflow.RESUME]
    )
    reason = serializers.ChoiceField(choices=Referral.Reason.choices, required=False, default="")
    outcome = serializers.CharField(required=False, default="", allow_blank=True)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="De versie die u las; bij een andere versie: 409."
    )


def _referrals(viewer) -> QuerySet[Referral]:
    return Referral.objects.visible_to(viewer).select_related(
        "organisation", "referring_desk", "resident", "consent", "question"
    )


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Verwijzingen / Referrals",
        description=(
            "Voor een partner: de verwijzingen aan de eigen organisatie, nieuwste eerst, met alleen "
            "de gegevens waarvoor de inwoner toestemming gaf. Filters: status en created_after (voor "
            "'wat is er nieuw sinds'). Authenticatie met de API-sleutel van uw organisatie "
            "(`Authorization: Token …`).\n\n---\n\n"
            "For a partner: the referrals addressed to their organisation, newest first, with only "
            "the data the resident consented to share. Filters: status and created_after."
        ),
        parameters=[ReferralFilterSerializer],
        responses={
            200: ReferralSerializer(many=True),
            400: OpenApiResponse(description="Ongeldig filter."),
            403: REFUSED,
        },
    )
)
class ReferralListView(generics.ListAPIView):
    access_rule = permission_rule("referrals.view_referral")
    permission_classes = [FollowsAccessRule]
    serializer_class = ReferralSerializer

    def get_queryset(self) -> QuerySet[Referral]:
        referrals = _referrals(self.request.user)
        if getattr(self, "swagger_fake_view", False):
            return referrals
        form = ReferralFilterSerializer(data=self.request.query_params)
        form.is_valid(raise_exception=True)
        if "status" in form.validated_data:
            referrals = referrals.filter(status=form.validated_data["status"])
        if "created_after" in form.validated_data:
            referrals = referrals.filter(created_at__gt=form.validated_data["created_after"])
        return referrals.order_by("-created_at", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        access_log_record(
            acting_user=request.user,
            action=Action.SEARCH,
            object_type="referrals.referral",
            request=request,
            purpose="inbox",
        )
        return response


def _log_read(request: Request, referral: Referral) -> None:
    access_log_record(
        acting_user=request.user,
        action=Action.READ,
        object_type="referrals.referral",
        object_id=referral.pk,
        request=request,
        purpose="inbox",
        on_behalf_of=on_behalf_of_resident(referral.resident_id),
    )


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Eén verwijzing / One referral",
        responses={200: ReferralSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
)
class ReferralDetailView(generics.RetrieveAPIView):
    access_rule = permission_rule("referrals.view_referral")
    permission_classes = [FollowsAccessRule]
    serializer_class = ReferralSerializer

    def get_object(self) -> Referral:
        referral = referral_get(viewer=self.request.user, pk=self.kwargs["pk"])
        _log_read(self.request, referral)
        return referral


class ReferralTransitionView(APIView):
    access_rule = permission_rule("referrals.view_referral")
    permission_classes = [FollowsAccessRule]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Status wijzigen / Change the status",
        description=(
            "Accepteren (accepted), afwijzen (rejected, met reason), in behandeling (in-progress), "
            "afronden (completed, met outcome), niet gelukt (failed, met reason), pauzeren (on-hold) "
            "of hervatten (resume). Een overgang die niet mag geeft 400 met de reden; een andere versie "
            "dan de uwe 409.\n\n---\n\n"
            "Accept, reject (with reason), in progress, complete (with outcome), fail (with reason), "
            "put on hold or resume. A move that is not allowed gives 400 with why; a stale version 409."
        ),
        request=TransitionSerializer,
        responses={
            200: ReferralSerializer,
            400: OpenApiResponse(description="Niet toegestaan of onvolledig; er is niets gewijzigd."),
            403: REFUSED,
            404: NOT_FOUND,
            409: OpenApiResponse(description="Intussen door iemand anders gewijzigd."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = referral_get(viewer=request.user, pk=pk)
        form = TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            updated = referral_transition(
                acting_user=request.user,
                referral=referral,
                to_status=data["to_status"],
                reason=data["reason"],
                note=data["note"],
                outcome=data["outcome"],
                expected_version=data.get("version"),
                request=request,
            )
        except PermissionDenied:
            raise DRFPermissionDenied from None
        except ConflictError as error:
            return Response({"detail": str(error)}, status=409)
        except DjangoValidationError as error:
            raise drf_error(error) from None
        return Response(ReferralSerializer(_referrals(request.user).get(pk=updated.pk)).data)
