"""API of Wmo reports: the list, one report, and a phase change.

The same rules as the pages. Consultants and coordinators (``wmo.view_wmoreport``) see the whole
reports of their desks and those assigned to them; the front office (``wmo.view_wmoreport_status``)
sees the phase and deadlines of their desks' reports, nothing more. Every request is in the access
log: the list as one 'search' row, one report as a 'read' row on the resident's behalf; phase
changes go through ``wmo_report_transition``, which writes its own row.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
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
from schakelpunt.wmo.models import WmoReport, WmoSupportRequest
from schakelpunt.wmo.selectors import STATUS_FIELDS, wmo_report_get, wmo_report_status_get
from schakelpunt.wmo.serializers import (
    WmoReportFilterSerializer,
    WmoReportSerializer,
    WmoTransitionSerializer,
)
from schakelpunt.wmo.services import wmo_report_transition

TAG = "wmo-meldingen"
PURPOSE = "wmo"
OBJECT_TYPE = "wmo.wmoreport"
REFUSED = OpenApiResponse(description="Niet ingelogd of geen recht. / Not logged in, or no permission.")
NOT_FOUND = OpenApiResponse(
    description=(
        "Bestaat niet, of u heeft er geen toegang toe: het antwoord is hetzelfde. / Does not exist, "
        "or is not yours: the answer is the same."
    )
)
LEVELS = (
    "Consulenten en coördinatoren (wmo.view_wmoreport) krijgen de hele melding; de frontoffice "
    "(wmo.view_wmoreport_status) alleen nummer, fase, meldingsdatum, termijnen en consulent "
    "(`detail_level`: status). Nooit een BSN."
)
LEVELS_EN = (
    "Consultants and coordinators (wmo.view_wmoreport) get the whole report; the front office "
    "(wmo.view_wmoreport_status) only the number, phase, report date, deadlines and consultant "
    "(`detail_level`: status). Never a BSN."
)


def sees_whole_reports(user) -> bool:
    return user.has_perm("wmo.view_wmoreport")


def _full(queryset: QuerySet[WmoReport]) -> QuerySet[WmoReport]:
    return queryset.select_related("resident", "desk", "consultant").prefetch_related(
        Prefetch("support_requests", queryset=WmoSupportRequest.objects.order_by("pk"))
    )


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Wmo-meldingen / Wmo reports",
        description=(
            "De Wmo-meldingen die u mag zien, nieuwste melding eerst, 50 per pagina. Filters: fase "
            "(status), aan mij toegewezen (consultant=me), gemeld na een datum (reported_after), "
            f"lopend (open) en inwoner. {LEVELS} Elke opvraging komt als één regel 'zoeken' in het "
            "toegangslog.\n\n---\n\n"
            "The Wmo reports you may see, newest report first, 50 per page. Filters: phase, assigned "
            f"to me, reported after a date, open, resident. {LEVELS_EN} Each request writes one "
            "'search' row to the access log."
        ),
        parameters=[WmoReportFilterSerializer],
        responses={
            200: WmoReportSerializer(many=True),
            400: OpenApiResponse(description="Ongeldig filter. / Invalid filter."),
            403: REFUSED,
        },
    )
)
class WmoReportListView(generics.ListAPIView):
    access_rule = permission_rule("wmo.view_wmoreport_status")
    permission_classes = [FollowsAccessRule]
    serializer_class = WmoReportSerializer

    def filters(self) -> dict[str, Any]:
        if not hasattr(self, "_filters"):
            form = WmoReportFilterSerializer(data=self.request.query_params)
            form.is_valid(raise_exception=True)
            self._filters = form.validated_data
        return self._filters

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        return {
            **context,
            "status_only": not sees_whole_reports(self.request.user),
            "today": timezone.localdate(),
        }

    def get_queryset(self) -> QuerySet[WmoReport]:
        user = self.request.user
        reports = WmoReport.objects.status_visible_to(user)
        if getattr(self, "swagger_fake_view", False):
            return reports
        if sees_whole_reports(user):
            reports = _full(reports)
        else:
            reports = reports.select_related("desk", "consultant").only(*STATUS_FIELDS)
        filters = self.filters()
        if "status" in filters:
            reports = reports.filter(status=filters["status"])
        if filters.get("consultant") == "me":
            reports = reports.filter(consultant=user)
        if "reported_after" in filters:
            reports = reports.filter(reported_on__gt=filters["reported_after"])
        if filters.get("open") is True:
            reports = reports.open()
        elif filters.get("open") is False:
            reports = reports.exclude(status__in=WmoReport.OPEN_STATUSES)
        if "resident" in filters:
            reports = reports.filter(resident_id=filters["resident"])
        return reports.order_by("-reported_on", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        access_log_record(
            acting_user=request.user,
            action=Action.SEARCH,
            object_type=OBJECT_TYPE,
            request=request,
            purpose=PURPOSE,
            on_behalf_of=on_behalf_of_resident(self.filters().get("resident")),
        )
        return response


def _get(user, pk: int) -> WmoReport:
    if sees_whole_reports(user):
        return wmo_report_get(viewer=user, pk=pk)
    return wmo_report_status_get(viewer=user, pk=pk)


class WmoReportDetailView(generics.RetrieveAPIView):
    access_rule = permission_rule("wmo.view_wmoreport_status")
    permission_classes = [FollowsAccessRule]
    serializer_class = WmoReportSerializer

    def get_queryset(self) -> QuerySet[WmoReport]:
        # Only for the schema (the type of the path parameter); get() uses the selectors.
        return WmoReport.objects.status_visible_to(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        return {
            **context,
            "status_only": not sees_whole_reports(self.request.user),
            "today": timezone.localdate(),
        }

    @extend_schema(
        tags=[TAG],
        summary="Eén Wmo-melding / One Wmo report",
        description=(
            f"{LEVELS} De opvraging komt als inzage namens de inwoner in het toegangslog.\n\n---\n\n"
            f"{LEVELS_EN} The request is logged as a read on the resident's behalf."
        ),
        responses={200: WmoReportSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        report = _get(request.user, pk)
        data = self.get_serializer(report).data
        access_log_record(
            acting_user=request.user,
            action=Action.READ,
            object_type=OBJECT_TYPE,
            object_id=report.pk,
            request=request,
            purpose=PURPOSE,
            on_behalf_of=on_behalf_of_resident(report.resident_id),
        )
        return Response(data)


class WmoReportTransitionView(APIView):
    access_rule = permission_rule("wmo.view_wmoreport", "wmo.work_wmoreport")
    permission_classes = [FollowsAccessRule]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Fase wijzigen / Change the phase",
        description=(
            "Voor consulenten (wmo.work_wmoreport): oppakken (investigation, met consultant), aanvraag "
            "ontvangen (application, met application_received_on), besluit (decided, met decided_on, "
            "decision_note en per gevraagde soort ondersteuning een besluit in decisions), naar het CIZ "
            "(ciz, met ciz_referred_on), afsluiten (closed, met close_reason) of intrekken (withdrawn, "
            "met note). Welke overgang mag staat in de documentatie (docs/subsystems/wmo.md). Een "
            "overgang die niet mag of onvolledig is geeft 400 met per veld de reden; een andere versie "
            "dan de uwe 409. Met sessie-authenticatie is de CSRF-header (X-CSRFToken) nodig.\n\n---\n\n"
            "For consultants: start the investigation, receive the application, decide (a decision per "
            "support type asked for), refer to the CIZ, close or withdraw. A move that is not allowed or "
            "incomplete gives 400 with a message per field; a stale version 409."
        ),
        request=WmoTransitionSerializer,
        responses={
            200: WmoReportSerializer,
            400: OpenApiResponse(description="Niet toegestaan of onvolledig; er is niets gewijzigd."),
            403: REFUSED,
            404: NOT_FOUND,
            409: OpenApiResponse(description="Intussen door iemand anders gewijzigd."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        report = wmo_report_get(viewer=request.user, pk=pk)
        form = WmoTransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        consultant = None
        if "consultant" in data:
            consultant = get_user_model().objects.filter(pk=data["consultant"], is_active=True).first()
            if consultant is None:
                raise serializers.ValidationError({"consultant": [_("Kies een actieve medewerker.")]})
        decisions = None
        if "decisions" in data:
            decisions = {item["support_type"]: (item["decision"], item["what"]) for item in data["decisions"]}
        try:
            updated = wmo_report_transition(
                acting_user=request.user,
                report=report,
                to_status=data["to_status"],
                note=data["note"],
                version=data.get("version"),
                consultant=consultant,
                application_received_on=data.get("application_received_on"),
                decided_on=data.get("decided_on"),
                decision_note=data["decision_note"],
                decisions=decisions,
                ciz_referred_on=data.get("ciz_referred_on"),
                close_reason=data["close_reason"],
                request=request,
            )
        except PermissionDenied:
            raise DRFPermissionDenied from None
        except ConflictError as error:
            return Response({"detail": str(error)}, status=409)
        except DjangoValidationError as error:
            raise drf_error(error) from None
        fresh = _full(WmoReport.objects.visible_to(request.user)).get(pk=updated.pk)
        context = {"request": request, "status_only": False, "today": timezone.localdate()}
        return Response(WmoReportSerializer(fresh, context=context).data)
