"""The open HSDS 3.1 read API of the social map, under /api/hsds/ (docs/subsystems/directory-hsds.md).

Follows the HSDS API reference (``directory/hsds/schema/openapi.json``): ``/``, ``/services``,
``/services/{id}``, ``/organizations``, ``/organizations/{id}``, ``/taxonomies``,
``/taxonomies/{id}``, ``/taxonomy_terms``, ``/taxonomy_terms/{id}``, ``/service_at_locations``
and ``/service_at_locations/{id}``, with the reference's paged list (``total_items``,
``total_pages``, ``page_number``, ``size``, ``first_page``, ``last_page``, ``empty``,
``contents``), ``page``/``per_page``, and the filters ``search``, ``taxonomy_term_id``,
``taxonomy_id``, ``organization_id`` and ``modified_after``. Paths have no trailing slash, as in
the reference.

Open without login and to every origin (CORS, settings ``CORS_URLS_REGEX``): the social map is
public information and holds no personal data. Read only. Defunct services are not shown.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from schakelpunt.api.permissions import FollowsAccessRule
from schakelpunt.core.access import public_rule
from schakelpunt.directory import models as directory
from schakelpunt.directory.hsds import documents
from schakelpunt.directory.hsds.validation import HSDS_VERSION, SCHEMA_DIR, parse_datetime

TAG = "hsds"
MAX_PER_PAGE = 100
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/"
OPEN = public_rule(
    "De sociale kaart is openbare informatie zonder persoonsgegevens; HSDS-afnemers lezen haar "
    "zonder account (open data, alleen lezen)."
)
NOT_FOUND = OpenApiResponse(description="Bestaat niet (of is opgeheven). / Does not exist (or is defunct).")
BAD_FILTER = OpenApiResponse(description="Ongeldig filter. / Invalid filter.")


def _parameter(name: str, kind, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description)


PAGE_PARAMETERS = [
    _parameter("page", OpenApiTypes.INT, "Paginanummer, vanaf 1. / Page number, from 1."),
    _parameter(
        "per_page",
        OpenApiTypes.INT,
        f"Aantal per pagina (standaard {settings.DIRECTORY_PAGE_SIZE}, hoogstens {MAX_PER_PAGE}). / "
        "Results per page.",
    ),
]
SEARCH = _parameter("search", OpenApiTypes.STR, "Zoeken in de tekst. / Full text search.")
TERM = _parameter(
    "taxonomy_term_id", OpenApiTypes.UUID, "Alleen met deze taxonomieterm. / With this taxonomy term."
)
TAXONOMY = _parameter(
    "taxonomy_id",
    OpenApiTypes.UUID,
    "Alleen met een term uit deze taxonomie. / With a term of this taxonomy.",
)
ORGANIZATION = _parameter(
    "organization_id", OpenApiTypes.UUID, "Alleen van deze organisatie. / Of this organization only."
)
MODIFIED_AFTER = _parameter(
    "modified_after",
    OpenApiTypes.DATETIME,
    "Alleen wat op of na dit moment is gewijzigd (ISO 8601). / Modified on or after this datetime.",
)
ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="HSDS id (UUID).")


def _bad(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


def _uuid_param(request: Request, name: str) -> uuid.UUID | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise _bad(name, "Geen geldige UUID.") from None


def _int_param(request: Request, name: str, default: int, *, low: int, high: int | None = None) -> int:
    value = request.query_params.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise _bad(name, "Geen geheel getal.") from None
    if number < low or (high is not None and number > high):
        limit = f"tussen {low} en {high}" if high is not None else f"{low} of meer"
        raise _bad(name, f"Moet {limit} zijn.")
    return number


def _modified_after(request: Request):
    value = request.query_params.get("modified_after")
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        day = value if len(value) == 10 else ""
        parsed = parse_datetime(f"{day}T00:00:00Z") if day else None
    if parsed is None:
        raise _bad("modified_after", "Geen geldige datum en tijd (ISO 8601).")
    return parsed


def _bool_param(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes", "ja")


def paged(request: Request, queryset: QuerySet, render) -> Response:
    """The reference's paged list: one count query, one page query (plus its prefetches)."""
    per_page = _int_param(request, "per_page", settings.DIRECTORY_PAGE_SIZE, low=1, high=MAX_PER_PAGE)
    page = _int_param(request, "page", 1, low=1)
    total = queryset.count()
    total_pages = max(math.ceil(total / per_page), 1)
    start = (page - 1) * per_page
    rows = [render(obj) for obj in queryset[start : start + per_page]] if start < total else []
    return Response(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(rows),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not rows,
            "contents": rows,
        }
    )


class HsdsView(APIView):
    access_rule = OPEN
    permission_classes = [FollowsAccessRule]
    # No sessions: the answer is the same for everyone, and no cookie or CSRF is involved.
    authentication_classes: list = []


def _services_with_term(term_id=None, taxonomy_id=None, *, through: str = "pk") -> Exists:
    links = directory.ServiceTerm.objects.filter(service_id=OuterRef(through))
    if term_id is not None:
        links = links.filter(taxonomy_term_id=term_id)
    if taxonomy_id is not None:
        links = links.filter(taxonomy_term__taxonomy_detail_id=taxonomy_id)
    return Exists(links)


def _filtered_services(request: Request) -> QuerySet[directory.Service]:
    """The public services matching the reference's filters, best match first when searching."""
    from schakelpunt.directory.selectors import service_search

    search = request.query_params.get("search", "").strip()
    services = service_search(query=search) if search else directory.Service.objects.public()
    term, taxonomy = _uuid_param(request, "taxonomy_term_id"), _uuid_param(request, "taxonomy_id")
    if term or taxonomy:
        services = services.filter(_services_with_term(term, taxonomy))
    organization = _uuid_param(request, "organization_id")
    if organization:
        services = services.filter(organization_id=organization)
    modified_after = _modified_after(request)
    if modified_after:
        services = services.filter(updated_at__gte=modified_after)
    return services if search else services.order_by("name", "id")


class AboutView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getAPIMetaInformation",
        summary="Over deze HSDS-API / About this HSDS API",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": HSDS_VERSION,
                "profile": PROFILE_URL,
                "openapi_url": request.build_absolute_uri(reverse("api:hsds-openapi")),
            }
        )


class OpenApiFileView(HsdsView):
    """The HSDS API reference this API follows (the vendored openapi.json)."""

    @extend_schema(
        tags=[TAG],
        operation_id="getHsdsOpenApi",
        summary="De HSDS-API-referentie / The HSDS API reference",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> FileResponse:
        return FileResponse((SCHEMA_DIR / "openapi.json").open("rb"), content_type="application/json")


class ServiceListView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getPaginatedListOfServices",
        summary="Diensten / Services",
        description=(
            "Diensten met hun eigen velden en hun organisatie (HSDS compiled/service_list.json), "
            "zonder opgeheven diensten.\n\n---\n\nServices with their one-to-one fields and "
            "organization; defunct services are left out."
        ),
        parameters=[SEARCH, *PAGE_PARAMETERS, TERM, TAXONOMY, ORGANIZATION, MODIFIED_AFTER],
        responses={200: OpenApiTypes.OBJECT, 400: BAD_FILTER},
    )
    def get(self, request: Request) -> Response:
        services = _filtered_services(request).select_related("organization")
        return paged(request, services, documents.list_service)


class ServiceDetailView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getFullyNestedServiceById",
        summary="Eén dienst, volledig genest / One fully nested service",
        parameters=[ID],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        queryset = documents.documents_queryset(directory.Service.objects.public().filter(pk=id))
        service = next(iter(queryset), None)
        if service is None:
            raise Http404
        return Response(documents.service_document(service))


def _filtered_organizations(request: Request) -> QuerySet[directory.Organization]:
    organizations = directory.Organization.objects.order_by("name", "id")
    search = request.query_params.get("search", "").strip()
    if search:
        organizations = organizations.filter(Q(name__icontains=search) | Q(alternate_name__icontains=search))
    term, taxonomy = _uuid_param(request, "taxonomy_term_id"), _uuid_param(request, "taxonomy_id")
    if term or taxonomy:
        services = directory.Service.objects.public().filter(
            _services_with_term(term, taxonomy), organization_id=OuterRef("pk")
        )
        organizations = organizations.filter(Exists(services))
    return organizations


class OrganizationListView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getPaginatedListOfOrganizations",
        summary="Organisaties / Organizations",
        parameters=[SEARCH, TERM, TAXONOMY, *PAGE_PARAMETERS],
        responses={200: OpenApiTypes.OBJECT, 400: BAD_FILTER},
    )
    def get(self, request: Request) -> Response:
        return paged(request, _filtered_organizations(request), documents.organization_row)


class OrganizationDetailView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getOrganizationById",
        summary="Eén organisatie met haar diensten en locaties / One organization",
        parameters=[ID],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        from django.db.models import Prefetch

        queryset = directory.Organization.objects.filter(pk=id).prefetch_related(
            Prefetch("services", queryset=directory.Service.objects.public().order_by("name", "id")),
            Prefetch(
                "locations",
                queryset=directory.Location.objects.select_related("municipality", "district")
                .prefetch_related(*documents.location_prefetches(""))
                .order_by("name", "id"),
            ),
            Prefetch("phones", queryset=directory.Phone.objects.prefetch_related("languages")),
            Prefetch("contacts", queryset=directory.Contact.objects.prefetch_related("phones")),
        )
        organization = next(iter(queryset), None)
        if organization is None:
            raise Http404
        return Response(documents.organization_document(organization))


class TaxonomyListView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getPaginatedListOfTaxonomies",
        summary="Taxonomieën / Taxonomies",
        parameters=[SEARCH, *PAGE_PARAMETERS],
        responses={200: OpenApiTypes.OBJECT, 400: BAD_FILTER},
    )
    def get(self, request: Request) -> Response:
        taxonomies = directory.Taxonomy.objects.order_by("name", "id")
        search = request.query_params.get("search", "").strip()
        if search:
            taxonomies = taxonomies.filter(Q(name__icontains=search) | Q(description__icontains=search))
        return paged(request, taxonomies, documents.taxonomy_row)


class TaxonomyDetailView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getTaxonomyById",
        summary="Eén taxonomie / One taxonomy",
        parameters=[ID],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        taxonomy = directory.Taxonomy.objects.filter(pk=id).first()
        if taxonomy is None:
            raise Http404
        return Response(documents.taxonomy_row(taxonomy))


class TaxonomyTermListView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getPaginatedListOfTaxonomyTerms",
        summary="Taxonomietermen / Taxonomy terms",
        parameters=[
            SEARCH,
            *PAGE_PARAMETERS,
            TAXONOMY,
            _parameter(
                "top_only", OpenApiTypes.BOOL, "Alleen termen zonder bovenliggende term. / Top terms only."
            ),
            _parameter(
                "parent_id", OpenApiTypes.UUID, "Alleen de termen onder deze term. / Children of this term."
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: BAD_FILTER},
    )
    def get(self, request: Request) -> Response:
        terms = directory.TaxonomyTerm.objects.select_related("taxonomy_detail").order_by(
            "code", "name", "id"
        )
        search = request.query_params.get("search", "").strip()
        if search:
            terms = terms.filter(Q(name__icontains=search) | Q(code__icontains=search))
        taxonomy = _uuid_param(request, "taxonomy_id")
        if taxonomy:
            terms = terms.filter(taxonomy_detail_id=taxonomy)
        parent = _uuid_param(request, "parent_id")
        if parent:
            terms = terms.filter(parent_id=parent)
        if _bool_param(request, "top_only"):
            terms = terms.filter(parent__isnull=True)
        return paged(request, terms, lambda term: documents.term_row(term, nested=True))


class TaxonomyTermDetailView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getTaxonomyTermById",
        summary="Eén taxonomieterm / One taxonomy term",
        parameters=[ID],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        term = directory.TaxonomyTerm.objects.select_related("taxonomy_detail").filter(pk=id).first()
        if term is None:
            raise Http404
        return Response(documents.term_row(term, nested=True))


def _service_at_location_row(link: directory.ServiceAtLocation) -> dict[str, Any]:
    row = documents.service_at_location_row(link)
    row["location"] = documents.location_row(link.location)
    row["service"] = documents.list_service(link.service)
    return row


class ServiceAtLocationListView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getPaginatedListOfServiceAtLocation",
        summary="Diensten op locaties / Services at locations",
        description=(
            "Elke koppeling van een dienst aan een locatie, met beide (HSDS "
            "compiled/service_at_location_list.json). De filters postcode en proximity worden niet "
            "ondersteund.\n\n---\n\nEvery link of a service to a location, with both. The filters "
            "postcode and proximity are not supported."
        ),
        parameters=[SEARCH, TERM, TAXONOMY, ORGANIZATION, MODIFIED_AFTER, *PAGE_PARAMETERS],
        responses={200: OpenApiTypes.OBJECT, 400: BAD_FILTER},
    )
    def get(self, request: Request) -> Response:
        services = _filtered_services(request)
        links = (
            directory.ServiceAtLocation.objects.filter(service__in=services.values("pk"))
            .select_related("location", "service__organization")
            .order_by("service__name", "location__name", "id")
        )
        return paged(request, links, _service_at_location_row)


class ServiceAtLocationDetailView(HsdsView):
    @extend_schema(
        tags=[TAG],
        operation_id="getServiceAtLocationWithNestedDataById",
        summary="Eén dienst op een locatie, genest / One service at a location, nested",
        parameters=[ID],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        from django.db.models import Prefetch

        link = (
            directory.ServiceAtLocation.objects.filter(pk=id, service__in=directory.Service.objects.public())
            .select_related("location__municipality", "location__district", "service__organization")
            .prefetch_related(
                Prefetch("phones", queryset=directory.Phone.objects.prefetch_related("languages")),
                "schedules",
                Prefetch("contacts", queryset=directory.Contact.objects.prefetch_related("phones")),
                Prefetch(
                    "service_areas",
                    queryset=directory.ServiceArea.objects.select_related("municipality", "district"),
                ),
                *documents.location_prefetches("location__"),
            )
            .first()
        )
        if link is None:
            raise Http404
        return Response(documents.service_at_location_document(link))
