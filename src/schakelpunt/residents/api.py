"""API of residents: search (POST, so no BSN ever lands in a URL) and one resident.

Thin: the selectors decide what a user may find and see, the serializers leave out the fields
the user may not see, and every answer with personal data writes an access-log row.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from schakelpunt.api.permissions import FollowsAccessRule
from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.core.access import permission_rule
from schakelpunt.residents.models import Resident
from schakelpunt.residents.selectors import SEARCH_LIMIT, resident_get, resident_search
from schakelpunt.residents.serializers import (
    ResidentSearchRequestSerializer,
    ResidentSearchResultSerializer,
    ResidentSerializer,
)

TAG = "inwoners"
PURPOSE = "intake"
REFUSED = OpenApiResponse(
    description="Niet ingelogd of geen recht op inwonergegevens. / Not logged in, or no permission."
)
NOT_FOUND = OpenApiResponse(
    description=(
        "Bestaat niet, of u heeft er geen toegang toe: het antwoord is hetzelfde. / Does not "
        "exist, or is not yours: the answer is the same."
    )
)


class ResidentSearchView(generics.GenericAPIView):
    access_rule = permission_rule("residents.view_resident")
    permission_classes = [FollowsAccessRule]
    serializer_class = ResidentSearchRequestSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        operation_id="residents_search",
        summary="Inwoners zoeken / Search residents",
        description=(
            "Zoekt onder de inwoners die u mag zien (van de gemeenten die uw loketten bedienen, "
            "of ingeschreven bij uw loketten), op naam, geboortedatum, postcode met huisnummer "
            f"of BSN, en geeft hoogstens {SEARCH_LIMIT} treffers.\n\n"
            "**Waarom POST?** Een zoekopdracht kan een BSN, naam of geboortedatum bevatten. In "
            "een URL belandt die in logboeken van servers en proxies en in de "
            "browsergeschiedenis; in de body van een POST niet. Daarom is zoeken een POST met "
            '`{"q": "..."}`, ook al verandert er niets.\n\n'
            "Wie het BSN niet mag zien, kan er ook niet op zoeken: een BSN geeft dan geen "
            "treffers. Elke zoekopdracht komt als één regel 'zoeken' in het toegangslog, zonder "
            "de zoektekst; een treffer telt pas als inzage wanneer de inwoner wordt geopend.\n\n"
            "---\n\n"
            "Searches the residents you may see by name, birth date, postcode with house number "
            f"or BSN, and returns at most {SEARCH_LIMIT} hits.\n\n"
            "**Why POST?** A query may hold a BSN, a name or a birth date. In a URL it would end "
            "up in server and proxy logs and in browser history; in a POST body it does not. So "
            'search is a POST with `{"q": "..."}`, although it changes nothing.\n\n'
            "Users who may not see BSNs cannot search by one either (no hits). Each search "
            "writes one 'search' row to the access log, without the query text; a hit counts as "
            "a read only when the resident is opened."
        ),
        request=ResidentSearchRequestSerializer,
        responses={
            200: ResidentSearchResultSerializer,
            400: OpenApiResponse(description="Lege of onleesbare zoekopdracht. / Empty or bad query."),
            403: REFUSED,
        },
    )
    def post(self, request: Request) -> Response:
        form = ResidentSearchRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        residents = resident_search(viewer=request.user, query=form.validated_data["q"])
        data = ResidentSearchResultSerializer(
            {"results": residents}, context=self.get_serializer_context()
        ).data
        access_log_record(
            acting_user=request.user,
            action=Action.SEARCH,
            object_type="residents.resident",
            request=request,
            purpose=PURPOSE,
        )
        return Response(data)


class ResidentDetailView(generics.RetrieveAPIView):
    access_rule = permission_rule("residents.view_resident")
    permission_classes = [FollowsAccessRule]
    serializer_class = ResidentSerializer

    def get_queryset(self):
        # Only for the schema (the type of the path parameter); get_object uses the selector.
        return Resident.objects.visible_to(self.request.user)

    def get_object(self) -> Resident:
        return resident_get(viewer=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        tags=[TAG],
        summary="Eén inwoner / One resident",
        description=(
            "Een inwoner die u mag zien. Het BSN staat er alleen in voor wie het mag zien; het "
            "adres van een inwoner met geheimhouding alleen voor wie dat mag. Elke opvraging komt "
            "als inzage in het toegangslog.\n\n---\n\n"
            "A resident you may see. The BSN is present only for users who may see it; the "
            "address of a resident under secrecy only for users who may see that. Every request "
            "is logged as a read."
        ),
        responses={200: ResidentSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        resident = self.get_object()
        data = self.get_serializer(resident).data
        access_log_record(
            acting_user=request.user,
            action=Action.READ,
            object_type="residents.resident",
            object_id=resident.pk,
            request=request,
            purpose=PURPOSE,
        )
        return Response(data)
