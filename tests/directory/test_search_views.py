"""The desk's search page and a service's page (/sociale-kaart/)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from schakelpunt.directory.models import Schedule, Service, Taxonomy
from schakelpunt.directory.selectors import PLANNER_QUERIES
from tests.accounts.factories import ROLES
from tests.directory.factories import (
    AddressFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    indexed,
)
from tests.organisations.factories import DistrictFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")
MAY_SEARCH = {
    "Frontoffice",
    "Vrijwilliger",
    "Consulent",
    "Partner",
    "Coördinator",
    "Beleidsmedewerker",
    "Functioneel beheerder",
}


@pytest.mark.parametrize("role", ROLES)
def test_search_per_role(client, user_for, role):
    client.force_login(user_for(role))
    response = client.get(SEARCH)
    assert response.status_code == (200 if role in MAY_SEARCH else 403)


def test_anonymous_goes_to_login(client):
    response = client.get(SEARCH)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_results_show_capacity_freshness_and_status(client, user_for):
    indexed(ServiceFactory(name="Schuldhulp Noord", waiting_list=True, description="Hulp bij schulden"))
    indexed(
        ServiceFactory(
            name="Schuldhulp Zuid", stale=True, status=Service.Status.INACTIVE, description="Schulden"
        )
    )
    indexed(ServiceFactory(name="Schuldhulp Oud", defunct=True, description="Schulden"))
    client.force_login(user_for("Frontoffice"))

    html = client.get(SEARCH, {"q": "schulden"}).content.decode()

    assert "Schuldhulp Noord" in html and "Wachtlijst: 2 tot 6 weken" in html
    assert "Schuldhulp Zuid" in html and "Niet actief" in html and "te controleren" in html
    assert "Schuldhulp Oud" not in html
    assert "2 diensten gevonden." in html
    assert "keyup changed delay:300ms from:#id_q" in html


def test_htmx_gets_only_the_results(client, user_for):
    indexed(ServiceFactory(name="Maaltijdservice", description="Warme maaltijden"))
    client.force_login(user_for("Frontoffice"))

    response = client.get(SEARCH, {"q": "maaltijd"}, headers={"HX-Request": "true", "HX-Target": "results"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "Maaltijdservice" in html and "<h1" not in html
    assert 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_empty_state(client, user_for):
    client.force_login(user_for("Frontoffice"))
    html = client.get(SEARCH, {"q": "onvindbaar"}).content.decode()
    assert "Geen diensten gevonden." in html and "Probeer een ander of korter woord" in html


def test_filters_come_from_the_desk_region_and_filter(client, user_for, desk):
    municipality = desk.municipalities.first()
    district = DistrictFactory(municipality=municipality, name="Binnenstad")
    other = DistrictFactory(name="Elders")
    taxonomy = TaxonomyFactory(facet=Taxonomy.Facet.CATEGORY)
    term = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="ZZZ", name="Testcategorie")
    here = ServiceFactory(name="Hier", is_free=True)
    ServiceTermFactory(service=here, taxonomy_term=term)
    ServiceAreaFactory(service=here, district=district, municipality=None)
    ServiceAreaFactory(service=ServiceFactory(name="Daar", is_free=True), district=other, municipality=None)
    client.force_login(user_for("Frontoffice"))

    response = client.get(SEARCH, {"categorie": str(term.pk), "wijk": district.pk, "gratis": "1"})

    html = response.content.decode()
    assert "Binnenstad" in html and "Elders" not in html  # only the desk's region
    assert [s.name for s in response.context["page"].services] == ["Hier"]


def test_invalid_filters_filter_nothing(client, user_for):
    ServiceFactory(name="Een dienst")
    client.force_login(user_for("Frontoffice"))
    response = client.get(SEARCH, {"categorie": "geen-uuid", "leeftijd": "oud", "pagina": "x"})
    assert response.status_code == 200
    assert [s.name for s in response.context["page"].services] == ["Een dienst"]


@pytest.mark.parametrize("rows", [1, 30])
def test_search_page_queries_do_not_grow(client, user_for, rows, django_assert_max_num_queries):
    for index in range(rows):
        indexed(ServiceFactory(name=f"Buurtwerk {index}", description="Ontmoeten in de buurt"))
    client.force_login(user_for("Frontoffice"))
    client.get(SEARCH)  # the session and the user are loaded once
    # session, user, permissions (2), municipalities, districts, terms, "any match without
    # typos?", count, rows, their terms (and on PostgreSQL the planner setting around the count);
    # and the session's idle time written back (savepoint, update, release)
    with django_assert_max_num_queries(14 + PLANNER_QUERIES.get(connection.vendor, 0)):
        response = client.get(SEARCH, {"q": "buurt"})
    assert response.context["page"].count == rows


def test_service_page_shows_everything(client, user_for):
    service = ServiceFactory(
        name="Thuisadministratie",
        description="Vrijwilligers helpen met de post",
        application_process="Bel of mail ons.",
        fees_description="Gratis voor inwoners",
        is_free=True,
        available=True,
        minimum_age=18,
    )
    at_location = ServiceAtLocationFactory(service=service)
    AddressFactory(location=at_location.location, address_1="Markt 1", postal_code="7511 AA", city="Enschede")
    ScheduleFactory(
        service=service, byday="MO,TU,WE,TH,FR", opens_at=datetime.time(9), closes_at=datetime.time(17)
    )
    ScheduleFactory(
        service=service,
        freq=Schedule.Freq.MONTHLY,
        byday="1MO",
        opens_at=datetime.time(19),
        closes_at=datetime.time(21),
    )
    client.force_login(user_for("Frontoffice"))

    html = client.get(reverse("directory:service-detail", args=[service.pk])).content.decode()

    for text in (
        "Thuisadministratie",
        "Markt 1",
        "7511 AA Enschede",
        "ma–vr 09:00–17:00",
        "1e maandag van de maand 19:00–21:00",
        "Bel of mail ons.",
        "Plaats beschikbaar",
        "vanaf 18 jaar",
        f"gecontroleerd op {timezone.localdate():%-d-%-m-%Y}",
    ):
        assert text in html, text


def test_defunct_service_page_is_not_found(client, user_for):
    service = ServiceFactory(defunct=True)
    client.force_login(user_for("Frontoffice"))
    assert client.get(reverse("directory:service-detail", args=[service.pk])).status_code == 404
