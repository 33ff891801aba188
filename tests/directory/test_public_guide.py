"""The public guide (/wegwijzer/): open to everyone, only active and temporarily closed services."""

import pytest
from django.urls import reverse

from schakelpunt.directory.models import Service, Taxonomy
from tests.directory.factories import (
    AddressFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    indexed,
)

pytestmark = pytest.mark.django_db
GUIDE = reverse("directory:guide")


@pytest.fixture
def tree():
    taxonomy = TaxonomyFactory(facet=Taxonomy.Facet.CATEGORY)
    top = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="TST", name="Testonderwerp")
    child = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="TST-SUB", name="Subonderwerp", parent=top)
    return top, child


def test_anonymous_sees_the_categories_with_counts(client, tree):
    top, child = tree
    ServiceTermFactory(service=ServiceFactory(name="Zichtbaar"), taxonomy_term=child)
    ServiceTermFactory(
        service=ServiceFactory(name="Slapend", status=Service.Status.INACTIVE), taxonomy_term=child
    )

    response = client.get(GUIDE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Testonderwerp" in html and "1 dienst" in html
    assert reverse("directory:guide-category", args=[top.pk]) in html
    assert '<form method="get"' in html  # works without JavaScript


def test_search_without_javascript_shows_only_public_services(client):
    for name, status in [
        ("Inloop actief", Service.Status.ACTIVE),
        ("Inloop gesloten", Service.Status.TEMPORARILY_CLOSED),
        ("Inloop slapend", Service.Status.INACTIVE),
        ("Inloop opgeheven", Service.Status.DEFUNCT),
    ]:
        indexed(
            ServiceFactory(name=name, status=status, description="Inloopspreekuur", alert="Tot 1 maart dicht")
        )

    html = client.get(GUIDE, {"q": "inloop"}).content.decode()

    assert "Inloop actief" in html and "Inloop gesloten" in html and "Tot 1 maart dicht" in html
    assert "Inloop slapend" not in html and "Inloop opgeheven" not in html
    assert "2 diensten gevonden." in html


def test_category_page_lists_subcategories_and_services(client, tree):
    top, child = tree
    ServiceTermFactory(service=ServiceFactory(name="In de sub"), taxonomy_term=child)

    html = client.get(reverse("directory:guide-category", args=[top.pk])).content.decode()

    assert "Subonderwerp" in html and "In de sub" in html
    assert reverse("directory:guide-category", args=[child.pk]) in html


def test_a_target_group_is_not_a_category_page(client):
    group = TaxonomyTermFactory(taxonomy_detail=TaxonomyFactory(facet=Taxonomy.Facet.TARGET_GROUP))
    assert client.get(reverse("directory:guide-category", args=[group.pk])).status_code == 404


def test_service_page_where_when_how_and_no_staff_details(client):
    service = ServiceFactory(
        name="Formulierenhulp",
        application_process="Kom langs tijdens het inloopspreekuur.",
        is_free=True,
        stale=True,
    )
    service.contacts.create(name="Jan Medewerker", email="jan@example.org")
    AddressFactory(location=ServiceAtLocationFactory(service=service).location, address_1="Plein 3")

    response = client.get(reverse("directory:guide-service", args=[service.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kom langs tijdens het inloopspreekuur." in html and "Plein 3" in html and "Gratis" in html
    assert "Jan Medewerker" not in html and "te controleren" not in html
    assert "css/wegwijzer-print.css" in html and 'media="print"' in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.parametrize("status", [Service.Status.INACTIVE, Service.Status.DEFUNCT])
def test_hidden_services_have_no_public_page(client, status):
    service = ServiceFactory(status=status)
    assert client.get(reverse("directory:guide-service", args=[service.pk])).status_code == 404


def test_guide_start_page_queries_are_constant(client, tree, django_assert_num_queries):
    _top, child = tree
    for index in range(5):
        ServiceTermFactory(service=ServiceFactory(name=f"Dienst {index}"), taxonomy_term=child)
    # terms, counts per category
    with django_assert_num_queries(2):
        client.get(GUIDE)
