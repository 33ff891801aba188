"""The open HSDS API under /api/hsds/: shapes validated against the official schemas, filters,
pages, open access with CORS, read only, and constant query counts."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from schakelpunt.directory.hsds import validation
from schakelpunt.directory.hsds.importer import import_documents
from schakelpunt.directory.models import Service, Taxonomy, TaxonomyTerm
from tests.directory.factories import (
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    indexed,
)

pytestmark = pytest.mark.django_db

DOCUMENT = json.loads((Path(__file__).parent / "data" / "hsds-dienst.json").read_text())
SERVICE_ID = DOCUMENT["id"]
ORGANIZATION_ID = DOCUMENT["organization"]["id"]
TERM_ID = DOCUMENT["attributes"][0]["taxonomy_term"]["id"]
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def directory():
    assert import_documents([DOCUMENT]).errors == []
    ServiceFactory(name="Opgeheven dienst", defunct=True)


def _get(client, name, *args, **params):
    response = client.get(reverse(f"api:hsds-{name}", args=args), params)
    return response


def _valid(schema_name, item):
    assert validation.errors(schema_name, item) == [], item


def test_about_names_the_version_and_the_reference(client):
    response = _get(client, "about")
    assert response.status_code == 200
    assert response.json()["version"] == "3.1"
    openapi = client.get(response.json()["openapi_url"].removeprefix("http://testserver"))
    assert openapi.status_code == 200
    assert json.loads(b"".join(openapi.streaming_content))["openapi"].startswith("3.")


def test_services_list_validates_and_leaves_defunct_services_out(client, directory):
    response = _get(client, "services")
    assert response.status_code == 200
    page = response.json()
    assert page.keys() == PAGE_KEYS
    assert (page["total_items"], page["size"], page["first_page"], page["last_page"]) == (1, 1, True, True)
    (service,) = page["contents"]
    _valid("compiled/service_list.json", service)
    assert service["id"] == SERVICE_ID
    assert service["organization"]["name"] == "Stichting Welzijn Oost"
    assert "Opgeheven dienst" not in response.content.decode()


def test_services_filters(client, directory):
    other = indexed(ServiceFactory(name="Schuldhulpverlening"))
    ServiceTermFactory(service=other)
    ids = lambda **params: [s["id"] for s in _get(client, "services", **params).json()["contents"]]  # noqa: E731
    assert ids(taxonomy_term_id=TERM_ID) == [SERVICE_ID]
    assert ids(organization_id=ORGANIZATION_ID) == [SERVICE_ID]
    assert ids(organization_id=str(other.organization_id)) == [str(other.pk)]
    term = TaxonomyTerm.objects.get(pk=TERM_ID)
    assert ids(taxonomy_id=str(term.taxonomy_detail_id)) == [SERVICE_ID]
    assert ids(search="maaltijd") == [SERVICE_ID]
    assert ids(search="schuldhulp") == [str(other.pk)]
    later = (timezone.now() + datetime.timedelta(minutes=5)).isoformat()
    assert ids(modified_after=later) == []
    assert len(ids(modified_after="2020-01-01")) == 2
    for name, value in [("taxonomy_term_id", "x"), ("modified_after", "gisteren"), ("per_page", "0")]:
        response = _get(client, "services", **{name: value})
        assert response.status_code == 400
        assert name in response.json()


def test_pages(client):
    organization = OrganizationFactory()
    for number in range(5):
        ServiceFactory(name=f"Dienst {number}", organization=organization)
    page = _get(client, "services", per_page=2, page=2).json()
    assert (page["total_items"], page["total_pages"], page["page_number"], page["size"]) == (5, 3, 2, 2)
    assert (page["first_page"], page["last_page"], page["empty"]) == (False, False, False)
    assert [s["name"] for s in page["contents"]] == ["Dienst 2", "Dienst 3"]
    beyond = _get(client, "services", per_page=2, page=9).json()
    assert (beyond["empty"], beyond["contents"], beyond["last_page"]) == (True, [], True)


@pytest.mark.parametrize("count", [1, 12])
def test_list_query_counts_are_constant(client, django_assert_num_queries, count):
    organization = OrganizationFactory()
    for _ in range(count):
        ServiceAtLocationFactory(service=ServiceFactory(organization=organization))
    # Services: count, page (with the organisation joined).
    with django_assert_num_queries(2):
        assert _get(client, "services").json()["size"] == count
    # Organisations, taxonomies, terms (taxonomy joined): count and page.
    with django_assert_num_queries(2):
        _get(client, "organizations")
    with django_assert_num_queries(2):
        _get(client, "taxonomy-terms")
    # Services at locations: count, page (location, service and organisation joined).
    with django_assert_num_queries(2):
        assert _get(client, "service-at-locations").json()["size"] == count


def test_one_service_is_fully_nested_and_validates(client, directory, django_assert_max_num_queries):
    # One query per nested kind, however many rows: a fixed number.
    with django_assert_max_num_queries(25):
        response = _get(client, "service", SERVICE_ID)
    assert response.status_code == 200
    service = response.json()
    _valid("compiled/service_with_definitions.json", service)
    assert service["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Enschede"
    assert service["attributes"][0]["taxonomy_term"]["code"] == "WEL-MAA"
    # Our capacity travels as an attribute of our own taxonomy.
    assert any(a.get("link_type") == "capacity" for a in service["attributes"])
    defunct = Service.objects.get(name="Opgeheven dienst")
    assert _get(client, "service", defunct.pk).status_code == 404
    assert _get(client, "service", "00000000-0000-0000-0000-000000000001").status_code == 404


def test_organizations(client, directory):
    page = _get(client, "organizations").json()
    for organization in page["contents"]:
        _valid("compiled/organization_list.json", organization)
    assert _get(client, "organizations", search="welzijn oost").json()["total_items"] == 1
    assert [o["id"] for o in _get(client, "organizations", taxonomy_term_id=TERM_ID).json()["contents"]] == [
        ORGANIZATION_ID
    ]
    detail = _get(client, "organization", ORGANIZATION_ID).json()
    _valid("organization.json", {k: v for k, v in detail.items() if k != "services"})
    assert [s["id"] for s in detail["services"]] == [SERVICE_ID]
    assert detail["locations"][0]["name"] == "Wijkcentrum De Boei"


def test_service_at_locations(client, directory):
    page = _get(client, "service-at-locations").json()
    (link,) = page["contents"]
    _valid("compiled/service_at_location_list.json", link)
    assert link["service"]["id"] == SERVICE_ID
    assert link["location"]["name"] == "Wijkcentrum De Boei"
    detail = _get(client, "service-at-location", link["id"]).json()
    _valid("service_at_location.json", {k: v for k, v in detail.items() if k != "service"})
    assert detail["location"]["schedules"][0]["byday"] == "MO,WE,FR"


def test_taxonomies_and_terms(client, directory):
    taxonomies = _get(client, "taxonomies", per_page=100).json()
    assert taxonomies["total_items"] == Taxonomy.objects.count()
    for taxonomy in taxonomies["contents"]:
        _valid("taxonomy.json", taxonomy)
    terms = _get(client, "taxonomy-terms", per_page=100, search="WEL-MAA").json()
    (term,) = [term for term in terms["contents"] if term["id"] == TERM_ID]
    _valid("taxonomy_term.json", term)
    assert term["taxonomy_detail"]["name"] == "Sociale kaart"
    assert _get(client, "taxonomy", term["taxonomy_detail"]["id"]).json()["name"] == "Sociale kaart"
    assert _get(client, "taxonomy-term", TERM_ID).json()["code"] == "WEL-MAA"
    top = _get(client, "taxonomy-terms", top_only="true", per_page=100).json()
    assert all("parent_id" not in t for t in top["contents"])


def test_open_to_everyone_with_cors_and_read_only(client, user_for, directory):
    response = client.get(reverse("api:hsds-services"), HTTP_ORIGIN="https://kaart.example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post(reverse("api:hsds-services"), {}).status_code == 405
    client.force_login(user_for("Partner"))
    assert _get(client, "services").status_code == 200
