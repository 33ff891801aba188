"""The register lookup at intake, taking a person over, and the coordinator's overview."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.contrib.brp.services import brp_sync
from schakelpunt.residents.models import Resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_office(user_for, region, client):
    user = user_for("Frontoffice", desks=[region["desk"]])
    client.force_login(user)
    return user


def test_intake_screen_offers_the_register_lookup(client, front_office):
    response = client.get(reverse("contacts:intake"))
    assert b"Zoeken in het BRP" in response.content


def test_volunteer_gets_no_register_lookup(client, user_for, region):
    client.force_login(user_for("Vrijwilliger", desks=[region["desk"]]))
    assert b"Zoeken in het BRP" not in client.get(reverse("contacts:intake")).content
    assert client.post(reverse("brp:lookup"), {"soort": "bsn", "bsn": "999993653"}).status_code == 403


def test_lookup_by_bsn_logs_the_search_with_its_purpose(client, front_office, simulator):
    response = client.post(
        reverse("brp:lookup"), {"soort": "bsn", "bsn": "999993653"}, HTTP_HX_REQUEST="true"
    )
    assert b"Suzanne Moulin" in response.content and b"Boterdiep 31" in response.content
    row = AccessLog.objects.get(user=front_office, object_type="brp.persoon")
    assert (row.action, row.purpose, row.object_id) == ("search", "intake", "")


@pytest.mark.parametrize(
    "data",
    [
        {"soort": "naam", "geslachtsnaam": "Moulin", "geboortedatum": "01-12-1985"},
        {"soort": "adres", "postcode": "3077aw", "huisnummer": "31"},
    ],
)
def test_lookup_by_name_and_by_address(client, front_office, simulator, data):
    response = client.post(reverse("brp:lookup"), data)
    assert b"Suzanne Moulin" in response.content


def test_secret_address_only_for_who_may_see_it(client, front_office, simulator):
    response = client.post(reverse("brp:lookup"), {"soort": "bsn", "bsn": "999993872"})
    assert b"Goudsesingel" in response.content  # the front office may see secret addresses
    front_office.groups.clear()
    front_office.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_resident", "add_resident", "change_resident", "can_view_bsn"]
        )
    )
    response = client.post(reverse("brp:lookup"), {"soort": "bsn", "bsn": "999993872"})
    assert b"Goudsesingel" not in response.content and b"Afgeschermd (geheimhouding)" in response.content


def test_register_down_the_intake_goes_on(client, front_office, settings):
    settings.BRP_API_URL = "http://127.0.0.1:9/brp"
    settings.BRP_RETRIES = 0
    response = client.post(reverse("brp:lookup"), {"soort": "bsn", "bsn": "999993653"})
    assert response.status_code == 200
    assert b"niet bereikbaar" in response.content


def test_adopt_creates_the_resident_from_the_register(client, front_office, simulator, region):
    response = client.post(reverse("brp:adopt"), {"bsn": "999993872"})
    resident = Resident.objects.get(bsn="999993872")
    assert response.url == f"{reverse('contacts:intake')}?inwoner={resident.pk}"
    assert (resident.surname_prefix, resident.surname, resident.is_secret) == ("van der", "Meijden", True)
    assert resident.municipality == region["rotterdam"]
    assert AccessLog.objects.filter(object_type="brp.persoon", action="read", purpose="intake").exists()
    assert AccessLog.objects.filter(object_type="residents.resident", action="create").exists()


def test_adopt_a_deceased_person_marks_the_resident(client, front_office, simulator):
    client.post(reverse("brp:adopt"), {"bsn": "999990147"})
    resident = Resident.objects.get(bsn="999990147")
    assert resident.status == Resident.Status.DECEASED and not resident.may_be_contacted


def test_adopt_updates_a_known_resident(client, front_office, simulator, resident_for):
    known = resident_for(surname="Moulen")  # a typo at the desk
    client.post(reverse("brp:adopt"), {"bsn": "999993653"})
    known.refresh_from_db()
    assert known.surname == "Moulin"
    assert Resident.objects.filter(bsn="999993653").count() == 1


def test_runs_page_for_the_coordinator_only(client, user_for, region, simulator):
    brp_sync(notify=False)
    client.force_login(user_for("Coördinator", desks=[region["desk"]]))
    response = client.get(reverse("brp:runs"))
    assert response.status_code == 200 and b"Wijzigingen opgehaald" in response.content
    client.force_login(user_for("Frontoffice", desks=[region["desk"]]))
    assert client.get(reverse("brp:runs")).status_code == 403
